"""`digest subscribe | list | unsubscribe | preview`, through the router as people type them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from commands.caller import TERMINAL, Caller
from commands.clock import Clock
from commands.digest.result import DigestResult
from commands.digest.subscriptions import (
    DigestSubscriptionResult,
    WhenError,
    fire_time,
    next_fire,
    split_when,
)
from commands.request import Request
from commands.router import handle
from store.db import session_scope
from store.models import DigestSubscription
from store.queries.digests import active_subscriptions

CLOCK = Clock.fixed_at(datetime(2023, 2, 15, 10, 0))  # a Wednesday
ALICE = Caller(user_id="UALICE001", channel_id="CPERF0001")
BOB = Caller(user_id="UBOB00001", channel_id="CPERF0001")
ADMIN = Caller(user_id="UADMIN001", channel_id="CPERF0001", is_admin=True)


def say(engine: Engine, text: str, caller: Caller = ALICE):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return handle(session, Request(text=text, caller=caller, clock=CLOCK))


def subscriptions(engine: Engine) -> list[DigestSubscription]:
    with Session(engine) as session:
        return active_subscriptions(session)


@pytest.mark.parametrize(
    ("text", "scope", "weekday", "hour", "minute", "zone"),
    [
        ("", "", 0, 8, 30, "Europe/London"),
        ("monday 8:30", "", 0, 8, 30, "Europe/London"),
        ("tue 09:00", "", 1, 9, 0, "Europe/London"),
        ("friday 4pm", "", 4, 16, 0, "Europe/London"),
        ("OA4 thursday at 12pm", "OA4", 3, 12, 0, "Europe/London"),
        ("Head of MASH fri 4:30 pm", "Head of MASH", 4, 16, 30, "Europe/London"),
        ("P7 wed 7.45 America/New_York", "P7", 2, 7, 45, "America/New_York"),
        ("all 12am", "all", 0, 0, 0, "Europe/London"),
    ],
)
def test_day_and_time_as_people_write_them(
    text: str, scope: str, weekday: int, hour: int, minute: int, zone: str
) -> None:
    rest, when = split_when(text)
    assert (rest, when.weekday, when.hour, when.minute, when.timezone) == (
        scope,
        weekday,
        hour,
        minute,
        zone,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("monday 25:00", "not a time of day"),
        ("fri 13pm", "not a time"),
        ("mon 9:00 Mars/Base", "not a timezone"),
    ],
)
def test_bad_times_are_refused_calmly(text: str, message: str) -> None:
    with pytest.raises(WhenError, match=message):
        split_when(text)


def test_subscribe_defaults_to_monday_0830_london(york_engine: Engine) -> None:
    result = say(york_engine, "digest subscribe")
    assert isinstance(result, DigestSubscriptionResult)
    assert result.outcome == "subscribed"
    assert "Anyone in this channel may subscribe" in result.message
    [line] = result.subscriptions
    assert line.scope.kind == "all"
    assert line.when == "Mondays at 08:30 (Europe/London)"
    assert line.next_at == datetime(2023, 2, 20, 8, 30, tzinfo=ZoneInfo("Europe/London"))
    [row] = subscriptions(york_engine)
    assert (row.channel, row.weekday, row.hour, row.minute, row.created_by) == (
        "CPERF0001", 0, 8, 30, "UALICE001"
    )  # fmt: skip


def test_subscribe_to_an_area_a_plan_and_a_role(york_engine: Engine) -> None:
    assert say(york_engine, "digest subscribe OA4 tue 09:00").outcome == "subscribed"
    assert say(york_engine, "digest subscribe ambition friday 4pm").outcome == "subscribed"
    assert say(york_engine, 'digest subscribe "Head of MASH"').outcome == "subscribed"
    scopes = {(s.scope_kind, s.scope_value, s.weekday, s.hour) for s in subscriptions(york_engine)}
    assert scopes == {
        ("area", "OA4", 1, 9),
        ("plan", "ambition-2022", 4, 16),
        ("role", "Head of MASH", 0, 8),
    }
    listed = say(york_engine, "digest list", BOB)
    assert listed.outcome == "list" and len(listed.subscriptions) == 3


def test_same_scope_again_moves_it_only_for_its_owner_or_an_admin(york_engine: Engine) -> None:
    say(york_engine, "digest subscribe P7")
    assert say(york_engine, "digest subscribe P7").outcome == "already"
    refused = say(york_engine, "digest subscribe P7 friday 10:00", BOB)
    assert refused.outcome == "refused" and refused.contact == "UALICE001"
    assert subscriptions(york_engine)[0].weekday == 0
    moved = say(york_engine, "digest subscribe P7 friday 10:00", ADMIN)
    assert moved.outcome == "rescheduled"
    assert (subscriptions(york_engine)[0].weekday, subscriptions(york_engine)[0].hour) == (4, 10)


def test_unsubscribe_is_for_the_creator_or_an_admin(york_engine: Engine) -> None:
    say(york_engine, "digest subscribe OA4")
    say(york_engine, "digest subscribe P7", BOB)
    ambiguous = say(york_engine, "digest unsubscribe")
    assert ambiguous.outcome == "error" and "several" in ambiguous.message
    refused = say(york_engine, "digest unsubscribe OA4", BOB)
    assert refused.outcome == "refused"
    assert len(subscriptions(york_engine)) == 2
    assert say(york_engine, "digest unsubscribe p7", BOB).outcome == "unsubscribed"
    assert say(york_engine, "digest unsubscribe oa 4", ADMIN).outcome == "unsubscribed"
    assert subscriptions(york_engine) == []
    nothing = say(york_engine, "digest unsubscribe")
    assert nothing.outcome == "error" and "no weekly summary" in nothing.message


def test_subscribing_needs_a_channel_and_a_known_scope(york_engine: Engine) -> None:
    dm = say(york_engine, "digest subscribe", Caller(user_id="UALICE001", channel_id="DALICE001"))
    assert dm.outcome == "error" and "in the channel" in dm.message
    unknown = say(york_engine, "digest subscribe weather monday 9:00")
    assert unknown.outcome == "error" and "don't know the scope 'weather'" in unknown.message
    bad = say(york_engine, "digest subscribe OA4 monday 31:00")
    assert bad.outcome == "error" and "not a time of day" in bad.message
    verb = say(york_engine, "digest explode")
    assert verb.outcome == "error" and "digest subscribe" in verb.message
    assert subscriptions(york_engine) == []


def test_list_from_the_terminal_covers_every_channel(york_engine: Engine) -> None:
    nothing = say(york_engine, "digest list", TERMINAL)
    assert nothing.message == (
        "No channel has a weekly summary. Start one with `/plan digest subscribe`."
    )
    say(york_engine, "digest subscribe P7")
    say(york_engine, "digest subscribe OA4", Caller(user_id="UALICE001", channel_id="COTHER001"))
    listed = say(york_engine, "digest list", TERMINAL)
    assert listed.message == "2 weekly summaries in 2 channels."
    assert [(s.channel, s.scope.value) for s in listed.subscriptions] == [
        ("CPERF0001", "P7"),
        ("COTHER001", "OA4"),
    ]


def test_preview_is_this_weeks_summary_for_the_channels_scope(york_engine: Engine) -> None:
    say(york_engine, "digest subscribe P7")
    preview = say(york_engine, "digest preview", BOB)
    assert isinstance(preview, DigestResult)
    assert preview.scope.value == "P7" and preview.week == date(2023, 2, 13)
    assert {a.ref for a in preview.areas} == {"P7"}
    everything = say(york_engine, "digest preview all")
    assert everything.scope.kind == "all"


def test_fire_times_follow_the_subscriptions_timezone_across_the_clock_change() -> None:
    sub = DigestSubscription(channel="C1", weekday=0, hour=8, minute=30, timezone="Europe/London")
    before = fire_time(sub, date(2023, 3, 20))
    after = fire_time(sub, date(2023, 3, 27))  # BST began on Sunday 26 March
    assert before.astimezone(ZoneInfo("UTC")).hour == 8
    assert after.astimezone(ZoneInfo("UTC")).hour == 7
    york = DigestSubscription(
        channel="C2", weekday=0, hour=8, minute=30, timezone="America/New_York"
    )
    monday = datetime(2023, 3, 20, 12, 0, tzinfo=ZoneInfo("UTC"))  # 08:00 in New York (EDT)
    assert next_fire(york, monday) == datetime(2023, 3, 20, 12, 30, tzinfo=ZoneInfo("UTC"))
    assert next_fire(york, monday + timedelta(hours=1)).date() == date(2023, 3, 27)
