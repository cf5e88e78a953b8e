"""Dates as a Russian reader reads them."""

from datetime import date

import pytest

from alectro_policy.dates import long_date


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
