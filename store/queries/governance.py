"""Reading and writing cover during leave and per-plan settings (store.models.governance).

A cover is active on a day from `starts_on` to `ends_on` inclusive unless it was ended; if two
overlap, the later one set wins (the earlier is ended when the later is set)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from store.models import (
    Action,
    DateChange,
    PaperIssued,
    Plan,
    PlanSetting,
    Role,
    RoleCover,
    RoleManager,
    Setting,
    StatusUpdate,
    Step,
)


def _active(today: date) -> ColumnElement[bool]:
    return (
        col(RoleCover.ended_at).is_(None)
        & (col(RoleCover.starts_on) <= today)
        & (col(RoleCover.ends_on) >= today)
    )


def active_covers(session: Session, today: date) -> dict[int, RoleCover]:
    """Role id -> the cover standing in for it today."""
    query = select(RoleCover).where(_active(today)).order_by(col(RoleCover.set_at))
    return {cover.role_id: cover for cover in session.exec(query)}


def covers_of(session: Session, role_id: int, today: date) -> list[RoleCover]:
    """The role's covers not ended and not over by `today` (current or starting later)."""
    query = select(RoleCover).where(
        RoleCover.role_id == role_id,
        col(RoleCover.ended_at).is_(None),
        col(RoleCover.ends_on) >= today,
    )
    return list(session.exec(query.order_by(col(RoleCover.set_at))))


def covered_roles(session: Session, user_id: str, today: date) -> dict[int, Role]:
    """The roles `user_id` stands in for today, by id."""
    query = (
        select(Role)
        .join(RoleCover, col(RoleCover.role_id) == col(Role.id))
        .where(_active(today), RoleCover.cover_user_id == user_id)
    )
    return {role.id or 0: role for role in session.exec(query)}


def add_cover(
    session: Session,
    role_id: int,
    user_id: str,
    *,
    starts_on: date,
    ends_on: date,
    by: str | None,
    at: datetime,
) -> tuple[RoleCover, list[RoleCover]]:
    """Record a cover; earlier covers of the role that it overlaps are ended. Returns the new
    cover and the ones it replaced."""
    replaced = [c for c in covers_of(session, role_id, starts_on) if c.starts_on <= ends_on]
    for old in replaced:
        old.ended_at, old.ended_by, old.end_reason = at, by, "replaced by a later cover"
        session.add(old)
    cover = RoleCover(
        role_id=role_id,
        cover_user_id=user_id,
        starts_on=starts_on,
        ends_on=ends_on,
        set_by=by,
        set_at=at,
    )
    session.add(cover)
    session.flush()
    return cover, replaced


def end_cover(session: Session, cover: RoleCover, *, by: str | None, at: datetime) -> None:
    cover.ended_at, cover.ended_by, cover.end_reason = at, by, "ended early"
    session.add(cover)
    session.flush()


def manager_role_id(session: Session, role_id: int) -> int | None:
    found = session.get(RoleManager, role_id)
    return found.manager_role_id if found else None


def plan_settings(session: Session) -> dict[int, dict[str, str]]:
    """Plan id -> the settings set for it (key -> value); a key not set takes its default."""
    found: dict[int, dict[str, str]] = {}
    for row in session.exec(select(PlanSetting)):
        found.setdefault(row.plan_id, {})[row.key] = row.value
    return found


def set_plan_setting(
    session: Session, plan: Plan, key: str, value: str, *, by: str | None, at: datetime
) -> str | None:
    """Set one setting; returns the value it had (None when it was the default)."""
    row = session.exec(
        select(PlanSetting).where(PlanSetting.plan_id == plan.id, PlanSetting.key == key)
    ).first()
    before = row.value if row else None
    if row is None:
        row = PlanSetting(plan_id=plan.id or 0, key=key, value=value, set_by=by, set_at=at)
    else:
        row.value, row.set_by, row.set_at = value, by, at
    session.add(row)
    session.flush()
    return before


