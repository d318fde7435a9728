"""Reminder threads in the store: what may need chasing, and claiming each reminder exactly once.

A reminder is claimed by inserting its row: `Reminder.key` is unique, so when two processes (or a
restarted one) try the same reminder, the database lets exactly one insert through and the other
sees a duplicate key and leaves it alone.

A claim never posted is given back when Slack refused the post (the row is deleted). When Slack
may have the post after all (its answer was lost and the channel could not be read, or the process
died mid-post and its claim went stale), the row stays "in doubt": no process holds it and no
thread is recorded, but it still counts as a claim (so the item gets no second thread meanwhile).
Each run first settles the rows in doubt (`take_in_doubt`, one process each), by looking in the
channel around `tried_at`: found, the thread is recorded; not there, the claim is given back.

Writes for a claim name its holder (`by`): a process whose claim went stale and was taken over
changes nothing of the new holder's.

A lead's thread (store.queries.lead_threads) is claimed, posted, put in doubt and given back as
one row; the item rows it claimed follow it and are never in doubt on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.db import select_rows
from store.models import Action, ActionOwner, Plan, Reminder, Step
from store.models.reminders import LEAD_THREAD
from store.models.status import Status
from store.queries.lead_threads import mark_items_posted, release_items
from store.utc import as_utc

OPEN_STATUSES = tuple(s.value for s in Status if s.is_open)


class Candidate(NamedTuple):
    """An open action, or an open step with its own due date, that a reminder could be about.
    (A named tuple: a large store has tens of thousands of them, built in one pass.)"""

    kind: str  # "action" | "step"
    item_id: int
    action_id: int
    ref: str
    title: str
    status: str
    due: date | None
    due_as_written: str | None
    cadence: str | None
    last_update_at: datetime | None
    declared_rag: str | None
    plan_id: int
    plan_key: str
    plan_title: str
    reminders_channel: str | None
    owner_role_ids: tuple[int, ...] = ()

    @property
    def item_key(self) -> str:
        return f"{'A' if self.kind == 'action' else 'S'}{self.item_id}"


def reminder_candidates(session: Session, *, steps_due_by: date | None = None) -> list[Candidate]:
    """Open actions of every plan, and open steps whose due date differs from their action's
    (only steps due by `steps_due_by`, or with a cadence, when it is given: a step has no stale
    nudge, so one due later has nothing to be reminded of yet).

    A step due the same day as its action is chased in the action's thread, not a second one.
    Columns are read as plain rows (no ORM objects): a 10,000-action store is read in well under
    a second.
    """
    # Long but straight: the actions' rows, then the steps' rows, read column by column.
    plans = {
        row.id: row
        for row in session.execute(
            select_rows(Plan.id, Plan.key, Plan.title, Plan.reminders_channel)
        )
    }
    owners: dict[int, list[int]] = {}
    owner_rows = session.execute(
        select_rows(ActionOwner.action_id, ActionOwner.role_id).order_by(
            col(ActionOwner.action_id), col(ActionOwner.position)
        )
    )
    for action_id, role_id in owner_rows:
        owners.setdefault(action_id, []).append(role_id)
    actions = session.execute(
        select_rows(
            Action.id,
            Action.plan_id,
            Action.ref,
            Action.title,
            Action.status,
            Action.due_date,
            Action.due_as_written,
            Action.cadence,
            Action.last_update_at,
            Action.declared_rag,
        )
        .where(col(Action.status).in_(OPEN_STATUSES))
        .order_by(col(Action.plan_id), col(Action.position), col(Action.id))
    ).all()
    by_id = {row.id: row for row in actions}
    result: list[Candidate] = []
    for row in actions:
        plan = plans[row.plan_id]
        result.append(
            Candidate(
                kind="action",
                item_id=row.id,
                action_id=row.id,
                ref=row.ref,
                title=row.title,
                status=row.status,
                due=row.due_date,
                due_as_written=row.due_as_written,
                cadence=row.cadence,
                last_update_at=row.last_update_at,
                declared_rag=row.declared_rag,
                plan_id=plan.id,
                plan_key=plan.key,
                plan_title=plan.title,
                reminders_channel=plan.reminders_channel,
                owner_role_ids=tuple(owners.get(row.id, [])),
            )
        )
    due_filter = (
        col(Step.due_date).is_not(None)
        if steps_due_by is None
        else col(Step.due_date) <= steps_due_by
    )
    steps = session.execute(
        select_rows(
            Step.id,
            Step.action_id,
            Step.ref,
            Step.text,
            Step.status,
            Step.due_date,
            Step.due_as_written,
            Step.cadence,
            Step.last_update_at,
            Step.declared_rag,
        )
        .where(col(Step.status).in_(OPEN_STATUSES))
        .where(due_filter | col(Step.cadence).is_not(None))
        .order_by(col(Step.action_id), col(Step.number))
    )
    for step in steps:
        action = by_id.get(step.action_id)
        if action is None or (step.cadence is None and step.due_date == action.due_date):
            continue
        plan = plans[action.plan_id]
        result.append(
            Candidate(
                kind="step",
                item_id=step.id,
                action_id=action.id,
                ref=step.ref,
                title=step.text,
                status=step.status,
                due=step.due_date,
                due_as_written=step.due_as_written,
                cadence=step.cadence,
                last_update_at=step.last_update_at or action.last_update_at,
                declared_rag=step.declared_rag,
                plan_id=plan.id,
                plan_key=plan.key,
                plan_title=plan.title,
                reminders_channel=plan.reminders_channel,
                owner_role_ids=tuple(owners.get(action.id, [])),
            )
        )
    return result


@dataclass(frozen=True)
class ItemReminderState:
    """What the store remembers about an item's reminders: the latest claim and any snooze."""

    last_claimed_on: date | None = None
    snoozed_until: date | None = None
    claimed_since: bool = False  # claimed at or after the `before` asked about


