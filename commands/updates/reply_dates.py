"""Dates as leads write them in replies, read UK-style against the bot's clock.

Day-first numbers ("31/3", "31/03/2023"), named days ("31st March", "March 31 2023"), months
("end of March", "April"), relative days ("next Friday", "by Friday", "in two weeks", "end of next
month") and quarters: "Q1 2023/24" is the UK financial year's first quarter (April to June
2023), so 30 Jun 2023; "Q3" alone is the current financial year's, or next year's once it has
passed; "Q2 2024" with one year is a calendar quarter. A date without a year is its next
occurrence from today.
A day past a month's end ("31/6") becomes the month's last day, as the plan importer reads them.
"a fortnight on Monday" is two weeks after the coming Monday; "end of FY" is 31 March; "by Easter"
is Maundy Thursday and "after Easter" the Friday of the week after Easter Monday; "the next board"
is the plan's next board date when an admin has set one (otherwise it is no date).

"next Friday" is the Friday of next week (Monday-Sunday weeks); "Friday", "by Friday" and "this
Friday" are the coming one (today when today is Friday).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from store.plan_files.dates import MONTHS

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)} | {
    name.lower(): i for i, name in enumerate(calendar.day_abbr)
}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
_YEAR = r"(?P<year>\d{4}|'\d{2})"
# "by the next board", "before the next improvement board meeting": the plan's next board date,
# when an admin has set it (`settings PLAN next_board DATE`).
NEXT_BOARD = r"\b(?:the\s+)?next\s+(?:[a-z]+\s+){0,2}?board(?:\s+meeting)?\b"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "fy_quarter",
            r"\b(?:the\s+)?(?:end\s+of\s+)?q(?P<q>[1-4])\s*(?:of\s+)?(?:fy\s*)?"
            r"(?P<fy>\d{4}|\d{2})\s*[/-]\s*(?P<fy2>\d{2}|\d{4})\b",
        ),
        (
            "fy_quarter_after",
            r"\b(?P<fy>\d{4})\s*[/-]\s*(?P<fy2>\d{2}|\d{4})\s*,?\s*q(?P<q>[1-4])\b",
        ),
        ("cal_quarter", r"\b(?:the\s+)?(?:end\s+of\s+)?q(?P<q>[1-4])\s+(?P<year>\d{4})\b"),
        ("quarter", r"\b(?:the\s+)?(?:end\s+of\s+)?q(?P<q>[1-4])\b"),
        (
            "end_fy",
            r"\b(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:(?:financial|fiscal)\s+year|fy)|"
            r"(?:financial|fiscal)\s+year[-\s]end|fy[-\s]?end)\b",
        ),
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
        ("dmy", r"(?<![\d/.])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/])"),
        ("dm", r"(?<![\d/.])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])"),
        (
            "day_month",
            r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH
            + r"(?:,?\s+"
            + _YEAR
            + r")?\b",
        ),
        (
            "month_day",
            r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+" + _YEAR + r")?\b",
        ),
        (
            "month_part",
            r"\b(?:the\s+)?(?P<part>end|beginning|start|middle|mid|early|late)(?:\s+of)?[\s-]+"
            + _MONTH
            + r"(?:\s+"
            + _YEAR
            + r")?\b",
        ),
        ("rel_month", r"\b(?:the\s+)?end\s+of\s+(?P<which>the|this|next)\s+month\b"),
        ("rel_week", r"\b(?:the\s+)?end\s+of\s+(?P<which>the|this|next)\s+week\b"),
        ("rel_year", r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+year\b"),
        ("rel_quarter", r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+quarter\b"),
        ("next_week", r"\bnext\s+week\b"),
        (
            "week_on",
            r"\b(?:a\s+)?(?P<span>fortnight|week)\s+(?:on|from)\s+(?:(?:this|next)\s+)?"
            r"(?P<from>today|tomorrow|" + _WEEKDAY.removeprefix("(?P<weekday>") + r"\b",
        ),
        ("next_weekday", r"\bnext\s+" + _WEEKDAY + r"\b"),
        ("weekday", r"\b(?:this\s+|on\s+)?" + _WEEKDAY + r"\b"),
        (
            "in_n",
            r"\bin\s+(?P<n>\d{1,2}|a|an|one|two|three|four|five|six)\s+"
            r"(?P<unit>days?|weeks?|fortnights?|months?)\b",
        ),
        ("tomorrow", r"\btomorrow\b"),
        ("easter", r"\b(?P<when>after|post|before|by)?[\s-]*easter\b"),
        ("next_board", NEXT_BOARD),
        ("month_year", r"\b" + _MONTH + r"\s+" + _YEAR + r"\b"),
        ("month", r"\b" + _MONTH + r"\b"),
    )
)


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int
    end: int
    text: str


def last_day(year: int, month: int) -> date:
    """The last day of `month` in `year`."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamped(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or day < 1:
        return None
    return min(date(year, month, 1) + timedelta(days=day - 1), last_day(year, month))


