"""Queries for a person's App Home tab: the open steps of their actions, the reminder threads
they were last asked in, and each plan's actions for the headline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from store.models import Action, Plan, Reminder, Step

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
    query = (
        select(Step)
        .where(col(Step.action_id).in_(action_ids), col(Step.status).in_(OPEN))
        .order_by(col(Step.action_id), col(Step.number))
    )
    found: dict[int, list[Step]] = defaultdict(list)
    for step in session.exec(query):
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


def plan_counts(session: Session) -> list[tuple[str, list[Action]]]:
    """Each plan's title and its actions, in plan order."""
    plans = list(session.exec(select(Plan).order_by(col(Plan.id))))
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in session.exec(select(Action).order_by(col(Action.position))):
        actions[action.plan_id].append(action)
    return [(plan.title, actions[plan.id or 0]) for plan in plans]
