"""The consent log's lines, for any bytes: each a record or a counted reason, never a crash (consent_log)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_files, consent_log, consent_report
from support import CONSENT_ID_A, banner_fields, nginx_line, recorded

FIELDS = consent_log.FIELDS
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=11),
        )
        .map(json.dumps)
        .map(str.encode),
        st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=20), min_size=9).map(
            lambda d: json.dumps(d).encode()
        ),
    )
)
def test_no_line_crashes_the_parser_and_each_is_a_record_or_a_reason(raw):
    parsed = consent_log.parse_line(raw, "log", 1)
    assert isinstance(parsed, consent_log.Record) or (isinstance(parsed, str) and parsed)
    if isinstance(parsed, consent_log.Record):
        # And its proof prints: every character encodable, no control character left for the terminal.
        lines = consent_report.proof([parsed], parsed.consent_id, None)
        shown = "\n".join(map(consent_log.shown, lines))
        assert shown.encode("utf-8") and not re.search(r"[\x00-\x09\x0b-\x1f\x7f\u2028\u2029\u202e]", shown)


@settings(max_examples=200, deadline=None)
@given(
    consent_id=st.uuids(version=4).map(str),
    choice=st.sampled_from(["all", "custom", "withdraw"]),
    categories=st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), min_size=1, max_size=4, unique=True),
    doc=TEXT,
    edition=st.integers(1, 10**6 - 1).map(str),
    sha=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
    client_time=st.integers(0, 10**12 - 1).map(str),
    user_agent=TEXT,
    version=st.sampled_from(["2", "3"]),
)
def test_a_well_formed_record_round_trips_through_the_parser(
    consent_id, choice, categories, doc, edition, sha, client_time, user_agent, version
):
    fields = banner_fields(
        consent_id,
        choice=choice,
        categories=("necessary", *categories),
        doc=doc,
        ed=edition,
        sha=sha,
        t=client_time,
        v=version,
        p="1795000000",
    )
    record = consent_log.parse_line(nginx_line(fields, ua=user_agent).encode("utf-8"), "log", 7)
    assert recorded(record, with_ua=True) == (
        consent_id,
        choice,
        ("necessary", *categories),
        doc,
        edition,
        sha,
        client_time,
        user_agent,
    )
    assert record.problems == (() if doc else ("нет документа",))
    assert (record.banner_text, record.previous) == (("0123456789abcdef", "1795000000") if version == "3" else ("", ""))


NUMBER_OF_DIGITS = st.integers(13, 6000).map(lambda n: "9" * n)


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(["t", "ed", "p", "v"]), digits=NUMBER_OF_DIGITS)
def test_a_number_of_any_length_is_a_problem_of_its_record_not_a_crash(field, digits):
    # Python refuses int() of more than 4,300 digits: the proof once ended there with exit code 1.
    fields = {**banner_fields("3f2b9c1e-8a4d-4e6f-9b0a-1c2d3e4f5a6b", v="3"), field: digits}
    record = consent_log.parse_line(nginx_line(fields).encode())
    assert record.problems
    lines = consent_report.proof([record, record], record.consent_id, None)
    assert lines and all(len(line) < 2000 for line in lines)


def test_characters_that_move_or_reorder_text_are_escaped_for_the_terminal():
    assert consent_log.shown("A\u2028B\u2029C\u202eD\u2066E\x1bF\x85") == "A\\u2028B\\u2029C\\u202eD\\u2066E\\x1bF\\x85"
    assert consent_log.shown("Яндекс «тест»") == "Яндекс «тест»"


@pytest.mark.parametrize(
    "choice, categories, problem",
    [
        ("necessary", ("necessary", "analytics"), "выбор 'necessary' не согласуется с категориями"),
        ("all", ("necessary",), "выбор 'all' не согласуется с категориями"),
        ("custom", ("necessary", "analytics", "analytics"), "категория повторена"),
    ],
)
def test_a_choice_that_contradicts_its_categories_is_a_problem(choice, categories, problem):
    record = consent_log.parse_line(
        nginx_line(banner_fields(CONSENT_ID_A, choice=choice, categories=categories)).encode()
    )
    assert record.problems == (problem,)


def test_files_are_read_oldest_first_as_logrotate_names_them():
    names = ["x.jsonl", "x.jsonl.1", "x.jsonl.10.gz", "x.jsonl.2.gz", "x.jsonl-20261101.gz", "x.jsonl-20261001.gz"]
    ordered = consent_files.rotation_order(Path("/log") / name for name in names)
    assert [path.name for path in ordered] == [
        "x.jsonl-20261001.gz",
        "x.jsonl-20261101.gz",
        "x.jsonl.10.gz",
        "x.jsonl.2.gz",
        "x.jsonl.1",
        "x.jsonl",
    ]


@pytest.mark.parametrize(
    "field, raw",
    [
        ("doc", "docs/cookies.md"),  # URLSearchParams writes a slash as %2F
        ("c", "necessary%2banalytics"),  # and its hex digits in capitals
        ("c", "necessary+analytics"),  # a space, which the banner never puts between categories
        ("doc", "docs%2Fcookies%7emd"),  # not "~": it escapes that as %7E
        ("id", CONSENT_ID_A.upper()),  # it sends the ID as it made it, in small letters
        ("sha", "B" * 64),
    ],
)
def test_a_field_encoded_otherwise_than_the_banner_s_urlsearchparams_is_a_problem_of_a_request_it_did_not_make(
    field, raw
):
    line = json.loads(nginx_line(banner_fields(CONSENT_ID_A, v="3")))
    record = consent_log.parse_line(json.dumps({**line, field: raw}).encode())
    assert any(f"поле {field} записано не так, как его кодирует баннер" in p for p in record.problems), record.problems


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_document_path_the_banner_encodes_is_read_back_without_a_problem(doc):
    record = consent_log.parse_line(nginx_line(banner_fields(CONSENT_ID_A, v="3", doc=doc or "d")).encode())
    assert record.problems == () and record.doc == (doc or "d")