def date_changes_of(session: Session, item: Action | Step) -> list[DateChange]:
    """Every date change asked for or made on an item, oldest first."""
    column = DateChange.action_id if isinstance(item, Action) else DateChange.step_id
    query = select(DateChange).where(column == item.id).order_by(col(DateChange.requested_at))
    return list(session.exec(query))


def get_date_change(session: Session, change_id: int) -> DateChange | None:
    return session.get(DateChange, change_id)


def date_changes_between(session: Session, start: datetime, end: datetime) -> list[DateChange]:
    """Date changes asked for, or decided, between two moments."""
    asked = (col(DateChange.requested_at) >= start) & (col(DateChange.requested_at) < end)
    decided = (col(DateChange.decided_at) >= start) & (col(DateChange.decided_at) < end)
    return list(session.exec(select(DateChange).where(asked | decided)))


def waiting_date_changes(session: Session) -> list[DateChange]:
    query = select(DateChange).where(DateChange.state == "requested")
    return list(session.exec(query.order_by(col(DateChange.requested_at))))


def all_date_changes(session: Session) -> list[DateChange]:
    return list(session.exec(select(DateChange).order_by(col(DateChange.requested_at))))


def claim_away_question(session: Session, key: str, *, at: datetime) -> bool:
    """True the first time `key` (role, person and status) is asked about; False after."""
    from sqlalchemy.exc import IntegrityError

    name = f"away_asked:{key}"[:100]
    if session.get(Setting, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Setting(key=name, value=at.isoformat()))
            session.flush()
    except IntegrityError:
        return False  # another process asked at the same moment
    return True


@dataclass(frozen=True)
class ItemGovernance:
    """What governance adds to an item as answers show it."""

    date_change: DateChange | None = None  # its latest, withdrawn requests left out
    evidence: str | None = None  # the latest evidence note ("Evidence: https://…")
    evidence_link: str | None = None  # the message it came in
    signed_off_by: str | None = None


def governance_of(session: Session, refs: set[str]) -> dict[str, ItemGovernance]:
    """Item reference -> its latest date change, evidence and sign-off (only those with any)."""
    if not refs:
        return {}
    changes: dict[str, DateChange] = {}
    query = select(DateChange).where(col(DateChange.ref).in_(refs), DateChange.state != "withdrawn")
    for change in session.exec(query.order_by(col(DateChange.requested_at), col(DateChange.id))):
        changes[change.ref] = change
    found: dict[str, ItemGovernance] = {
        ref: ItemGovernance(change) for ref, change in changes.items()
    }
    rows = session.exec(
        select(StatusUpdate, Action.ref, Step.ref)
        .outerjoin(Action, col(Action.id) == col(StatusUpdate.action_id))
        .outerjoin(Step, col(Step.id) == col(StatusUpdate.step_id))
        .where(col(StatusUpdate.source).in_(("evidence", "signoff")))
        .where(col(StatusUpdate.superseded).is_(False))
        .order_by(col(StatusUpdate.at), col(StatusUpdate.id))
    )
    for update, action_ref, step_ref in rows:
        ref = step_ref or action_ref
        if ref not in refs:
            continue
        now = found.get(ref, ItemGovernance())
        if update.source == "evidence":
            now = replace(now, evidence=update.note, evidence_link=update.source_ref)
        else:
            now = replace(now, signed_off_by=update.author)
        found[ref] = now
    return found


def last_paper(session: Session, kind: str, scope: str, before: date) -> PaperIssued | None:
    """The latest paper of this kind and scope with data from before `before`."""
    query = (
        select(PaperIssued)
        .where(PaperIssued.kind == kind, PaperIssued.scope == scope, PaperIssued.as_of < before)
        .order_by(col(PaperIssued.as_of).desc(), col(PaperIssued.id).desc())
    )
    return session.exec(query).first()


def record_paper(
    session: Session, kind: str, scope: str, as_of: date, *, by: str | None, at: datetime
) -> None:
    session.add(PaperIssued(kind=kind, scope=scope, as_of=as_of, written_at=at, written_by=by))
    session.flush()
