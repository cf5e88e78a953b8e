"""The consent banner in built sites: on every page, its assets written, Metrica only with a counter."""

import json
import re

import pytest

from support import read_html

POLICY = "# Политика\n\n2.2. Сайт защищает информацию из cookies.\n"


@pytest.fixture
def published(git_repo):
    git_repo.write("docs/index.md", POLICY)
    git_repo.write("docs/about.md", "# О магазине\n")
    git_repo.commit("Первая редакция", "2026-03-10T12:00:00+03:00")
    return git_repo


def settings(soup):
    return json.loads(soup.select_one("script#alectro-consent-settings").string)


def test_every_page_carries_the_banner_with_links_relative_to_it(published, monkeypatch):
    monkeypatch.delenv("YANDEX_METRICA_ID", raising=False)
    site = published.build()
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html") if path.name != "404.html")
    assert "about/index.html" in pages
    for page in pages:
        soup = read_html(site / page)
        root = "/".join([".."] * page.count("/")) or "."
        assert settings(soup)["edition"] == 1
        assert soup.select_one("script[src*='alectro-policy/consent.js']")["src"].startswith(f"{root}/assets/"), page
        assert soup.select_one("a[data-alectro-consent-open]")["href"] == f"{root}/#p2.2", page
        assert settings(soup)["metrica"] is None  # no counter, no Metrica
    assert "alectroConsent" in (site / "assets/alectro-policy/consent.js").read_text()
    assert ".alectro-consent{" in read_html(site / "index.html").head.find_all("style")[-1].string


def test_metrica_counter_comes_from_the_environment_and_no_metrica_script_is_on_the_page(published, monkeypatch):
    monkeypatch.setenv("YANDEX_METRICA_ID", "12345678")
    soup = published.page()
    assert settings(soup)["metrica"] == {"counter": 12345678, "category": "analytics"}
    assert "mc.yandex.ru" not in str(soup)  # consent.js loads the tag, and only after consent


def test_a_counter_that_is_not_a_number_stops_the_build_saying_what_to_do(published, monkeypatch, refused):
    monkeypatch.setenv("YANDEX_METRICA_ID", "XX-1")
    refused(published.build, re.escape("'XX-1' (from $YANDEX_METRICA_ID) is not a number"))


def test_disabled_banner_leaves_no_trace(published):
    published.configure("      consent:\n        enabled: false\n")
    site = published.build()
    html = (site / "index.html").read_text()
    assert "alectro-consent" not in html
    assert not (site / "assets/alectro-policy/consent.js").exists()
    styles = read_html(site / "index.html").head.find_all("style")[-1].string
    assert ".policy-stamp" in styles and "alectro-consent" not in styles  # the plugin's own styles stay


def test_404_page_carries_the_banner_with_links_from_the_site_path(published, monkeypatch):
    monkeypatch.delenv("YANDEX_METRICA_ID", raising=False)
    soup = read_html(published.build() / "404.html")
    assert soup.select_one("script[src*='alectro-policy/consent.js']")["src"].startswith(
        "/privacy/assets/alectro-policy/consent.js"
    )
    assert soup.select_one("a[data-alectro-consent-open]")["href"] == "/privacy/#p2.2"


def test_no_stylesheet_of_ours_delays_the_first_paint_and_the_banner_is_styled_from_the_start(published):
    """Each stylesheet <link> blocks rendering until it arrives; only Material's own may be linked. The
    plugin's and the banner's styles come with the page, so the banner is never shown unstyled."""
    site = published.build()
    for page in ("index.html", "about/index.html", "editions/index.html", "404.html"):
        soup = read_html(site / page)
        linked = [link["href"] for link in soup.select('link[rel~="stylesheet"]')]
        assert linked and all("assets/stylesheets/" in href for href in linked), (page, linked)
        assert soup.body.find("style") is None, page
        # Last in the head, after Material's stylesheets, whose rules it overrides.
        ours = soup.head.find_all(["link", "style"])[-1]
        assert ours.name == "style", page
        assert ".alectro-consent{" in ours.string and ".policy-stamp" in ours.string, page