def reminder_states(
    session: Session, *, before: datetime | None = None
) -> dict[str, ItemReminderState]:
    """Per item key ("A12", "S40"): the latest reminder claimed (before `before`, when given),
    the latest snooze, and whether it was claimed again from `before` on."""
    latest: dict[str, date] = {}
    snoozed: dict[str, date] = {}
    recent: set[str] = set()
    rows = session.execute(
        select_rows(
            Reminder.action_id, Reminder.step_id, Reminder.claimed_at, Reminder.snoozed_until
        ).where(col(Reminder.reason) != LEAD_THREAD)
    )
    for row in rows:
        key = f"A{row.action_id}" if row.step_id is None else f"S{row.step_id}"
        claimed = row.claimed_at.date()
        counted = before is None or as_utc(row.claimed_at) < before
        if counted and (key not in latest or claimed > latest[key]):
            latest[key] = claimed
        if not counted:
            recent.add(key)
        if row.snoozed_until and (key not in snoozed or row.snoozed_until > snoozed[key]):
            snoozed[key] = row.snoozed_until
    keys = set(latest) | set(snoozed) | recent
    return {k: ItemReminderState(latest.get(k), snoozed.get(k), k in recent) for k in keys}


def _in_doubt() -> ColumnElement[bool]:
    """Rows whose post may or may not have reached Slack (see the module's docstring)."""
    return and_(
        col(Reminder.posted_at).is_(None),
        col(Reminder.claimed_by).is_(None),
        col(Reminder.thread_id).is_(None),  # an item of a lead thread follows its thread
    )


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of `keys` have already been claimed (by anyone)."""
    wanted = list(keys)
    if not wanted:
        return set()
    query = select(Reminder.key).where(col(Reminder.key).in_(wanted))
    rows = session.exec(query)
    return set(rows)


def claims_since(
    session: Session, *, since: datetime, plan_ids: Iterable[int] | None = None
) -> int:
    """How many item reminders were claimed at or after `since` (of items of `plan_ids`, when
    given), posted or still being posted: what a day's runs have used of the daily limit."""
    query = (
        select(func.count())
        .select_from(Reminder)
        .where(col(Reminder.claimed_at) >= since, col(Reminder.reason) != LEAD_THREAD)
    )
    if plan_ids is not None:
        query = query.join(Action, col(Action.id) == col(Reminder.action_id)).where(
            col(Action.plan_id).in_(list(plan_ids))
        )
    return int(session.exec(query).one())


