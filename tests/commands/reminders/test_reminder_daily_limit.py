"""The reminder limit is a day's, not a run's: runs later the same day (catch-ups, a second
process, `planbot remind`) fill only what today's claims have left, and an item reminded today
gets no second thread that day, whatever changed since."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import plan_on, send, set_item
from sqlalchemy.engine import Engine

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
