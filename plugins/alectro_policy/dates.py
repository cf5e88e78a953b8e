"""Dates as a Russian reader expects them, formatted by Babel."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date


def long_date(day: date, locale: str = "ru") -> str:
    """Return ``day`` in the locale's long form: ``date(2026, 11, 24)`` → «24 ноября 2026 г.»."""
    return format_date(day, format="long", locale=locale)
