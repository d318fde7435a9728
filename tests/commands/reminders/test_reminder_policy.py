"""Which reminders are due on a day (commands.reminders.policy), on York's plans with fixed
clocks."""

from __future__ import annotations

from datetime import date, timedelta

from reminder_test_helpers import give_role, plan_on, send, set_item
from sqlalchemy.engine import Engine

from commands.reminders.policy import DueReminder, ReminderPlan, cadence_period
from store.db import session_scope
from store.queries.history import find_item
from store.queries.reminders import get_reminder, snooze
from store.queries.roles import mark_inactive


def for_ref(plan: ReminderPlan, ref: str) -> list[DueReminder]:
    return [r for r in (*plan.due, *plan.deferred) if r.ref == ref]


def reasons(engine: Engine, ref: str, day: date) -> list[str]:
    return [r.reason for r in for_ref(plan_on(engine, day), ref)]


def send_for(engine: Engine, ref: str, day: date) -> DueReminder:
    [reminder] = for_ref(plan_on(engine, day), ref)
    send(engine, reminder, day)
    return reminder


# P5.6 (Head of Corporate Parenting, in progress) is the item most scenarios move around.


def test_a_week_before_on_the_day_and_not_in_between(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 3, 1), due=date(2023, 3, 15))  # a Wednesday
    assert reasons(york_engine, "P5.6", date(2023, 3, 7)) == []
    before = send_for(york_engine, "P5.6", date(2023, 3, 8))
    assert (before.reason, before.for_date) == ("before", date(2023, 3, 8))
    for quiet_day in (date(2023, 3, 9), date(2023, 3, 13), date(2023, 3, 14)):
        assert reasons(york_engine, "P5.6", quiet_day) == []
    due = send_for(york_engine, "P5.6", date(2023, 3, 15))
    assert due.reason == "due" and due.due == date(2023, 3, 15)


def test_overdue_is_chased_weekly(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 1, 2), due=date(2023, 1, 4))
    send_for(york_engine, "P5.6", date(2023, 1, 4))  # due
    assert reasons(york_engine, "P5.6", date(2023, 1, 10)) == []
    first = send_for(york_engine, "P5.6", date(2023, 1, 11))
    assert first.reason == "overdue" and first.for_date == date(2023, 1, 11)
    for day in (date(2023, 1, 12), date(2023, 1, 13), date(2023, 1, 16), date(2023, 1, 17)):
        assert reasons(york_engine, "P5.6", day) == []
    second = send_for(york_engine, "P5.6", date(2023, 1, 18))
    assert second.reason == "overdue" and second.key != first.key


def test_weekend_reminders_wait_for_monday(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 2, 20), due=date(2023, 3, 4))  # a Saturday
    saturday = plan_on(york_engine, date(2023, 2, 25))  # its week-before day is a Saturday too
    assert saturday.day_off == "Saturday" and saturday.due == ()
    assert plan_on(york_engine, date(2023, 2, 26)).day_off == "Sunday"
    before = send_for(york_engine, "P5.6", date(2023, 2, 27))
    assert (before.reason, before.for_date) == ("before", date(2023, 2, 25))
    assert reasons(york_engine, "P5.6", date(2023, 3, 3)) == []
    due = send_for(york_engine, "P5.6", date(2023, 3, 6))  # Monday after the Saturday due date
    assert (due.reason, due.for_date) == ("due", date(2023, 3, 4))


def test_good_friday_and_easter_monday_move_to_tuesday(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 4, 3), due=date(2023, 4, 7))
    friday = plan_on(york_engine, date(2023, 4, 7))
    assert friday.day_off == "Good Friday (bank holiday)" and friday.due == ()
    assert "bank holiday" in (plan_on(york_engine, date(2023, 4, 10)).day_off or "")
    due = send_for(york_engine, "P5.6", date(2023, 4, 11))
    assert (due.reason, due.for_date) == ("due", date(2023, 4, 7))


def test_coronation_bank_holiday_is_not_a_working_day(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 5, 1), due=date(2023, 5, 6))  # Saturday
    assert "Coronation" in (plan_on(york_engine, date(2023, 5, 8)).day_off or "")
    due = send_for(york_engine, "P5.6", date(2023, 5, 9))
    assert (due.reason, due.for_date) == ("due", date(2023, 5, 6))


