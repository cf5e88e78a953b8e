"""A visitor's choice, end to end: the banner of a built site served by nginx with deploy/'s configuration sends it,
nginx logs it, and `make consent-proof` proves it against the published editions.json."""

import json
import re

import pytest

from alectro_policy.consent import cookie
from support import MINIMAL_CONFIG, GitRepo, Seen, build_site, run_proof, wait_for_lines

pytestmark = pytest.mark.browser

POLICY = "# Политика\n\n## 1. Общее\n\n1.1. Пункт.\n\n## 2. Cookies\n\n2.2. Сайт использует cookies.\n"
# A fixture, not legal text: the shop writes its own.
CONSENT = "# Согласие (тест)\n\n## 1. Предмет\n\n1.1. Тестовый пункт о веб-аналитике.\n"
OPTIONS = (
    "      documents: [index.md, cookies.md]\n      consent:\n        document: cookies.md\n"
    "        log_url: /privacy/consent-log\n"
)


@pytest.fixture
def served(tmp_path, nginx):
    repo = GitRepo.new(tmp_path / "project", MINIMAL_CONFIG.format(plugin_options=":\n" + OPTIONS))
    repo.write("docs/index.md", POLICY)
    repo.write("docs/cookies.md", CONSENT)
    repo.commit("Политика и согласие", "2026-01-15T10:00:00+03:00")
    repo.write("docs/cookies.md", CONSENT.replace("Тестовый пункт", "Уточнённый тестовый пункт"))
    repo.commit("Согласие: редакция 2", "2026-03-01T10:00:00+03:00")
    site = build_site(repo.root / "mkdocs.yml", tmp_path / "site")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    log = prefix / "alectro-consent.jsonl"
    log.touch(mode=0o640)
    return site, nginx(site, prefix=prefix), log


def test_a_choice_made_in_the_banner_is_logged_by_nginx_and_proved_against_editions_json(served, visit):
    site, base, log = served
    seen = visit(base, record=Seen)
    with seen.page.expect_response("**/privacy/consent-log*") as answer:
        seen.page.get_by_role("button", name="Принять все").click()
    assert answer.value.status == 204
    stored = cookie.parse_cookie(seen.cookie())
    (line,) = wait_for_lines(log, 1)
    logged = json.loads(line)
    assert logged["id"] == stored.id and logged["choice"] == "all" and logged["ed"] == "2"

    result = run_proof(stored.id, "--log", str(log), "--editions", str(site / "editions.json"))
    assert result.returncode == 0, result.stderr
    assert "Выбор: all" in result.stdout and "SHA-256 СОВПАДАЕТ" in result.stdout
    assert "https://alectro.ru/privacy/cookies/editions/2/" in result.stdout
    assert seen.errors == [] and seen.foreign_requests() == []


def test_a_visitor_s_choices_across_a_new_edition_are_one_chain_in_the_proof_with_the_banner_text_they_read(
    tmp_path, nginx, visit
):
    repo = GitRepo.new(
        tmp_path / "project",
        MINIMAL_CONFIG.format(plugin_options=":\n      consent:\n        log_url: /privacy/consent-log\n"),
    )
    repo.write("docs/index.md", POLICY)
    repo.commit("Политика", "2026-01-15T10:00:00+03:00")
    site = build_site(repo.root / "mkdocs.yml", tmp_path / "site")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    log = prefix / "alectro-consent.jsonl"
    log.touch(mode=0o640)
    seen = visit(nginx(site, prefix=prefix), record=Seen)

    seen.banner().get_by_role("button", name="Принять все").click()
    first = cookie.parse_cookie(seen.cookie()).id
    wait_for_lines(log, 1)
    seen.page.get_by_role("link", name="Настройки cookies").click()
    seen.banner().get_by_role("switch", name="Аналитика").uncheck()
    seen.banner().get_by_role("button", name="Сохранить выбор").click()
    wait_for_lines(log, 2)

    repo.write("docs/index.md", POLICY.replace("Сайт использует cookies.", "Сайт использует cookies и аналитику."))
    repo.commit("Политика: редакция 2", "2026-03-01T10:00:00+03:00")
    build_site(repo.root / "mkdocs.yml", site)
    seen.page.reload()
    seen.banner().get_by_role("button", name="Принять все").click()
    assert len(wait_for_lines(log, 3)) == 3
    assert cookie.parse_cookie(seen.cookie()).id == first, "one consent, one ID"

    result = run_proof(first, "--log", str(log), "--editions", str(site / "editions.json"))
    assert result.returncode == 0, result.stderr
    assert re.findall(r"   Выбор: (.*)", result.stdout) == [
        "all (принять все): согласие дано на: analytics",
        "withdraw (отзыв согласия): ОТОЗВАНО согласие на: analytics",
        "all (принять все): выбор под новой редакцией 2; разрешено: analytics",
    ]
    assert "Действует выбор № 3" in result.stdout and "ВНИМАНИЕ" not in result.stdout
    # The first two choices over the banner as it first asks, the third over it asking again: a text of its own.
    asked, _, asked_again = re.findall(r"   Текст баннера: ([0-9a-f]{16})", result.stdout)
    assert asked == _ != asked_again
    for text_hash in (asked, asked_again):
        assert f"{text_hash}: {site}/banner-texts/{text_hash}.txt (хеш СОВПАДАЕТ)" in result.stdout
    assert (
        (site / "banner-texts" / f"{asked_again}.txt")
        .read_text()
        .startswith(
            "Политика конфиденциальности обновлена. Действует редакция № 2 от 1 марта 2026\u202fг. (что изменилось)."
        )
    )
    assert "  | Аналитика\n" in result.stdout
    assert result.stdout.count("SHA-256 СОВПАДАЕТ") == 2
    assert seen.errors == [] and seen.foreign_requests() == []


def test_a_receipt_the_browser_saved_is_checked_against_the_log_nginx_wrote(served, visit, tmp_path):
    site, base, log = served
    seen = visit(base, record=Seen)
    with seen.page.expect_response("**/privacy/consent-log*"):
        seen.page.get_by_role("button", name="Принять все").click()
    wait_for_lines(log, 1)
    seen.page.get_by_role("link", name="Настройки cookies").click()
    seen.banner().get_by_role("switch", name="Аналитика").uncheck()
    with seen.page.expect_response("**/privacy/consent-log*"):
        seen.banner().get_by_role("button", name="Сохранить выбор").click()
    wait_for_lines(log, 2)
    seen.page.get_by_role("link", name="Настройки cookies").click()
    with seen.page.expect_download() as saved:
        seen.banner().get_by_role("button", name="Сохранить квитанцию").click()
    receipt = tmp_path / saved.value.suggested_filename
    saved.value.save_as(receipt)
    assert "Что вы разрешили: Необходимые (всегда включены)\n" in receipt.read_text(encoding="utf-8")

    result = run_proof("--receipt", str(receipt), "--log", str(log), "--editions", str(site / "editions.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "КВИТАНЦИЯ СОВПАДАЕТ с записью № 2 " in result.stdout
    assert "Выбор по квитанции — последний в цепочке (№ 2)." in result.stdout and "ВНИМАНИЕ" not in result.stdout

    # The same receipt against a log that lost the withdrawal's line: the check says so and fails.
    log.write_text(log.read_text().splitlines(keepends=True)[0])
    result = run_proof("--receipt", str(receipt), "--log", str(log), "--editions", str(site / "editions.json"))
    assert result.returncode == 1 and "ЗАПИСИ ПО КВИТАНЦИИ НЕТ" in result.stdout
