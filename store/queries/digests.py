"""Queries for the weekly summary's subscriptions and its once-per-week post claim.

What a summary reads of the plan is store.queries.whole_plan.

Exactly once per (subscription, week): a DigestPost row is inserted before posting (the unique
(subscription_id, week) constraint lets only one process win), `posted_at`/`ts` are written only
after Slack accepted the message, and an unposted claim older than `stale_after` may be taken over
(its owner crashed) by a compare-and-swap on `claimed_at`, so two live processes never both post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.models import (
    DigestPost,
    DigestSubscription,
)

# ---------------------------------------------------------------- subscriptions


def find_subscription(
    session: Session, *, channel: str, scope_kind: str, scope_value: str | None
) -> DigestSubscription | None:
    """The active subscription of `channel` for exactly this scope, if any."""
    query = select(DigestSubscription).where(
        DigestSubscription.channel == channel,
        DigestSubscription.scope_kind == scope_kind,
        col(DigestSubscription.active).is_(True),
    )
    query = query.where(
        col(DigestSubscription.scope_value).is_(None)
        if scope_value is None
        else DigestSubscription.scope_value == scope_value
    )
    return session.exec(query.order_by(col(DigestSubscription.id))).first()


def add_subscription(
    session: Session,
    *,
    channel: str,
    scope_kind: str,
    scope_value: str | None,
    weekday: int,
    hour: int,
    minute: int,
    timezone: str,
    created_by: str | None,
    at: datetime,
) -> DigestSubscription:
    subscription = DigestSubscription(
        channel=channel,
        scope_kind=scope_kind,
        scope_value=scope_value,
        weekday=weekday,
        hour=hour,
        minute=minute,
        timezone=timezone,
        created_by=created_by,
        created_at=at,
        active=True,
    )
    session.add(subscription)
    session.flush()
    return subscription


def reschedule_subscription(
    session: Session,
    subscription: DigestSubscription,
    *,
    weekday: int,
    hour: int,
    minute: int,
    timezone: str,
) -> None:
    subscription.weekday, subscription.hour, subscription.minute = weekday, hour, minute
    subscription.timezone = timezone
    session.add(subscription)
    session.flush()


def deactivate_subscription(session: Session, subscription: DigestSubscription) -> None:
    """Stop a subscription; the row (and the posts it made) are kept as the record."""
    subscription.active = False
    session.add(subscription)
    session.flush()


def channel_subscriptions(session: Session, channel: str) -> list[DigestSubscription]:
    query = select(DigestSubscription).where(
        DigestSubscription.channel == channel, col(DigestSubscription.active).is_(True)
    )
    return list(session.exec(query.order_by(col(DigestSubscription.id))))


def active_subscriptions(session: Session) -> list[DigestSubscription]:
    query = select(DigestSubscription).where(col(DigestSubscription.active).is_(True))
    return list(session.exec(query.order_by(col(DigestSubscription.id))))


def get_subscription(session: Session, subscription_id: int) -> DigestSubscription | None:
    return session.get(DigestSubscription, subscription_id)


# ---------------------------------------------------------------- posting once per week

ClaimState = Literal["claimed", "posted", "busy"]


@dataclass(frozen=True)
class Claim:
    """The outcome of trying to claim (subscription, week): ours to post, done, or held by another
    live process."""

    state: ClaimState
    post_id: int
    ts: str | None = None
    channel: str | None = None
    claimed_by: str | None = None
    attempts: int = 1  # more than one: an earlier try may have reached Slack


def _claim_of(post: DigestPost, state: ClaimState) -> Claim:
    return Claim(state, post.id or 0, post.ts, post.channel, post.claimed_by, post.attempts)


def claim_post(
    session: Session,
    *,
    subscription_id: int,
    week: date,
    by: str,
    now: datetime,
    stale_after: timedelta,
) -> Claim:
    """Claim the (subscription, week) post in the caller's session, committing at once.

    A new claim inserts the unique row; an existing unposted claim older than `stale_after` is
    taken over only if nobody else took it first (compare-and-swap on claimed_at).
    """
    post = DigestPost(
        subscription_id=subscription_id, week=week, claimed_at=now, claimed_by=by, attempts=1
    )
    session.add(post)
    try:
        session.commit()
        return _claim_of(post, "claimed")
    except IntegrityError:
        session.rollback()
    existing = session.exec(
        select(DigestPost).where(
            DigestPost.subscription_id == subscription_id, DigestPost.week == week
        )
    ).one()
    if existing.posted_at is not None:
        return _claim_of(existing, "posted")
    if existing.claimed_at > now - stale_after:
        return _claim_of(existing, "busy")
    result = session.execute(
        update(DigestPost)
        .where(
            col(DigestPost.id) == existing.id,
            col(DigestPost.posted_at).is_(None),
            col(DigestPost.claimed_at) == existing.claimed_at,
        )
        .values(claimed_at=now, claimed_by=by, attempts=DigestPost.attempts + 1)
    )
    session.commit()
    session.refresh(existing)
    return _claim_of(existing, "claimed" if result.rowcount == 1 else "busy")  # type: ignore[attr-defined]


def renew_claim(session: Session, *, post_id: int, by: str, now: datetime) -> bool:
    """Confirm we still hold an unposted claim and restart its clock; False if it was lost."""
    result = session.execute(
        update(DigestPost)
        .where(
            col(DigestPost.id) == post_id,
            col(DigestPost.posted_at).is_(None),
            col(DigestPost.claimed_by) == by,
        )
        .values(claimed_at=now)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def mark_summary_posted(
    session: Session, *, post_id: int, by: str, channel: str, ts: str, at: datetime
) -> bool:
    """Record that Slack accepted the summary (its channel and ts, for later edits)."""
    result = session.execute(
        update(DigestPost)
        .where(col(DigestPost.id) == post_id, col(DigestPost.posted_at).is_(None))
        .values(posted_at=at, channel=channel, ts=ts, claimed_by=by, last_error=None)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release_claim(session: Session, *, post_id: int, by: str, error: str) -> None:
    """Give up a claim after a failed post so the next run retries at once (not after the
    stale timeout); the error is kept for `digest list` and the logs."""
    session.execute(
        update(DigestPost)
        .where(
            col(DigestPost.id) == post_id,
            col(DigestPost.posted_at).is_(None),
            col(DigestPost.claimed_by) == by,
        )
        .values(claimed_by=None, claimed_at=datetime(2000, 1, 1, tzinfo=UTC), last_error=error)
    )
    session.commit()


def note_edit(session: Session, *, post_id: int, error: str | None = None) -> None:
    session.execute(
        update(DigestPost).where(col(DigestPost.id) == post_id).values(last_error=error)
    )
    session.commit()


def post_for_week(session: Session, subscription_id: int, week: date) -> DigestPost | None:
    return session.exec(
        select(DigestPost).where(
            DigestPost.subscription_id == subscription_id, DigestPost.week == week
        )
    ).first()
