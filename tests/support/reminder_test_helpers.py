"""Helpers for the reminders-and-replies tests: requests on a fixed clock, and York items set up
with the due date, status and last update a scenario needs (written through the store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.engine import Engine

from commands.caller import TERMINAL, Caller
from commands.clock import Clock
from commands.reminders.policy import DueReminder, ReminderPlan, plan_reminders
from commands.request import Policy, Request, UnknownWorkspace, Workspace
from store.db import make_engine, session_scope
from store.queries.governance import set_plan_setting
from store.queries.history import find_item
from store.queries.paper_items import all_plans
from store.queries.reminders import claim_reminder, mark_reminder_posted
from store.queries.roles import assign, find_role
from store.queries.state import record_update

REMINDERS_CHANNEL = "CREMIND01"
PLAN_POLICY = Policy(
    reminder_days_before=7,
    reminder_stale_days=28,
    reminder_max_per_day=500,
    reminders_channel=REMINDERS_CHANNEL,
)


def make_request(
    text: str = "",
    *,
    user: str | None = None,
    today: date = date(2023, 2, 15),
    admins: tuple[str, ...] = (),
    channel: str | None = REMINDERS_CHANNEL,
    workspace: Workspace | None = None,
    **settings: Any,
) -> Request:
    policy = replace(Policy(admins=admins, reminders_channel=REMINDERS_CHANNEL), **settings)
    caller = (
        replace(TERMINAL, channel_id=channel)  # no user: the terminal operator
        if user is None
        else Caller(user_id=user, channel_id=channel, is_admin=user in admins)
    )
    return Request(
        text=text,
        caller=caller,
        clock=Clock.fixed_at(today),
        policy=policy,
        workspace=workspace or UnknownWorkspace(),
    )


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def set_item(
    engine: Engine,
    ref: str,
    *,
    at: date,
    status: str | None = None,
    due: date | None = None,
) -> None:
    """Record an admin update on `ref` dated `at` (so its last update is that day)."""
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None, ref
        record_update(session, item, at=noon(at), source="admin", status=status, due=due)


def give_role(engine: Engine, role: str, user: str) -> None:
    with session_scope(engine) as session:
        found = find_role(session, role)
        assert found is not None, role
        assign(session, found, user, by=None, at=noon(date(2023, 1, 2)))


def post_thread(
    engine: Engine, ref: str, *, ts: str, on: date, channel: str = REMINDERS_CHANNEL
) -> int:
    """A reminder thread for `ref`, as if the reminder run had posted it at `ts`."""
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None, ref
        step = item.ref.count(".") == 2
        row = claim_reminder(
            session,
            key=f"test:{ref}:{ts}",
            action_id=None if step else item.id,
            step_id=item.id if step else None,
            reason="due",
            for_date=on,
            at=noon(on),
            by="test",
        )
        assert row is not None and row.id is not None
        mark_reminder_posted(session, row.id, channel=channel, thread_ts=ts, at=noon(on))
        return row.id


def slack_ts(day: date, seconds: int = 0) -> str:
    """A Slack message ts on `day` at noon UTC."""
    return f"{noon(day).timestamp() + seconds:.6f}"


def plan_on(engine: Engine, day: date, **settings: Any) -> ReminderPlan:
    """The reminders due on `day`, with the test policy overridden by `settings`."""
    with session_scope(engine) as session:
        return plan_reminders(session, today=day, policy=replace(PLAN_POLICY, **settings))


def send(engine: Engine, reminder: DueReminder, day: date) -> int:
    """Claim a reminder as the run does when it posts it (at noon UTC on `day`); its id."""
    with session_scope(engine) as session:
        row = claim_reminder(
            session,
            key=reminder.key,
            action_id=reminder.action_id,
            step_id=reminder.step_id,
            reason=reminder.reason,
            for_date=reminder.for_date,
            at=noon(day),
            by="test",
        )
        assert row is not None and row.id is not None
        return row.id


def threads_per_item(url: str) -> None:
    """Every plan's reminders in a thread of their own (`reminder_threads per_item`, the way they
    went before issue 17): for the tests that pin an item's own thread."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        for plan in all_plans(session):
            set_plan_setting(
                session, plan, "reminder_threads", "per_item", by=None, at=noon(date(2023, 1, 2))
            )
    engine.dispose()
