"""`make changes` compares with what is really published: the freshest of main and origin/main, and says so."""

import pytest

from support import make_changes

V1 = """# Политика

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.
"""
V2 = V1.replace("Второй пункт.", "Второй пункт о сроках.")
V3 = V2.replace("транспортной компании", "курьерской службе")


@pytest.fixture
def published(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    return git_repo


def land_upstream(repo, text: str, message: str, date: str) -> None:
    """Another editor's edition reaches origin/main; local main is not pulled (as after 'git fetch')."""
    before = repo.git("rev-parse", "main")
    repo.git("checkout", "-q", "main")
    repo.write("docs/index.md", text)
    repo.git("update-ref", "refs/remotes/origin/main", repo.commit(message, date))
    repo.git("reset", "-q", "--hard", before)


def test_a_branch_behind_origin_main_gets_the_upstream_number_and_is_told_to_update(published):
    published.git("checkout", "-q", "-b", "e1")
    land_upstream(published, V2, "Сроки", "2026-02-01T10:00:00+03:00")
    published.git("checkout", "-q", "e1")
    published.write("docs/index.md", V1.replace("транспортной компании", "курьерской службе"))
    published.commit("Курьерская служба", "2026-02-02T10:00:00+03:00")
    out = make_changes(published).stdout
    assert "Сравнение с действующими редакциями в `origin/main`." in out
    assert "**Редакция № 3** заменит действующую редакцию № 2" in out
    assert "**Ветка отстаёт от `origin/main`** (там коммитов, которых нет здесь: 1)" in out
    assert "git pull --rebase origin main" in out
    # Named as BASE, the same warning.
    assert "**Ветка отстаёт от `origin/main`**" in make_changes(published, "BASE=origin/main").stdout
    # Brought up to date: the same number, no warning, and the other editor's change is no longer undone.
    published.git("rebase", "-q", "origin/main")
    out = make_changes(published).stdout
    assert "**Редакция № 3** заменит действующую редакцию № 2" in out and "Ветка отстаёт" not in out
    assert "Изменён п. 1.1." in out


def test_a_commit_on_main_is_compared_with_the_published_origin_main(published):
    published.git("update-ref", "refs/remotes/origin/main", "main")
    published.write("docs/index.md", V2)
    published.commit("Сроки", "2026-02-01T10:00:00+03:00")
    out = make_changes(published).stdout
    assert "Сравнение с действующими редакциями в `origin/main`." in out
    assert "**Редакция № 2** заменит действующую редакцию № 1" in out
    assert "Новой редакции не будет" not in out


def test_a_commit_on_a_main_without_upstream_is_compared_with_the_edition_before_it(published):
    published.write("docs/index.md", V2)
    published.commit("Сроки", "2026-02-01T10:00:00+03:00")
    published.commit("Без изменений текста", "2026-02-02T10:00:00+03:00")
    out = make_changes(published).stdout
    assert "**Редакция № 2** заменит действующую редакцию № 1" in out
    assert "последняя редакция на `main` сравнивается с предыдущей" in out


def test_a_yaml_error_in_mkdocs_yml_is_one_sentence_naming_the_file_not_a_traceback(published):
    published.write("mkdocs.yml", (published.root / "mkdocs.yml").read_text() + "  - broken: [\n")
    result = make_changes(published)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "make changes: mkdocs.yml: " in result.stderr and "line" in result.stderr


def test_a_branch_that_deletes_the_policy_is_told_it_deletes_the_published_policy(published):
    published.git("checkout", "-q", "-b", "cleanup")
    published.git("rm", "-q", "docs/index.md")
    published.write("docs/other.md", "# Другое\n")
    published.commit("Удалена политика", "2026-02-01T10:00:00+03:00")
    result = make_changes(published)
    assert result.returncode == 0, result.stderr
    assert "**Эта правка удаляет опубликованный документ** `docs/index.md`" in result.stdout
    # Advice that works wherever the deletion is (on main too, where `git checkout main -- …` finds nothing).
    held = published.git("rev-parse", "main")[:12]
    assert f"git checkout {held} -- docs/index.md" in result.stdout
    published.git("checkout", "-q", "main")
    published.git("merge", "-q", "--ff-only", "cleanup")
    published.git("checkout", "-q", held, "--", "docs/index.md")
    assert (published.root / "docs" / "index.md").is_file()


def test_a_base_mkdocs_yml_that_gives_no_editions_is_said_not_silently_skipped(published):
    """The check «mkdocs.yml rewrites published editions» cannot be made: make changes says so, with git's reason."""
    published.configure("      first_published:\n        index.md: v1\n")
    published.git("tag", "v1", "HEAD")
    published.commit("С первой публикации", "2026-01-16T10:00:00+03:00")
    published.git("tag", "-d", "v1")  # the tag the base's mkdocs.yml names is gone
    published.git("checkout", "-q", "-b", "e1")
    published.configure("")
    published.write("docs/index.md", V2)
    published.commit("Сроки", "2026-02-01T10:00:00+03:00")
    result = make_changes(published)
    assert "**`mkdocs.yml` изменён, но его прежняя версия не читается** (git knows no commit or tag 'v1')" in (
        result.stdout
    ), result.stdout + result.stderr
