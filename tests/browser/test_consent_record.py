"""Consent under a separate document, and a record of every choice: the visitor's ID and the shop's log."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from alectro_policy.consent import cookie
from support import MINIMAL_CONFIG, GitRepo, build_site

pytestmark = pytest.mark.browser

POLICY = "# Политика\n\n## 1. Общее\n\n1.1. Пункт.\n\n## 2. Cookies\n\n2.2. Сайт использует cookies.\n"
# A fixture, not legal text: the shop writes its own.
CONSENT = "# Согласие (тест)\n\n## 1. Предмет\n\n1.1. Тестовый пункт о веб-аналитике.\n"
OPTIONS = "      documents: [index.md, cookies.md]\n      consent:\n        document: cookies.md\n"


@pytest.fixture
def project(tmp_path, serve_under_privacy):
    """The policy and a consent document in git; ``build(log_url)`` builds the site again and puts it live at once,
    as a publish does: into a new folder, then the served link switched to it (``os.replace``). A build in place
    would empty the folder while the open page's search worker still loads its scripts from it."""
    repo = GitRepo.new(tmp_path / "project")
    repo.write("docs/index.md", POLICY)
    repo.write("docs/cookies.md", CONSENT)
    repo.commit("Политика и согласие", "2026-01-15T10:00:00+03:00")
    site = tmp_path / "site"
    builds = itertools.count(1)

    def build(log_url: str | None = "/privacy/consent-log") -> None:
        repo.write(
            "mkdocs.yml",
            MINIMAL_CONFIG.format(
                plugin_options=":\n" + OPTIONS + (f"        log_url: {log_url}\n" if log_url else "")
            ),
        )
        number = next(builds)
        built = build_site(repo.root / "mkdocs.yml", tmp_path / f"site-{number}")
        link = tmp_path / f"site-{number}.link"
        link.symlink_to(built, target_is_directory=True)
        os.replace(link, site)

    build()
    repo.url = serve_under_privacy(site)
    repo.build_site = build
    return repo


def log_requests(seen, answer=lambda route: route.fulfill(status=204)):
    """Answer the consent log's URL as the shop's nginx does (or as ``answer`` says) and return what it gets."""
    got: list[dict[str, str]] = []

    def handle(route):
        got.append({key: values[0] for key, values in parse_qs(urlsplit(route.request.url).query).items()})
        answer(route)

    seen.page.context.route("**/privacy/consent-log*", handle)
    return got


def banner_shown(seen) -> bool:
    return seen.banner().is_visible()


def test_a_new_edition_of_the_consent_document_asks_again_but_one_of_the_policy_alone_or_an_editorial_one_does_not(
    project, open_site
):
    seen = open_site(project.url)
    log_requests(seen)
    seen.banner().get_by_role("button", name="Принять все").click()
    assert not banner_shown(seen)
    stored = cookie.parse_cookie(seen.cookie())
    assert (stored.version, stored.document, stored.edition) == (3, cookie.document_key("docs/cookies.md"), 1)

    def commit_and_reload(path, text, message, date):
        project.write(path, text)
        project.commit(message, date)
        project.build_site()
        seen.page.reload()
        seen.page.wait_for_load_state("load")

    commit_and_reload(
        "docs/index.md",
        POLICY.replace("Пункт.", "Пункт политики."),
        "Политика: редакция 2",
        "2026-02-01T10:00:00+03:00",
    )
    assert not banner_shown(seen), "a new edition of the policy alone must not ask again"
    commit_and_reload(
        "docs/cookies.md",
        CONSENT.replace("веб-аналитике", "веб‑аналитике"),
        "Опечатка\n\nEdition: editorial",
        "2026-02-10T10:00:00+03:00",
    )
    assert not banner_shown(seen), "an editorial edition of the consent document must not ask again"
    commit_and_reload(
        "docs/cookies.md",
        CONSENT.replace("Тестовый пункт", "Новый тестовый пункт"),
        "Согласие: редакция 3",
        "2026-03-01T10:00:00+03:00",
    )
    seen.banner().wait_for(state="visible")
    notice = seen.banner().locator("[data-consent-updated]").inner_text()
    assert notice.startswith("Обновлён документ «Согласие (тест)»")
    assert seen.banner().locator("a[data-consent-document]").inner_text().startswith("редакция № 3")
    # The choice made over the notice names the text with it, published word for word as the page showed it.
    with seen.page.expect_request("**/privacy/consent-log*") as sent:
        seen.banner().get_by_role("button", name="Принять все").click()
    text_hash = parse_qs(urlsplit(sent.value.url).query)["h"][0]
    texts = seen.page.evaluate("JSON.parse(document.querySelector('script#alectro-consent-settings').textContent).text")
    assert text_hash == texts["reask"] != texts["ask"]
    published = seen.page.request.get(project.url + f"banner-texts/{text_hash}.txt").body().decode()
    # The browser's own reading of the notice (innerText) is the published text's first line.
    assert published.startswith(notice.strip() + "\n") and "\nСогласие даётся по документу " not in published
    assert "Согласие даётся по документу «Согласие (тест)» (редакция № 3 от " in published
    assert seen.errors == [] and seen.foreign_requests() == []


