"""Lead threads in the store: one thread per person, channel and day, listing that person's items.

`claim_lead_thread` inserts the thread's row, a reminder row for each of its items that no other
thread has claimed yet, and a line per item, in one transaction: the thread's key is unique, so
two processes never post the same lead's thread twice, and an item asked of three holders gets
one reminder row (claimed by the first of their threads) and a line in each thread. The item rows
a thread claimed follow it: posted with it, given back with it (store.queries.reminders), never
settled on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from store.db import select_rows
from store.models import Reminder, ReminderLine, ReminderPreference
from store.models.reminders import LEAD_THREAD

CLAIM_TRIES = 3  # another process claiming one of the same items meanwhile: try again


@dataclass(frozen=True)
class ItemClaim:
    """An item's reminder, as a lead thread lists it."""

    key: str
    action_id: int
    step_id: int | None
    reason: str
    for_date: date


@dataclass(frozen=True)
class LeadClaim:
    """A claimed thread: its row's id and each item's reminder row id, in the thread's order."""

    thread_id: int
    reminder_ids: tuple[int, ...]


def claim_lead_thread(
    session: Session,
    *,
    key: str,
    lead_user_id: str | None,
    channel: str | None,
    for_date: date,
    items: Sequence[ItemClaim],
    at: datetime,
    by: str,
    tried_at: datetime | None = None,
) -> LeadClaim | None:
    """Claim the thread `key` and its items, and commit; None when it was claimed already."""
    for _ in range(CLAIM_TRIES):
        try:
            return _claim(session, key, lead_user_id, channel, for_date, items, at, by, tried_at)
        except IntegrityError:
            session.rollback()
            taken = session.execute(
                select(col(Reminder.id)).where(col(Reminder.key) == key)
            ).first()
            if taken is not None:
                return None
    return None


def _claim(
    session: Session,
    key: str,
    lead_user_id: str | None,
    channel: str | None,
    for_date: date,
    items: Sequence[ItemClaim],
    at: datetime,
    by: str,
    tried_at: datetime | None,
) -> LeadClaim:
    thread = Reminder(
        key=key,
        reason=LEAD_THREAD,
        for_date=for_date,
        claimed_at=at,
        claimed_by=by,
        channel=channel,
        tried_at=tried_at,
        lead_user_id=lead_user_id,
    )
    session.add(thread)
    session.flush()
    thread_id = int(thread.id or 0)
    keys = list(dict.fromkeys(item.key for item in items))
    existing = _ids_of(session, keys)
    new = [item for item in {i.key: i for i in items}.values() if item.key not in existing]
    if new:  # one statement for all of them: a big thread is claimed in well under a second
        session.execute(
            insert(Reminder),
            [
                {
                    "key": item.key,
                    "action_id": item.action_id,
                    "step_id": item.step_id,
                    "reason": item.reason,
                    "for_date": item.for_date,
                    "claimed_at": at,
                    "claimed_by": by,
                    "channel": channel,
                    "tried_at": tried_at,
                    "thread_id": thread_id,
                    "unsettled_checks": 0,
                }
                for item in new
            ],
        )
        existing |= _ids_of(session, [item.key for item in new])
    ids = [existing[key] for key in keys]
    if ids:
        lines = [
            {"thread_id": thread_id, "reminder_id": reminder_id, "position": position}
            for position, reminder_id in enumerate(ids)
        ]
        session.execute(insert(ReminderLine), lines)
    session.commit()
    return LeadClaim(thread_id, tuple(ids))


def _ids_of(session: Session, keys: list[str]) -> dict[str, int]:
    """Reminder row ids by key, read in chunks (SQLite limits a statement's parameters)."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            select_rows(Reminder.key, Reminder.id).where(col(Reminder.key).in_(chunk))
        )
        found.update({key: int(row_id) for key, row_id in rows})
    return found


def thread_items(session: Session, thread_id: int) -> list[Reminder]:
    """The item reminder rows a lead thread lists, in its order."""
    query = (
        select(Reminder)
        .join(ReminderLine, col(ReminderLine.reminder_id) == col(Reminder.id))
        .where(col(ReminderLine.thread_id) == thread_id)
        .order_by(col(ReminderLine.position))
    )
    return list(session.execute(query).scalars())


def mark_items_posted(
    session: Session, thread_id: int, *, channel: str, thread_ts: str, at: datetime
) -> None:
    """The thread's own item rows are posted with it (the caller commits)."""
    session.execute(
        update(Reminder)
        .where(col(Reminder.thread_id) == thread_id, col(Reminder.posted_at).is_(None))
        .values(channel=channel, thread_ts=thread_ts, posted_at=at)
    )


def release_items(session: Session, thread_id: int) -> None:
    """Before a thread's claim is given back: its lines go; an item row it claimed that another
    thread also lists passes to that thread; the rest go with it (the caller commits)."""
    session.execute(delete(ReminderLine).where(col(ReminderLine.thread_id) == thread_id))
    other = (
        select(func.min(col(ReminderLine.thread_id)))
        .where(col(ReminderLine.reminder_id) == col(Reminder.id))
        .scalar_subquery()
    )
    listed = exists().where(col(ReminderLine.reminder_id) == col(Reminder.id))
    session.execute(
        update(Reminder)
        .where(col(Reminder.thread_id) == thread_id, listed)
        .values(thread_id=other)
        .execution_options(synchronize_session=False)
    )
    owned = select(col(Reminder.id)).where(col(Reminder.thread_id) == thread_id)
    session.execute(delete(ReminderLine).where(col(ReminderLine.reminder_id).in_(owned)))
    session.execute(
        delete(Reminder)
        .where(col(Reminder.thread_id) == thread_id)
        .execution_options(synchronize_session=False)
    )


def reminders_by_dm(session: Session) -> set[str]:
    """The people who want their reminder thread by direct message."""
    query = select(col(ReminderPreference.user_id)).where(col(ReminderPreference.by_dm).is_(True))
    return set(session.execute(query).scalars())


def set_by_dm(session: Session, user_id: str, on: bool, *, at: datetime) -> bool:
    """Set whether `user_id` gets their reminder thread by DM; returns the previous setting."""
    row = session.execute(
        select(ReminderPreference).where(col(ReminderPreference.user_id) == user_id)
    ).scalar_one_or_none()
    before = bool(row and row.by_dm)
    if row is None:
        row = ReminderPreference(user_id=user_id, by_dm=on, set_at=at)
    else:
        row.by_dm, row.set_at = on, at
    session.add(row)
    return before
