"""Editions from git in a built site: the stamp, the draft a serve shows, refusals only a build makes, the sitemap.

What editions a history gives is read without MkDocs in tests/history/test_read_editions.py."""

import shutil

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


@pytest.mark.parametrize("document", ["../README.md", "/etc/passwd.md", "notes.txt", "C:/policy.md"])
def test_a_document_outside_docs_or_not_markdown_is_a_config_error(git_repo, document, caplog):
    from mkdocs.config import load_config

    git_repo.write("docs/index.md", POLICY)
    git_repo.configure(f"      documents: ['{document}']\n")
    with pytest.raises(Abort):
        load_config(str(git_repo.root / "mkdocs.yml"))
    assert any("is not a Markdown file inside docs/" in r.getMessage() for r in caplog.records), caplog.text


def test_uncommitted_changes_are_a_draft_in_serve_and_an_error_in_a_strict_build(git_repo, refused):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-01T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY + "\n1.3. Ещё не опубликовано.\n")
    served = git_repo.page(command="serve")
    draft = served.select_one("article .policy-stamp--draft")
    assert draft["data-edition"] == "2"
    assert "Проект редакции, не опубликован" in draft.get_text()
    refused(git_repo.build, r"docs/index\.md has uncommitted changes")


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


def test_sitemap_lastmod_is_the_edition_date(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    sitemap = (git_repo.build() / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-03-10</lastmod>" in sitemap
