"""editions.json read and written by one module, for the plugin, publishing and the consent proof alike."""

import json
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alectro_published import editions_file
from alectro_published.editions_file import DocumentEntry, EditionEntry, EditionsFile, EditionsFileError

HEX = st.text("0123456789abcdef", min_size=40, max_size=40)


@st.composite
def files(draw) -> EditionsFile:
    documents = []
    for index in range(draw(st.integers(0, 3))):
        count = draw(st.integers(1, 4))
        editions = tuple(
            EditionEntry(
                number=number,
                date=draw(st.dates(date(2000, 1, 1), date(2100, 1, 1))),
                commit=draw(HEX),
                sha256=draw(HEX) + draw(HEX)[:24],
                summary=draw(st.text()),
                editorial=draw(st.booleans()),
                text_url=f"https://alectro.ru/privacy/d{index}/editions/{number}/",
                source_url=f"https://alectro.ru/privacy/d{index}/editions/{number}/source.md",
                changes_url=None if number == 1 else f"https://alectro.ru/privacy/d{index}/editions/{number}/changes/",
                source=draw(st.none() | st.text(min_size=1)),
                text_sha256=draw(st.none() | st.builds(lambda a, b: a + b[:24], HEX, HEX)),
            )
            for number in range(1, count + 1)
        )
        documents.append(
            DocumentEntry(
                source=f"docs/d{index} с пробелом.md",
                title=draw(st.text(min_size=1)),
                url=f"https://alectro.ru/privacy/d{index}/",
                current_edition=count,
                editions=editions,
                former_sources=tuple(draw(st.lists(st.text(min_size=1), max_size=2))),
            )
        )
    return EditionsFile("https://alectro.ru/privacy/", "Europe/Moscow", tuple(documents))


ONE = EditionsFile(
    "https://alectro.ru/privacy/",
    "Europe/Moscow",
    (
        DocumentEntry(
            "docs/index.md",
            "Политика",
            "https://alectro.ru/privacy/",
            1,
            (EditionEntry(1, date(2026, 1, 15), "a" * 40, "b" * 64, "", False, "u", "s", None, None, "c" * 64),),
        ),
    ),
)


@given(files())
def test_what_is_written_is_read_back_the_same(written):
    assert editions_file.parse(editions_file.dumps(written).encode(), "x") == written


def test_fields_of_an_older_file_without_text_checksums_read_as_none():
    written = editions_file.dumps(
        EditionsFile(
            "https://alectro.ru/privacy/",
            "Europe/Moscow",
            (
                DocumentEntry(
                    "docs/index.md",
                    "Политика",
                    "https://alectro.ru/privacy/",
                    1,
                    (EditionEntry(1, date(2026, 1, 15), "a" * 40, "b" * 64, "", False, "u", "s", None),),
                ),
            ),
        )
    )
    data = json.loads(written)
    assert "text_sha256" not in data["documents"][0]["editions"][0] and "former_sources" not in data["documents"][0]
    (document,) = editions_file.parse(written, "x").documents
    assert document.editions[0].text_sha256 is None
    assert document.committed_at(document.editions[0]) == "docs/index.md"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{", "live.json is not valid JSON"),
        # A live file (or a publish tag's message) nested deeper than Python's stack: refused, not a RecursionError.
        (b"[" * 100_000 + b"]" * 100_000, "live.json is not valid JSON"),
        (b"[]", "live.json has format 'list'"),
        (b'{"format": 2}', "live.json has format 2"),
        (b'{"format": 1, "site_url": "/", "timezone": "UTC"}', "live.json lacks a field"),
        (
            b'{"format": 1, "site_url": "/", "timezone": "UTC", "documents": [{"source": "a", "title": "t", "url": "u",'
            b' "current_edition": 1, "editions": [{"number": true, "editorial": false}]}]}',
            "'number' must be an integer",
        ),
    ],
)
def test_a_file_of_another_shape_is_refused_naming_where_it_was_read(raw, expected):
    with pytest.raises(EditionsFileError, match=expected):
        editions_file.parse(raw, "live.json")


@pytest.mark.parametrize("field", ["commit", "sha256", "text_sha256"])
@given(value=st.text(max_size=70).filter(lambda v: not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", v)))
def test_an_id_that_is_not_a_full_hexadecimal_id_is_refused(field, value):
    """A live file edited on the server: «--output=…» or «HEAD» for a commit would reach git as an option or a
    moving name (make record-live runs git show COMMIT:PATH); a checksum is 64 hexadecimal digits."""
    data = json.loads(editions_file.dumps(ONE))
    data["documents"][0]["editions"][0][field] = value
    with pytest.raises(EditionsFileError, match="is not a full hexadecimal id"):
        editions_file.parse(json.dumps(data), "live.json")


def test_today_is_the_site_s_day_or_the_tests_injected_one(monkeypatch):
    monkeypatch.setenv(editions_file.TODAY_ENV, "2026-12-07")
    assert editions_file.site_today(ZoneInfo("Europe/Moscow")) == date(2026, 12, 7)
    monkeypatch.setenv(editions_file.TODAY_ENV, "20261207")
    with pytest.raises(ValueError, match="not a date YYYY-MM-DD"):
        editions_file.site_today(ZoneInfo("Europe/Moscow"))
