"""`what changed this week?`: the dated updates recorded in a window, for the items asked about.

A question reads as one about changes when it says so ("what changed", "anything updated", "what's
new"); `commands.questions.ask` hands it here. The window is the one the question names (this week,
last
week, in March, today), never past today; without one it is the last seven days. References,
areas, owners, a topic or a plan narrow it to those items (done ones included) and their steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.brag import BragThresholds
from commands.clock import DEFAULT_TIMEZONE
from commands.questions.history import HistoryEntry
from commands.questions.plan_index import Entry, PlanIndex
from commands.questions.question import Question
from commands.questions.search import search
from store.models import StatusUpdate
from store.queries.history import updates_between

DEFAULT_DAYS = 7
MAX_CHANGES = 30  # lines in one answer; the rest are counted
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class ChangeLine:
    reference: str
    title: str
    entry: HistoryEntry


@dataclass(frozen=True)
class ChangesResult:
    understood: str  # "updates recorded this week under OA4"
    start: date
    end: date
    lines: tuple[ChangeLine, ...]
    not_shown: int = 0
    message: str | None = None
    timezone: str = DEFAULT_TIMEZONE  # the council's, for the times shown


def answer_changes(
    session: Session,
    index: PlanIndex,
    question: Question,
    today: date,
    thresholds: BragThresholds,
    *,
    scope_text: str,
    timezone: str | None = None,
    moved_to: str | None = None,
) -> ChangesResult:
    """The updates recorded in the question's window for the items it names, newest first; with
    `moved_to` ("done"), only those that moved an item to that status ("what was completed in
    December?")."""
    start, end, label = _window(question, today)
    what = f"items marked {moved_to.replace('_', ' ')}" if moved_to else "updates recorded"
    understood = f"{what} {label}" + (f" {scope_text}" if scope_text else "")
    if question.window and question.window.start and question.window.start > today:
        message: str | None = f"That is still to come: nothing can be recorded {label} yet."
        return ChangesResult(
            understood, question.window.start, question.window.start, (), message=message
        )
    wanted = _scope(index, question, today, thresholds)
    if wanted is not None and not wanted:
        message = "Nothing in the plans matches that, so there are no updates to show."
        return ChangesResult(understood, start, end, (), message=message)
    zone = ZoneInfo(timezone or DEFAULT_TIMEZONE)  # the days are the council's
    rows = updates_between(
        session,
        datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC),
    )
    by_item = {(e.kind, e.item_id): e for e in index.entries if e.kind != "area"}
    lines: list[ChangeLine] = []
    for row in rows:
        entry = by_item.get(_item_key(row))
        if entry is None or (wanted is not None and entry.index not in wanted):
            continue
        if moved_to and (row.new_status != moved_to or row.old_status == moved_to):
            continue
        lines.append(ChangeLine(entry.ref, entry.title, HistoryEntry.of(row)))
    shown = tuple(lines[:MAX_CHANGES])
    message = None
    if not lines and moved_to:
        message = f"Nothing was marked {moved_to.replace('_', ' ')} {label}."
    elif not lines:
        message = f"No updates were recorded {label}."
        earlier = _latest_before(session, by_item, wanted, rows_until=start, zone=zone)
        if earlier:
            message += f" The latest before then: {earlier}."
    return ChangesResult(
        understood, start, end, shown, len(lines) - len(shown), message, str(zone.key)
    )


def _latest_before(
    session: Session,
    by_item: dict[tuple[str, int], Entry],
    wanted: set[int] | None,
    *,
    rows_until: date,
    zone: ZoneInfo,
) -> str | None:
    """ "1 Dec 2022 (P9.6)": the newest update in scope recorded before `rows_until`, if any."""
    end = datetime.combine(rows_until, time(0), tzinfo=zone).astimezone(UTC)
    start = datetime.combine(EARLIEST, time(0), tzinfo=UTC)
    for row in updates_between(session, start, end):
        entry = by_item.get(_item_key(row))
        if entry is not None and (wanted is None or entry.index in wanted):
            when = row.at.replace(tzinfo=row.at.tzinfo or UTC).astimezone(zone)
            return f"{when.day} {when:%b %Y} ({entry.ref})"
    return None


def _item_key(row: StatusUpdate) -> tuple[str, int]:
    return ("action", row.action_id or 0) if row.step_id is None else ("step", row.step_id)


def _window(question: Question, today: date) -> tuple[date, date, str]:
    window = question.window
    if window is None:
        start = today - timedelta(days=DEFAULT_DAYS - 1)
        return start, today, f"in the last {DEFAULT_DAYS} days"
    end = min(window.end or today, today)
    start = window.start or EARLIEST  # "by 28 Feb": everything recorded up to then
    label = window.label.removeprefix("due ")
    if label.startswith("from "):
        label = "since " + label.removeprefix("from ")
    return min(start, end), end, label


def _scope(
    index: PlanIndex, question: Question, today: date, thresholds: BragThresholds
) -> set[int] | None:
    """The entries the question narrows to (actions with all their steps), or None for all."""
    if not (question.scoped or question.topic):
        return None
    anything = replace(question, status=None, status_assumed=False, rag=None, window=None)
    outcome = search(index, anything, today, thresholds)
    wanted: set[int] = set()
    for hit in outcome.hits:
        entry = index.entries[hit.entry]
        if entry.kind == "area":
            continue
        wanted.add(hit.entry)
        wanted.update(hit.steps)
        wanted.update(index.steps_of.get(hit.entry, []))
    return wanted