def first_reminders(session: Session) -> dict[int, datetime]:
    """Plan id -> when its first item reminder was claimed (as UTC)."""
    query = (
        select_rows(Action.plan_id, func.min(Reminder.claimed_at))
        .join(Action, col(Action.id) == col(Reminder.action_id))
        .group_by(col(Action.plan_id))
    )
    return {plan_id: as_utc(first) for plan_id, first in session.execute(query)}


def claim_reminder(
    session: Session,
    *,
    key: str,
    action_id: int | None,
    step_id: int | None,
    reason: str,
    for_date: date,
    at: datetime,
    by: str,
    channel: str | None = None,
    tried_at: datetime | None = None,
) -> Reminder | None:
    """Insert the reminder's row and commit; None when someone else claimed the key first.
    `channel` and `tried_at` (the real time, just before posting) say where and when to look for
    the thread if the post's outcome is ever in doubt.

    Commits the session: a claim must be visible to every other process before anything is posted.
    """
    row = Reminder(
        key=key,
        action_id=action_id,
        step_id=step_id,
        reason=reason,
        for_date=for_date,
        claimed_at=at,
        claimed_by=by,
        channel=channel,
        tried_at=tried_at,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    session.refresh(row)
    return row


def in_doubt(session: Session, *, channel: str | None = None) -> list[Reminder]:
    """Claims nobody holds that were never recorded as posted (in `channel`, when given), oldest
    first."""
    query = select(Reminder).where(_in_doubt())
    if channel is not None:
        query = query.where(col(Reminder.channel) == channel)
    return list(session.exec(query.order_by(col(Reminder.claimed_at))))


def take_in_doubt(session: Session, reminder_id: int, *, by: str) -> bool:
    """Hold a claim in doubt while its thread is looked for, and commit; False when another
    process took it first. Its claim time stays: it counts for the day it was made."""
    taken = session.execute(
        update(Reminder).where(col(Reminder.id) == reminder_id, _in_doubt()).values(claimed_by=by)
    )
    session.commit()
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def release_stale_claims(session: Session, *, older_than: datetime) -> int:
    """Put in doubt the claims never posted and older than `older_than` (their process died
    mid-post, perhaps after Slack took it); returns how many."""
    result = session.execute(
        update(Reminder)
        .where(
            col(Reminder.posted_at).is_(None),
            col(Reminder.claimed_by).is_not(None),
            col(Reminder.claimed_at) < older_than,
            col(Reminder.thread_id).is_(None),
        )
        .values(claimed_by=None)
    )
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def release_claim(session: Session, reminder_id: int, *, by: str | None = None) -> None:
    """Give a claim back (held by `by`, when given): nothing was posted (Slack refused it, or
    there is no channel), so the next run may claim the reminder again. A lead thread's items
    go with it."""
    row = session.get(Reminder, reminder_id)
    if row is None or row.posted_at is not None or (by is not None and row.claimed_by != by):
        session.commit()
        return
    release_items(session, reminder_id)
    session.execute(delete(Reminder).where(col(Reminder.id) == reminder_id))
    session.commit()


def put_in_doubt(session: Session, reminder_id: int, *, by: str, unsettled: bool = False) -> None:
    """Let go of a claim `by` holds whose post Slack may have taken though nobody could tell; the
    next run looks in the channel first. `unsettled`: a run just failed to read it."""
    values: dict[str, object] = {"claimed_by": None}
    if unsettled:
        values["unsettled_checks"] = Reminder.unsettled_checks + 1
    session.execute(
        update(Reminder)
        .where(
            col(Reminder.id) == reminder_id,
            col(Reminder.claimed_by) == by,
            col(Reminder.posted_at).is_(None),
        )
        .values(**values)
    )
    session.commit()


def get_reminder(session: Session, reminder_id: int) -> Reminder | None:
    return session.get(Reminder, reminder_id)


def mark_reminder_posted(
    session: Session,
    reminder_id: int,
    *,
    channel: str,
    thread_ts: str,
    at: datetime,
    by: str | None = None,
) -> bool:
    """Record the reminder's thread and commit; False when the claim is gone or (with `by`) is
    no longer `by`'s: it went stale and another process took it over."""
    query = update(Reminder).where(col(Reminder.id) == reminder_id)
    if by is not None:
        query = query.where(col(Reminder.claimed_by) == by)
    done = session.execute(query.values(channel=channel, thread_ts=thread_ts, posted_at=at))
    if done.rowcount:  # type: ignore[attr-defined]
        mark_items_posted(session, reminder_id, channel=channel, thread_ts=thread_ts, at=at)
    session.commit()
    return bool(done.rowcount)  # type: ignore[attr-defined]


def reminder_for_thread(session: Session, channel: str | None, thread_ts: str) -> Reminder | None:
    """The reminder whose thread starts at `thread_ts` (in `channel` when given): a lead's
    thread, or an item's own."""
    query = select(Reminder).where(
        Reminder.thread_ts == thread_ts, col(Reminder.thread_id).is_(None)
    )
    if channel:
        query = query.where(Reminder.channel == channel)
    return session.exec(query).first()


def mark_answered(session: Session, reminder: Reminder, *, at: datetime) -> None:
    if reminder.answered_at is None:
        reminder.answered_at = at
        session.add(reminder)


def snooze(session: Session, reminder: Reminder, *, until: date) -> None:
    reminder.snoozed_until = until
    session.add(reminder)


def unanswered_reminders(session: Session, *, posted_before: datetime) -> list[Reminder]:
    """Reminders posted before `posted_before` that nobody has answered (or snoozed), oldest
    first, for the weekly summary."""
    query = select(Reminder).where(
        col(Reminder.posted_at).is_not(None),
        col(Reminder.posted_at) <= posted_before,
        col(Reminder.answered_at).is_(None),
    )
    return list(session.exec(query.order_by(col(Reminder.posted_at))))


def set_reminders_channel(session: Session, channel: str | None, plan_key: str | None) -> list[str]:
    """Point one plan's (or every plan's) reminder threads at `channel`; the plans' titles."""
    query = select(Plan).order_by(col(Plan.id))
    if plan_key:
        query = query.where(Plan.key == plan_key)
    plans = list(session.exec(query))
    for plan in plans:
        plan.reminders_channel = channel
        session.add(plan)
    return [plan.title for plan in plans]


def reminders_channels(session: Session) -> list[tuple[str, str, str | None]]:
    """(plan key, plan title, reminders channel) for every plan."""
    plans = session.exec(select(Plan).order_by(col(Plan.id)))
    return [(plan.key, plan.title, plan.reminders_channel) for plan in plans]


def find_plan_key(session: Session, word: str) -> str | None:
    """A plan named by its key ("ambition-2022"), the start of it ("ambition") or a title word."""
    word = word.strip().lower()
    plans = list(session.exec(select(Plan).order_by(col(Plan.id))))
    for test in (
        lambda p: p.key.lower() == word,
        lambda p: p.key.lower().startswith(word),
        lambda p: word in p.title.lower().split(),
    ):
        matches = [plan.key for plan in plans if test(plan)]
        if len(matches) == 1:
            return matches[0]
    return None


def posted_reminders(session: Session) -> list[Reminder]:
    """Every reminder posted, oldest first."""
    query = select(Reminder).where(col(Reminder.posted_at).is_not(None))
    return list(session.exec(query.order_by(col(Reminder.posted_at), col(Reminder.id))))


def reminders_about(session: Session, item: Action | Step) -> list[Reminder]:
    """The posted reminders about one action or step, newest first."""
    about = (
        col(Reminder.action_id) == item.id
        if isinstance(item, Action)
        else col(Reminder.step_id) == item.id
    )
    query = (
        select(Reminder)
        .where(about, col(Reminder.posted_at).is_not(None))
        .order_by(col(Reminder.posted_at).desc(), col(Reminder.id).desc())
    )
    return list(session.exec(query))
