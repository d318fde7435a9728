"""The scheduler's reminder catch-up (bot.reminder_jobs.catch_up_reminders) against the fake
Slack: it runs only in a working day's reminder hours, posts what a failed post or a bot that was
down at the hour left behind, and never goes past the day's limit however often it runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_slack import Call, FakeSlack
from slack_sdk import WebClient

from bot.reminder_jobs import catch_up_reminders, run_reminders
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.slack_client import build_web_client, retry_handlers
from commands.clock import Clock
from store.db import make_engine, session_scope
from store.history import find_item
from store.reminders import posted_reminders
from store.state import record_update

CHANNEL = "CCATCHUP1"
LIMIT = 4
MakeRuntime = Callable[[datetime], Runtime]


@pytest.fixture
def at(york_url: str, fake_slack: FakeSlack) -> Iterator[MakeRuntime]:
    """A runtime on the test's York store with the clock fixed at a local (London) time."""
    made: list[Runtime] = []

    def make(when: datetime) -> Runtime:
        settings = load_settings(
            slack_bot_token=fake_slack.token,
            slack_api_url=fake_slack.api_url,
            database_url=york_url,
            planbot_today=None,
            planbot_reminders_channel=CHANNEL,
            planbot_reminder_max_per_day=LIMIT,
            planbot_reminder_hour=9,
        )
        runtime = Runtime(settings, Clock.fixed_at(when), make_engine(york_url))
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.engine.dispose()


def catch_up(runtime: Runtime) -> bool:
    """One catch-up run; whether it ran at all."""
    return catch_up_reminders(runtime, build_web_client(runtime.settings)) is not None


def reminder_posts(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.answered_ok("chat.postMessage") if c.payload["channel"] == CHANNEL]


def mark_done(url: str, ref: str, when: datetime) -> None:
    """A lead's "done" recorded on `ref` (as a reply in its thread would)."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        record_update(session, item, at=when.astimezone(UTC), source="admin", status="done")
    engine.dispose()


def refs(calls: list[Call]) -> list[str]:
    return [call.payload["text"].split()[1] for call in calls]  # "Reminder: P7.5 …"


def test_catch_up_runs_only_on_working_days_from_the_reminder_hour(
    at: MakeRuntime, fake_slack: FakeSlack
) -> None:
    for when in (
        datetime(2023, 2, 13, 8, 59),  # Monday, before the hour
        datetime(2023, 2, 13, 18, 0),  # Monday evening
        datetime(2023, 2, 18, 11, 0),  # Saturday
        datetime(2023, 4, 7, 11, 0),  # Good Friday
    ):
        assert not catch_up(at(when)), when
    assert fake_slack.calls_to("chat.postMessage") == []
    assert catch_up(at(datetime(2023, 2, 13, 9, 0)))
    assert len(reminder_posts(fake_slack)) == LIMIT


def test_a_failed_post_goes_at_the_next_catch_up_and_the_day_stays_within_its_limit(
    at: MakeRuntime, fake_slack: FakeSlack, york_url: str
) -> None:
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    assert catch_up(at(datetime(2023, 2, 13, 10, 0)))
    first = reminder_posts(fake_slack)
    assert len(first) == LIMIT - 1  # the failed one gave its claim back

    assert catch_up(at(datetime(2023, 2, 13, 10, 30)))
    second = reminder_posts(fake_slack)[len(first) :]
    assert len(second) == 1 and refs(second)[0] not in refs(first)

    # A lead answers "done": the next catch-up that day posts nothing in its place.
    mark_done(york_url, refs(first)[0], datetime(2023, 2, 13, 10, 45, tzinfo=UTC))
    assert catch_up(at(datetime(2023, 2, 13, 11, 0)))
    today = reminder_posts(fake_slack)
    assert len(today) == LIMIT and len(set(refs(today))) == LIMIT

    assert catch_up(at(datetime(2023, 2, 14, 9, 30)))  # Tuesday: the next ones
    tuesday = reminder_posts(fake_slack)[LIMIT:]
    assert len(tuesday) == LIMIT and not set(refs(tuesday)) & set(refs(today))
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        rows = posted_reminders(session)
    engine.dispose()
    assert len(rows) == 2 * LIMIT and len({r.key for r in rows}) == 2 * LIMIT


class SlackTakesButAnswersLate:
    """chat.postMessage and conversations.history for one channel, where Slack keeps the first
    `late` posts but answers them only after the client has given up (a lost answer)."""

    def __init__(self, fake: FakeSlack, *, late: int, history: bool = True) -> None:
        self.fake, self.late, self.kept = fake, late, []
        self.client = WebClient(
            token=fake.token, base_url=fake.api_url, timeout=1, retry_handlers=retry_handlers()
        )
        fake.handlers["chat.postMessage"] = self.post
        if history:
            fake.handlers["conversations.history"] = self.history

    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        ts = self.fake.next_ts()
        self.kept.append({"type": "message", "ts": ts, "metadata": payload.get("metadata")})
        if len(self.kept) <= self.late:
            time.sleep(1.5)
        return {"ok": True, "channel": payload["channel"], "ts": ts}

    def history(self, payload: dict[str, Any]) -> dict[str, Any]:
        assert payload["channel"] == CHANNEL and payload["include_all_metadata"] == "true"
        return {"ok": True, "messages": list(self.kept)}


def test_a_reminder_slack_kept_though_its_answer_was_lost_is_not_posted_again(
    at: MakeRuntime, fake_slack: FakeSlack
) -> None:
    slack = SlackTakesButAnswersLate(fake_slack, late=1)
    runtime = at(datetime(2023, 2, 13, 9, 0))
    report = run_reminders(runtime, slack.client)
    assert report.failed == ()
    assert len(report.posted) == len(slack.kept) == LIMIT  # found in the history, not re-posted
    with session_scope(runtime.engine) as session:
        threads = {row.thread_ts for row in posted_reminders(session)}
    assert slack.kept[0]["ts"] in threads  # replies under that thread reach its reminder

    run_reminders(at(datetime(2023, 2, 13, 9, 30)), slack.client)  # the catch-up: nothing to do
    assert len(slack.kept) == LIMIT


def test_a_lost_answer_with_no_thread_in_the_history_is_tried_again(
    at: MakeRuntime, fake_slack: FakeSlack
) -> None:
    slack = SlackTakesButAnswersLate(fake_slack, late=1, history=False)  # history unreadable
    report = run_reminders(at(datetime(2023, 2, 13, 9, 0)), slack.client)
    assert len(report.failed) == 1 and len(report.posted) == LIMIT - 1
    later = run_reminders(at(datetime(2023, 2, 13, 9, 30)), slack.client)
    assert later.posted and later.posted[0][0] == report.failed[0]  # its claim was given back
