"""Values in a measure's unit: reading "14.2%" or "0.142", and showing them with small counts
suppressed ("fewer than 5"), so every output says a number the same way.

Units: `count`, `percent` (stored 0–100), `fraction` (a proportion stored 0–1, shown as a
percentage), `rate` (per 10,000 or as the measure says) and `days`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

UNITS = ("count", "percent", "fraction", "rate", "days")
UNIT_WORDS = {
    "count": "count", "number": "count", "no": "count", "%": "percent", "percent": "percent",
    "percentage": "percent", "pct": "percent", "fraction": "fraction", "proportion": "fraction",
    "rate": "rate", "days": "days", "day": "days",
}  # fmt: skip
POLARITY_WORDS = {
    "up": "up", "higher": "up", "higher is better": "up", "high": "up", "increase": "up",
    "down": "down", "lower": "down", "lower is better": "down", "low": "down", "decrease": "down",
    "near": "near", "near target": "near", "target": "near", "close to target": "near",
}  # fmt: skip
_NUMBER = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?|[+-]?\.\d+)\s*(%)?\s*$")


class ValueProblem(ValueError):
    """A value that cannot be read in the measure's unit; the message says why and what to write."""


def unit_of(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return UNIT_WORDS.get(text.strip().lower())


def polarity_of(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    return POLARITY_WORDS.get(text.strip().lower())


def read_value(text: str, unit: str | None, name: str) -> float:
    """The stored number for `text` in `unit`; ValueProblem names the problem."""
    match = _NUMBER.match(text)
    if match is None:
        raise ValueProblem(f"'{text}' is not a number")
    number = float(match.group(1).replace(",", ""))
    percent_sign = match.group(2) is not None
    if unit == "fraction":
        if percent_sign:
            return number / 100
        if not 0 <= number <= 1:
            raise ValueProblem(
                f"{text} is not a fraction: '{name}' is stored as a fraction between 0 and 1 "
                f"(write {number / 100:g} or {number:g}%)"
            )
        return number
    if unit == "percent":
        if not 0 <= number <= 100:
            raise ValueProblem(f"{text} is not a percentage between 0 and 100 for '{name}'")
        return number
    if percent_sign:
        raise ValueProblem(f"'{name}' is a {unit or 'number'}, not a percentage: write {number:g}")
    if unit in ("count", "days") and number < 0:
        raise ValueProblem(f"{text} is below zero, which a {unit} cannot be")
    return number


def suppressed(value: float, unit: str | None, small_count: int) -> bool:
    return unit == "count" and 0 < value < small_count


def show_value(value: float | None, unit: str | None, small_count: int) -> str:
    """How a value reads anywhere planbot shows it."""
    if value is None:
        return "no value"
    if suppressed(value, unit, small_count):
        return f"fewer than {small_count}"
    if unit == "percent":
        return f"{value:.4g}%"
    if unit == "fraction":
        return f"{value * 100:.4g}%"
    if unit == "days":
        return f"{value:.4g} days"
    if unit == "count" and value == int(value):
        return f"{int(value):,}"
    return f"{value:.4g}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.start.day == 1 and self.end == month_end(self.start):
            return f"{self.start:%b %Y}"
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s*'?(\d{2}|\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*(\d{4})(?:\s*-\s*(\d{2}))?$")


def read_period(text: str) -> Period | None:
    """ "Jan 2023", "January 2023", "2023-01", "01/2023" (a month), "Q3 2022-23" (a financial
    quarter) or "Q3 2023" (a calendar quarter); None when it is none of these."""
    cleaned = text.strip().lower().replace(",", " ")
    cleaned = re.sub(r"\s+", " ", cleaned)
    month = _MONTH_YEAR.match(cleaned)
    if month and month.group(1) in _MONTHS:
        year = int(month.group(2))
        year = year + 2000 if year < 100 else year
        start = date(year, _MONTHS[month.group(1)], 1)
        return Period(start, month_end(start))
    numeric = _NUMERIC_MONTH.match(cleaned)
    if numeric:
        year = int(numeric.group(1) or numeric.group(4))
        number = int(numeric.group(2) or numeric.group(3))
        if 1 <= number <= 12:
            start = date(year, number, 1)
            return Period(start, month_end(start))
        return None
    quarter = _QUARTER.match(cleaned)
    if quarter:
        q, year = int(quarter.group(1)), int(quarter.group(2))
        if quarter.group(3):  # financial year: Q1 is April to June
            first = date(year, 4, 1) if q < 4 else date(year + 1, 1, 1)
            first = first.replace(month=first.month + 3 * (q - 1)) if q < 4 else first
        else:
            first = date(year, 3 * q - 2, 1)
        last = month_end(first.replace(month=first.month + 2))
        return Period(first, last)
    return None
