"""What went live is one record in git, the tags published/N, that every command numbers from: issue 23's cases
played as an operator would, with real builds, `python -m alectro_deploy publish` into a local target, and the
record (tags) and the live editions.json asserted before and after."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alectro_published.publish_tags import read_tags
from support import REPO, GitRepo, make_changes

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.

## 2. Данные

2.1. Данные включают имя.

2.2. Сайт использует cookies.
"""
COURIER = ("транспортной компании", "курьерской службе")
PHONE = ("имя.", "имя и телефон.")
PURPOSE = ("2.2. Сайт использует cookies.", "2.2. Сайт использует cookies.\n\n2.3. Новая цель обработки: доставка.")


def text(*edits: tuple[str, str]) -> str:
    result = V1
    for old, new in edits:
        result = result.replace(old, new)
    return result


class Operator:
    """Builds as `make publish` does (ALECTRO_PUBLISHING) and publishes with the real command into a local target."""

    def __init__(self, repo: GitRepo, target: Path, monkeypatch):
        self.repo, self.target, self.monkeypatch = repo, target, monkeypatch
        monkeypatch.delenv("ALECTRO_PUBLISHED_EDITIONS", raising=False)

    def on(self, day: str) -> None:
        self.monkeypatch.setenv("ALECTRO_TODAY", day)

    def build(self) -> list[tuple[int, str, str]]:
        return editions(self.repo.build())

    def publish(self, *extra: str) -> subprocess.CompletedProcess:
        self.monkeypatch.setenv("ALECTRO_PUBLISHING", "1")
        try:
            self.repo.build()
        finally:
            self.monkeypatch.delenv("ALECTRO_PUBLISHING")
        command = [sys.executable, "-m", "alectro_deploy", "publish", "--site", "site", "--repository", "."]
        return subprocess.run(
            [*command, "--target", str(self.target), *extra],
            cwd=self.repo.root,
            env={**os.environ, "PYTHONPATH": str(REPO / "deploy")},
            capture_output=True,
            text=True,
        )

    def live(self) -> list[tuple[int, str, str]]:
        return editions_of(json.loads((self.target / "current" / "editions.json").read_text(encoding="utf-8")))

    def recorded(self) -> list[tuple[str, list[tuple[int, str, str]]]]:
        return [
            (tag.name, [(e.number, e.date.isoformat(), e.summary) for e in tag.editions.documents[0].editions])
            for tag in read_tags(self.repo.root)
        ]


def editions_of(data: dict) -> list[tuple[int, str, str]]:
    (document,) = data["documents"]
    return [(e["number"], e["date"], e["summary"]) for e in document["editions"]]


