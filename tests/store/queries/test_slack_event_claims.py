"""The store's memory for the Slack runtime: event ids claimed once, pending posts claimed once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from locked_database import write_locked
from sqlalchemy.engine import Engine

from store.db import BUSY_TIMEOUT_MS, session_scope
from store.queries.events import claim_event, claim_event_within, seen_event_count
from store.queries.pending_posts import (
    MAX_ATTEMPTS,
    add_pending_post,
    claim_pending_post,
    due_pending_posts,
    given_up,
    mark_post_failed,
    mark_post_sent,
)

AT = datetime(2023, 2, 15, 9, 0, tzinfo=UTC)


def claim(engine: Engine, event_id: str, at: datetime = AT) -> bool:
    with session_scope(engine) as session:
        return claim_event(session, event_id, at)


def test_an_event_id_is_claimed_once_across_sessions(empty_engine: Engine) -> None:
    assert claim(empty_engine, "Ev001") is True
    assert claim(empty_engine, "Ev001") is False
    assert claim(empty_engine, "Ev001", AT + timedelta(hours=2)) is False
    assert claim(empty_engine, "Ev002") is True


def test_event_ids_are_forgotten_after_a_day(empty_engine: Engine) -> None:
    assert claim(empty_engine, "EvOLD", AT)
    assert claim(empty_engine, "EvRECENT", AT + timedelta(hours=20))
    assert claim(empty_engine, "EvNEW", AT + timedelta(days=1, hours=1))
    with session_scope(empty_engine) as session:
        assert seen_event_count(session) == 2  # EvOLD pruned, the other two kept
    assert claim(empty_engine, "EvRECENT", AT + timedelta(days=1, hours=1)) is False


def queue(engine: Engine) -> int:
    with session_scope(engine) as session:
        post = add_pending_post(
            session,
            method="chat.postMessage",
            payload={"channel": "C1", "text": "OA4.1 → done"},
            error="ratelimited",
            at=AT,
        )
        assert post.id is not None
        return post.id


def test_a_pending_post_is_due_after_its_backoff_and_claimed_once(empty_engine: Engine) -> None:
    post_id = queue(empty_engine)
    with session_scope(empty_engine) as session:
        assert due_pending_posts(session, at=AT) == []
        later = AT + timedelta(minutes=1)
        assert [p.id for p in due_pending_posts(session, at=later)] == [post_id]
    with session_scope(empty_engine) as session:
        claimed = claim_pending_post(session, post_id, at=later)
        assert claimed is not None and claimed.payload["text"] == "OA4.1 → done"
    with session_scope(empty_engine) as session:
        assert claim_pending_post(session, post_id, at=later) is None  # another process has it
        mark_post_sent(session, post_id, at=later)
    with session_scope(empty_engine) as session:
        assert due_pending_posts(session, at=later + timedelta(days=1)) == []


def test_a_pending_post_backs_off_then_is_given_up(empty_engine: Engine) -> None:
    post_id = queue(empty_engine)
    at = AT
    with session_scope(empty_engine) as session:
        for _ in range(MAX_ATTEMPTS - 1):
            post = mark_post_failed(session, post_id, error="service_unavailable", at=at)
            assert post is not None
        assert given_up(post)
        assert due_pending_posts(session, at=at + timedelta(days=30)) == []


def test_a_permanent_failure_gives_up_at_once(empty_engine: Engine) -> None:
    post_id = queue(empty_engine)
    with session_scope(empty_engine) as session:
        post = mark_post_failed(session, post_id, error="channel_not_found", at=AT, permanent=True)
        assert post is not None and given_up(post)
        assert post.last_error == "channel_not_found"


def test_a_claim_waits_no_longer_than_it_is_told_behind_another_writer(
    empty_engine: Engine, fresh_url: str
) -> None:
    """Behind a long write (an import) a claim gives up after its wait, and says it could not
    tell; the connection it used goes back to waiting as long as any other."""
    with write_locked(fresh_url):
        started = time.monotonic()
        assert claim_event_within(empty_engine, "EvLOCKED", AT, seconds=0.3) is None
        took = time.monotonic() - started
    assert 0.25 <= took < 1.0
    assert claim_event_within(empty_engine, "EvLOCKED", AT, seconds=0.3) is True
    assert claim_event_within(empty_engine, "EvLOCKED", AT, seconds=0.3) is False
    with empty_engine.connect() as connection:  # the pool's connection, as the next unit gets it
        if empty_engine.dialect.name == "sqlite":
            waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert waits == BUSY_TIMEOUT_MS
        else:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "0"
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
