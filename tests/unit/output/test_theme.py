"""The plugin's part of the theme: its templates' place among the theme's folders, its one inline <style>, and the
links its templates show. No MkDocs build."""

from types import SimpleNamespace

import pytest

from alectro_policy.config import PolicyConfig
from alectro_policy.consent.banner import build_banner
from alectro_policy.output import theme
from alectro_policy.output.edition_views import edition_views
from support import published

TEXT = "# Политика\n\n1.1. Пункт.\n"


def test_the_style_element_is_the_plugin_s_styles_minified_then_the_banner_s_the_same_for_every_page():
    banner_css = ".alectro-consent{position:fixed}\n"
    style = theme.style_element(banner_css)
    assert style.startswith("<style>") and style.endswith(banner_css + "</style>")
    assert ".policy-stamp" in style and "a.clause-anchor" in style
    assert "/*" not in style and len(style) < len(theme.stylesheet()) + len(banner_css)
    # One CSP hash allows it on every page (deploy/nginx.conf): the same text each time it is made.
    assert theme.style_element(banner_css) == style
    without_banner = theme.style_element(None)
    assert without_banner == style.replace(banner_css, "") and ".alectro-consent" not in without_banner


def test_the_style_goes_last_in_the_head_and_a_page_without_a_head_is_left_as_it_is():
    page = "<html><head><link rel=stylesheet href=main.css></head><body><p>&lt;/head&gt;</p></body></html>"
    styled = theme.with_style(page, "<style>a{}</style>")
    assert styled == page.replace("</head>", "<style>a{}</style></head>", 1)
    assert theme.with_style("<p>Фрагмент</p>", "<style>a{}</style>") == "<p>Фрагмент</p>"


@pytest.mark.parametrize(
    ("dirs", "custom_dir", "expected"),
    [
        (
            ["/site/overrides", "/material/templates"],
            "/site/overrides",
            ["/site/overrides", "PLUGIN", "/material/templates"],
        ),
        (["/material/templates"], None, ["PLUGIN", "/material/templates"]),
        (["/material/templates"], "/not/listed", ["PLUGIN", "/material/templates"]),
        (
            ["/site/overrides", "PLUGIN", "/material/templates"],
            "/site/overrides",
            ["/site/overrides", "PLUGIN", "/material/templates"],
        ),
    ],
    ids=["after the site's custom_dir", "first without one", "first when custom_dir is not a theme folder", "once"],
)
def test_the_plugin_s_templates_come_after_the_site_s_overrides_and_before_the_theme_s_own(dirs, custom_dir, expected):
    def named(folders):
        return [theme.THEME_DIR if folder == "PLUGIN" else folder for folder in folders]

    assert theme.theme_dirs_with_plugin(named(dirs), custom_dir) == named(expected)


def test_each_document_s_pages_and_history_pages_link_that_document_s_history_any_other_page_the_first_s():
    policy, terms = published("index.md", TEXT), published("terms.md", TEXT, TEXT + "\n1.2. Ещё.\n")
    views = {view.src_uri: view for view in edition_views(terms)}
    links = theme.ThemeLinks(policy.history_url, None, theme.page_documents([policy, terms], views))

    def page(src_uri):
        return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))

    assert links.history_for(page("index.md")) == "editions/"
    assert links.history_for(page("terms.md")) == "terms/editions/"
    assert links.history_for(page("terms/editions/2/changes/index.md")) == "terms/editions/"
    assert links.history_for(page("delivery.md")) == links.history_for(SimpleNamespace()) == "editions/"
    # The head's feed link: the document's own, and none on a page of no document.
    assert links.feed_for(page("terms/editions/2/changes/index.md")) == theme.Feed(
        "terms/editions/feed.xml", "Политика: редакции"
    )
    assert links.feed_for(page("delivery.md")) is None and links.feed_for(None) is None


def test_the_footer_s_cookie_settings_link_exists_only_with_a_banner():
    assert theme.ThemeLinks("editions/", None).consent_link("..") is None
    config = PolicyConfig()
    config.load_dict({})
    assert config.validate() == ([], [])
    banner = build_banner(config.consent, None, None, policy_url="")
    assert theme.ThemeLinks("editions/", banner).consent_link("..") == {
        "href": "../#p2.2",
        "text": "Настройки cookies",
    }
