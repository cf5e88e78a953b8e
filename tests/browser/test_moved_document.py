"""A visitor who agreed before the policy moved follows an old link: it leads to the moved policy, and the
consent they gave still holds (issue 16, item 2)."""

from __future__ import annotations

import pytest

from support import build_site

pytestmark = pytest.mark.browser

POLICY = "# Политика\n\n1.1. Первый пункт.\n\n1.2. Второй пункт.\n\n2.2. Сайт использует cookies.\n"


def test_an_old_link_leads_to_the_moved_policy_and_the_consent_given_before_the_move_holds(
    git_repo, serve_under_privacy, open_site, tmp_path
):
    git_repo.write("docs/index.md", POLICY)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", POLICY.replace("Второй", "Изменённый второй"))
    git_repo.commit("Уточнён п. 1.2", "2026-03-01T10:00:00+03:00")
    before = open_site(serve_under_privacy(build_site(git_repo.root / "mkdocs.yml", tmp_path / "before")))
    before.banner().get_by_role("button", name="Принять все").click()
    before.banner().wait_for(state="hidden")
    agreed = before.page.context.cookies()

    git_repo.git("mv", "docs/index.md", "docs/privacy.md")
    git_repo.configure("      documents: [privacy.md]\n")
    git_repo.commit("Политика переехала в privacy.md", "2026-04-01T10:00:00+03:00")
    site = serve_under_privacy(git_repo.build())

    for old, new in [("", "privacy/"), ("editions/", "privacy/editions/"), ("editions/1/", "privacy/editions/1/")]:
        seen = open_site(site + old, cookies=agreed)
        # A bookmark, a link in an old e-mail: the browser follows the redirect page without any script.
        seen.page.wait_for_url(site + new)
        seen.page.wait_for_load_state()
        assert not seen.banner().is_visible(), f"asked again at {new}"
        assert seen.errors == []
    stamp = " ".join(seen.page.locator("article").inner_text().split())
    assert "Архивная редакция № 1" in stamp
    current = open_site(site + "privacy/", cookies=agreed)
    assert "Редакция № 2 от 1 марта 2026" in " ".join(current.page.locator(".policy-stamp").inner_text().split())
    assert not current.banner().is_visible()