def test_every_choice_is_sent_once_to_the_log_with_every_field_and_shown_to_the_visitor(project, open_site):
    seen = open_site(project.url)
    got = log_requests(seen)
    before = int(time.time())
    # The response, not the request: the route has recorded the query by the time it answers.
    with seen.page.expect_response("**/privacy/consent-log*"):
        seen.banner().get_by_role("button", name="Принять все").click()
    editions = json.loads(seen.page.request.get(project.url + "editions.json").text())
    sha = next(d for d in editions["documents"] if d["source"] == "docs/cookies.md")["editions"][0]["sha256"]
    stored = cookie.parse_cookie(seen.cookie())
    assert len(got) == 1
    first = got[0]
    text_hash = seen.page.evaluate(
        "JSON.parse(document.querySelector('script#alectro-consent-settings').textContent).text.ask"
    )
    assert first == {
        "v": "4",
        "id": stored.id,
        "choice": "all",
        "c": "necessary+analytics",
        "doc": "docs/cookies.md",
        "ed": "1",
        "sha": sha,
        "t": first["t"],
        "h": text_hash,
        # The first key of the secret only the cookie holds; the next choice's key hashes to it.
        "k": cookie.chain_key(stored.secret, 0),
        "e": "1",
    }, "no p: a first choice replaces none"
    assert before <= int(first["t"]) <= int(time.time())
    published = seen.page.request.get(project.url + f"banner-texts/{text_hash}.txt").body()
    assert hashlib.sha256(published).hexdigest()[:16] == text_hash and "\nАналитика\n" in published.decode()

    # The settings show the visitor the date, the ID of the choice, to cite in a request to the shop, and the code
    # of its record.
    seen.page.get_by_role("link", name="Настройки cookies").click()
    record = seen.banner().locator("[data-consent-record]")
    assert record.is_visible()
    code = first["k"][:8]
    seen.banner().locator("[data-consent-code]").filter(has_text=code).wait_for()
    shown = " ".join(record.inner_text().split())
    assert shown.startswith("Ваш выбор от ") and f"г., идентификатор {stored.id}, код записи {code}." in shown

    # Withdrawing is a choice of its own, in the same consent: the same ID, naming the choice it replaces.
    seen.banner().get_by_role("switch", name="Аналитика").uncheck()
    with seen.page.expect_response("**/privacy/consent-log*"):
        seen.banner().get_by_role("button", name="Сохранить выбор").click()
    assert [(r["choice"], r["c"]) for r in got] == [("all", "necessary+analytics"), ("withdraw", "necessary")]
    assert got[1]["id"] == cookie.parse_cookie(seen.cookie()).id == got[0]["id"]
    assert got[1]["p"] == first["t"]
    # Only the browser holding the secret can show the next key: its hash is the first choice's.
    assert hashlib.sha256(got[1]["k"].encode()).hexdigest()[:32] == first["k"]
    assert seen.errors == []


