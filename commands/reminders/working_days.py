"""Working days in England: no reminders at weekends or on bank holidays, and a summary due on
a bank holiday moved to the next working day."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def day_off(day: date) -> str | None:
    """Why `day` is not a working day ("Saturday", "Good Friday (bank holiday)"), or None."""
    if day.weekday() >= 5:
        return day.strftime("%A")
    name = _bank_holidays(day.year).get(day)
    return f"{name} (bank holiday)" if name else None


def is_working_day(day: date) -> bool:
    return day_off(day) is None


def bank_holiday(day: date) -> str | None:
    """The bank holiday `day` is in England ("Easter Monday"), or None."""
    return _bank_holidays(day.year).get(day)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
