"""One thread per lead, and a plan's first days ramping up: the daily limit holds a per-lead
plan only while it ramps up (RAMP_DAYS from its first reminder), most urgent first; after that a
lead's thread lists every item due. A plan set to per_item keeps the limit every day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from reminder_test_helpers import plan_on, send, threads_per_item
from sqlalchemy.engine import Engine

from commands.reminders.leads import lead_threads
from commands.reminders.policy import RAMP_DAYS, OwnerView

WEDNESDAY = date(2023, 2, 15)
FIRST_RUN = WEDNESDAY - timedelta(days=RAMP_DAYS + 7)


def test_a_plans_first_run_sends_the_most_urgent_and_spreads_the_rest(
    york_engine: Engine,
) -> None:
    first = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=25)
    assert len(first.due) == 25 and first.deferred_count == 42
    assert all(r.per_lead for r in first.due)
    reasons = [r.reason for r in first.due]
    assert reasons == sorted(reasons, key=["due", "overdue", "before", "cadence", "stale"].index)
    for reminder in first.due:
        send(york_engine, reminder, WEDNESDAY)
    tomorrow = plan_on(york_engine, date(2023, 2, 16), reminder_max_per_day=25)
    assert [r.ref for r in tomorrow.due] == [r.ref for r in first.deferred[:25]]


def test_after_the_ramp_a_per_lead_plan_sends_every_item_due(york_engine: Engine) -> None:
    for reminder in plan_on(york_engine, FIRST_RUN, reminder_max_per_day=500).due:
        send(york_engine, reminder, FIRST_RUN)
    later = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=5)
    assert len(later.due) > 5 and later.deferred_count == 0


def test_a_per_item_plan_keeps_the_daily_limit_after_its_first_days(
    york_engine: Engine, york_url: str
) -> None:
    threads_per_item(york_url)
    for reminder in plan_on(york_engine, FIRST_RUN, reminder_max_per_day=500).due:
        send(york_engine, reminder, FIRST_RUN)
    later = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=5)
    assert len(later.due) == 5 and not any(r.per_lead for r in later.due)


def test_reminders_are_grouped_one_thread_per_person_and_channel(york_engine: Engine) -> None:
    due = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=500).due
    qa = OwnerView("Head of QA", ("U1", "U2", "U3"))
    covered = OwnerView("Head of MASH", ("U4",), cover="U5")
    nobody = OwnerView("Director of Safeguarding", ())
    made = [
        replace(due[0], owners=(qa,)),
        replace(due[1], owners=(covered,)),
        replace(due[2], owners=(nobody,)),
        replace(due[3], owners=(qa, covered)),
    ]
    threads = {t.user: t for t in lead_threads(made, WEDNESDAY, by_dm={"U2"})}
    assert set(threads) == {"U1", "U2", "U3", "U5", None}  # the covered holder is not asked
    assert threads["U1"].refs == (due[0].ref, due[3].ref)
    assert threads["U2"].channel is None and threads["U1"].channel == due[0].channel
    assert [i.covering for i in threads["U5"].items] == ["Head of MASH", "Head of MASH"]
    assert threads[None].refs == (due[2].ref,)
    assert threads["U1"].key == f"lead:{WEDNESDAY}:U1:{due[0].channel}"
    assert threads["U2"].key == f"lead:{WEDNESDAY}:U2:dm"
