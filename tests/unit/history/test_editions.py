from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.history.editions import (
    EditionError,
    State,
    editions_from_states,
    pending_edition,
    refuse_future,
)
from alectro_policy.history.main_line import is_editorial

MOSCOW = ZoneInfo("Europe/Moscow")


def state(n: int, source: str | None, when: str = "2026-01-01T09:00:00", subject: str = "", body: str = "") -> State:
    return State(
        commit=f"{n:040x}",
        committed_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
        subject=subject or f"commit {n}",
        body=body,
        source=None if source is None else source.encode(),
        editorial=is_editorial(body),
    )


def test_editions_are_numbered_from_the_oldest_change_and_skip_unchanged_states():
    states = [
        state(1, None),
        state(2, "Данные передаются.\n", "2026-01-02T09:00:00", "Первая"),
        state(3, "Данные  передаются.\n", "2026-01-03T09:00:00"),
        # A typo corrected: editorial, as its trailer says (text.edit_kind allows it).
        state(4, "Данные передаюся.\n", "2026-01-04T09:00:00", "Вторая", "Подробности.\n\nEdition: editorial"),
    ]
    editions = editions_from_states("docs/index.md", states, MOSCOW)
    assert [(e.number, e.date, e.summary, e.editorial) for e in editions] == [
        (1, date(2026, 1, 2), "Первая", False),
        (2, date(2026, 1, 4), "Вторая", True),
    ]
    assert editions[1].description == "Подробности."


def test_checksum_is_sha256_of_the_file_as_committed():
    import hashlib

    source = "---\nedition_date: 2026-01-01\n---\nТекст\r\n"
    (edition,) = editions_from_states("docs/index.md", [state(1, source)], MOSCOW)
    assert edition.sha256 == hashlib.sha256(source.encode()).hexdigest()


def test_commit_date_near_midnight_utc_is_the_next_day_in_moscow():
    (edition,) = editions_from_states("docs/index.md", [state(1, "А", "2026-11-23T21:30:00")], MOSCOW)
    assert edition.date == date(2026, 11, 24)


def test_a_commit_whose_clock_ran_ahead_is_dated_by_the_next_edition_that_went_live_after_it():
    states = [
        state(1, "А", "2026-01-01T09:00:00"),
        state(2, "Б", "2027-06-01T09:00:00"),
        state(3, "В", "2027-05-01T09:00:00"),
        state(4, "Г", "2026-11-25T09:00:00"),
    ]
    editions = editions_from_states("docs/index.md", states, MOSCOW)
    assert [edition.date for edition in editions] == [date(2026, 1, 1)] + [date(2026, 11, 25)] * 3


def test_an_explicit_date_going_backwards_is_an_error_naming_both_editions():
    states = [
        state(1, "А", "2026-03-01T09:00:00"),
        state(2, "---\nedition_date: 2026-02-01\n---\nБ", "2026-03-02T09:00:00"),
    ]
    with pytest.raises(EditionError, match="docs/index.md: edition 2 .* before edition 1 .*committed alone"):
        editions_from_states("docs/index.md", states, MOSCOW)


@settings(max_examples=200, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=12), today=st.integers(0, 3000))
def test_any_commit_dates_give_editions_in_order_and_only_the_current_one_can_be_in_the_future(days, today):
    start = date(2024, 1, 1)
    states = [
        state(n, f"Текст {n}", (datetime.combine(start + timedelta(days=day), time(9))).isoformat())
        for n, day in enumerate(days)
    ]
    editions = editions_from_states("docs/index.md", states, ZoneInfo("UTC"))
    dates = [edition.date for edition in editions]
    assert dates == sorted(dates)
    assert dates[-1] == start + timedelta(days=days[-1])
    today_date = start + timedelta(days=today)
    if dates[-1] <= today_date:
        refuse_future("docs/index.md", editions, today_date, "UTC")
    else:
        with pytest.raises(
            EditionError, match=rf"edition {len(days)} .*after today, {today_date}.*edition_date: {today_date}"
        ):
            refuse_future("docs/index.md", editions, today_date, "UTC")


def test_the_consent_edition_is_the_latest_substantive_one():
    from alectro_policy.history.editions import DocumentEditions

    states = [
        state(1, "Данные передаются."),
        state(2, "Данные передаюся.", body="Edition: editorial"),
        state(3, "Данные передаются!", body="Edition: Editorial"),
    ]
    history = DocumentEditions("index.md", "docs/index.md", editions_from_states("docs/index.md", states, MOSCOW))
    assert history.current.number == 3
    assert history.consent_edition.number == 1


def test_a_trailer_over_a_substantive_change_is_refused_naming_the_clause():
    from alectro_policy.history.editions import DocumentEditions, refused_marks

    policy = "## 3. Цели\n\n3.1. Данные используются для доставки.\n"
    states = [
        state(1, policy),
        state(
            2, policy.replace("доставки.", "доставки и передачи данных рекламным партнёрам."), body="Edition: editorial"
        ),
    ]
    editions = editions_from_states("docs/index.md", states, MOSCOW)
    assert editions[1].editorial is False
    history = DocumentEditions("index.md", "docs/index.md", editions)
    (said,) = refused_marks(history)
    assert "edition 2" in said and "п. 3.1: добавлены слова «и передачи данных рекламным партнёрам.»" in said


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", False),
        ("Edition: editorial", True),
        ("Текст\n\nedition:editorial\n", True),
        ("Edition: substantive", False),
    ],
)
def test_editorial_trailer(body, expected):
    assert is_editorial(body) is expected


def test_a_pending_edition_only_when_the_working_text_or_a_picture_differs():
    day = date(2026, 11, 24)
    editions = editions_from_states("docs/index.md", [state(1, "А\n")], MOSCOW)
    assert pending_edition(editions, "А  \r\n".encode(), (), day) is None
    assert pending_edition(editions, "Б\n".encode(), (), day).number == 2
    assert pending_edition((), "А".encode(), (), day).number == 1
    # The same text showing new bytes under the same picture's name: a new edition, as a commit of it would be.
    shown = (("docs/scheme.png", "1" * 40),)
    with_picture = editions_from_states("docs/index.md", [replace(state(1, "А\n"), images=shown)], MOSCOW)
    assert pending_edition(with_picture, b"\xd0\x90\n", shown, day) is None
    replaced = pending_edition(with_picture, b"\xd0\x90\n", (("docs/scheme.png", "2" * 40),), day)
    assert (replaced.number, replaced.images, replaced.editorial) == (2, (("docs/scheme.png", "2" * 40),), False)


def test_a_pending_edition_is_dated_the_day_it_would_be_published_never_before_the_edition_in_force():
    editions = editions_from_states("docs/index.md", [state(1, "А\n")], MOSCOW)
    in_force = editions[-1].date
    assert pending_edition(editions, b"B\n", (), in_force - timedelta(days=3)).date == in_force
    assert pending_edition(editions, b"B\n", (), in_force + timedelta(days=3)).date == in_force + timedelta(days=3)