def _year(text: str | None) -> int | None:
    if not text:
        return None
    text = text.lstrip("'")
    value = int(text)
    return value + 2000 if value < 100 else value


def _next_occurrence(today: date, month: int, day: int | None) -> date | None:
    """The first (month, day) on or after today; a missing day means the month's last day."""
    for year in (today.year, today.year + 1):
        found = last_day(year, month) if day is None else _clamped(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _quarter_end(fy_start: int, quarter: int) -> date:
    """Financial year `fy_start`/`fy_start+1`: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar."""
    month = 3 * quarter + 3
    year = fy_start if month <= 12 else fy_start + 1
    return last_day(year, month if month <= 12 else month - 12)


def _fy_start(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def _friday(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


# The names in PATTERNS, by which reader reads them.
_FINANCIAL = frozenset({"fy_quarter", "fy_quarter_after", "cal_quarter", "quarter", "end_fy"})
_WRITTEN = frozenset(
    {"iso", "dmy", "dm", "day_month", "month_day", "month_part", "month_year", "month"}
)
_RELATIVE = frozenset(
    {
        "rel_month",
        "rel_week",
        "rel_year",
        "rel_quarter",
        "next_week",
        "next_weekday",
        "weekday",
        "in_n",
        "tomorrow",
        "week_on",
        "easter",
    }
)


def _read(name: str, match: re.Match[str], today: date, board: date | None = None) -> date | None:
    """The day the expression matched by pattern `name` means, seen from `today` (`board`: the
    next board meeting's date, if known)."""
    if name == "next_board":
        return board if board is not None and board >= today else None
    g = match.groupdict()
    if name in _FINANCIAL:
        return _read_quarter(name, g, today)
    if name in _WRITTEN:
        return _read_written(name, g, today)
    if name in _RELATIVE:
        return _read_relative(name, g, today)
    return None


def _read_quarter(name: str, g: dict[str, Any], today: date) -> date | None:
    """A quarter's or financial year's end: "Q3 2024/25", "Q2 2025", "Q4", "end of the financial
    year"."""
    if name in ("fy_quarter", "fy_quarter_after"):
        start = _year(g["fy"]) or today.year
        return _quarter_end(start, int(g["q"]))
    if name == "cal_quarter":
        quarter = int(g["q"])
        return last_day(int(g["year"]), 3 * quarter)
    if name == "quarter":
        quarter = int(g["q"])
        end = _quarter_end(_fy_start(today), quarter)
        return end if end >= today else _quarter_end(_fy_start(today) + 1, quarter)
    if name == "end_fy":
        return date(_fy_start(today) + 1, 3, 31)
    return None


def _read_written(name: str, g: dict[str, Any], today: date) -> date | None:
    """A date written out: digits, a day and month name, part of a month, a month."""
    if name == "iso":
        return _clamped(int(g["y"]), int(g["m"]), int(g["d"]))
    if name == "dmy":
        return _clamped(_year(g["y"]) or today.year, int(g["m"]), int(g["d"]))
    if name == "dm":
        month, day = int(g["m"]), int(g["d"])
        return _next_occurrence(today, month, day) if 1 <= month <= 12 and day >= 1 else None
    if name in ("day_month", "month_day"):
        month, day, year = MONTHS[g["month"].lower()], int(g["d"]), _year(g.get("year"))
        if year:
            return _clamped(year, month, day)
        return _next_occurrence(today, month, day)
    if name == "month_part":
        month, year = MONTHS[g["month"].lower()], _year(g.get("year"))
        part = g["part"].lower()
        part_day = {"beginning": 1, "start": 1, "early": 7, "middle": 15, "mid": 15}.get(part)
        if year:
            return last_day(year, month) if part_day is None else date(year, month, part_day)
        return _next_occurrence(today, month, part_day)
    if name == "month_year":
        year = _year(g["year"])
        return last_day(year, MONTHS[g["month"].lower()]) if year else None
    if name == "month":
        return _next_occurrence(today, MONTHS[g["month"].lower()], None)
    return None


def _read_relative(name: str, g: dict[str, Any], today: date) -> date | None:
    """A date relative to today: "end of next month", "next week", "Friday", "in 3 weeks",
    "tomorrow"."""
    if name == "rel_month":
        if g["which"].lower() == "next":
            first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            return last_day(first.year, first.month)
        return last_day(today.year, today.month)
    if name == "rel_week":
        friday = _friday(today)
        return friday + timedelta(weeks=1) if g["which"].lower() == "next" else friday
    if name == "rel_year":
        return date(today.year, 12, 31)
    if name == "rel_quarter":
        return last_day(today.year, 3 * ((today.month - 1) // 3) + 3)
    if name == "next_week":
        return _friday(today - timedelta(days=today.weekday()) + timedelta(weeks=1))
    if name == "next_weekday":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        return monday + timedelta(days=WEEKDAYS[g["weekday"].lower()])
    if name == "weekday":
        wanted = WEEKDAYS[g["weekday"].lower()]
        return today + timedelta(days=(wanted - today.weekday()) % 7)
    if name == "in_n":
        return _in_n(g, today)
    if name == "tomorrow":
        return today + timedelta(days=1)
    if name == "week_on":  # "a fortnight on Monday": two weeks after the coming Monday
        start = g["from"].lower()
        if start == "today":
            day = today
        elif start == "tomorrow":
            day = today + timedelta(days=1)
        else:
            day = today + timedelta(days=(WEEKDAYS[start] - today.weekday()) % 7 or 7)
        return day + timedelta(weeks=2 if g["span"].lower() == "fortnight" else 1)
    if name == "easter":
        return _easter_date(today, (g["when"] or "").lower())
    return None


def easter_sunday(year: int) -> date:
    """Easter Sunday in `year` (the Gregorian computus, as in the Book of Common Prayer)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _easter_date(today: date, when: str) -> date:
    """ "by Easter": Maundy Thursday, the last working day before it; "after Easter": the
    Friday of the week after Easter Monday (read as a week's end, as "next week" is)."""
    for year in (today.year, today.year + 1):
        sunday = easter_sunday(year)
        day = sunday + timedelta(days=5) if when in ("after", "post") else sunday - timedelta(3)
        if day >= today:
            return day
    return day


def _in_n(g: dict[str, Any], today: date) -> date | None:
    """A count of days, weeks or months ahead: "in 3 days", "in two weeks", "in 6 months"."""
    raw = g["n"].lower()
    count = NUMBERS.get(raw) or int(raw)
    unit = g["unit"].lower()
    if unit.startswith("day"):
        return today + timedelta(days=count)
    if unit.startswith("week"):
        return today + timedelta(weeks=count)
    if unit.startswith("fortnight"):
        return today + timedelta(weeks=2 * count)
    month_index = today.month - 1 + count
    return _clamped(today.year + month_index // 12, month_index % 12 + 1, today.day)


def find_dates(text: str, today: date, *, board: date | None = None) -> list[FoundDate]:
    """Every date expression in `text`, earliest first; overlapping readings keep the first
    ("the next board" only when `board`, its date, is known)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            try:
                day = _read(name, match, today, board)
            except (ValueError, OverflowError):
                day = None
            if day is None:
                continue
            taken.append((start, end))
            found.append(FoundDate(day, start, end, match.group(0).strip()))
    return sorted(found, key=lambda f: f.start)
