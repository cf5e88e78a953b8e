"""`make serve` shows the next edition before it is published: the draft stamp, its preview, and a commit seen live."""

import pytest

from servers import start_mkdocs_serve
from support import make_changes

pytestmark = pytest.mark.browser

POLICY = """# Политика

Вступление.

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.
"""


@pytest.fixture
def served(git_repo):
    """``mkdocs serve`` (as ``make serve`` runs it) on a repository with one edition and an uncommitted edit."""
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("транспортной компании", "курьерской службе"))
    server = start_mkdocs_serve(git_repo.root)
    try:
        yield git_repo, server.url
    finally:
        server.stop()


def test_the_draft_stamp_leads_to_its_changes_and_a_commit_turns_it_into_the_published_edition(served, visit):
    repo, url = served
    seen = visit(url)
    page = seen.page
    page.locator("a[data-edition-draft-changes]").click()
    page.wait_for_url(url + "editions/draft/")
    assert page.locator(".policy-draft-notice .admonition-title").inner_text() == "Проект, не опубликован"
    assert page.locator(".policy-diff-text ins").text_content() == "[добавлено: курьерской службе.]"
    assert page.locator(".policy-diff-text del").text_content() == "[удалено: транспортной компании.]"
    page.go_back()
    page.wait_for_selector(".policy-stamp--draft")
    # Only git changes: the server rebuilds and the page reloads itself (livereload), with no file touched.
    repo.commit("Курьерская служба", "2026-02-01T10:00:00+03:00")
    page.wait_for_selector('.policy-stamp[data-edition="2"]:not(.policy-stamp--draft)', timeout=60_000)
    assert "Редакция № 2" in page.locator(".policy-stamp").inner_text()
    assert seen.foreign_requests() == []


@pytest.fixture
def served_branch(git_repo):
    """``mkdocs serve`` on a branch ``e1`` off ``main`` (one edition), with one commit of its own."""
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.git("checkout", "-q", "-b", "e1")
    git_repo.write("docs/index.md", POLICY.replace("транспортной компании", "курьерской службе"))
    git_repo.commit("Курьерская служба", "2026-02-01T10:00:00+03:00")
    server = start_mkdocs_serve(git_repo.root)
    try:
        yield git_repo, server.url
    finally:
        server.stop()


def test_on_a_branch_a_commit_is_a_draft_numbered_as_make_changes_numbers_it_and_its_preview_stays(
    served_branch, visit
):
    repo, url = served_branch
    seen = visit(url)
    page = seen.page
    stamp = page.locator(".policy-stamp--draft")
    assert "будущая редакция № 2" in stamp.inner_text() and "действует редакция № 1" in stamp.inner_text()
    assert "**Редакция № 2** заменит действующую редакцию № 1" in make_changes(repo).stdout
    page.goto(url + "editions/")
    # Only edition 1, in force; nothing that was not merged into main is called «действующая».
    headings = [" ".join(text.split()) for text in page.locator(".policy-edition h2").all_inner_texts()]
    assert headings == ["Редакция № 1 от 15 января 2026 г. действующая"]
    # The draft's preview, open while the editor commits once more on the branch: it stays a preview.
    page.goto(url + "editions/draft/")
    repo.write("docs/index.md", POLICY.replace("транспортной компании", "курьерской службе").replace("Второй", "2-й"))
    repo.commit("Второй пункт", "2026-02-02T10:00:00+03:00")
    page.wait_for_selector(".policy-diff-text ins >> text=2-й", timeout=60_000)
    assert page.locator(".policy-draft-notice .admonition-title").inner_text() == "Проект, не опубликован"
    assert "Страница не найдена" not in page.content()
    assert page.locator("h1").first.inner_text() == "Проект редакции № 2: что изменится"
    assert seen.foreign_requests() == []
