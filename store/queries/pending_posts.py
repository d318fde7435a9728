"""Slack posts that matter and failed for a passing reason (rate limit, outage), to retry later.

A post is queued with its Web API method and payload; the retry job claims due posts one at a time
by pushing their next try into the future in a single UPDATE, so two processes never send the same
post at once, then marks each done or schedules the next try with a growing delay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from store.models import PendingPost

MAX_ATTEMPTS = 8
CLAIM_FOR = timedelta(minutes=5)  # long enough for one send, short enough to recover from a crash


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes between tries, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def add_pending_post(
    session: Session, *, method: str, payload: dict[str, Any], error: str, at: datetime
) -> PendingPost:
    post = PendingPost(
        method=method,
        payload=payload,
        attempts=1,
        last_error=error[:2000],
        created_at=at,
        next_try_at=at + backoff(1),
    )
    session.add(post)
    session.flush()
    return post


def due_pending_posts(session: Session, *, at: datetime, limit: int = 50) -> Sequence[PendingPost]:
    """Posts not yet sent, not given up on, whose next try is due at `at`, oldest first."""
    statement = (
        select(PendingPost)
        .where(col(PendingPost.done_at).is_(None))
        .where(PendingPost.attempts < MAX_ATTEMPTS)
        .where(PendingPost.next_try_at <= at)
        .order_by(col(PendingPost.next_try_at), col(PendingPost.id))
        .limit(limit)
    )
    return session.exec(statement).all()


def claim_pending_post(session: Session, post_id: int, *, at: datetime) -> PendingPost | None:
    """Take `post_id` for sending now; None if another process took it first (or it is done)."""
    statement = (
        update(PendingPost)
        .where(col(PendingPost.id) == post_id)
        .where(col(PendingPost.done_at).is_(None))
        .where(col(PendingPost.next_try_at) <= at)
        .values(next_try_at=at + CLAIM_FOR)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(PendingPost, post_id)


def mark_post_sent(session: Session, post_id: int, *, at: datetime) -> None:
    post = session.get(PendingPost, post_id)
    if post is not None:
        post.done_at = at
        session.add(post)


def mark_post_failed(
    session: Session, post_id: int, *, error: str, at: datetime, permanent: bool = False
) -> PendingPost | None:
    """Record another failed try; a permanent failure, or the MAX_ATTEMPTS-th, gives the post up
    (it is kept, for the record, but no longer due)."""
    post = session.get(PendingPost, post_id)
    if post is None:
        return None
    post.attempts = MAX_ATTEMPTS if permanent else post.attempts + 1
    post.last_error = error[:2000]
    post.next_try_at = at + backoff(post.attempts)
    session.add(post)
    return post


def given_up(post: PendingPost) -> bool:
    return post.done_at is None and post.attempts >= MAX_ATTEMPTS


def pending_posts(session: Session) -> Sequence[PendingPost]:
    """Every queued post, sent or not (tests and diagnostics)."""
    return session.exec(select(PendingPost).order_by(col(PendingPost.id))).all()
