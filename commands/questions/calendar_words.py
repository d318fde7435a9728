"""The council's calendar as a question names it: financial years and their quarters ("Q3
22/23", "next quarter", "this FY", "by year end"), weekdays ("before Monday", "by Friday", "next
Tuesday") and the holidays people plan around ("by Easter", "before Christmas"), each as a
due-date window read against today.

A financial year runs from 1 April to 31 March: Q1 is April-June, Q4 January-March. Weekdays
are read as replies read them (commands.updates.reply_dates): "Friday", "by Friday" and "this
Friday" are the coming one (today when today is Friday), "next Friday" the Friday of next week.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

from commands.questions.question import DateWindow
from commands.updates.reply_dates import WEEKDAYS, last_day

Named = list[tuple[str, DateWindow]]  # (pattern, the window it names), tried in order


def fmt_day(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def _fy_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def quarter(fy: int, number: int) -> DateWindow:
    """Quarter `number` of the financial year starting 1 April `fy` (Q1 April-June … Q4
    January-March)."""
    start = date(fy + (number == 4), (4 + 3 * (number - 1) - 1) % 12 + 1, 1)
    end = last_day(start.year, start.month + 2)
    return DateWindow(start, end, f"due in Q{number} {_fy_label(fy)}")


def _by(window: DateWindow, word: str | None) -> DateWindow:
    """ "By Q3", "by the end of Q3": everything due up to its end; "before Q3" up to its start."""
    if word in ("by", "until", "till") and window.end:
        return DateWindow(None, window.end, f"due by {fmt_day(window.end)}")
    if word == "before" and window.start:
        end = window.start - timedelta(days=1)
        return DateWindow(None, end, f"due by {fmt_day(end)}")
    return window


def _year_written(match: re.Match[str], fy: int) -> int:
    """The financial year a "22/23", "2022/23" or "2022" after a quarter or "FY" names."""
    first, second, single = match.group("y1"), match.group("y2"), match.group("y")
    if single:
        return int(single)
    if first and second and (int(first) + 1) % 100 == int(second) % 100:
        return 2000 + int(first) % 100
    return fy


_BY_WORD = r"(?:(?P<by>by|before|until|till)\s+(?:the\s+)?(?:end\s+of\s+)?)?"
_YEAR_WRITTEN = (
    r"(?:\s*(?:fy|financial\s+year)?\s*(?:(?P<y1>(?:20)?\d\d)\s*[/-]\s*(?P<y2>\d\d)\b"
    r"|(?P<y>20\d\d)\b))?"
)
_NAMED_QUARTER = re.compile(
    r"\b" + _BY_WORD + r"q(?P<q>[1-4])\b"
    r"(?:\s+(?:of\s+)?(?P<which>this|next|last)\s+(?:financial\s+)?year\b|" + _YEAR_WRITTEN + ")"
)
_NAMED_FY = re.compile(
    r"\b" + _BY_WORD + r"(?:(?P<which>this|current|next|last|previous)\s+)?"
    r"(?:financial|fiscal)\s+year\b" + _YEAR_WRITTEN
    + r"|\b(?P<in>in|during|for|over)\s+(?P<y1b>20\d\d)\s*/\s*(?P<y2b>\d\d)\b(?!\s*year)"
)  # fmt: skip


def financial_windows(text: str, today: date) -> Named:
    """Councils plan by financial year and its quarters: "Q4", "Q3 22/23", "by end of Q3",
    "this quarter", "next quarter", "last quarter", "this FY", "FY 2023/24", "by year end"."""
    fy = today.year if today.month >= 4 else today.year - 1
    current = (today.month - 4) % 12 // 3 + 1
    year_end = date(fy + 1, 3, 31)
    previous = (fy - (current == 1), (current - 2) % 4 + 1)
    windows: Named = [
        (
            r"\b(?:by\s+|before\s+|until\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+|current\s+)?"
            r"(?:financial|fiscal)\s+year|year[\s-]end)\b",
            DateWindow(None, year_end, f"due by {fmt_day(year_end)}"),
        ),
        (
            r"\b(?:by\s+|before\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?quarter"
            r"|quarter[\s-]end)\b",
            DateWindow(None, quarter(fy, current).end, "due by the end of the quarter"),
        ),
        (
            r"\b(?:by\s+|before\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?year\b",
            DateWindow(None, date(today.year, 12, 31), f"due by 31 Dec {today.year}"),
        ),
        (r"\b(?:this|current)\s+quarter\b", quarter(fy, current)),
        (r"\bnext\s+quarter\b", quarter(fy + (current == 4), current % 4 + 1)),
        (r"\b(?:last|previous)\s+quarter\b", quarter(*previous)),
    ]
    for found in _NAMED_QUARTER.finditer(text):
        windows.append((re.escape(found.group(0)), _named_quarter(found, fy, today)))
    for found in _NAMED_FY.finditer(text):
        windows.append((re.escape(found.group(0)), _financial_year(found, fy)))
    return windows


def _named_quarter(found: re.Match[str], fy: int, today: date) -> DateWindow:
    """ "Q3", "Q3 22/23", "Q1 next year"; "by the end of Q1" with no year is the next Q1 to end
    (a deadline looks forward), while "Q1" alone is this financial year's."""
    number, which = int(found["q"]), found["which"]
    year = fy + {"next": 1, "last": -1}.get(which, 0) if which else _year_written(found, fy)
    written = which or found["y1"] or found["y"]
    if found["by"] and not written and (quarter(year, number).end or today) < today:
        year += 1
    return _by(quarter(year, number), found["by"])