def test_a_weekly_cadence_gets_one_reminder_a_week(york_engine: Engine) -> None:
    # OA3.1 "Performance reviewed weekly", reopened.
    set_item(york_engine, "OA3.1", at=date(2023, 2, 10), status="in_progress")
    monday = send_for(york_engine, "OA3.1", date(2023, 2, 13))
    assert monday.reason == "cadence" and monday.cadence == "weekly"
    assert monday.for_date == date(2023, 2, 13)
    for day in (date(2023, 2, 14), date(2023, 2, 17)):
        assert reasons(york_engine, "OA3.1", day) == []
    next_week = send_for(york_engine, "OA3.1", date(2023, 2, 20))
    assert next_week.reason == "cadence" and next_week.key != monday.key


def test_a_quarterly_cadence_gets_one_reminder_a_quarter(york_engine: Engine) -> None:
    set_item(
        york_engine, "OA1.5", at=date(2023, 3, 30), status="in_progress"
    )  # "Quarterly reporting"
    first = send_for(york_engine, "OA1.5", date(2023, 4, 3))
    assert first.reason == "cadence" and first.for_date == date(2023, 4, 1)
    set_item(york_engine, "OA1.5", at=date(2023, 4, 20))  # kept fresh: no stale nudges
    assert reasons(york_engine, "OA1.5", date(2023, 5, 15)) == []
    set_item(york_engine, "OA1.5", at=date(2023, 6, 20))
    assert reasons(york_engine, "OA1.5", date(2023, 7, 3)) == ["cadence"]


def test_cadence_periods() -> None:
    assert cadence_period("weekly", date(2023, 2, 15)) == ("2023-W07", date(2023, 2, 13))
    assert cadence_period("monthly", date(2023, 2, 15)) == ("2023-02", date(2023, 2, 1))
    assert cadence_period("quarterly", date(2023, 2, 15)) == ("2023-Q1", date(2023, 1, 1))
    assert cadence_period("fortnightly", date(2023, 1, 10))[1] == date(2023, 1, 2)  # weeks 1-2


def test_a_silent_action_is_nudged_once_per_28_days(york_engine: Engine) -> None:
    set_item(york_engine, "P4.3", at=date(2023, 1, 2))  # in progress, no due date
    assert reasons(york_engine, "P4.3", date(2023, 1, 27)) == []  # 25 days
    nudge = send_for(york_engine, "P4.3", date(2023, 1, 30))  # 28 days
    assert nudge.reason == "stale" and nudge.days_silent == 28
    for day in (date(2023, 1, 31), date(2023, 2, 13), date(2023, 2, 24)):
        assert reasons(york_engine, "P4.3", day) == []
    assert reasons(york_engine, "P4.3", date(2023, 2, 27)) == ["stale"]  # 56 days
    set_item(york_engine, "P4.3", at=date(2023, 2, 27))  # an update resets the clock
    assert reasons(york_engine, "P4.3", date(2023, 3, 6)) == []


def test_stale_days_is_a_setting(york_engine: Engine) -> None:
    set_item(york_engine, "P4.3", at=date(2023, 1, 2))
    plan = plan_on(york_engine, date(2023, 1, 16), reminder_stale_days=14)
    assert [r.reason for r in for_ref(plan, "P4.3")] == ["stale"]


def test_days_before_is_a_setting(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 3, 1), due=date(2023, 3, 15))
    plan = plan_on(york_engine, date(2023, 3, 1), reminder_days_before=14)
    assert [r.reason for r in for_ref(plan, "P5.6")] == ["before"]


def test_a_snoozed_item_is_left_alone_until_the_snooze_ends(york_engine: Engine) -> None:
    set_item(york_engine, "P5.6", at=date(2023, 1, 2), due=date(2023, 1, 4))
    [reminder] = for_ref(plan_on(york_engine, date(2023, 1, 4)), "P5.6")
    row_id = send(york_engine, reminder, date(2023, 1, 4))
    with session_scope(york_engine) as session:
        row = get_reminder(session, row_id)
        assert row is not None
        snooze(session, row, until=date(2023, 1, 20))
    assert reasons(york_engine, "P5.6", date(2023, 1, 11)) == []
    assert reasons(york_engine, "P5.6", date(2023, 1, 18)) == []
    assert reasons(york_engine, "P5.6", date(2023, 1, 20)) == ["overdue"]


