"""The plugin is self-contained: a site with Material and the plugin alone, no template overrides, gets it all."""

from hypothesis import given
from hypothesis import strategies as st

from alectro_policy.output.theme import THEME_DIR, theme_dirs_with_plugin
from support import read_html

BARE_CONFIG = """\
site_name: Bare
site_url: https://example.org/legal/
theme: material
plugins:
  - alectro-policy
"""

V1 = "# Политика\n\nВступление.\n\n## 1. Общее\n\n1.1. Пункт.\n\n## 2. Cookies\n\n2.2. Сайт использует cookies.\n"
V2 = V1.replace("1.1. Пункт.", "1.1. Пункт первый.")


def test_a_bare_material_site_with_the_plugin_builds_strictly_with_history_pages_footer_and_banner(git_repo):
    git_repo.write("mkdocs.yml", BARE_CONFIG)
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", V2)
    git_repo.commit("Вторая редакция", "2026-02-15T10:00:00+03:00")
    assert not (git_repo.root / "overrides").exists()
    site = git_repo.build()  # strict: a missing template or a warning fails here

    home = read_html(site / "index.html")
    assert "Редакция № 2 от 15 февраля 2026" in home.select_one(".policy-stamp").get_text(" ", strip=True)
    footer = {a.get_text(strip=True): a["href"] for a in home.select("footer nav.policy-footer-links a")}
    assert footer == {"История редакций": "editions/", "Настройки cookies": "./#p2.2"}
    assert home.select_one("#alectro-consent") is not None
    assert home.title.get_text() == "Политика — Bare"

    history = read_html(site / "editions/index.html")
    assert history.select_one("article h1").get_text(strip=True) == "История редакций"
    assert [li["id"] for li in history.select("li.policy-edition")] == ["edition-2", "edition-1"]
    assert history.select_one("#alectro-consent") is not None

    archived = read_html(site / "editions/1/index.html")
    assert "Архивная редакция № 1" in archived.select_one(".policy-edition-notice").get_text(" ", strip=True)
    assert archived.select_one('meta[name="robots"]')["content"] == "noindex"

    changes = read_html(site / "editions/2/changes/index.html")
    assert changes.select_one("article h1").get_text(strip=True) == "Изменения в редакции № 2"
    assert "первый" in changes.select_one(".policy-diff-clause ins").get_text()

    for soup in (home, history, archived, changes):
        # The plugin's styles, inline in every page (after the style of Material's fonts).
        assert ".policy-editions" in soup.head.find_all("style")[-1].string

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "editions/2/" in sitemap and "editions/1/" not in sitemap  # the archived edition is noindex


def test_a_site_custom_dir_still_overrides_the_plugin_templates(git_repo):
    git_repo.write("mkdocs.yml", BARE_CONFIG.replace("theme: material", "theme:\n  name: material\n  custom_dir: own"))
    git_repo.write("own/partials/copyright.html", '<div class="md-copyright">Своя подпись сайта</div>\n')
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    site = git_repo.build()
    home = read_html(site / "index.html")
    assert home.select_one(".md-copyright").get_text(strip=True) == "Своя подпись сайта"
    assert home.select_one(".policy-stamp") is not None
    assert read_html(site / "editions/index.html").select_one("li#edition-1") is not None


names = st.lists(st.text("abcxyz/", min_size=1, max_size=6), unique=True, max_size=5)


@given(dirs=names, pick=st.integers(min_value=-1, max_value=4))
def test_the_plugin_templates_come_right_after_the_custom_dir_else_first(dirs, pick):
    custom_dir = dirs[pick] if 0 <= pick < len(dirs) else None
    result = theme_dirs_with_plugin(dirs, custom_dir)
    assert [d for d in result if d != THEME_DIR] == dirs
    assert result.index(THEME_DIR) == (dirs.index(custom_dir) + 1 if custom_dir else 0)
    assert theme_dirs_with_plugin(result, custom_dir) == result
