"""Queries for a person's App Home tab: the open steps of their actions, the reminder threads
they were last asked in, and each plan's actions for the headline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from store.db import select_rows
from store.models import Action, ActionOwner, Plan, Reminder, Step

OPEN = ("not_started", "in_progress", "blocked")


@dataclass(frozen=True)
class HomeReminder:
    ref: str
    channel: str
    thread_ts: str
    for_date: date


def open_steps_of(session: Session, action_ids: list[int]) -> dict[int, list[Step]]:
    """Action id -> its open steps, in order."""
    if not action_ids:
        return {}
    # by action only: filtering on status in SQL leads SQLite to the status index, a full scan
    query = (
        select(Step)
        .where(col(Step.action_id).in_(action_ids))
        .order_by(col(Step.action_id), col(Step.number))
    )
    found: dict[int, list[Step]] = defaultdict(list)
    for step in session.exec(query):
        if step.status in OPEN:
            found[step.action_id].append(step)
    return found


def recent_reminders(session: Session, action_ids: list[int], most: int) -> list[HomeReminder]:
    """The latest posted reminder threads about these actions or their steps, newest first."""
    if not action_ids:
        return []
    step_ids = select(Step.id).where(col(Step.action_id).in_(action_ids))
    query = (
        select(Reminder, Action.ref, Step.ref)
        .outerjoin(Action, col(Action.id) == col(Reminder.action_id))
        .outerjoin(Step, col(Step.id) == col(Reminder.step_id))
        .where(
            col(Reminder.posted_at).is_not(None),
            col(Reminder.thread_ts).is_not(None),
            col(Reminder.channel).is_not(None),
            col(Reminder.action_id).in_(action_ids) | col(Reminder.step_id).in_(step_ids),
        )
        .order_by(col(Reminder.posted_at).desc(), col(Reminder.id).desc())
        .limit(most)
    )
    return [
        HomeReminder(action_ref or step_ref or "", r.channel or "", r.thread_ts or "", r.for_date)
        for r, action_ref, step_ref in session.exec(query)
    ]


@dataclass(frozen=True)
class ActionState:
    """What an action's colour is worked out from, without the rest of its row."""

    status: str
    due_date: date | None
    declared_rag: str | None
    last_update_at: datetime | None
    cadence: str | None
    awaiting: str | None


def plan_states(session: Session, most: int) -> list[tuple[str, list[ActionState]]]:
    """The first `most` plans' titles and their actions' states, in plan order (columns only)."""
    plans = session.exec(select(Plan).order_by(col(Plan.id)).limit(most))
    titles = [(plan.id, plan.title) for plan in plans]
    query = select_rows(
        Action.plan_id,
        Action.status,
        Action.due_date,
        Action.declared_rag,
        Action.last_update_at,
        Action.cadence,
        Action.awaiting,
    ).where(col(Action.plan_id).in_([plan_id for plan_id, _ in titles]))
    states: dict[int, list[ActionState]] = defaultdict(list)
    for plan_id, *fields in session.exec(query):
        states[plan_id].append(ActionState(*fields))
    return [(title, states[plan_id or 0]) for plan_id, title in titles]


def actions_of_roles(session: Session, role_ids: list[int]) -> list[Action]:
    """The actions these roles own, once each, in plan order."""
    if not role_ids:
        return []
    owned = select(ActionOwner.action_id).where(col(ActionOwner.role_id).in_(role_ids)).distinct()
    query = (
        select(Action)
        .where(col(Action.id).in_(owned))
        .order_by(col(Action.plan_id), col(Action.position), col(Action.id))
    )
    return list(session.exec(query))