def test_the_visitor_saves_a_receipt_of_the_choice_in_russian_with_what_when_which_edition_and_banner_text(
    project, open_site
):
    seen = open_site(project.url)
    got = log_requests(seen)
    with seen.page.expect_response("**/privacy/consent-log*"):
        seen.banner().get_by_role("button", name="Принять все").click()
    seen.page.get_by_role("link", name="Настройки cookies").click()
    with seen.page.expect_download() as saved:
        seen.banner().get_by_role("button", name="Сохранить квитанцию").click()
    receipt = saved.value
    code = got[0]["k"][:8]
    assert receipt.suggested_filename == f"cookies-{code}.txt"
    text = open(receipt.path(), encoding="utf-8").read()
    assert text.startswith("Квитанция о вашем выборе cookies\n")
    assert "Что вы разрешили: Необходимые (всегда включены), Аналитика\n" in text
    assert "Документ: «Согласие (тест)», редакция № 1\n" in text
    assert f"Идентификатор вашего согласия: {got[0]['id']}\nКод записи о выборе: {code}\n" in text
    assert f"banner-texts/{got[0]['h']}.txt" in text
    check = parse_qs(text.rstrip("\n").rpartition("Для проверки (эту строку не меняйте): ")[2])
    assert {key: values[0] for key, values in check.items()} == {
        "v": "1",
        "id": got[0]["id"],
        "code": code,
        "t": got[0]["t"],
        "c": "necessary+analytics",
        "e": "1",
        "h": got[0]["h"],
        "doc": "docs/cookies.md",
    }
    # Plain words for the visitor: no git, no field names but in the line for the shop.
    assert "коммит" not in text and "sha" not in text.rpartition("Для проверки")[0].lower()
    assert seen.errors == []


def test_without_a_log_url_no_request_is_made(project, open_site):
    project.build_site(log_url=None)
    seen = open_site(project.url)
    seen.banner().get_by_role("button", name="Только необходимые").click()
    assert [url for url in seen.requests if "consent-log" in url] == []
    assert cookie.parse_cookie(seen.cookie()).categories == ("necessary",)
    # No record is kept, so none is promised: the date of the choice and its ID, not «cite it to the shop».
    seen.page.get_by_role("link", name="Настройки cookies").click()
    shown = seen.banner().locator("[data-consent-record]").inner_text()
    assert "идентификатор" in shown and "обращении" not in shown
    # Nor a code of a record, nor a receipt of one.
    assert "код записи" not in shown and seen.banner().get_by_role("button", name="Сохранить квитанцию").count() == 0


def test_a_choice_from_before_consent_ids_shows_its_date_and_no_id(project, open_site):
    old = cookie.format_cookie([], 1, int(time.time()) - 86400)
    seen = open_site(project.url, cookies={"alectro_consent": old})
    seen.page.get_by_role("link", name="Настройки cookies").click()
    shown = " ".join(seen.banner().locator("[data-consent-record]").inner_text().split())
    assert shown.startswith("Ваш выбор от ") and shown.endswith(" г.") and "идентификатор" not in shown
    assert "—" not in shown


@pytest.mark.parametrize("failure", ["abort", "500"])
def test_a_failing_log_changes_nothing_for_the_visitor(project, open_site, failure):
    seen = open_site(project.url)
    answer = (lambda route: route.abort()) if failure == "abort" else (lambda route: route.fulfill(status=500))
    got = log_requests(seen, answer)
    with seen.page.expect_request("**/privacy/consent-log*"):
        seen.banner().get_by_role("button", name="Принять все").click()
    assert not banner_shown(seen)
    assert cookie.parse_cookie(seen.cookie()).grants("analytics")
    assert len(got) == 1
    # Chromium itself notes a failed request in its console; the page's own code reports nothing.
    assert [e for e in seen.errors if not e.startswith("Failed to load resource")] == []


def test_a_page_without_crypto_subtle_keeps_the_choice_and_only_its_record_is_missing(project, open_site):
    # Plain http on another host than localhost is no secure context: no crypto.subtle, so no key for the record.
    seen = open_site(project.url, init_script="Object.defineProperty(crypto, 'subtle', {get: () => undefined});")
    got = log_requests(seen)
    seen.banner().get_by_role("button", name="Принять все").click()
    assert not banner_shown(seen)
    stored = cookie.parse_cookie(seen.cookie())
    assert stored.grants("analytics") and stored.secret is not None
    seen.page.get_by_role("link", name="Настройки cookies").click()
    assert seen.banner().locator("[data-consent-record]").is_visible()
    assert got == []
