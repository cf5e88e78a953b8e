"""The files a build writes beside its pages: editions.json and its schema, each edition's file byte for byte,
each document's feed; a moved document's file and feed at its old addresses too. No MkDocs build."""

import hashlib
from importlib import resources
from zoneinfo import ZoneInfo

import feedparser

from alectro_policy.output.rendering import templates
from alectro_policy.output.site_files import EDITIONS_SCHEMA, write_site_files
from alectro_published import editions_file
from support import published

MOSCOW = ZoneInfo("Europe/Moscow")
# As an editor's Windows editor may save it: a byte order mark and CRLF line ends, which the checksum keeps.
TEXT = "\ufeff# Политика\r\n\r\n1.1. Пункт.\r\n"


def write(site, *documents, site_url="https://alectro.ru/privacy/"):
    write_site_files(site, list(documents), templates(MOSCOW), site_url, "Alectro", "Europe/Moscow")


def test_editions_json_lists_every_edition_with_the_checksum_of_its_file_as_committed(tmp_path):
    policy = published("index.md", TEXT, TEXT.replace("Пункт", "Новый пункт"))
    write(tmp_path, policy)
    written = editions_file.parse((tmp_path / "editions.json").read_bytes(), "editions.json")
    assert (written.site_url, written.timezone) == ("https://alectro.ru/privacy/", "Europe/Moscow")
    (document,) = written.documents
    assert (document.source, document.title, document.current_edition) == ("docs/index.md", "Политика", 2)
    for entry, record in zip(document.editions, policy.records, strict=True):
        source = (tmp_path / record.source_url).read_bytes()
        assert source == record.edition.source and source.startswith(b"\xef\xbb\xbf") and b"\r\n" in source
        assert entry.sha256 == hashlib.sha256(source).hexdigest()
    schema = resources.files("alectro_policy").joinpath(EDITIONS_SCHEMA).read_bytes()
    assert (tmp_path / EDITIONS_SCHEMA).read_bytes() == schema


def test_the_feed_lists_editions_newest_first_with_absolute_links_to_their_changes(tmp_path):
    terms = published("terms.md", TEXT, TEXT.replace("Пункт", "Новый пункт"))
    write(tmp_path, terms)
    feed = feedparser.parse((tmp_path / terms.feed_url).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Политика: редакции"
    assert [entry.title for entry in feed.entries] == [
        "Редакция № 2 от 3 января 2026\u202fг.",
        "Редакция № 1 от 2 января 2026\u202fг.",
    ]
    assert [entry.link for entry in feed.entries] == [
        "https://alectro.ru/privacy/terms/editions/2/changes/",
        "https://alectro.ru/privacy/terms/editions/1/",
    ]


def test_without_a_site_url_the_files_name_the_site_s_root(tmp_path):
    write(tmp_path, published("index.md", TEXT), site_url=None)
    assert editions_file.parse((tmp_path / "editions.json").read_bytes(), "editions.json").site_url == "/"


def test_a_moved_document_s_file_and_feed_stay_at_the_addresses_it_had(tmp_path):
    moved = published("privacy.md", TEXT, TEXT.replace("Пункт", "Новый пункт"), moved_from=[("index.md", 1)])
    write(tmp_path, moved)
    assert (tmp_path / "editions/1/source.md").read_bytes() == moved.records[0].edition.source
    assert not (tmp_path / "editions/2/source.md").exists(), "edition 2 was never published there"
    assert (tmp_path / "privacy/editions/2/source.md").read_bytes() == moved.records[1].edition.source
    assert (tmp_path / "editions/feed.xml").read_text() == (tmp_path / "privacy/editions/feed.xml").read_text()
