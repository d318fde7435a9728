"""Queries for the weekly summary: subscriptions, the once-per-week post claim, and the data read.

Exactly once per (subscription, week): a DigestPost row is inserted before posting (the unique
(subscription_id, week) constraint lets only one process win), `posted_at`/`ts` are written only
after Slack accepted the message, and an unposted claim older than `stale_after` may be taken over
(its owner crashed) by a compare-and-swap on `claimed_at`, so two live processes never both post.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.db import select_rows
from store.models import (
    Action,
    ActionOwner,
    Area,
    DigestPost,
    DigestSubscription,
    Plan,
    Reminder,
    Role,
    RoleMember,
    StatusUpdate,
    Step,
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


# ---------------------------------------------------------------- what the summary reads
# Plain rows read by column (no ORM objects): the summary reads every item of every plan, and
# 10,000 actions with their steps and history load several times faster this way. The rows carry
# the attributes store.queries.state.derive_state reads, so history replays exactly as for the
# tables.


@dataclass(frozen=True)
class PlanRow:
    id: int
    key: str
    title: str


@dataclass(frozen=True)
class AreaRow:
    id: int
    plan_id: int
    ref: str
    title: str


@dataclass(frozen=True)
class ItemRow:
    """An action (step_of None) or a step (step_of = its action's id), as the summary needs it."""

    id: int
    ref: str
    title: str
    planned_due: date | None
    planned_due_as_written: str | None
    cadence: str | None
    plan_id: int = 0
    area_id: int = 0
    oa_refs: tuple[str, ...] = ()
    step_of: int | None = None


@dataclass(frozen=True)
class UpdateRow:
    id: int
    action_id: int | None
    step_id: int | None
    at: datetime
    author: str | None
    source: str
    old_status: str | None
    new_status: str | None
    old_rag: str | None
    new_rag: str | None
    old_due: date | None
    new_due: date | None
    new_due_as_written: str | None
    note: str | None
    superseded: bool
    deleted: bool
    needs: str | None = None


@dataclass(frozen=True)
class RoleRow:
    id: int
    name: str
    key: str
    head_of_service: bool
    group: bool


@dataclass(frozen=True)
class PlanTree:
    """Every plan, area, action and step, with owners and role holders, read in a few queries."""

    plans: list[PlanRow]
    areas: list[AreaRow]
    actions: list[ItemRow]
    steps: list[ItemRow]
    owners: dict[int, list[str]]  # action id -> owner role names, in document order
    owner_role_ids: dict[int, list[int]]  # action id -> owner role ids
    roles: dict[int, RoleRow]
    holders: dict[int, list[str]]  # role id -> active holders' user ids (group roles expanded)
    roles_of_user: dict[str, list[str]]  # user id -> role names held


def load_plan_tree(session: Session) -> PlanTree:
    # Long but straight: one query per table, in the order the rows refer to each other.
    plans = [
        PlanRow(*row)
        for row in session.execute(
            select_rows(Plan.id, Plan.key, Plan.title).order_by(col(Plan.id))
        )
    ]
    areas = [
        AreaRow(*row)
        for row in session.execute(
            select_rows(Area.id, Area.plan_id, Area.ref, Area.title).order_by(
                col(Area.plan_id), col(Area.position)
            )
        )
    ]
    actions = [
        ItemRow(
            id=row.id,
            ref=row.ref,
            title=row.title,
            planned_due=row.planned_due,
            planned_due_as_written=row.planned_due_as_written,
            cadence=row.cadence,
            plan_id=row.plan_id,
            area_id=row.area_id,
            oa_refs=tuple(row.oa_refs or ()),
        )
        for row in session.execute(
            select_rows(
                Action.id,
                Action.ref,
                Action.title,
                Action.planned_due,
                Action.planned_due_as_written,
                Action.cadence,
                Action.plan_id,
                Action.area_id,
                Action.oa_refs,
            )
            .where(col(Action.missing_from_source).is_(False))
            .order_by(col(Action.plan_id), col(Action.position), col(Action.id))
        )
    ]
    steps = [
        ItemRow(
            id=row.id,
            ref=row.ref,
            title=row.text,
            planned_due=row.planned_due,
            planned_due_as_written=row.planned_due_as_written,
            cadence=row.cadence,
            step_of=row.action_id,
        )
        for row in session.execute(
            select_rows(
                Step.id,
                Step.ref,
                Step.text,
                Step.planned_due,
                Step.planned_due_as_written,
                Step.cadence,
                Step.action_id,
            )
            .where(col(Step.missing_from_source).is_(False))
            .order_by(col(Step.action_id), col(Step.number))
        )
    ]
    roles = {
        row.id: RoleRow(row.id, row.name, row.key, bool(row.head_of_service), bool(row.group))
        for row in session.execute(
            select_rows(Role.id, Role.name, Role.key, Role.head_of_service, Role.group)
        )
    }
    owners: dict[int, list[str]] = defaultdict(list)
    owner_role_ids: dict[int, list[int]] = defaultdict(list)
    for action_id, role_id in session.execute(
        select_rows(ActionOwner.action_id, ActionOwner.role_id).order_by(
            col(ActionOwner.action_id), col(ActionOwner.position)
        )
    ):
        role = roles.get(role_id)
        if role is not None:
            owners[action_id].append(role.name)
            owner_role_ids[action_id].append(role_id)
    direct: dict[int, list[str]] = defaultdict(list)
    roles_of_user: dict[str, list[str]] = defaultdict(list)
    for role_id, user_id in session.execute(
        select_rows(RoleMember.role_id, RoleMember.user_id)
        .where(col(RoleMember.active).is_(True))
        .order_by(col(RoleMember.id))
    ):
        direct[role_id].append(user_id)
        if role_id in roles:
            roles_of_user[user_id].append(roles[role_id].name)
    heads = [u for rid, role in roles.items() if role.head_of_service for u in direct.get(rid, [])]
    holders: dict[int, list[str]] = {}
    for role_id, role in roles.items():
        users = list(direct.get(role_id, []))
        if role.group:
            users = list(dict.fromkeys([*heads, *users]))
        holders[role_id] = users
    return PlanTree(
        plans, areas, actions, steps, dict(owners), dict(owner_role_ids), roles, holders,
        dict(roles_of_user),
    )  # fmt: skip


def updates_until(session: Session, until: datetime) -> list[UpdateRow]:
    """Every update recorded at or before `until`, oldest first: replaying them gives the state
    of the plan at that time (the summary's "last week" and trend figures)."""
    u = StatusUpdate
    query = (
        select_rows(
            u.id,
            u.action_id,
            u.step_id,
            u.at,
            u.author,
            u.source,
            u.old_status,
            u.new_status,
            u.old_rag,
            u.new_rag,
            u.old_due,
            u.new_due,
            u.new_due_as_written,
            u.note,
            u.superseded,
            u.deleted,
            u.needs,
        )
        .where(col(u.at) <= until)
        .order_by(col(u.at), col(u.id))
    )
    return [UpdateRow(*row) for row in session.execute(query)]


def unanswered_reminders(session: Session, *, posted_before: datetime) -> list[Reminder]:
    """Reminders posted before `posted_before` that nobody has answered (or snoozed)."""
    query = select(Reminder).where(
        col(Reminder.posted_at).is_not(None),
        col(Reminder.posted_at) <= posted_before,
        col(Reminder.answered_at).is_(None),
    )
    return list(session.exec(query.order_by(col(Reminder.posted_at))))
