"""Editions from git: a small repository with commits at controlled dates, built and read back."""

import shutil
import subprocess

import pytest
from mkdocs.exceptions import Abort

# Clause 2.2 is the banner's default cookie_clause: a built policy must have the clause the banner links to.
POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"


def stamp(soup):
    element = soup.select_one("article .policy-stamp")
    return element["data-edition"], element.get("data-edition-date"), " ".join(element.get_text().split())


def test_one_edition_is_stamped_under_the_title_and_links_to_the_history(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая публикация политики", "2026-03-10T12:00:00+03:00")
    soup = git_repo.page()
    assert stamp(soup) == ("1", "2026-03-10", "Редакция № 1 от 10 марта 2026 г., действует с 10 марта 2026 г.")
    assert soup.select_one("article h1").find_next_sibling().get("class") == ["policy-stamp"]
    assert soup.select_one(".policy-stamp a")["href"] == "editions/"


def test_each_text_change_is_a_new_edition_dated_by_its_commit(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.commit("Уточнён п. 1.2", "2026-05-20T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Новый пункт.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-11-24T10:00:00+03:00")
    soup = git_repo.page()
    assert stamp(soup) == ("3", "2026-11-24", "Редакция № 3 от 24 ноября 2026 г., действует с 24 ноября 2026 г.")


def test_whitespace_only_commit_is_not_a_new_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("\n", "  \r\n") + "\n\n\n")
    git_repo.commit("Пробелы и переводы строк", "2026-02-01T10:00:00+03:00")
    assert stamp(git_repo.page())[:2] == ("1", "2026-01-15")


def test_commit_touching_another_file_or_only_front_matter_is_not_a_new_edition(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/other.md", "# Другое\n")
    git_repo.commit("Другая страница", "2026-02-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\ndescription: Политика\n---\n" + POLICY)
    git_repo.commit("Описание страницы", "2026-03-01T10:00:00+03:00")
    assert stamp(git_repo.page())[:2] == ("1", "2026-01-15")


def test_merged_branch_of_three_commits_is_one_edition_dated_by_the_merge(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.git("checkout", "-q", "-b", "draft")
    for step in range(3):
        git_repo.write("docs/index.md", POLICY + f"\n1.3. Черновик {step}.\n")
        git_repo.commit(f"Черновик {step}", f"2026-02-0{step + 1}T10:00:00+03:00")
    git_repo.git("checkout", "-q", "main")
    git_repo.git("merge", "-q", "--no-ff", "-m", "Новая редакция: п. 1.3", "draft", date="2026-02-10T10:00:00+03:00")
    soup = git_repo.page()
    assert stamp(soup)[:2] == ("2", "2026-02-10")


def test_commit_just_before_midnight_utc_is_dated_the_next_day_in_moscow(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-11-23T22:30:00+00:00")
    assert stamp(git_repo.page())[:2] == ("1", "2026-11-24")


def test_site_time_zone_is_an_option(git_repo):
    git_repo.configure("      timezone: UTC\n")
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-11-23T22:30:00+00:00")
    assert stamp(git_repo.page())[:2] == ("1", "2026-11-23")


def test_explicit_front_matter_date_is_used_for_its_edition_only(git_repo):
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY)
    git_repo.commit("Редакция 2019 года, опубликованная до репозитория", "2026-01-15T10:00:00+03:00")
    assert stamp(git_repo.page())[:2] == ("1", "2019-05-01")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-02-01T10:00:00+03:00")
    assert stamp(git_repo.page())[:2] == ("2", "2026-02-01")


def test_an_explicit_date_committed_after_its_text_dates_that_edition(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Редакция 2019 года", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY)
    git_repo.commit("Дата редакции 2019 года", "2026-01-16T10:00:00+03:00")
    assert stamp(git_repo.page())[:2] == ("1", "2019-05-01")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-05-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Добавлен п. 1.3", "2026-02-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2019-04-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Дата задним числом", "2026-02-02T10:00:00+03:00")
    refused(git_repo.build, r"docs/index\.md: edition 2 .* dated 2019-04-01, before edition 1 of 2019-05-01")


def test_explicit_date_going_back_before_the_previous_edition_is_an_error(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: 2026-02-01\n---\n" + POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Вторая редакция", "2026-03-05T10:00:00+03:00")
    refused(git_repo.build, r"docs/index\.md: edition 2 .* dated 2026-02-01, before edition 1 of 2026-03-01")


def test_malformed_edition_date_names_the_file_and_commit(git_repo, refused):
    git_repo.write("docs/index.md", "---\nedition_date: 24.11.2026\n---\n" + POLICY)
    sha = git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    refused(git_repo.build, rf"docs/index\.md at commit {sha[:10]}.*YYYY-MM-DD")


def test_malformed_front_matter_yaml_names_the_file_and_commit(git_repo, refused):
    git_repo.write("docs/index.md", "---\ntitle: [не закрыто\n---\n" + POLICY)
    git_repo.commit("Сломанный заголовок", "2026-03-02T10:00:00+03:00")
    refused(git_repo.build, r"docs/index\.md at commit .*not valid YAML")


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
def test_a_date_with_a_time_or_an_impossible_date_names_the_file_and_the_fix(git_repo, refused, front_matter, fix):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", f"---\n{front_matter}\n---\n" + POLICY + "\n1.3. Новый.\n")
    sha = git_repo.commit("Вторая редакция", "2026-04-01T10:00:00+03:00")
    refused(git_repo.build, rf"docs/index\.md at commit {sha[:10]}.*{fix}")


def test_broken_front_matter_not_yet_committed_names_the_file(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", "---\nedition_date: [x\n---\n" + POLICY)
    refused(
        lambda: git_repo.build(command="serve"), r"docs/index\.md \(as it is now, not yet committed\).*not valid YAML"
    )


@pytest.mark.parametrize("document", ["../README.md", "/etc/passwd.md", "notes.txt", "C:/policy.md"])
def test_a_document_outside_docs_or_not_markdown_is_a_config_error(git_repo, document, caplog):
    from mkdocs.config import load_config

    git_repo.write("docs/index.md", POLICY)
    git_repo.configure(f"      documents: ['{document}']\n")
    with pytest.raises(Abort):
        load_config(str(git_repo.root / "mkdocs.yml"))
    assert any("is not a Markdown file inside docs/" in r.getMessage() for r in caplog.records), caplog.text


def test_git_refusing_the_repository_is_reported_with_git_s_own_advice(git_repo, refused, monkeypatch):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    # What git says when the checkout belongs to another user (CI containers): refuse every directory.
    config = git_repo.root.parent / "gitconfig"
    config.write_text("[safe]\n\tdirectory = /nonexistent\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    refused(git_repo.build, r"git refuses to read the repository .*safe\.directory")


def test_first_published_option_makes_that_commit_edition_one(git_repo):
    git_repo.write("docs/index.md", "# Черновик\n")
    git_repo.commit("Черновик", "2026-01-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY)
    published = git_repo.commit("Оформление", "2026-01-02T10:00:00+03:00")
    git_repo.write("docs/README.txt", "x")
    git_repo.commit("Прочее", "2026-01-03T10:00:00+03:00")
    git_repo.configure(f"      first_published:\n        index.md: '{published[:8]}'\n")
    assert stamp(git_repo.page())[:2] == ("1", "2026-01-02")


def test_document_missing_from_docs_is_an_error_naming_it(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.configure("      documents: [index.md, terms.md]\n")
    refused(git_repo.build, r"'terms\.md', but docs/terms\.md does not exist")


def test_uncommitted_changes_are_a_draft_in_serve_and_an_error_in_a_strict_build(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Ещё не опубликовано.\n")
    served = git_repo.page(command="serve")
    draft = served.select_one("article .policy-stamp--draft")
    assert draft["data-edition"] == "2"
    assert "Проект редакции, не опубликован" in draft.get_text()
    refused(git_repo.build, r"docs/index\.md has uncommitted changes")


def test_shallow_clone_refused_the_fix(git_repo, tmp_path, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Новый.\n")
    git_repo.commit("Вторая редакция", "2026-03-05T10:00:00+03:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)], check=True)
    from support import build_site

    refused(
        lambda: build_site(clone / "mkdocs.yml", clone / "site"), r"shallow .*git fetch --unshallow.*fetch-depth: 0"
    )


def test_outside_git_the_site_builds_as_a_draft_and_a_strict_build_fails(git_repo, tmp_path, refused):
    export = tmp_path / "export"
    git_repo.write("docs/index.md", POLICY)
    shutil.copytree(git_repo.root, export, ignore=shutil.ignore_patterns(".git"))
    from support import build_site, read_html

    soup = read_html(build_site(export / "mkdocs.yml", export / "site", strict=False) / "index.html")
    assert soup.select_one(".policy-stamp--draft")["data-edition"] == "1"
    refused(lambda: build_site(export / "mkdocs.yml", export / "site"), "not in a git repository")
    # 'make serve' gives the editor the preview, even with 'strict: true' in mkdocs.yml.
    served = read_html(build_site(export / "mkdocs.yml", export / "site", command="serve") / "index.html")
    assert served.select_one(".policy-stamp--draft")["data-edition"] == "1"


def test_outside_git_an_editor_whose_git_speaks_russian_still_gets_the_draft_preview(git_repo, tmp_path, monkeypatch):
    export = tmp_path / "export"
    git_repo.write("docs/index.md", POLICY)
    shutil.copytree(git_repo.root, export, ignore=shutil.ignore_patterns(".git"))
    from support import build_site, read_html

    # git's messages follow LANGUAGE (it says «не найден git репозиторий»); the plugin reads them in English.
    monkeypatch.setenv("LANGUAGE", "ru")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    soup = read_html(build_site(export / "mkdocs.yml", export / "site", strict=False) / "index.html")
    assert soup.select_one(".policy-stamp--draft")["data-edition"] == "1"


def test_sitemap_lastmod_is_the_edition_date(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    sitemap = (git_repo.build() / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-03-10</lastmod>" in sitemap
