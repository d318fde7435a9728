"""Finding an item by its reference and reading or amending its dated update history."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.models import Action, Reminder, Role, StatusUpdate, Step
from store.queries.roles import owner_roles
from store.queries.state import record_update

# A plan's prefix (OA, P, or another council's letters) and an action's or step's number.
_REF = re.compile(r"^\s*([A-Z]{1,6})\s*[-.]?\s*(\d+(?:\s*\.\s*\d+){1,2})\s*$", re.IGNORECASE)


def normalise_ref(text: str) -> str | None:
    """`oa 4.1`, `OA-4.1`, `p7.5.3` -> `OA4.1`, `P7.5.3` (any plan's prefix); None when it is not
    an item reference."""
    match = _REF.match(text)
    if not match:
        return None
    return match.group(1).upper() + re.sub(r"\s+", "", match.group(2))


def find_item(session: Session, ref: str) -> Action | Step | None:
    """The action (OA4.1, P7.5) or step (P7.5.3) a reference names, or None."""
    canonical = normalise_ref(ref) or ref.strip()
    if canonical.count(".") >= 2:
        return session.exec(select(Step).where(Step.ref == canonical)).first()
    return session.exec(select(Action).where(Action.ref == canonical)).first()


def item_for_reminder(session: Session, reminder: Reminder) -> Action | Step | None:
    return _item_by_ids(session, reminder.action_id, reminder.step_id)


def _item_by_ids(
    session: Session, action_id: int | None, step_id: int | None
) -> Action | Step | None:
    """The step a row is about, else its action (reminders and updates name items this way)."""
    if step_id is not None:
        return session.get(Step, step_id)
    if action_id is not None:
        return session.get(Action, action_id)
    return None


def action_of(session: Session, item: Action | Step) -> Action:
    if isinstance(item, Action):
        return item
    action = session.get(Action, item.action_id)
    if action is None:
        raise LookupError(f"step {item.ref} has no action")
    return action


def item_owner_roles(session: Session, item: Action | Step) -> list[Role]:
    """The roles answering for an item; a step is owned by its action's roles."""
    return owner_roles(session, action_of(session, item).id or 0)


def item_title(item: Action | Step) -> str:
    return item.title if isinstance(item, Action) else item.text


def history_of(session: Session, item: Action | Step) -> list[StatusUpdate]:
    """Every update of an item, oldest first, corrections and deleted sources included."""
    column = StatusUpdate.action_id if isinstance(item, Action) else StatusUpdate.step_id
    query = (
        select(StatusUpdate)
        .where(column == item.id)
        .order_by(col(StatusUpdate.at), col(StatusUpdate.id))
    )
    return list(session.exec(query))


def history_with_steps(session: Session, action: Action) -> list[tuple[StatusUpdate, str | None]]:
    """Every update of an action and of its steps, oldest first, each with its step's reference
    (None for the action's own)."""
    steps = {
        step.id: step.ref for step in session.exec(select(Step).where(Step.action_id == action.id))
    }
    query = (
        select(StatusUpdate)
        .where(
            or_(
                col(StatusUpdate.action_id) == action.id,
                col(StatusUpdate.step_id).in_(list(steps) or [-1]),
            )
        )
        .order_by(col(StatusUpdate.at), col(StatusUpdate.id))
    )
    return [(row, steps.get(row.step_id) if row.step_id else None) for row in session.exec(query)]


def latest_update_since(
    session: Session, item: Action | Step, *, since: datetime
) -> StatusUpdate | None:
    """The newest update of an item recorded at or after `since`, if any."""
    column = StatusUpdate.action_id if isinstance(item, Action) else StatusUpdate.step_id
    query = (
        select(StatusUpdate)
        .where(column == item.id, col(StatusUpdate.at) >= since)
        .order_by(col(StatusUpdate.at).desc(), col(StatusUpdate.id).desc())
    )
    return session.exec(query).first()


def last_chat_update_by(
    session: Session, item: Action | Step, author: str, *, since: datetime
) -> StatusUpdate | None:
    """The newest update `author` made on an item from a chat message since `since` that still
    stands (not replaced by an edit or a correction, not deleted)."""
    column = StatusUpdate.action_id if isinstance(item, Action) else StatusUpdate.step_id
    query = (
        select(StatusUpdate)
        .where(
            column == item.id,
            StatusUpdate.author == author,
            StatusUpdate.source == "chat",
            col(StatusUpdate.at) >= since,
            col(StatusUpdate.superseded).is_(False),
            col(StatusUpdate.deleted).is_(False),
        )
        .order_by(col(StatusUpdate.at).desc(), col(StatusUpdate.id).desc())
    )
    return session.exec(query).first()


def updates_between(session: Session, start: datetime, end: datetime) -> list[StatusUpdate]:
    """Updates recorded from `start` up to (not including) `end`, newest first; an update
    replaced by an edit of its message is left out (the edit is there instead)."""
    query = (
        select(StatusUpdate)
        .where(
            col(StatusUpdate.at) >= start,
            col(StatusUpdate.at) < end,
            col(StatusUpdate.superseded).is_(False),
        )
        .order_by(col(StatusUpdate.at).desc(), col(StatusUpdate.id).desc())
    )
    return list(session.exec(query))


def update_for_message(
    session: Session, channel: str | None, message_ts: str
) -> StatusUpdate | None:
    """The current (not superseded) update a chat message produced, if any."""
    query = select(StatusUpdate).where(
        StatusUpdate.message_ts == message_ts, col(StatusUpdate.superseded).is_(False)
    )
    if channel:
        query = query.where(StatusUpdate.channel == channel)
    return session.exec(query.order_by(col(StatusUpdate.id).desc())).first()


def updates_for_message(
    session: Session, channel: str | None, message_ts: str
) -> list[StatusUpdate]:
    """Every current (not superseded) update a chat message produced, one per item, oldest
    first."""
    query = select(StatusUpdate).where(
        StatusUpdate.message_ts == message_ts, col(StatusUpdate.superseded).is_(False)
    )
    if channel:
        query = query.where(StatusUpdate.channel == channel)
    return list(session.exec(query.order_by(col(StatusUpdate.id))))


def item_of_update(session: Session, update: StatusUpdate) -> Action | Step | None:
    return _item_by_ids(session, update.action_id, update.step_id)


def mark_source_deleted(
    session: Session, channel: str | None, message_ts: str
) -> list[StatusUpdate]:
    """Flag every update from a deleted message; the rows and the state they set are kept."""
    query = select(StatusUpdate).where(StatusUpdate.message_ts == message_ts)
    if channel:
        query = query.where(StatusUpdate.channel == channel)
    rows = list(session.exec(query))
    for row in rows:
        row.deleted = True
        session.add(row)
    return rows


def record_once(session: Session, item: Action | Step, **fields: Any) -> StatusUpdate | None:
    """`record_update`, or None when the same message (or the same correction) is already
    recorded: another process got there first. Only this savepoint is rolled back."""
    try:
        with session.begin_nested():
            return record_update(session, item, **fields)
    except IntegrityError:
        return None


def steps_of(session: Session, item: Action | Step) -> list[Step]:
    """An action's steps in order (a step has none)."""
    if not isinstance(item, Action):
        return []
    query = select(Step).where(Step.action_id == item.id).order_by(col(Step.number))
    return list(session.exec(query))
