"""Dates as councils write them in their trackers, beyond plain days and months.

"End Oct 03", "by end of March 2024", "12th Feb 2024", "Q3 2023/24", "end of Q3", "2023/24",
"w/c 12/02/2024", "Spring 2024", "Autumn term 2023". UK councils count quarters in the financial
year (Q1 is April to June, Q4 January to March), so "Q3 2023/24" ends on 31 December 2023. Each
reading comes back with the judgement the import report lists; `dates.read_date` calls this.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.lower(): n for n, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_PREFIX = re.compile(
    r"^(?:(?:by|before|due|no later than|complete by|target:?)\s+)?"
    r"(?:(?:the\s+)?end\s*(?:of)?\s+|end-|eo)?",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{2}|\d{4})$"
)
_MONTH_DAY_YEAR = re.compile(
    r"^" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})$"
)
_MONTH_YEAR = re.compile(r"^" + _MONTH + r"[\s'/-]+(?P<year>\d{2}|\d{4})$")
_FY = r"(?P<fy>\d{4})\s*[/-]\s*(?P<fy2>\d{2}|\d{4})"
_QUARTER = re.compile(
    r"^q(?:uarter)?\s*(?P<q>[1-4])(?:\s+(?:fy\s*)?(?:" + _FY + r"|(?P<cy>\d{4})))?$"
)
_FINANCIAL_YEAR = re.compile(r"^(?:fy|financial year|the financial year)?\s*" + _FY + r"$")
_WEEK = re.compile(r"^(?:w/?c|week commencing|w\.c\.)\s*(?P<rest>.+)$", re.IGNORECASE)
_SEASON = re.compile(
    r"^(?P<season>spring|summer|autumn|fall|winter)(?P<term>\s+term)?\s+(?:"
    + _FY
    + r"|(?P<y>\d{4}))$"
)
# Season: the month it ends in, and whether it ends in the following year (winter).
_SEASON_END = {
    "spring": (5, 0),
    "summer": (8, 0),
    "autumn": (11, 0),
    "fall": (11, 0),
    "winter": (2, 1),
}
_TERM_END = {
    "spring": (3, 0),
    "summer": (7, 0),
    "autumn": (12, 0),
    "fall": (12, 0),
    "winter": (3, 0),
}

Reading = tuple[date | None, str]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _fy_start(fy: str, fy2: str) -> int | None:
    start, end = int(fy), int(fy2)
    return start if (end % 100) == (start + 1) % 100 else None


def _quarter_end(quarter: int, fy_start: int) -> date:
    """The last day of financial quarter `quarter` of the year starting 1 April `fy_start`."""
    month = 3 + 3 * quarter
    return _last_day(fy_start + (1 if month > 12 else 0), (month - 1) % 12 + 1)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def _quarter(match: re.Match[str], raw: str, around: date | None) -> Reading:
    quarter = int(match["q"])
    if match["fy"]:
        start = _fy_start(match["fy"], match["fy2"])
        if start is None:
            return None, f"'{raw}' names no financial year ({match['fy']}/{match['fy2']})"
        end = _quarter_end(quarter, start)
        return end, f"'{raw}' is financial quarter {quarter}; read as its last day, {end}"
    if match["cy"]:
        year = int(match["cy"])
        end = _last_day(year, quarter * 3)
        return end, f"'{raw}' is calendar quarter {quarter} of {year}; read as {end}"
    if around is None:
        return None, f"'{raw}' names a quarter but no year (give the plan a date or --as-of)"
    end = _quarter_end(quarter, financial_year_of(around))
    return end, (
        f"'{raw}' names no year; read as financial quarter {quarter} of the plan's year, {end}"
    )


def _month_reading(month_name: str, day: str | None, year: str, raw: str) -> Reading | None:
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    full_year = _year(year)
    if day is None:
        end = _last_day(full_year, month)
        return end, f"'{raw}' is a month without a day; read as {end}"
    try:
        return date(full_year, month, int(day)), ""
    except ValueError:
        return None, f"'{raw}' is not a date (no day {day} in that month)"


def _season(match: re.Match[str], raw: str) -> Reading:
    season = match["season"]
    month, later = (_TERM_END if match["term"] else _SEASON_END)[season]
    if match["fy"]:
        start = _fy_start(match["fy"], match["fy2"])
        if start is None:
            return None, f"'{raw}' names no academic or financial year"
        # Autumn falls in the first year of "2023/24", spring and summer in the second.
        year = start if season in ("autumn", "fall") else start + 1
    else:
        year = int(match["y"]) + later
    end = _last_day(year, month)
    kind = "school term" if match["term"] else "season"
    return end, f"'{raw}' is a {kind}; read as its end, {end}"


def _week_start(text: str, around: date | None) -> date | None:
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", text)
    named = re.fullmatch(
        r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{2}|\d{4}))?", text
    )
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[2]), numeric[3]
    elif named and named[2].lower() in _MONTHS:
        day, month, year = int(named[1]), _MONTHS[named[2].lower()], named[3]
    else:
        return None
    if year is None and around is None:
        return None
    try:
        return date(_year(year) if year else (around or date.min).year, month, day)
    except ValueError:
        return None


def _week(rest: str, raw: str, around: date | None) -> Reading:
    start = _week_start(rest.strip(), around)
    if start is None:
        return None, f"'{raw}' names a week but its first day cannot be read"
    end = start + timedelta(days=4)
    return end, f"'{raw}' is a week; read as its Friday, {end}"


def read_council_date(text: str, around: date | None = None) -> Reading | None:
    """(due or None, judgement) for the council styles above; None when the text is none of them."""
    raw = text.strip()
    if week := _WEEK.match(raw):
        return _week(week["rest"], raw, around)
    body = _PREFIX.sub("", raw, count=1).strip().rstrip(".").strip()
    lowered = re.sub(r"\s+", " ", body.lower())
    if match := _QUARTER.match(lowered):
        return _quarter(match, raw, around)
    if match := _FINANCIAL_YEAR.match(lowered):
        start = _fy_start(match["fy"], match["fy2"])
        if start is None:
            return None, f"'{raw}' names no financial year"
        end = date(start + 1, 3, 31)
        return end, f"'{raw}' is a financial year; read as its last day, {end}"
    if match := _SEASON.match(lowered):
        return _season(match, raw)
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR):
        if (match := pattern.match(body)) and (
            reading := _month_reading(
                match["month"], match.groupdict().get("day"), match["year"], raw
            )
        ):
            return reading
    return None
