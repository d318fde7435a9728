"""The rows a committee paper reads: plans, areas, owners' names, and an area's actions, steps
and their updates up to a moment (commands/reports/facts.py works out what they say)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.models import Action, ActionOwner, Area, Plan, Role, StatusUpdate, Step


def all_plans(session: Session) -> list[Plan]:
    """Every plan, in the order they were loaded."""
    return list(session.exec(select(Plan).order_by(col(Plan.id))))


def plan_called(session: Session, text: str) -> Plan | None:
    """The plan `text` names: its key (`ofsted-2022`), the key's first word, prefix or title."""
    wanted = text.strip().lower()
    for plan in all_plans(session):
        key = plan.key.lower()
        if wanted in (key, key.split("-")[0], plan.prefix.lower(), plan.title.lower()):
            return plan
    return None


def areas_of(session: Session, plan_id: int) -> list[Area]:
    query = select(Area).where(Area.plan_id == plan_id).order_by(col(Area.position))
    return list(session.exec(query))


def area_by_ref(session: Session, ref: str) -> Area | None:
    return session.exec(select(Area).where(col(Area.ref).ilike(ref))).first()


def owner_names(session: Session) -> dict[int, str]:
    """Action id -> its owner roles' names, in document order, joined with commas."""
    rows = session.exec(
        select(ActionOwner.action_id, Role.name)
        .join(Role, col(Role.id) == col(ActionOwner.role_id))
        .order_by(col(ActionOwner.action_id), col(ActionOwner.position))
    )
    names: dict[int, list[str]] = defaultdict(list)
    for action_id, name in rows:
        names[action_id].append(name)
    return {action_id: ", ".join(found) for action_id, found in names.items()}


def area_rows(
    session: Session, area_id: int, before: datetime
) -> tuple[list[Action], list[Step], list[StatusUpdate]]:
    """An area's actions and steps, and their undeleted updates made before `before`."""
    query = select(Action).where(Action.area_id == area_id).order_by(col(Action.position))
    actions = list(session.exec(query))
    ids = [action.id for action in actions]
    steps = list(
        session.exec(select(Step).where(col(Step.action_id).in_(ids)).order_by(col(Step.number)))
    )
    updates = list(
        session.exec(
            select(StatusUpdate)
            .where(col(StatusUpdate.at) < before, col(StatusUpdate.deleted).is_(False))
            .where(
                col(StatusUpdate.action_id).in_(ids)
                | col(StatusUpdate.step_id).in_([step.id for step in steps])
            )
        )
    )
    return actions, steps, updates


def first_update_on(session: Session, plan_id: int) -> date | None:
    """The day of the first update recorded on any of a plan's actions or steps."""
    on_actions = (
        select(func.min(StatusUpdate.at))
        .join(Action, col(Action.id) == col(StatusUpdate.action_id))
        .where(Action.plan_id == plan_id)
    )
    on_steps = (
        select(func.min(StatusUpdate.at))
        .join(Step, col(Step.id) == col(StatusUpdate.step_id))
        .join(Action, col(Action.id) == col(Step.action_id))
        .where(Action.plan_id == plan_id)
    )
    found = [at for query in (on_actions, on_steps) if (at := session.exec(query).one())]
    return min(found).date() if found else None