def test_first_run_on_york_is_spread_out_one_reminder_per_item(york_engine: Engine) -> None:
    plan = plan_on(york_engine, date(2023, 2, 15), reminder_max_per_day=25)
    assert len(plan.due) == 25 and plan.deferred
    refs = [r.ref for r in (*plan.due, *plan.deferred)]
    assert len(refs) == len(set(refs))
    assert [r.reason for r in plan.due][:3] == ["overdue"] * 3  # most urgent first
    for reminder in plan.due:
        send(york_engine, reminder, date(2023, 2, 15))
    tomorrow = plan_on(york_engine, date(2023, 2, 16), reminder_max_per_day=25)
    assert {r.ref for r in tomorrow.due} == {r.ref for r in plan.deferred[:25]}
    assert not {r.ref for r in tomorrow.due} & {r.ref for r in plan.due}


def test_a_step_with_its_own_due_date_has_its_own_thread(york_engine: Engine) -> None:
    plan = plan_on(york_engine, date(2023, 2, 15))
    steps = {r.ref: r for r in (*plan.due, *plan.deferred) if r.kind == "step"}
    assert "P7.5.3" in steps and steps["P7.5.3"].step_id is not None
    # P1.4.2 is due the same day as P1.4 (31 Jan 2023): chased in P1.4's thread only.
    assert "P1.4.2" not in steps and for_ref(plan, "P1.4")


def test_unfilled_roles_are_flagged_in_every_run_weekends_included(york_engine: Engine) -> None:
    saturday = plan_on(york_engine, date(2023, 2, 18))
    flagged = {role.role: role.refs for role in saturday.unfilled}
    assert "P7.5" in flagged["Head of MASH"]
    assert "P5.13" in saturday.no_owner
    give_role(york_engine, "Head of MASH", "U0MASH001")
    plan = plan_on(york_engine, date(2023, 2, 15))
    assert "Head of MASH" not in {role.role for role in plan.unfilled}
    [p75] = for_ref(plan, "P7.5")
    assert p75.mentions == ("U0MASH001",)


def test_a_deactivated_holder_leaves_the_role_flagged(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", "U0MASH001")
    with session_scope(york_engine) as session:
        assert mark_inactive(session, "U0MASH001") == 1
    plan = plan_on(york_engine, date(2023, 2, 15))
    [mash] = [role for role in plan.unfilled if role.role == "Head of MASH"]
    assert mash.deactivated == ("U0MASH001",)
    [p75] = for_ref(plan, "P7.5")
    assert p75.mentions == ()


def test_all_hos_reaches_every_head_of_service(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", "U0MASH001")
    give_role(york_engine, "Head of QA", "U0QUAL001")
    plan = plan_on(york_engine, date(2023, 3, 13))
    [p710] = for_ref(plan, "P7.10")  # Virtual Head; Heads of Service
    assert set(p710.mentions) == {"U0MASH001", "U0QUAL001"}


def test_a_month_of_daily_runs_repeats_no_reminder_within_a_week(york_engine: Engine) -> None:
    seen: set[str] = set()
    last: dict[str, tuple[date, str]] = {}
    day = date(2023, 2, 15)
    while day <= date(2023, 3, 17):
        for reminder in plan_on(york_engine, day).due:
            assert reminder.key not in seen
            if reminder.ref in last and reminder.reason in ("overdue", "cadence", "stale"):
                assert (day - last[reminder.ref][0]).days >= 7, reminder
            seen.add(reminder.key)
            last[reminder.ref] = (day, reminder.reason)
            send(york_engine, reminder, day)
        day += timedelta(days=1)
    assert len(seen) > 60


def test_the_item_is_found_by_reference(york_engine: Engine) -> None:
    with session_scope(york_engine) as session:
        assert find_item(session, "oa 4.1") is not None
        assert find_item(session, "P7.5.3") is not None
        assert find_item(session, "P99.1") is None