def editions(site: Path) -> list[tuple[int, str, str]]:
    return editions_of(json.loads((site / "editions.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def published_once(tmp_path_factory) -> Path:
    """Edition 1 published once for the module: the repository (``site``, its tag published/1) and the target."""
    root = tmp_path_factory.mktemp("published")
    repo = GitRepo.new(root / "site")
    repo.write("docs/index.md", V1)
    repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    with pytest.MonkeyPatch.context() as monkeypatch:
        person = Operator(repo, root / "target", monkeypatch)
        person.on("2026-01-15")
        assert person.publish().returncode == 0
    return root


@pytest.fixture
def operator(published_once, tmp_path, monkeypatch) -> Operator:
    """Edition 1 published, in a repository and a target of this test's own."""
    repo = GitRepo(published_once / "site").copy(tmp_path / "site")
    # The target's links are relative (current -> releases/…): its copy stands alone.
    shutil.copytree(published_once / "target", tmp_path / "target", symlinks=True)
    person = Operator(repo, tmp_path / "target", monkeypatch)
    person.on("2026-01-15")
    return person


def branch(repo: GitRepo, name: str, edit: tuple[str, str], message: str, date: str, base: str = "main") -> None:
    repo.git("checkout", "-q", "-b", name, base)
    repo.write("docs/index.md", (repo.docs / "index.md").read_text(encoding="utf-8").replace(*edit))
    repo.commit(message, date)
    repo.git("checkout", "-q", "main")


def test_two_merges_in_one_publish_are_one_edition_and_every_later_command_numbers_from_it(operator):
    repo = operator.repo
    assert operator.recorded() == [("published/1", [(1, "2026-01-15", "Первая редакция")])]
    # Both branches cut from edition 1: each is promised edition 2.
    branch(repo, "typo", COURIER, "Курьерская служба (п. 1.1)\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    branch(repo, "purpose", PURPOSE, "Новая цель (п. 2.3)", "2026-02-01T11:00:00+03:00")
    for name in ("typo", "purpose"):
        repo.git("checkout", "-q", name)
        assert "Редакция № 2" in make_changes(repo).stdout
        repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "typo", date="2026-02-02T10:00:00+03:00")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "purpose", date="2026-02-02T11:00:00+03:00")
    operator.on("2026-02-02")
    # Not published yet: the build numbers from the record, everything since it one new edition.
    assert [e[:2] for e in operator.build()] == [(1, "2026-01-15"), (2, "2026-02-02")]
    published = operator.publish()
    assert published.returncode == 0, published.stderr
    assert "recorded: tag published/2" in published.stdout
    assert [e[:2] for e in operator.live()] == [(1, "2026-01-15"), (2, "2026-02-02")]
    assert [name for name, _ in operator.recorded()] == ["published/1", "published/2"]
    # A plain build, the preview and the next pull request all number from the record: № 3 next, not № 4.
    assert [e[:2] for e in operator.build()] == [(1, "2026-01-15"), (2, "2026-02-02")]
    branch(repo, "phone", PHONE, "Телефон (п. 2.1)", "2026-02-03T10:00:00+03:00")
    repo.git("checkout", "-q", "phone")
    assert "Редакция № 3" in make_changes(repo).stdout
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "phone", date="2026-02-03T10:00:00+03:00")
    operator.on("2026-02-03")
    assert operator.publish().returncode == 0
    assert [e[:2] for e in operator.live()] == [(1, "2026-01-15"), (2, "2026-02-02"), (3, "2026-02-03")]


def test_a_clone_that_fetched_the_tags_numbers_as_the_publisher_did(operator, tmp_path):
    repo = operator.repo
    branch(repo, "a", COURIER, "Курьерская служба (п. 1.1)", "2026-02-01T10:00:00+03:00")
    branch(repo, "b", PHONE, "Телефон (п. 2.1)", "2026-02-01T11:00:00+03:00")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "a", date="2026-02-02T10:00:00+03:00")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "b", date="2026-02-02T11:00:00+03:00")
    operator.on("2026-02-02")
    assert operator.publish().returncode == 0
    clone = GitRepo(tmp_path / "clone")
    repo.git("clone", "-q", str(repo.root), str(clone.root))
    # Without the record (a clone that has no tags) git alone would say editions 2 and 3.
    assert [e[0] for e in editions(clone.build())] == [1, 2]
    assert [tag.name for tag in read_tags(clone.root)] == ["published/1", "published/2"]


def test_a_tag_where_the_next_record_must_go_stops_the_publish_before_the_site_goes_live(operator):
    repo = operator.repo
    repo.git("tag", "published/2/x")  # git cannot then create published/2 («cannot lock ref»)
    repo.write("docs/index.md", text(PHONE))
    repo.commit("Телефон (п. 2.1)", "2026-02-01T10:00:00+03:00")
    operator.on("2026-02-01")
    refused = operator.publish()
    assert refused.returncode == 1
    assert "tag published/2/x stands where git must write published/2" in refused.stderr
    assert "git tag -d published/2/x" in refused.stderr
    assert operator.live() == [(1, "2026-01-15", "Первая редакция")] and len(operator.recorded()) == 1
    repo.git("tag", "-d", "published/2/x")
    assert operator.publish().returncode == 0
    assert [name for name, _ in operator.recorded()] == ["published/1", "published/2"]


TAMPERED = [
    (lambda data: data.update(documents=[]), "docs/index.md is recorded with editions 1–2, the live file lacks it"),
    (lambda data: data["documents"][0]["editions"][1].update(summary="Другое"), "summary is 'Другое' in the live"),
    (lambda data: data["documents"][0]["editions"][1].update(editorial=True), "editorial is True in the live"),
    (lambda data: data["documents"][0]["editions"][1].update(date="2026-01-20"), "date is 2026-01-20 in the live"),
    # The live file is then the first publish's: a rollback would look so, but the live release is not that one.
    (lambda data: data["documents"][0]["editions"].pop(), "edition 2 of 2026-02-02 is recorded, the live"),
]


