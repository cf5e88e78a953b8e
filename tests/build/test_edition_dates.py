"""An edition is dated by the day it went live: the build refuses a date in the future, and one commit
from the future never locks the build for ever (a later commit unlocks it)."""

import json
import re

import pytest

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"
TODAY = "2026-11-25"
CORRECTION = (
    "      edition_dates:\n        - document: index.md\n          edition: {edition}\n          date: 2026-11-20\n"
)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("ALECTRO_TODAY", TODAY)
    return TODAY


def dates(site) -> list[str]:
    data = json.loads((site / "editions.json").read_text(encoding="utf-8"))
    return [edition["date"] for edition in data["documents"][0]["editions"]]


@pytest.fixture
def future_commit(git_repo, today):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.future_sha = git_repo.commit("Уточнён п. 1.2", "2027-06-01T10:00:00+03:00")
    return git_repo


def test_an_edition_dated_in_the_future_is_refused_naming_the_document_edition_commit_and_fix(future_commit, refused):
    message = refused(future_commit.build)
    assert re.search(
        rf"docs/index\.md: edition 2 \(commit {future_commit.future_sha[:10]}, 'Уточнён п\. 1\.2'\) "
        rf"is dated 2027-06-01, "
        rf"after today, {TODAY} \(Europe/Moscow\).*'edition_date: {TODAY}'.*commit that alone",
        message,
    ), message


def test_committing_edition_date_alone_unlocks_the_build_with_the_future_commit_on_main(future_commit, caplog):
    future_commit.write(
        "docs/index.md", f"---\nedition_date: {TODAY}\n---\n" + POLICY.replace("Второй", "Изменённый второй")
    )
    future_commit.commit("Дата редакции 2: день публикации", "2026-11-25T10:00:00+03:00")
    assert dates(future_commit.build()) == ["2026-01-15", TODAY]


def test_a_later_edition_unlocks_the_build_and_dates_the_future_one_no_later_than_itself(future_commit):
    future_commit.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй") + "\n1.3. Новый пункт.\n")
    future_commit.commit("Добавлен п. 1.3", "2026-11-25T10:00:00+03:00")
    assert dates(future_commit.build()) == ["2026-01-15", TODAY, TODAY]


def test_an_explicit_edition_date_in_the_future_is_refused(git_repo, today, refused):
    git_repo.write("docs/index.md", "---\nedition_date: 2026-12-31\n---\n" + POLICY)
    git_repo.commit("Первая редакция", "2026-11-20T10:00:00+03:00")
    assert "is dated 2026-12-31, after today, 2026-11-25" in refused(git_repo.build)


def test_the_future_is_judged_by_the_real_clock_not_by_source_date_epoch(git_repo, monkeypatch, refused):
    monkeypatch.delenv("ALECTRO_TODAY", raising=False)
    # make build sets SOURCE_DATE_EPOCH to the last commit's time: a commit from the future must not vouch for itself.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102480800")  # 2100-01-01
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2099-06-01T10:00:00+03:00")
    assert "is dated 2099-06-01, after today" in refused(git_repo.build)


def test_editions_json_names_the_site_s_time_zone_for_publish_py(git_repo):
    git_repo.configure("      timezone: Asia/Vladivostok\n")
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    data = json.loads((git_repo.build() / "editions.json").read_text(encoding="utf-8"))
    assert data["timezone"] == "Asia/Vladivostok"


def test_a_mistyped_date_buried_under_later_editions_is_corrected_in_mkdocs_yml_without_rewriting_history(
    git_repo, today, refused
):
    """A typo'd edition_date (2027 for 2026) followed by another edition before anyone noticed: no commit can
    re-date edition 2 any more, so the build names the way out, and edition_dates in mkdocs.yml takes it."""
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2027-11-20\n---\n" + POLICY.replace("Второй", "Новый второй"))
    git_repo.commit("Вторая редакция", "2026-11-20T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2027-11-20\n---\n" + POLICY.replace("Второй", "Третий"))
    git_repo.commit("Третья редакция", "2026-11-24T10:00:00+03:00")
    message = refused(git_repo.build)
    assert "edition 3" in message and "'edition_dates'" in message and "edition: 2" in message
    git_repo.configure(CORRECTION.format(edition=2))
    assert dates(git_repo.build()) == ["2026-01-15", "2026-11-20", "2026-11-24"]


def test_a_correction_of_an_edition_that_does_not_exist_is_refused(git_repo, today, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.configure(CORRECTION.format(edition=5))
    assert "edition_dates' dates edition 5" in refused(git_repo.build)
