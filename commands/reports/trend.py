"""The trend in a committee paper: how many of the scope's actions were open, overdue and done on
each sampled day since the plan began, replayed from the dated updates as they stood that day
(never interpolated). A plan that began later joins on its own start date, and the paper says so.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.models import Action, StatusUpdate
from store.models.status import Status
from store.queries.state import derive_state

MOST_POINTS = 40  # beyond this the samples thin to quarter ends, so the lines stay readable


@dataclass(frozen=True)
class TrendPoint:
    on: date
    open: int
    overdue: int  # open and past its due date on that day
    done: int


@dataclass(frozen=True)
class PlanStart:
    """A plan in the paper's scope and the day the trend starts counting its actions."""

    title: str
    on: date


def sample_days(start: date, end: date) -> list[date]:
    """The days the trend is read on: every week's end for a span under four months, else each
    month's end (each quarter's end past MOST_POINTS months), always ending on `end` itself."""
    if end <= start:
        return [end]
    if (end - start).days < 120:
        days = [start + timedelta(weeks=k) for k in range((end - start).days // 7 + 1)]
    else:
        days = list(_month_ends(start, end))
        if len(days) > MOST_POINTS:
            days = [day for day in days if day.month % 3 == 0]
        days = [start, *(day for day in days if day > start)]
    return [*(day for day in days if day < end), end]


def _month_ends(start: date, end: date) -> Iterable[date]:
    year, month = start.year, start.month
    while True:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            return
        yield last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def action_trend(
    action: Action, begins: date, updates: Sequence[StatusUpdate], days: Sequence[date]
) -> tuple[tuple[bool, bool, bool] | None, ...]:
    """For each day: (open, overdue, done) as the action stood at that day's end, or None before
    its plan began."""
    ordered = sorted(updates, key=lambda u: (u.at, u.id or 0))
    dated = [u.at.date() for u in ordered]
    marks: list[tuple[bool, bool, bool] | None] = []
    for day in days:
        if day < begins:
            marks.append(None)
            continue
        state = derive_state(action, ordered[: bisect_right(dated, day)])
        status = Status(state.status)
        late = status.is_open and state.due_date is not None and state.due_date < day
        marks.append((status.is_open, late, status is Status.DONE))
    return tuple(marks)


def add_up(
    days: Sequence[date], marks: Iterable[tuple[tuple[bool, bool, bool] | None, ...]]
) -> tuple[TrendPoint, ...]:
    opened, late, done = [0] * len(days), [0] * len(days), [0] * len(days)
    for action in marks:
        for k, mark in enumerate(action):
            if mark is not None:
                opened[k] += mark[0]
                late[k] += mark[1]
                done[k] += mark[2]
    return tuple(TrendPoint(day, opened[k], late[k], done[k]) for k, day in enumerate(days))
