"""The reminder limit is a day's, not a run's: runs later the same day (catch-ups, a second
process, `planbot remind`) fill only what today's claims have left, and an item reminded today
gets no second thread that day, whatever changed since."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import plan_on, send, set_item
from sqlalchemy.engine import Engine

from store.db import session_scope
from store.queries.reminders import set_reminders_channel

WEDNESDAY = date(2023, 2, 15)


def test_items_answered_after_the_first_run_do_not_let_more_through_that_day(
    york_engine: Engine,
) -> None:
    first = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=3)
    assert len(first.due) == 3 and first.deferred_count > 0
    for reminder in first.due:
        send(york_engine, reminder, WEDNESDAY)
    # Two leads answer "done": their items leave the open list the plan is drawn from.
    for reminder in first.due[:2]:
        set_item(york_engine, reminder.ref, at=WEDNESDAY, status="done")
    later = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=3)
    assert later.due == ()
    assert later.claimed_today == 3
    assert later.deferred_count == first.deferred_count  # they wait for tomorrow, none lost
    tomorrow = plan_on(york_engine, date(2023, 2, 16), reminder_max_per_day=3)
    assert [r.ref for r in tomorrow.due] == [r.ref for r in first.deferred[:3]]


def test_a_limit_raised_during_the_day_posts_only_the_difference(york_engine: Engine) -> None:
    first = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=4)
    for reminder in first.due:
        send(york_engine, reminder, WEDNESDAY)
    raised = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=6)
    assert [r.ref for r in raised.due] == [r.ref for r in first.deferred[:2]]


def test_an_item_reminded_today_gets_no_second_thread_when_its_due_date_moves(
    york_engine: Engine,
) -> None:
    [p75] = [r for r in plan_on(york_engine, WEDNESDAY).due if r.ref == "P7.5"]
    assert p75.reason == "overdue"
    send(york_engine, p75, WEDNESDAY)
    # The lead replies "slipping to 20 Feb": five days away, a new "before" reminder's key.
    set_item(york_engine, "P7.5", at=WEDNESDAY, due=date(2023, 2, 20))
    again = plan_on(york_engine, WEDNESDAY)
    assert "P7.5" not in {r.ref for r in (*again.due, *again.deferred)}
    tomorrow = plan_on(york_engine, date(2023, 2, 16))
    assert [r.reason for r in tomorrow.due if r.ref == "P7.5"] == ["before"]


def test_a_plan_with_no_channel_takes_no_place_and_the_other_plans_nudges_go(
    york_engine: Engine,
) -> None:
    """The Ambition Plan has 67 reminders due and nowhere to post them (no channel of its own, no
    default); they must not fill the day's limit, run after run, ahead of the Ofsted plan's."""
    with session_scope(york_engine) as session:
        set_reminders_channel(session, "COFSTED01", "ofsted-2022")
    for ref in ("OA1.1", "OA1.2"):  # reopened in January and silent since: a stale nudge each
        set_item(york_engine, ref, at=date(2023, 1, 2), status="in_progress")
    plan = plan_on(york_engine, WEDNESDAY, reminder_max_per_day=3, reminders_channel=None)
    assert [(r.ref, r.reason, r.channel) for r in plan.due] == [
        ("OA1.1", "stale", "COFSTED01"),
        ("OA1.2", "stale", "COFSTED01"),
    ]
    assert plan.deferred == () and plan.no_channel == ("Ambition Plan",)
    # Once the Ambition Plan has a channel its reminders take their places, most urgent first.
    with session_scope(york_engine) as session:
        set_reminders_channel(session, "CAMBITION", "ambition-2022")
    later = plan_on(york_engine, date(2023, 2, 17), reminder_max_per_day=3, reminders_channel=None)
    assert [r.channel for r in later.due] == ["CAMBITION"] * 3 and later.no_channel == ()
    assert [r.reason for r in later.due] == ["overdue"] * 3