def _financial_year(found: re.Match[str], fy: int) -> DateWindow:
    if found.group("in"):
        first, second = int(found.group("y1b")) % 100, int(found.group("y2b"))
        year = 2000 + first if (first + 1) % 100 == second else fy
    else:
        which = found.group("which")
        shift = {"next": 1, "last": -1, "previous": -1}.get(which or "", 0)
        year = fy + shift if which else _year_written(found, fy)
    window = DateWindow(date(year, 4, 1), date(year + 1, 3, 31), f"due in {_fy_label(year)}")
    return _by(window, found.group("by"))


# --------------------------------------------------------------------------- days

# "sat" and "sun" are words too ("what's sat with QA"): Saturday and Sunday only in full.
_DAY_NAMES = [name for name in WEEKDAYS if name not in ("sat", "sun")]
_WEEKDAY = "|".join(sorted((*_DAY_NAMES, "tues", "thur", "thurs", "weds"), key=len, reverse=True))
_DAY_NAMED = re.compile(
    r"\b(?P<word>by|before|until|till|on|due|for|this|next|coming)?\s*(?P<this>this\s+)?"
    r"(?P<next>next\s+)?(?P<day>" + _WEEKDAY + r")\b"
    r"(?:\s+(?:session|meeting|catch[\s-]?up|call|huddle|check[\s-]?in|performance\s+session))?"
)
_SHORT_FORMS = {"tues": "tue", "thur": "thu", "thurs": "thu", "weds": "wed"}
_HOLIDAYS = re.compile(
    r"\b(?P<word>by|before|until|till|at|over|for|after|since|from)?\s*(?:the\s+)?"
    r"(?P<name>easter|good\s+friday|christmas|xmas|new\s+year)\b"
)


def _weekday(found: re.Match[str], today: date) -> date:
    name = found.group("day")
    wanted = WEEKDAYS[_SHORT_FORMS.get(name, name)]
    if found.group("next") or found.group("word") == "next":
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=wanted)
    return today + timedelta(days=(wanted - today.weekday()) % 7)


@lru_cache(maxsize=64)
def _holiday(name: str, today: date) -> date:
    """The next Easter Sunday, Good Friday, Christmas Day or New Year's Day on or after today."""
    for year in (today.year, today.year + 1):
        days = holidays.country_holidays("GB", subdiv="ENG", years=year)
        named = {label: day for day, label in days.items()}
        found = {
            "easter": named["Easter Monday"] - timedelta(days=1),
            "good friday": named["Good Friday"],
            "christmas": date(year, 12, 25),
            "xmas": date(year, 12, 25),
            "new year": date(year, 1, 1),
        }[" ".join(name.split())]
        if found >= today:
            return found
    return found


_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_SEASONS = re.compile(
    r"\b(?:(?:in|over|during|for|by)\s+)?(?:the\s+|this\s+)?(?P<season>"
    + "|".join(_SEASON_MONTHS)
    + r")\b"
)


def _season(name: str, today: date) -> DateWindow:
    """Spring March-May, summer June-August, autumn September-November, winter December-
    February: this one while it lasts, else the next."""
    first = _SEASON_MONTHS[name]
    year = today.year - (first == 12 and today.month <= 2)
    end_month = (first + 1) % 12 + 1
    start = date(year, first, 1)
    end = last_day(year + (end_month < first), end_month)
    if end < today:
        start, end = date(year + 1, first, 1), last_day(year + 1 + (end_month < first), end_month)
    return DateWindow(start, end, f"due in the {name} ({fmt_day(start)} to {fmt_day(end)})")


def _day_window(word: str | None, day: date, label: str) -> DateWindow:
    if word in ("after", "since", "from"):
        start = day + timedelta(days=1) if word == "after" else day
        return DateWindow(start, None, f"due {word} {label}")
    if word in ("by", "until", "till", "for"):
        return DateWindow(None, day, f"due by {label}")
    if word == "before":
        end = day - timedelta(days=1)
        return DateWindow(None, end, f"due before {label}")
    return DateWindow(day, day, f"due on {label}")


def day_windows(text: str, today: date) -> Named:
    """ "Before Monday", "by Friday's session", "on Thursday", "next Tuesday", "by Easter",
    "before Christmas". "Since Monday" is read by the caller."""
    windows: Named = []
    for found in _DAY_NAMED.finditer(text):
        if text[: found.start()].rstrip().endswith(("since", "last")):
            continue
        day = _weekday(found, today)
        label = f"{calendar.day_abbr[day.weekday()]} {fmt_day(day)}"
        windows.append((re.escape(found.group(0)), _day_window(found.group("word"), day, label)))
    for found in _SEASONS.finditer(text):
        windows.append((re.escape(found.group(0)), _season(found.group("season"), today)))
    for found in _HOLIDAYS.finditer(text):
        name = found.group("name")
        day = _holiday(name, today)
        label = f"{' '.join(name.split()).title()} ({fmt_day(day)})"
        windows.append((re.escape(found.group(0)), _day_window(found.group("word"), day, label)))
    return windows
