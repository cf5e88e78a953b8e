"""Dates as a Russian reader expects them, formatted by Babel."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: object) -> date:
    """Return the day ``value`` names: a ``date`` (as YAML reads an unquoted 2026-11-24) or the text YYYY-MM-DD,
    spaces around it allowed.

    Raises ``ValueError`` saying what to write: for a time of day (an edition takes effect for a whole day), for
    any other spelling ``date.fromisoformat`` would take (``20261124``, ``2026-W48-2``, ``2026-11-24T00:00``), and
    for a day that does not exist (``2026-02-30``).
    """
    if isinstance(value, datetime):
        raise ValueError(
            f"it has a time of day, and an edition takes effect for a whole day: write the date alone as "
            f"YYYY-MM-DD, e.g. {value.date().isoformat()}"
        )
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("there is no such day: write a real date as YYYY-MM-DD, e.g. 2026-11-24") from None
    raise ValueError("it is not a date written as YYYY-MM-DD: write it so, e.g. 2026-11-24")


def long_date(day: date, locale: str = "ru") -> str:
    """Return ``day`` in the locale's long form: ``date(2026, 11, 24)`` → «24 ноября 2026 г.»."""
    return format_date(day, format="long", locale=locale)
