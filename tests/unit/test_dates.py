"""Dates as a Russian reader reads them."""

from datetime import date, datetime

import pytest

from alectro_policy.dates import long_date, parse_day


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


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        (" 2026-11-24 ", date(2026, 11, 24)),
        (date(2026, 11, 24), date(2026, 11, 24)),
    ],
)
def test_a_day_is_read_from_yyyy_mm_dd_or_a_yaml_date(value, day):
    assert parse_day(value) == day


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("20261124", "not a date written as YYYY-MM-DD"),  # basic ISO 8601, which date.fromisoformat takes
        (20261124, "not a date written as YYYY-MM-DD"),  # the same, unquoted in YAML: a number
        ("2026-W48-2", "not a date written as YYYY-MM-DD"),  # an ISO week date, which date.fromisoformat takes
        ("2026-11-24T00:00", "not a date written as YYYY-MM-DD"),
        ("24.11.2026", "not a date written as YYYY-MM-DD"),
        ("2026-02-30", "no such day"),
        (datetime(2026, 11, 24, 10, 0), "has a time of day"),
    ],
)
def test_any_other_spelling_of_a_day_is_refused_saying_how_to_write_it(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_day(value)
