"""The consent banner in built sites: on every page, its assets written, Metrica only with a counter."""

import json

import pytest
from mkdocs.exceptions import Abort

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
        assert settings(soup)["base"] == root, page
        assert settings(soup)["edition"] == 1
        assert soup.select_one("script[src*='alectro-policy/consent.js']")["src"].startswith(f"{root}/assets/"), page
        assert soup.select_one("a[data-alectro-consent-open]")["href"] == f"{root}/#p2.2", page
        assert settings(soup)["metrica"] is None  # no counter, no Metrica
    assert "alectroConsent" in (site / "assets/alectro-policy/consent.js").read_text()
    assert ".alectro-consent" in (site / "assets/alectro-policy/consent.css").read_text()


def test_metrica_counter_comes_from_the_environment_and_no_metrica_script_is_on_the_page(published, monkeypatch):
    monkeypatch.setenv("YANDEX_METRICA_ID", "12345678")
    soup = published.page()
    assert settings(soup)["metrica"] == {"counter": 12345678, "category": "analytics"}
    assert "mc.yandex.ru" not in str(soup)  # consent.js loads the tag, and only after consent


def test_a_counter_that_is_not_a_number_stops_the_build_saying_what_to_do(published, monkeypatch, caplog):
    monkeypatch.setenv("YANDEX_METRICA_ID", "XX-1")
    with pytest.raises(Abort):
        published.build()
    assert any("'XX-1' (from $YANDEX_METRICA_ID) is not a number" in r.getMessage() for r in caplog.records)


def test_disabled_banner_leaves_no_trace(published):
    published.configure("      consent:\n        enabled: false\n")
    site = published.build()
    html = (site / "index.html").read_text()
    assert "alectro-consent" not in html
    assert not (site / "assets/alectro-policy/consent.js").exists()
    assert not (site / "assets/alectro-policy/consent.css").exists()


def test_404_page_carries_the_banner_with_links_from_the_site_path(published, monkeypatch):
    monkeypatch.delenv("YANDEX_METRICA_ID", raising=False)
    soup = read_html(published.build() / "404.html")
    assert settings(soup)["base"] == "/privacy"
    assert soup.select_one("script[src*='alectro-policy/consent.js']")["src"].startswith(
        "/privacy/assets/alectro-policy/consent.js"
    )
    assert soup.select_one("a[data-alectro-consent-open]")["href"] == "/privacy/#p2.2"
