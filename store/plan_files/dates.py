"""Reading dates as plans write them: `31/11/2022`, `March 2023`, `2023`, `Ongoing`, `weekly`.

The text is always kept as written; a due date is stored where one can be read, and every reading
that needed a judgement says so, for the import report.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from store.plan_files.council_dates import read_council_date

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
MONTHS["sept"] = 9

CADENCES = (
    ("weekly", "weekly"),
    ("fortnightly", "fortnightly"),
    ("monthly", "monthly"),
    ("quarterly", "quarterly"),
    ("annual", "annually"),
    ("yearly", "annually"),
    ("every 6 weeks", "six-weekly"),
    ("daily", "daily"),
)

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
ONGOING = re.compile(r"^(?:ongoing|on-going|continuous|business as usual|bau|throughout)$", re.I)


@dataclass(frozen=True)
class ReadDate:
    """A date as written and what was read from it."""

    text: str
    due: date | None = None
    cadence: str | None = None
    judgement: str | None = None  # set when the reading was not a plain, valid day
    malformed: bool = False  # written like a date (31/13/2022) but no such day can be read

    @property
    def readable(self) -> bool:
        return self.due is not None


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def cadence_of(text: str) -> str | None:
    """The recurring cadence a timescale names ("Quarterly reporting" -> quarterly), if any."""
    lowered = text.lower()
    for word, cadence in CADENCES:
        if word in lowered:
            return cadence
    return None


def read_date(text: str | None, around: date | None = None) -> ReadDate:
    """Read one date cell. Never raises: unreadable text comes back with `due=None`.

    `around` (the plan's own date, or the import's --as-of) gives a year to "end of Q3"."""
    raw = (text or "").strip()
    cleaned = raw.rstrip(".").strip()
    if not cleaned:
        return ReadDate(raw)
    if match := _DMY.match(cleaned):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000
        if not 1 <= month <= 12:
            return ReadDate(
                raw, judgement=f"'{raw}' is not a date (no month {month})", malformed=True
            )
        if not 1 <= day <= 31:
            return ReadDate(raw, judgement=f"'{raw}' is not a date (no day {day})", malformed=True)
        end = last_day(year, month)
        if day > end.day:
            return ReadDate(
                raw,
                end,
                judgement=f"'{raw}' has a day past the month's end; read as {end.isoformat()}",
            )
        return ReadDate(raw, date(year, month, day))
    if match := _ISO.match(cleaned):
        try:
            return ReadDate(raw, date(*(int(part) for part in match.groups())))
        except ValueError:
            return ReadDate(raw, judgement=f"'{raw}' is not a date", malformed=True)
    if (match := _MONTH_YEAR.match(cleaned)) and match.group(1).lower() in MONTHS:
        end = last_day(int(match.group(2)), MONTHS[match.group(1).lower()])
        return ReadDate(
            raw, end, judgement=f"'{raw}' is a month without a day; read as {end.isoformat()}"
        )
    if match := _YEAR.match(cleaned):
        end = date(int(match.group(1)), 12, 31)
        return ReadDate(
            raw, end, judgement=f"'{raw}' is a year without a day; read as {end.isoformat()}"
        )
    if cadence := cadence_of(cleaned):
        return ReadDate(raw, cadence=cadence, judgement=f"'{raw}' is a {cadence} cadence")
    if ONGOING.match(cleaned):
        return ReadDate(raw, judgement=f"'{raw}' is ongoing work with no due date; kept as written")
    if council := read_council_date(cleaned, around):
        due, judgement = council
        if due is None:
            return ReadDate(raw, judgement=judgement)
        return ReadDate(raw, due, judgement=judgement or None)
    return ReadDate(raw, judgement=f"'{raw}' is not a date; kept as written")
