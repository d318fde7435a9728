"""Events API ids already seen, so an event Slack delivers again is acted on once, across processes.

The event id is the table's primary key: the first process to insert it wins, every later insert
of the same id (a retry, or the same event reaching a second process) is ignored by the database.
Ids are kept for a day, well beyond Slack's retry window of about an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from store.db import lock_waits_at_most, session_scope
from store.models import ProcessedEvent

KEEP_FOR = timedelta(days=1)


def claim_event(session: Session, event_id: str, at: datetime) -> bool:
    """True if this is the first time `event_id` is seen (the caller should act on it).

    Commits nothing itself: run it in its own unit of work so the claim is visible to other
    processes as soon as that unit commits.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ProcessedEvent)
        .values(event_id=event_id, seen_at=at)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(col(ProcessedEvent.event_id))
    )
    claimed = session.execute(statement).first() is not None  # rowcount is -1 on psycopg
    if claimed:
        prune_events(session, before=at - KEEP_FOR)
    return claimed


def claim_event_within(
    engine: Engine, event_id: str, at: datetime, *, seconds: float
) -> bool | None:
    """`claim_event` in a unit of work of its own that waits at most `seconds` for a lock: True
    or False as `claim_event` says, None when the database could not say in time (another
    process holds its write lock, or it does not answer)."""
    try:
        with session_scope(engine) as session, lock_waits_at_most(session, seconds):
            return claim_event(session, event_id, at)
    except OperationalError:
        return None


def prune_events(session: Session, *, before: datetime) -> int:
    """Forget event ids seen before `before`; returns how many were removed."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.seen_at < before))  # type: ignore[arg-type]
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def seen_event_count(session: Session) -> int:
    """How many event ids are remembered (tests and diagnostics)."""
    return int(session.execute(select(func.count()).select_from(ProcessedEvent)).scalar_one())
