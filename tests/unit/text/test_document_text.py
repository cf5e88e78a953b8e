"""A document's source: front matter (typed by editors and kept in history for ever: any text gives its meaning or
the front-matter error), the explicit edition date, and the text editions compare."""

import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\n", "\r", "\r\n", " ", "\t", "\x0c", "\u2028", "А"]), max_size=40).map("".join))
def test_blank_lines_become_one_blank_line_between_the_lines_kept_whatever_their_number(source):
    # The rule as written once with a regular expression (normalised_text runs it with str's faster replace).
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join("" if not line.strip() else line for line in lines)
    assert normalised_text(source) == re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


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


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
@example("title: a\x01b")
@example("edition_date: 2026-11-24\x1e")
@example("\x85")
def test_any_front_matter_gives_fields_or_the_front_matter_error_never_another_exception(inside):
    try:
        meta, body = split_front_matter(f"---\n{inside}\n---\n# Политика\n")
        explicit_edition_date(meta)
    except FrontMatterError as error:
        assert "\n" not in str(error)


def test_a_control_character_in_front_matter_is_the_front_matter_error_naming_the_character():
    with pytest.raises(FrontMatterError, match=r"not valid YAML \(unacceptable character #x0001"):
        split_front_matter("---\ntitle: a\x01b\n---\nТекст")


@pytest.mark.parametrize("spelling", ["20261124", 20261124, "2026-W48-2"])
def test_an_edition_date_spelled_other_than_yyyy_mm_dd_is_refused_naming_the_field(spelling):
    with pytest.raises(FrontMatterError, match=rf"'edition_date: {spelling}': it is not a date written as YYYY-MM-DD"):
        explicit_edition_date({"edition_date": spelling})