def test_a_live_editions_json_edited_on_the_server_is_refused_naming_the_difference(operator):
    repo = operator.repo
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    assert operator.publish().returncode == 0
    live = operator.target / "current" / "editions.json"
    published = live.read_bytes()
    before = operator.recorded()
    repo.write("docs/index.md", text(COURIER, PHONE))
    repo.commit("Телефон (п. 2.1)", "2026-02-03T10:00:00+03:00")
    operator.on("2026-02-03")
    for tamper, expected in TAMPERED:
        data = json.loads(published)
        tamper(data)
        live.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        refused = operator.publish()
        assert refused.returncode == 1
        assert "and the record in git (published/2" in refused.stderr and expected in refused.stderr
        assert operator.recorded() == before
    live.write_bytes(published)
    assert operator.publish().returncode == 0
    assert [e[:2] for e in operator.live()] == [(1, "2026-01-15"), (2, "2026-02-02"), (3, "2026-02-03")]


def test_a_missing_live_editions_json_with_live_edition_pages_is_refused_not_taken_for_never_tracked(operator):
    repo = operator.repo
    (operator.target / "current" / "editions.json").unlink()
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    refused = operator.publish()
    assert refused.returncode == 1 and "editions.json is missing, and published/1 records" in refused.stderr
    assert "published before editions were tracked" not in refused.stdout + refused.stderr
    assert [name for name, _ in operator.recorded()] == ["published/1"]


def test_what_readers_are_shown_is_recorded_and_a_config_change_that_rewrites_published_pages_is_refused(
    operator, refused
):
    repo = operator.repo
    (first,) = read_tags(repo.root)[0].editions.documents[0].editions
    assert first.text_sha256 and len(first.text_sha256) == 64
    # A new edition changes the first one's notice («Архивная редакция…»), not the text its readers were shown.
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    assert operator.publish().returncode == 0
    recorded = [e.text_sha256 for e in read_tags(repo.root)[1].editions.documents[0].editions]
    assert recorded[0] == first.text_sha256 and recorded[1] not in (None, first.text_sha256)
    # An editorial comma plus an include appended to every page: a clause readers of editions 1 and 2 never saw.
    repo.write("includes/addendum.md", "7.1. Сайт передаёт персональную информацию рекламным партнёрам.\n")
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    repo.write(
        "mkdocs.yml",
        config + "markdown_extensions:\n  - pymdownx.snippets:\n      auto_append: [includes/addendum.md]\n"
        # As `make build` runs at the repository's top (the tests run elsewhere).
        f"      base_path: ['{repo.root}']\n",
    )
    repo.write("docs/index.md", text(COURIER).replace("Второй пункт.", "Второй пункт, ."))
    repo.commit("Запятая в п. 1.2\n\nEdition: editorial", "2026-02-03T10:00:00+03:00")
    operator.on("2026-02-03")
    message = refused(repo.build, "reads otherwise")
    assert "edition 1 of docs/index.md as published reads otherwise on its page editions/1/" in message
    assert "Undo that change" in message
    # Built anyway (not strict), the publish refuses too, naming what changed since the last publish.
    repo.build(strict=False)
    result = subprocess.run(
        [sys.executable, "-m", "alectro_deploy", "publish", "--site", "site", "--repository", "."]
        + ["--target", str(operator.target)],
        cwd=repo.root,
        env={**os.environ, "PYTHONPATH": str(REPO / "deploy")},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "edition 1 of 2026-01-15 would change the text readers are shown on its page" in result.stderr
    assert "besides the documents: includes/addendum.md, mkdocs.yml" in result.stderr
    assert [tag.name for tag in read_tags(repo.root)] == ["published/1", "published/2"]


def test_make_changes_on_a_main_the_live_site_lags_says_what_the_next_publish_will_bring(operator):
    repo = operator.repo
    assert "Новой редакции не будет" in make_changes(repo).stdout
    # Merged, and the publish not run yet (or refused after midnight): main is ahead of what went live.
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-03T09:00:00+03:00")
    report = make_changes(repo).stdout
    assert "Сайт ещё не получил всё, что есть в `main`" in report and "`published/1`" in report
    assert "Сравнение с действующими редакциями в последней публикации (`published/1`)." in report
    assert "Редакция № 2" in report and "курьерской службе" in report
    # A branch cut now is numbered after what main will publish first, and says what happens otherwise.
    operator.on("2026-02-03")
    branch(repo, "phone", PHONE, "Телефон (п. 2.1)", "2026-02-03T10:00:00+03:00")
    repo.git("checkout", "-q", "phone")
    report = make_changes(repo).stdout
    assert "Редакция № 3" in report and "которых ещё нет на сайте" in report
    repo.git("checkout", "-q", "main")
    assert operator.publish().returncode == 0
    assert "Новой редакции не будет" in make_changes(repo).stdout


def test_a_theme_override_of_the_document_s_page_alone_is_refused_by_the_build(operator, refused):
    repo = operator.repo
    repo.write(
        "overrides/main.html",
        '{% extends "base.html" %}\n{% block content %}{% if page.file.src_uri == "index.md" %}'
        "<p>7.1. Сайт передаёт данные рекламным партнёрам.</p>{% endif %}{{ super() }}{% endblock %}\n",
    )
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    repo.write("mkdocs.yml", config.replace("  language: ru\n", "  language: ru\n  custom_dir: overrides\n"))
    repo.commit("Дополнение в шаблоне", "2026-01-15T12:00:00+03:00")
    message = refused(repo.build, "shows readers another text")
    assert "the page of docs/index.md shows readers another text than its edition 1 in force (editions/1/)" in message


def test_make_changes_shows_the_words_a_config_change_would_put_before_readers_of_published_editions(operator):
    repo = operator.repo
    repo.git("checkout", "-q", "-b", "addendum")
    repo.write("includes/addendum.md", "7.1. Сайт передаёт персональную информацию рекламным партнёрам.\n")
    config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    extension = f"  - pymdownx.snippets:\n      auto_append: [includes/addendum.md]\n      base_path: ['{repo.root}']\n"
    repo.write("mkdocs.yml", config + "markdown_extensions:\n" + extension)
    repo.write("docs/index.md", text(("Второй пункт.", "Второй пункт, .")))
    repo.commit("Запятая в п. 1.2\n\nEdition: editorial", "2026-01-15T12:00:00+03:00")
    report = make_changes(repo).stdout
    assert "Изменится текст, который видят читатели, хотя файлы документов те же" in report
    assert (
        "`docs/index.md`, редакция № 1: + «7.1. Сайт передаёт персональную информацию рекламным партнёрам.»" in report
    )
    assert "`includes/addendum.md`" in report and "`mkdocs.yml`" in report
    # Nothing but the documents changed: nothing is built, nothing said.
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "-b", "plain")
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-01-15T12:00:00+03:00")
    assert "Изменится текст, который видят читатели" not in make_changes(repo).stdout


