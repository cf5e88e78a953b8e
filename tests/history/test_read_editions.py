"""Editions read from real git repositories without MkDocs: ``read_editions`` on a small repository with commits
at controlled dates (the build tests check what a site makes of them)."""

from __future__ import annotations

import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest

from alectro_policy.history.editions import EditionError
from alectro_policy.history.git import GitError
from alectro_policy.history.site_editions import EditionsRequest, SiteEditions, read_editions
from support import GitRepo

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"


def read(repo: GitRepo, docs=None, zone: str = "Europe/Moscow", **options) -> SiteEditions:
    """``read_editions`` of ``docs/index.md`` (``options``: the rest of ``EditionsRequest``)."""
    documents = options.pop("documents", ["index.md"])
    return read_editions(EditionsRequest(docs or repo.docs, documents, ZoneInfo(zone), **options))


def editions(repo: GitRepo, **options) -> list[tuple[int, str]]:
    """Each edition of ``docs/index.md`` as (number, date)."""
    return [
        (edition.number, edition.date.isoformat()) for edition in read(repo, **options).documents["index.md"].editions
    ]


def refused(read_them, pattern: str, error: type[Exception] = EditionError) -> str:
    with pytest.raises(error, match=pattern) as raised:
        read_them()
    return str(raised.value)


def test_each_text_change_is_a_new_edition_dated_by_its_commit(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.commit("Уточнён п. 1.2", "2026-05-20T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Новый пункт.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-11-24T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2026-01-15"), (2, "2026-05-20"), (3, "2026-11-24")]


def test_whitespace_only_commit_is_not_a_new_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("\n", "  \r\n") + "\n\n\n")
    git_repo.commit("Пробелы и переводы строк", "2026-02-01T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2026-01-15")]


def test_commit_touching_another_file_or_only_front_matter_is_not_a_new_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/other.md", "# Другое\n")
    git_repo.commit("Другая страница", "2026-02-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\ndescription: Политика\n---\n" + POLICY)
    git_repo.commit("Описание страницы", "2026-03-01T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2026-01-15")]


def test_merged_branch_of_three_commits_is_one_edition_dated_by_the_merge(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.git("checkout", "-q", "-b", "draft")
    for step in range(3):
        git_repo.write("docs/index.md", POLICY + f"\n1.3. Черновик {step}.\n")
        git_repo.commit(f"Черновик {step}", f"2026-02-0{step + 1}T10:00:00+03:00")
    git_repo.git("checkout", "-q", "main")
    git_repo.git("merge", "-q", "--no-ff", "-m", "Новая редакция: п. 1.3", "draft", date="2026-02-10T10:00:00+03:00")
    history = read(git_repo).documents["index.md"]
    assert [(e.number, e.date.isoformat(), e.summary) for e in history.editions][1:] == [
        (2, "2026-02-10", "Новая редакция: п. 1.3")
    ]


def test_commit_just_before_midnight_utc_is_dated_the_next_day_in_moscow_and_the_zone_is_the_site_s(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-11-23T22:30:00+00:00")
    assert editions(git_repo) == [(1, "2026-11-24")]
    assert editions(git_repo, zone="UTC") == [(1, "2026-11-23")]


def test_explicit_front_matter_date_is_used_for_its_edition_only(git_repo):
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY)
    git_repo.commit("Редакция 2019 года, опубликованная до репозитория", "2026-01-15T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2019-05-01")]
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-02-01T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2019-05-01"), (2, "2026-02-01")]


def test_an_explicit_date_committed_after_its_text_dates_that_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Редакция 2019 года", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY)
    git_repo.commit("Дата редакции 2019 года", "2026-01-16T10:00:00+03:00")
    assert editions(git_repo) == [(1, "2019-05-01")]
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-02-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-04-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Дата задним числом", "2026-02-02T10:00:00+03:00")
    refused(lambda: read(git_repo), r"docs/index\.md: edition 2 .* dated 2019-04-01, before edition 1 of 2019-05-01")


