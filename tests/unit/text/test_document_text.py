from datetime import date

import pytest

from alectro_policy.dates import long_date
from alectro_policy.text.document_text import (
    FrontMatterError,
    explicit_edition_date,
    normalised_text,
    split_front_matter,
)
from alectro_policy.text.reading import reads_the_same


@pytest.mark.parametrize(
    ("source", "meta", "body"),
    [
        ("# Политика\n", {}, "# Политика\n"),
        ("---\ntitle: Политика\n---\n# Текст\n", {"title": "Политика"}, "# Текст\n"),
        ("---\r\nedition_date: 2026-11-24\r\n---\r\nТекст", {"edition_date": date(2026, 11, 24)}, "Текст"),
        ("---\n---\nТекст", {}, "Текст"),
        ("Текст\n---\nне front matter\n---\n", {}, "Текст\n---\nне front matter\n---\n"),
    ],
)
def test_split_front_matter(source, meta, body):
    assert split_front_matter(source) == (meta, body)


@pytest.mark.parametrize("source", ["---\ntitle: [\n---\nТекст", "---\n- список\n---\nТекст"])
def test_malformed_front_matter_is_an_error(source):
    with pytest.raises(FrontMatterError):
        split_front_matter(source)


@pytest.mark.parametrize(
    "variant",
    ["А\n\nБ\n", "А  \r\n\r\nБ\r\n", "\n\nА\n\n\n\nБ   \n\n\n", "А\t\n\nБ", "А\n \t\nБ\n"],
)
def test_whitespace_variants_read_the_same(variant):
    assert normalised_text(variant).replace(" ", "").replace("\t", "") == "А\n\nБ\n"
    assert reads_the_same(normalised_text(variant), "А\n\nБ\n")


def test_two_spaces_before_a_line_break_are_kept_because_they_are_a_visible_line_break():
    assert not reads_the_same(normalised_text("1.1. Первая  \nвторая.\n"), normalised_text("1.1. Первая\nвторая.\n"))


def test_normalisation_keeps_changes_inside_a_line():
    assert normalised_text("1.1. Текст.\n") != normalised_text("1.1. Текст!\n")


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({}, None),
        ({"edition_date": date(2020, 1, 2)}, date(2020, 1, 2)),
        ({"edition_date": "2020-01-02"}, date(2020, 1, 2)),
    ],
)
def test_explicit_edition_date(meta, expected):
    assert explicit_edition_date(meta) == expected


def test_explicit_edition_date_in_another_format_says_how_to_write_it():
    with pytest.raises(FrontMatterError, match="YYYY-MM-DD"):
        explicit_edition_date({"edition_date": "24.11.2026"})


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 24), "24 ноября 2026 г."),
        (date(2026, 3, 1), "1 марта 2026 г."),
        (date(2027, 5, 9), "9 мая 2027 г."),
    ],
)
def test_long_russian_date_from_babel(day, text):
    # CLDR keeps «г.» on the year's line with a narrow no-break space.
    assert long_date(day) == text.replace(" г.", "\u202fг.")