def test_a_move_with_a_new_landing_page_at_the_old_path_keeps_the_history_and_the_record(operator):
    repo = operator.repo
    # Long enough for git to take a rewrite for a break (it never breaks a file under 400 bytes).
    clauses = "".join(
        f"\n3.{n}. Данные хранятся не дольше, чем нужно для доставки заказа № {n}.\n" for n in range(1, 9)
    )
    repo.write("docs/index.md", text(COURIER) + "\n## 3. Сроки\n" + clauses)
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    assert operator.publish().returncode == 0
    before = operator.recorded()
    # One commit: the policy moved, a landing page at its old address, only the policy listed.
    repo.git("mv", "docs/index.md", "docs/privacy.md")
    repo.write("docs/index.md", "# Документы\n\n[Политика конфиденциальности](privacy.md)\n")
    repo.configure("      documents: [privacy.md]\n      consent:\n        cookie_clause: p2.2\n")
    repo.commit("Политика переехала, на её месте — список документов", "2026-02-03T10:00:00+03:00")
    # git sees it only with break detection: index.md rewritten, privacy.md copied from it.
    assert "C100\tdocs/index.md\tdocs/privacy.md" in repo.git("diff-tree", "-r", "-B", "-M", "--name-status", "HEAD")
    operator.on("2026-02-03")
    (document,) = json.loads((repo.build() / "editions.json").read_text(encoding="utf-8"))["documents"]
    assert document["source"] == "docs/privacy.md" and document["former_sources"] == ["docs/index.md"]
    assert [(e["number"], e["date"]) for e in document["editions"]] == [(1, "2026-01-15"), (2, "2026-02-02")]
    published = operator.publish()
    assert published.returncode == 0, published.stderr
    assert operator.recorded()[: len(before)] == before
    assert operator.recorded()[-1][1] == before[-1][1]