def test_explicit_date_going_back_before_the_previous_edition_is_an_error(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2026-02-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Вторая редакция", "2026-03-05T10:00:00+03:00")
    refused(lambda: read(git_repo), r"docs/index\.md: edition 2 .* dated 2026-02-01, before edition 1 of 2026-03-01")


def test_malformed_edition_date_names_the_file_and_commit(git_repo):
    git_repo.write("docs/index.md", "---\nedition_date: 24.11.2026\n---\n" + POLICY)
    sha = git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    refused(lambda: read(git_repo), rf"docs/index\.md at commit {sha[:10]}.*YYYY-MM-DD")


def test_malformed_front_matter_yaml_names_the_file_and_commit(git_repo):
    git_repo.write("docs/index.md", "---\ntitle: [не закрыто\n---\n" + POLICY)
    git_repo.commit("Сломанный заголовок", "2026-03-02T10:00:00+03:00")
    refused(lambda: read(git_repo), r"docs/index\.md at commit .*not valid YAML")


@pytest.mark.parametrize(
    "front_matter, fix",
    [
        (
            "edition_date: 2026-04-01 10:00:00",
            r"has a time of day.*write the date alone as YYYY-MM-DD, e\.g\. 2026-04-01",
        ),
        ("edition_date: 2026-02-30", r"impossible date.*YYYY-MM-DD"),
    ],
)
def test_a_date_with_a_time_or_an_impossible_date_names_the_file_and_the_fix(git_repo, front_matter, fix):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", f"---\n{front_matter}\n---\n" + POLICY + "\n1.3. Новый.\n")
    sha = git_repo.commit("Вторая редакция", "2026-04-01T10:00:00+03:00")
    refused(lambda: read(git_repo), rf"docs/index\.md at commit {sha[:10]}.*{fix}")


def test_broken_front_matter_not_yet_committed_names_the_file(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: [x\n---\n" + POLICY)
    refused(lambda: read(git_repo), r"docs/index\.md \(as it is now, not yet committed\).*not valid YAML")


def test_git_refusing_the_repository_is_reported_with_git_s_own_advice(git_repo, monkeypatch):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    # What git says when the checkout belongs to another user (CI containers): refuse every directory.
    config = git_repo.root.parent / "gitconfig"
    config.write_text("[safe]\n\tdirectory = /nonexistent\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    refused(lambda: read(git_repo), r"git refuses to read the repository .*safe\.directory", GitError)


def test_first_published_option_makes_that_commit_edition_one(git_repo):
    git_repo.write("docs/index.md", "# Черновик\n")
    git_repo.commit("Черновик", "2026-01-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY)
    published = git_repo.commit("Оформление", "2026-01-02T10:00:00+03:00")
    git_repo.write("docs/README.txt", "x")
    git_repo.commit("Прочее", "2026-01-03T10:00:00+03:00")
    assert editions(git_repo, first_published={"index.md": published[:8]}) == [(1, "2026-01-02")]
    refused(lambda: read(git_repo, first_published={"index.md": "nosuchtag"}), "git knows no commit or tag", GitError)


def test_document_missing_from_docs_is_an_error_naming_it(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    refused(
        lambda: read(git_repo, documents=["index.md", "terms.md"]), r"'terms\.md', but docs/terms\.md does not exist"
    )


def test_uncommitted_changes_are_the_draft_of_the_next_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Ещё не опубликовано.\n")
    site = read(git_repo)
    assert site.drafts() == ["index.md"] and site.documents["index.md"].draft.number == 2
    git_repo.write("docs/index.md", POLICY.replace("\n", "\n\n"))  # re-spaced: a reader sees no change
    assert read(git_repo).drafts() == []


def test_shallow_clone_refused_the_fix(git_repo, tmp_path):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Вторая редакция", "2026-03-05T10:00:00+03:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)], check=True)
    refused(lambda: read(git_repo, docs=clone / "docs"), r"shallow .*git fetch --unshallow.*fetch-depth: 0", GitError)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_outside_git_every_document_is_a_draft_whatever_git_s_language(git_repo, tmp_path, monkeypatch, language):
    export = tmp_path / "export"
    git_repo.write("docs/index.md", POLICY)
    shutil.copytree(git_repo.root, export, ignore=shutil.ignore_patterns(".git"))
    # git's messages follow LANGUAGE (it says «не найден git репозиторий»); the plugin reads them in English.
    monkeypatch.setenv("LANGUAGE", language)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    site = read(git_repo, docs=export / "docs")
    assert site.outside_git and site.documents["index.md"].draft.number == 1
