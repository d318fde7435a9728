"""An item's current state, derived from its dated updates, and the one way to write an update.

`record_update` writes a StatusUpdate and the item's new state in the caller's transaction; callers
use one session per unit of work, so the two are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from store.models import Action, StatusUpdate, Step


@dataclass(frozen=True)
class DerivedState:
    status: str
    declared_rag: str | None
    due_date: date | None
    due_as_written: str | None
    last_update_at: datetime | None
    rebaselined: int
    awaiting: str | None = None  # done, but its plan wants evidence (then sign-off) before Blue


def derive_state(item: Action | Step, updates: Iterable[StatusUpdate]) -> DerivedState:
    """Replay an item's updates oldest first over its planned due date; edits replace originals."""
    status, rag = "not_started", None
    due, due_text = item.planned_due, item.planned_due_as_written
    last, rebaselined = None, 0
    needs: str | None = None  # what the latest "done" asked for before Blue
    evidenced = signed = False
    for update in sorted(updates, key=lambda u: (u.at, u.id or 0)):
        if update.superseded:
            continue
        evidenced = evidenced or update.source == "evidence"
        signed = signed or update.source == "signoff"
        if update.new_status:
            needs = update.needs if update.new_status == "done" else None
            status = update.new_status
        if update.new_rag:
            rag = update.new_rag
        if update.new_due and update.new_due != due:
            if due is not None:
                rebaselined += 1
            due, due_text = update.new_due, update.new_due_as_written or update.new_due.isoformat()
        last = update.at if last is None else max(last, update.at)
    awaiting = None
    if status == "done" and needs and not evidenced:
        awaiting = "evidence"
    elif status == "done" and needs == "signoff" and not signed:
        awaiting = "signoff"
    return DerivedState(status, rag, due, due_text, last, rebaselined, awaiting)


def updates_for(session: Session, item: Action | Step) -> list[StatusUpdate]:
    column = StatusUpdate.action_id if isinstance(item, Action) else StatusUpdate.step_id
    query = select(StatusUpdate).where(column == item.id).order_by(col(StatusUpdate.at))
    return list(session.exec(query.order_by(col(StatusUpdate.id))))


def apply_derived(item: Action | Step, state: DerivedState) -> None:
    item.status = state.status
    item.declared_rag = state.declared_rag
    item.due_date = state.due_date
    item.due_as_written = state.due_as_written
    item.last_update_at = state.last_update_at
    item.rebaselined = state.rebaselined
    item.awaiting = state.awaiting


def record_update(
    session: Session,
    item: Action | Step,
    *,
    at: datetime,
    source: str,
    author: str | None = None,
    for_role: str | None = None,
    needs: str | None = None,
    source_ref: str | None = None,
    status: str | None = None,
    rag: str | None = None,
    due: date | None = None,
    due_as_written: str | None = None,
    note: str | None = None,
    channel: str | None = None,
    message_ts: str | None = None,
    corrects: StatusUpdate | None = None,
) -> StatusUpdate:
    """Write one dated update and move the item to its new state, in the caller's transaction.

    The item's row is written first (which makes this transaction wait for any other writing to
    it, on PostgreSQL by the row lock, on SQLite by the database's one writer) and then read
    again, so two replies to one item in two processes are recorded one after the other: the
    second sees the first's update as its "before" and in the history it replays.
    """
    # Long only for its keyword parameters, one per StatusUpdate column: the body is short.
    model = type(item)
    session.execute(
        sa_update(model).where(model.id == item.id).values(id=item.id),  # type: ignore[arg-type]
        execution_options={"synchronize_session": False},
    )
    if item not in session.dirty:
        session.refresh(item)
    update = StatusUpdate(
        action_id=item.id if isinstance(item, Action) else None,
        step_id=item.id if isinstance(item, Step) else None,
        at=at,
        author=author,
        for_role=for_role,
        needs=needs,
        source=source,
        source_ref=source_ref,
        channel=channel,
        message_ts=message_ts,
        old_status=item.status,
        new_status=status,
        old_rag=item.declared_rag,
        new_rag=rag,
        old_due=item.due_date,
        new_due=due,
        new_due_as_written=due_as_written,
        note=note,
        corrects_id=corrects.id if corrects else None,
    )
    if corrects is not None:
        corrects.superseded = True
        session.add(corrects)
    session.add(update)
    session.flush()
    # The new state is replayed from the history rather than patched in place, so an edit, a
    # back-dated update or a moved due date follow the same rules as derive_state.
    replay(session, item)
    session.flush()
    return update


def replay(session: Session, item: Action | Step) -> None:
    """Recompute an item's state from its history (after an edit or a re-import)."""
    apply_derived(item, derive_state(item, updates_for(session, item)))
    session.add(item)