@pytest.mark.parametrize("move", ["rename", "docs_dir"])
def test_make_changes_on_a_branch_that_moves_the_policy_numbers_as_the_build_and_the_publish(operator, move):
    repo = operator.repo
    repo.git("checkout", "-q", "-b", "move")
    if move == "rename":
        repo.git("mv", "docs/index.md", "docs/privacy.md")
        repo.configure("      documents: [privacy.md]\n")
        moved = repo.docs / "privacy.md"
    else:
        repo.git("mv", "docs", "policies")
        config = (repo.root / "mkdocs.yml").read_text(encoding="utf-8")
        repo.write("mkdocs.yml", "docs_dir: policies\n" + config)
        moved = repo.root / "policies" / "index.md"
    repo.commit("Политика переехала", "2026-01-15T12:00:00+03:00")
    report = make_changes(repo)
    assert report.returncode == 0, report.stderr
    assert "Новой редакции не будет" in report.stdout and "первая редакция" not in report.stdout
    assert "INFO" not in report.stdout + report.stderr and "WARNING" not in report.stdout + report.stderr
    moved.write_text(text(COURIER), encoding="utf-8")
    repo.commit("Курьерская служба (п. 1.1)", "2026-01-15T13:00:00+03:00")
    report = make_changes(repo).stdout
    assert "**Редакция № 2** заменит действующую редакцию № 1" in report
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "move", date="2026-01-15T14:00:00+03:00")
    assert operator.publish().returncode == 0
    assert [e[:2] for e in operator.live()] == [(1, "2026-01-15"), (2, "2026-01-15")]


def test_a_site_published_before_the_record_is_recorded_once_from_its_live_editions_json(operator, tmp_path):
    repo = operator.repo
    # A site published before tags were written: its live editions.json, and no tag in any clone.
    repo.git("tag", "-d", "published/1")
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    refused = operator.publish()
    assert refused.returncode == 1 and "record the live site first: make record-live TARGET=…" in refused.stderr
    live = operator.target / "current" / "editions.json"
    published = live.read_bytes()

    def record_live() -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "alectro_deploy",
                "record-live",
                "--repository",
                ".",
                "--target",
                str(operator.target),
            ],
            cwd=repo.root,
            env={**os.environ, "PYTHONPATH": str(REPO / "deploy")},
            capture_output=True,
            text=True,
        )

    # A live file whose checksum git does not have is not recorded.
    data = json.loads(published)
    data["documents"][0]["editions"][0]["sha256"] = "0" * 64
    live.write_text(json.dumps(data), encoding="utf-8")
    wrong = record_live()
    assert wrong.returncode == 1 and "edition 1 of docs/index.md is not in git as listed" in wrong.stderr
    assert read_tags(repo.root) == ()
    live.write_bytes(published)
    recorded = record_live()
    assert recorded.returncode == 0, recorded.stderr
    assert "recorded: tag published/1" in recorded.stdout
    assert operator.recorded() == [("published/1", [(1, "2026-01-15", "Первая редакция")])]
    assert operator.publish().returncode == 0
    assert [name for name, _ in operator.recorded()] == ["published/1", "published/2"]


def test_a_recorded_edition_page_missing_from_the_live_site_is_refused_naming_it(operator):
    repo = operator.repo
    (operator.target / "current" / "editions" / "1" / "index.html").unlink()
    repo.write("docs/index.md", text(COURIER))
    repo.commit("Курьерская служба (п. 1.1)", "2026-02-02T10:00:00+03:00")
    operator.on("2026-02-02")
    refused = operator.publish()
    assert refused.returncode == 1 and "the live edition pages editions/1/index.html are missing" in refused.stderr


def test_a_deliberate_correction_is_published_with_the_override_and_the_record_says_so(operator):
    repo = operator.repo
    # A wrong date found later: edition 1 took effect on the 16th. Refused without the override, naming the change.
    repo.configure(
        "      edition_dates:\n        - document: index.md\n          edition: 1\n          date: 2026-01-16\n"
    )
    repo.commit("Исправить дату первой редакции", "2026-01-17T10:00:00+03:00")
    operator.on("2026-01-17")
    refused = operator.publish()
    assert refused.returncode == 1 and "edition 1 would change its date from 2026-01-15 to 2026-01-16" in refused.stderr
    operator.monkeypatch.setenv("ALECTRO_BY_GIT_ALONE", "1")  # as make publish ALLOW_HISTORY_REWRITE=1 builds
    corrected = operator.publish("--allow-history-rewrite")
    assert corrected.returncode == 0, corrected.stderr
    operator.monkeypatch.delenv("ALECTRO_BY_GIT_ALONE")
    tags = read_tags(repo.root)
    assert [tag.name for tag in tags] == ["published/1", "published/2"]
    assert tags[1].rewrite.startswith("ALLOW_HISTORY_REWRITE=1: ") and "would change its date" in tags[1].rewrite
    assert operator.recorded()[1] == ("published/2", [(1, "2026-01-16", "Первая редакция")])
    # Every command numbers from the corrected record now.
    assert [e[:2] for e in operator.build()] == [(1, "2026-01-16")]
