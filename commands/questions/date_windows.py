"""The dates a question names ("in March", "next 2 weeks", "by 5/4"), as a due-date window; the
council's calendar (quarters, financial years, weekdays, Easter) is read in calendar_words."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import partial

from commands.questions.calendar_words import day_windows, financial_windows, fmt_day
from commands.questions.filters import blank_match
from commands.questions.question import DateWindow
from commands.updates.reply_dates import last_day
from store.plan_files.dates import MONTHS

_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_PREPOSITION = (
    r"(?:(by|before|until|till|to|in|during|for|due|on|of|from|after|since)\s+(?:the\s+)?)?"
)
_MONTH_PATTERN = re.compile(
    r"\b" + _PREPOSITION + r"(?:end\s+of\s+)?(" + _MONTH_WORD + r")\b\.?(?:\s+(20\d\d))?\b"
)
_DAY_WORD = r"(by|before|until|on|due|since|from|after)"
_DAY_PATTERN = re.compile(
    r"\b" + _DAY_WORD + r"?\s*(\d{1,2})[/.-](\d{1,2})[/.-](20\d\d)\b"
    r"|\b" + _DAY_WORD + r"?\s*(20\d\d)-(\d{1,2})-(\d{1,2})\b"
)
_WORD_DAY_PATTERN = re.compile(
    r"\b" + _DAY_WORD + r"?\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_WORD + r")\b\.?"
    r"(?:\s+(20\d\d))?"
)
_SHORT_DAY_PATTERN = re.compile(r"\b" + _DAY_WORD + r"?\s*(\d{1,2})/(\d{1,2})(?![/\d])")


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _find_day(
    text: str, today: date, *, past: bool
) -> tuple[str | None, date | None, re.Match[str]] | None:
    """A day named in the text ("28/02/2023", "2023-02-28", "1 March", "1st of march 2023",
    "28/02"), the word before it (by, before, since…) and where it is; the day is None when it
    is not a real date. Without a year it is the next such day, or with `past` the last one."""
    match = _DAY_PATTERN.search(text)
    if match:
        if match.group(2):
            word, parts = match.group(1), (match.group(4), match.group(3), match.group(2))
        else:
            word, parts = match.group(5), (match.group(6), match.group(7), match.group(8))
        return word, _day(int(parts[0]), int(parts[1]), int(parts[2])), match
    match = _WORD_DAY_PATTERN.search(text)
    if match:
        word, number, month = match.group(1), int(match.group(2)), MONTHS[match.group(3)]
        if match.group(4):
            return word, _day(int(match.group(4)), month, number), match
        return word, _day_near(today, month, number, past=past), match
    match = _SHORT_DAY_PATTERN.search(text)
    if match:
        word, number, month = match.group(1), int(match.group(2)), int(match.group(3))
        return word, _day_near(today, month, number, past=past), match
    return None


def _day(year: int, month: int, number: int) -> date | None:
    try:
        return date(year, month, number)
    except ValueError:
        return None


def _day_near(today: date, month: int, number: int, *, past: bool) -> date | None:
    """The latest such day on or before today (with `past`), or else the one nearest today ("due
    10/01" in December is next January's, "1 dec" in February last December's; 29/02 the
    nearest leap year's)."""
    days = [d for y in range(-4, 5) if (d := _day(today.year + y, month, number)) is not None]
    if past:
        return max((d for d in days if d <= today), default=None)
    return min(days, key=lambda d: abs((d - today).days), default=None)


def _next_month(day: date) -> date:
    return last_day(day.year, day.month) + timedelta(days=1)


_BAD_QUARTER = re.compile(r"\bq(?:0|[5-9])\b")


def _looks_like_a_day(match: re.Match[str]) -> bool:
    """Whether a date-shaped match that is no real day was meant as one: a day of 1-31 and,
    when written as a number, a month of 1-12 ("31/02", "31/04/2023", "2023-02-30"). "16/17 year
    olds", "23/24" (a financial year) and "13/20 actions" are not."""
    if match.re is _WORD_DAY_PATTERN:
        number, month = int(match.group(2)), 1
    elif match.re is _DAY_PATTERN and match.group(2):
        number, month = int(match.group(2)), int(match.group(3))
    elif match.re is _DAY_PATTERN:  # year first
        number, month = int(match.group(8)), int(match.group(7))
    else:
        number, month = int(match.group(2)), int(match.group(3))
    return 1 <= number <= 31 and 1 <= month <= 12


def find_bad_dates(text: str, today: date) -> tuple[tuple[str, ...], str]:
    """What is written as a date but is none ("31/02", "30th February", "Q5"), and the rest of
    the text, read before `find_window` so that it meets only real dates. Numbers past 31
    ("50/50") are not taken for dates."""
    bad: list[str] = []
    scan = text  # every date blanked once looked at; `text` loses only the bad ones
    while (found := _find_day(scan, today, past=False)) is not None:
        word, day, match = found
        scan = blank_match(scan, match)
        if day is None and _looks_like_a_day(match):
            bad.append(match.group(0).strip().removeprefix(word or "").strip())
            text = blank_match(text, match)
    for match in list(_BAD_QUARTER.finditer(text)):
        bad.append(match.group(0).upper())
        text = blank_match(text, match)
    return tuple(bad), text


def find_window(
    text: str, today: date, *, past: bool = False, nearest: bool = False
) -> tuple[DateWindow | None, str]:
    """The due-date window a question asks about, read against `today`, and the rest of the text.
    A month named without its year is the next one, with `past` (what changed in January?)
    the last one, and with `nearest` (overdue by the end of Jan?) the nearer of the two. Each
    reader takes its words out of the text; the first window found counts."""
    window: DateWindow | None = None
    months = partial(_months, nearest=nearest)
    for reader in (_named_window, _next_days, _between, _one_day, months, _year):
        if reader is _between and window is not None:
            continue  # "between" only reads two days when nothing else set the window
        candidate, text = reader(text, today, past)
        window = window or candidate
    return window, text


Window = tuple[DateWindow | None, str]


def _named_windows(text: str, today: date) -> list[tuple[str, DateWindow]]:
    """Windows named in words ("this week", "next month", "Q4", "since Tuesday")."""
    # A table of patterns, in the order they are tried, rather than logic.
    monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    month_end = last_day(today.year, today.month)
    simple: list[tuple[str, DateWindow]] = [
        (
            r"\b(?:by|before|until)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?month"
            r"|month[\s-]end)\b",
            DateWindow(None, month_end, f"due by {fmt_day(month_end)}"),
        ),
        (
            r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week\b",
            DateWindow(
                None, monday + timedelta(days=6), f"due by {fmt_day(monday + timedelta(6))}"
            ),
        ),
        (
            r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+next\s+week\b",
            DateWindow(None, monday + timedelta(13), f"due by {fmt_day(monday + timedelta(13))}"),
        ),
        (
            r"\b(?:in\s+|within\s+|over\s+)?(?:the\s+)?(?:next|coming)\s+few\s+weeks\b",
            DateWindow(today, today + timedelta(21), "due in the next 21 days"),
        ),
        (
            r"\bsince\s+last\s+week\b",
            DateWindow(monday - timedelta(7), today, "due since last week"),
        ),
        (
            r"\byesterday\b",
            DateWindow(today - timedelta(1), today - timedelta(1), "due yesterday"),
        ),
        (
            r"\bthis\s+week\b",
            DateWindow(monday, monday + timedelta(days=6), "due this week"),
        ),
        (
            r"\bnext\s+week\b",
            DateWindow(monday + timedelta(7), monday + timedelta(13), "due next week"),
        ),
        (
            r"\blast\s+week\b",
            DateWindow(monday - timedelta(7), monday - timedelta(1), "due last week"),
        ),
        (
            r"\bthis\s+month\b|\bend\s+of\s+(?:the\s+)?month\b",
            DateWindow(month_start, month_end, f"due in {calendar.month_name[today.month]}"),
        ),
        (
            r"\bnext\s+month\b",
            DateWindow(
                _next_month(today),
                last_day(_next_month(today).year, _next_month(today).month),
                f"due in {calendar.month_name[_next_month(today).month]}",
            ),
        ),
        (
            r"\blast\s+month\b",
            DateWindow(
                (month_start - timedelta(days=1)).replace(day=1),
                month_start - timedelta(days=1),
                f"due in {calendar.month_name[(month_start - timedelta(days=1)).month]}",
            ),
        ),
        (r"\btoday\b", DateWindow(today, today, "due today")),
        (
            r"\btomorrow\b",
            DateWindow(today + timedelta(1), today + timedelta(1), "due tomorrow"),
        ),
        (
            r"\b(?:(?:in|within|over)\s+)?(?:the\s+|a\s+)?(?:next\s+|coming\s+)?fortnight\b"
            r"|\b(?:next\s+two\s+weeks|coming\s+up|due\s+soon|soon)\b",
            DateWindow(today, today + timedelta(14), "due in the next 14 days"),
        ),
        (
            r"\bthis\s+year\b",
            DateWindow(date(today.year, 1, 1), date(today.year, 12, 31), f"due in {today.year}"),
        ),
    ]
    simple[:0] = financial_windows(text, today) + day_windows(text, today)
    weekday = re.search(r"\bsince\s+(?:last\s+)?(" + "|".join(_WEEKDAYS) + r")\b", text)
    if weekday:
        back = (today.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7 or 7
        since = today - timedelta(days=back)
        simple.insert(
            0,
            (re.escape(weekday.group(0)), DateWindow(since, today, f"due since {fmt_day(since)}")),
        )
    return simple


def _named_window(text: str, today: date, past: bool) -> Window:
    window: DateWindow | None = None
    for pattern, candidate in _named_windows(text, today):
        for match in list(re.finditer(pattern, text)):  # "coming up within a fortnight"
            text = blank_match(text, match)
            window = window or candidate
    return window, text


NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "ten": 10}  # fmt: skip
_COUNTS = "|".join(sorted((w.replace(" ", r"\s+") for w in NUMBER_WORDS), key=len, reverse=True))


def _next_days(text: str, today: date, past: bool) -> Window:
    """In the next 10 days, within 3 weeks."""
    match = re.search(
        r"\b(?:in|within|over|for)?\s*(?:the\s+)?(?:next|coming)\s+(\d{1,3}|" + _COUNTS + r")\s+"
        r"(days?|weeks?)\b|\b(?:in|within)\s+(\d{1,3}|" + _COUNTS + r")\s+(days?|weeks?)\b",
        text,
    )
    if match:
        written = match.group(1) or match.group(3)
        count = int(written) if written.isdigit() else NUMBER_WORDS[" ".join(written.split())]
        unit = match.group(2) or match.group(4)
        days = count * 7 if unit.startswith("week") else count
        text = blank_match(text, match)
        return DateWindow(today, today + timedelta(days=days), f"due in the next {days} days"), text
    return None, text


def _between(text: str, today: date, past: bool) -> Window:
    """Between 1 March and 30 June."""
    between = re.search(r"\bbetween\b", text)
    if between:
        rest = text[between.end() :]
        first = _find_day(rest, today, past=past)
        second = _find_day(rest[first[2].end() :], today, past=past) if first else None
        joined = (
            first
            and second
            and re.fullmatch(r"\s*(?:and|to|-)\s*", rest[first[2].end() :][: second[2].start()])
        )
        if first and second and joined and first[1] and second[1]:
            start, end = sorted((first[1], second[1]))
            stop = between.end() + first[2].end() + second[2].end()
            text = text[: between.start()] + " " * (stop - between.start()) + text[stop:]
            return DateWindow(start, end, f"due between {fmt_day(start)} and {fmt_day(end)}"), text
    return None, text


def _one_day(text: str, today: date, past: bool) -> Window:
    """A day, perhaps after "by", "before", "since", "from" or "after"."""
    found = _find_day(text, today, past=past)
    if found:
        word, day, match = found
        if day is not None:
            text = blank_match(text, match)
            if word in ("by", "before", "until"):
                end = day - timedelta(1) if word == "before" else day
                return DateWindow(None, end, f"due by {fmt_day(end)}"), text
            elif word in ("since", "from", "after"):
                start = day + timedelta(1) if word == "after" else day
                return DateWindow(start, None, f"due from {fmt_day(start)}"), text
            else:
                return DateWindow(day, day, f"due on {fmt_day(day)}"), text
    return None, text


def _months(text: str, today: date, past: bool, *, nearest: bool = False) -> Window:
    """Months by name, perhaps with a year and "by", "before", "after" or "from"."""
    window: DateWindow | None = None
    for match in list(_MONTH_PATTERN.finditer(text)):
        word, name, year_text = match.group(1), match.group(2), match.group(3)
        ambiguous = name in ("may", "mar", "jun", "jan", "oct", "dec", "sep", "aug", "nov", "feb")
        if ambiguous and not (word or year_text):
            continue  # "may" the verb, "mar" the word
        month = MONTHS[name]
        if year_text:
            year = int(year_text)
        elif past:
            year = today.year if month <= today.month else today.year - 1
        elif nearest:
            year = today.year + (month - today.month > 6) * -1 + (today.month - month > 6)
        else:
            year = today.year if month >= today.month else today.year + 1
        start, end = date(year, month, 1), last_day(year, month)
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        label = f"{calendar.month_name[month]} {year}"
        if word == "before" and "end" in match.group(0):
            word = "by"  # "before the end of March" takes in 31 March
        if word in ("by", "until", "till", "to"):
            candidate = DateWindow(None, end, f"due by the end of {label}")
        elif word == "before":
            candidate = DateWindow(None, start - timedelta(1), f"due before {label}")
        elif word == "after":
            candidate = DateWindow(end + timedelta(1), None, f"due after {label}")
        elif word in ("from", "since"):
            candidate = DateWindow(start, None, f"due from {label}")
        else:
            candidate = DateWindow(start, end, f"due in {label}")
        window = window or candidate
    return window, text


def _year(text: str, today: date, past: bool) -> Window:
    """A year: "in 2023", "by 2024"."""
    match = re.search(r"\b(by|before|in|during|for)?\s*(?<![/\-.\d])(20\d\d)(?![/\-.\d])\b", text)
    if match:
        year = int(match.group(2))
        text = blank_match(text, match)
        if match.group(1) in ("by", "before"):
            end = date(year, 12, 31) if match.group(1) == "by" else date(year - 1, 12, 31)
            return DateWindow(None, end, f"due by {fmt_day(end)}"), text
        return DateWindow(date(year, 1, 1), date(year, 12, 31), f"due in {year}"), text
    return None, text
