"""A moved document's old addresses keep leading to its pages: redirect pages (relative, no JavaScript), its files
as committed and its feed where they were; an address another document now occupies stays that document's."""

from zoneinfo import ZoneInfo

from alectro_policy.output import moved
from alectro_policy.output.rendering import templates
from support import published

TEXT = "# Политика\n\n1.1. Пункт.\n"
EDITIONS = (TEXT, TEXT.replace("Пункт", "Новый пункт"), TEXT.replace("Пункт", "Третий пункт"))


def test_the_old_page_its_history_and_each_edition_published_there_lead_to_their_new_addresses():
    document = published("privacy.md", *EDITIONS, moved_from=[("index.md", 2)])
    old = moved.old_addresses(document)
    assert [(r.url, r.target) for r in old.redirects] == [
        ("", "privacy/"),
        ("editions/", "privacy/editions/"),
        ("editions/1/", "privacy/editions/1/"),
        ("editions/2/", "privacy/editions/2/"),
        ("editions/2/changes/", "privacy/editions/2/changes/"),
    ]
    assert [url for url, _ in old.sources] == ["editions/1/source.md", "editions/2/source.md"]
    assert old.sources[1][1] == document.records[1].edition.source and old.feeds == ("editions/feed.xml",)
    assert old.redirects[3].uri == "editions/2/index.html"
    assert old.redirects[3].relative_target == "../../privacy/editions/2/"


def test_a_document_never_moved_or_moved_to_the_same_address_has_no_old_addresses():
    assert moved.old_addresses(published("index.md", TEXT)) == moved.OldAddresses((), (), ())
    same = published("terms/index.md", TEXT, moved_from=[("terms.md", 1)])
    assert moved.old_addresses(same) == moved.OldAddresses((), (), ())


def test_a_redirect_page_refreshes_to_its_relative_target_names_its_canonical_and_is_not_indexed():
    document = published("privacy.md", *EDITIONS[:1], moved_from=[("index.md", 1)])
    pages = dict(moved.redirect_pages([document], set(), templates(ZoneInfo("Europe/Moscow")), "https://alectro.ru/"))
    assert sorted(pages) == ["editions/1/index.html", "editions/index.html", "index.html"]
    page = pages["editions/1/index.html"]
    assert '<meta http-equiv="refresh" content="0; url=../../privacy/editions/1/">' in page
    assert '<link rel="canonical" href="https://alectro.ru/privacy/editions/1/">' in page
    assert '<meta name="robots" content="noindex">' in page and "<script" not in page


def test_an_address_a_page_of_the_site_now_occupies_keeps_that_page():
    document = published("privacy.md", *EDITIONS[:1], moved_from=[("index.md", 1)])
    taken = {"index.html"}
    pages = moved.redirect_pages([document], taken, templates(ZoneInfo("Europe/Moscow")), None)
    assert "index.html" not in dict(pages) and "editions/index.html" in taken


def test_an_old_file_or_feed_address_another_document_now_uses_stays_that_document_s():
    privacy = published("privacy.md", *EDITIONS, moved_from=[("index.md", 2)])
    new_index = published("index.md", TEXT)
    sources = moved.source_addresses([privacy, new_index])
    assert sources.count(("editions/1/source.md", new_index.records[0].edition.source)) == 1
    assert [url for url, _ in sources].count("editions/1/source.md") == 1
    assert ("editions/2/source.md", privacy.records[1].edition.source) in sources
    feeds = [(document.editions_of.path, url) for document, url in moved.feed_addresses([privacy, new_index])]
    assert feeds == [("privacy.md", "privacy/editions/feed.xml"), ("index.md", "editions/feed.xml")]
