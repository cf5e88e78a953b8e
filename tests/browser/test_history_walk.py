"""A visitor walks from the policy's stamp to its history, an old edition and its changes."""

import pytest

from support import MINIMAL_CONFIG, REPO, GitRepo

pytestmark = pytest.mark.browser

V1 = (
    "# Политика\n\n## 1. Общие положения\n\n1.1. Первый пункт.\n\n1.2. Передача транспортной компании.\n\n"
    "2.2. Сайт использует cookies.\n"
)
V2 = V1.replace("транспортной компании", "курьерской службе")
V3 = V2 + "\n1.3. Новый пункт.\n"


@pytest.fixture
def history_site(git_repo, serve_under_privacy):
    for text, message, date in (
        (V1, "Первая", "2026-01-15T10:00:00+03:00"),
        (V2, "Курьерская служба", "2026-05-20T10:00:00+03:00"),
        (V3, "Пункт 1.3", "2026-11-24T10:00:00+03:00"),
    ):
        git_repo.write("docs/index.md", text)
        git_repo.commit(message, date)
    return serve_under_privacy(git_repo.build())


def test_stamp_to_history_to_old_edition_to_its_changes(visit, history_site):
    seen = visit(history_site)
    page = seen.page
    page.get_by_role("link", name="Редакция № 3 от 24 ноября 2026").click()
    page.wait_for_url("**/privacy/editions/")
    assert page.locator("article h1").inner_text() == "История редакций"

    page.locator("#edition-2").get_by_role("link", name="Полный текст").click()
    page.wait_for_url("**/privacy/editions/2/")
    assert "Архивная редакция № 2" in page.locator(".policy-edition-notice").inner_text()
    assert "курьерской службе" in page.locator('[id="p1.2"]').inner_text()

    page.get_by_role("link", name="Что изменилось в этой редакции").click()
    page.wait_for_url("**/privacy/editions/2/changes/")
    deleted, inserted = page.locator('[id="p1.2"] del'), page.locator('[id="p1.2"] ins')
    assert deleted.is_visible() and inserted.is_visible()
    assert "транспортной компании" in deleted.inner_text() and "курьерской службе" in inserted.inner_text()
    # Not colour alone: removed words are struck through, added ones underlined.
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")

    unchanged = page.locator("details.policy-diff-unchanged").first
    assert not unchanged.locator("p").first.is_visible()
    unchanged.locator("summary").click()
    assert unchanged.locator("p").first.is_visible()

    assert seen.errors == []
    assert seen.foreign_requests() == []


@pytest.fixture(scope="module")
def changes_page(tmp_path_factory, serve_under_privacy):
    """Edition 2's changes page (a changed clause between unchanged ones), with the site's own template overrides
    (the search dialog's label) and the banner."""
    config = MINIMAL_CONFIG.format(plugin_options="").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {REPO}/overrides\n"
    )
    repo = GitRepo.new(tmp_path_factory.mktemp("changes-page") / "project", config)
    for text, message, date in (
        (V1, "Первая", "2026-01-15T10:00:00+03:00"),
        (V2, "Курьерская", "2026-05-20T10:00:00+03:00"),
    ):
        repo.write("docs/index.md", text)
        repo.commit(message, date)
    return serve_under_privacy(repo.build()) + "editions/2/changes/"


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_on_a_changes_page_with_the_banner_and_after_it(open_site, changes_page, width):
    from axe_playwright_python.sync_playwright import Axe

    seen = open_site(changes_page, viewport={"width": width, "height": 800})
    page, axe = seen.page, Axe()

    def violations():
        found = axe.run(page).response["violations"]
        return [(violation["id"], node["target"]) for violation in found for node in violation["nodes"]]

    seen.banner().wait_for()
    assert page.locator("details.policy-diff-unchanged summary").count() == 2  # «Без изменений: …» on a tint
    assert violations() == []
    seen.banner().get_by_role("button", name="Только необходимые").click()
    seen.banner().wait_for(state="hidden")
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    assert violations() == []
    assert seen.errors == []
