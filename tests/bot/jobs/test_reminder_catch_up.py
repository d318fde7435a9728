"""The scheduler's reminder catch-up (bot.jobs.reminders.catch_up_reminders) against the fake
Slack: it runs only in a working day's reminder hours, posts what a failed post or a bot that was
down at the hour left behind, and never goes past the day's limit however often it runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_slack import Call, FakeSlack, post_message
from reminder_test_helpers import threads_per_item
from slack_sdk import WebClient

from bot.jobs.reminders import catch_up_reminders, run_reminders
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.slack.client import build_web_client, retry_handlers
from commands.clock import Clock
from store.db import make_engine, session_scope
from store.queries.history import find_item
from store.queries.reminders import posted_reminders, set_reminders_channel
from store.queries.state import record_update

CHANNEL = "CCATCHUP1"
LIMIT = 4
MakeRuntime = Callable[[datetime], Runtime]


@pytest.fixture
def at(york_url: str, fake_slack: FakeSlack) -> Iterator[MakeRuntime]:
    """A runtime on the test's York store with the clock fixed at a local (London) time, each item
    in a thread of its own."""
    threads_per_item(york_url)
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


def test_a_plan_with_no_channel_leaves_the_days_places_to_one_that_has_one(
    york_url: str, fake_slack: FakeSlack
) -> None:
    """No default channel: the Ambition Plan's many due reminders cannot be posted and take no
    place in the limit; the Ofsted plan's, which has a channel, are posted the same day."""
    threads_per_item(york_url)
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        set_reminders_channel(session, CHANNEL, "ofsted-2022")
        for ref in ("OA1.1", "OA1.2"):  # reopened in January, silent since
            item = find_item(session, ref)
            assert item is not None
            at = datetime(2023, 1, 2, 12, tzinfo=UTC)
            record_update(session, item, at=at, source="admin", status="in_progress")
    settings = load_settings(
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        database_url=york_url,
        planbot_today=None,
        planbot_reminders_channel=None,
        planbot_reminder_max_per_day=LIMIT,
    )
    runtime = Runtime(settings, Clock.fixed_at(datetime(2023, 2, 13, 9, 0)), engine)
    report = run_reminders(runtime, build_web_client(settings))
    engine.dispose()
    assert [(ref, channel) for ref, channel, _ in report.posted] == [
        ("OA1.1", CHANNEL),
        ("OA1.2", CHANNEL),
    ]
    assert refs(reminder_posts(fake_slack)) == ["OA1.1", "OA1.2"]
    assert report.failed == () and report.plan.no_channel == ("Ambition Plan",)
    assert "No reminders channel for Ambition Plan" in report.summary


class SlackTakesButAnswersLate:
    """chat.postMessage in the reminders channel, as the fake answers it, except that Slack keeps
    the first `late` posts but answers them only after the client has given up (a lost answer).
    What Slack kept is the fake's history of the channel, which conversations.history reads."""

    def __init__(self, fake: FakeSlack, *, late: int) -> None:
        self.fake, self.late, self.answered_late = fake, late, 0
        self.client = WebClient(
            token=fake.token, base_url=fake.api_url, timeout=1, retry_handlers=retry_handlers()
        )
        fake.handlers["chat.postMessage"] = self.post

    @property
    def kept(self) -> list[dict[str, Any]]:
        return list(self.fake.history.get(CHANNEL, []))

    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        answer = post_message(self.fake, payload)
        if self.answered_late < self.late:
            self.answered_late += 1
            time.sleep(1.5)
        return answer

    def settle(self) -> None:
        """Wait for the fake to finish answering the late posts: its threads outlive the client's
        wait, and what they record must not land among the next test's calls."""
        self.fake.wait_for(
            "chat.postMessage", len(self.kept), where=lambda c: not c.payload.get("_failed")
        )


@pytest.fixture
def slack_takes(fake_slack: FakeSlack) -> Iterator[Callable[..., SlackTakesButAnswersLate]]:
    made: list[SlackTakesButAnswersLate] = []

    def make(*, late: int) -> SlackTakesButAnswersLate:
        made.append(SlackTakesButAnswersLate(fake_slack, late=late))
        return made[-1]

    yield make
    for slack in made:
        slack.settle()


SlackTakes = Callable[..., SlackTakesButAnswersLate]


def threads(runtime: Runtime) -> set[str | None]:
    with session_scope(runtime.engine) as session:
        return {row.thread_ts for row in posted_reminders(session)}


def test_a_reminder_slack_kept_though_its_answer_was_lost_is_not_posted_again(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    slack = slack_takes(late=1)
    runtime = at(datetime(2023, 2, 13, 9, 0))
    report = run_reminders(runtime, slack.client)
    assert report.failed == ()
    assert len(report.posted) == len(slack.kept) == LIMIT  # found in the history, not re-posted
    assert slack.kept[0]["ts"] in threads(runtime)  # replies under that thread reach its reminder
    run_reminders(at(datetime(2023, 2, 13, 9, 30)), slack.client)  # the catch-up: nothing to do
    assert len(slack.kept) == LIMIT


def test_a_reminder_slack_kept_before_the_connection_dropped_is_not_sent_again(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """Slack took the post, then the connection closed with no answer: the client does not send
    it again blind (which would double it); the channel's history shows it was taken."""
    slack = slack_takes(late=0)
    fake_slack.fail_next("chat.postMessage", status=0, kept=True)
    runtime = at(datetime(2023, 2, 13, 9, 0))
    report = run_reminders(runtime, slack.client)
    assert fake_slack.calls_to("chat.postMessage")[0].answered == 0  # no answer at all
    assert report.failed == ()
    assert len(report.posted) == len(slack.kept) == LIMIT
    assert slack.kept[0]["ts"] in threads(runtime)


def test_a_reminder_is_found_by_its_block_when_history_shows_no_metadata(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """An app without the metadata.message:read scope gets the history without metadata: the
    post Slack kept is still found, by the block_id that carries the same key."""
    slack = slack_takes(late=0)
    fake_slack.metadata_readable = False
    fake_slack.fail_next("chat.postMessage", status=0, kept=True)
    runtime = at(datetime(2023, 2, 13, 9, 0))
    report = run_reminders(runtime, slack.client)
    assert report.failed == ()
    assert len(report.posted) == len(slack.kept) == LIMIT  # not posted twice
    assert slack.kept[0]["ts"] in threads(runtime)
    [looked] = fake_slack.answered_ok("conversations.history")
    assert looked.payload["include_all_metadata"] == "true"  # asked for, and not given


def test_a_5xx_is_looked_up_before_the_post_is_sent_again(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """A 500 from Slack may come after it posted the message: the post goes again only once the
    history shows Slack does not have it."""
    slack = slack_takes(late=0)
    fake_slack.fail_next("chat.postMessage", status=500, kept=True)  # taken, then a 500
    report = run_reminders(at(datetime(2023, 2, 13, 9, 0)), slack.client)
    assert report.failed == () and len(report.posted) == len(slack.kept) == LIMIT
    assert len(fake_slack.calls_to("chat.postMessage")) == LIMIT  # the 500 was not retried
    fake_slack.fail_next("chat.postMessage", status=503)  # refused, nothing kept
    fake_slack.history.clear()
    again = run_reminders(at(datetime(2023, 2, 14, 9, 0)), slack.client)
    assert again.failed == () and len(again.posted) == len(slack.kept) == LIMIT
    assert len(fake_slack.calls_to("conversations.history")) == 2


def test_a_reminder_in_doubt_is_looked_for_by_the_next_run_not_posted_again(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """Slack kept a post whose answer was lost, and the history could not be read just then: the
    reminder is in doubt, no run posts it blind, and the next run finds and records the thread."""
    slack = slack_takes(late=1)
    fake_slack.fail_next("conversations.history", error="internal_error")
    report = run_reminders(at(datetime(2023, 2, 13, 9, 0)), slack.client)
    assert len(report.failed) == 1 and len(report.posted) == LIMIT - 1
    runtime = at(datetime(2023, 2, 13, 9, 30))
    later = run_reminders(runtime, slack.client)
    assert later.posted == () and later.failed == ()
    assert len(slack.kept) == LIMIT  # found, not posted again
    assert slack.kept[0]["ts"] in threads(runtime)


def test_a_reminder_whose_channel_stays_unreadable_is_given_back_after_three_runs(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """While the history cannot be read, a reminder in doubt still counts as claimed; after
    MAX_UNSETTLED_CHECKS runs it is given back and posted again (a double beats a lost one)."""
    slack = slack_takes(late=1)
    fake_slack.fail_next("conversations.history", 4, error="internal_error")  # every look
    first = run_reminders(at(datetime(2023, 2, 13, 9, 0)), slack.client)
    [doubtful] = first.failed
    for minute in (10, 20):
        run = run_reminders(at(datetime(2023, 2, 13, 9, minute)), slack.client)
        assert run.posted == () and len(slack.kept) == LIMIT
    given_back = run_reminders(at(datetime(2023, 2, 13, 9, 30)), slack.client)
    assert [ref for ref, _, _ in given_back.posted] == [doubtful]
    assert len(slack.kept) == LIMIT + 1


def test_a_reminder_whose_process_died_mid_post_is_found_not_doubled(
    at: MakeRuntime, fake_slack: FakeSlack, slack_takes: SlackTakes
) -> None:
    """Slack took the thread, then the process died before recording it: once the claim is
    stale, the next run finds the thread in the channel and records it."""
    slack = slack_takes(late=0)
    runtime = at(datetime(2023, 2, 13, 9, 0))
    first = run_reminders(runtime, slack.client)
    assert len(first.posted) == LIMIT
    _, _, lost_ts = first.posted[0]
    with session_scope(runtime.engine) as session:  # as if it had died before mark_reminder_posted
        row = next(r for r in posted_reminders(session) if r.thread_ts == lost_ts)
        row.posted_at, row.thread_ts = None, None
        session.add(row)
    soon = run_reminders(at(datetime(2023, 2, 13, 9, 10)), slack.client)
    assert soon.posted == () and soon.taken_elsewhere == ()  # still claimed by the dead process
    assert lost_ts not in threads(runtime)
    later = run_reminders(at(datetime(2023, 2, 13, 9, 45)), slack.client)
    assert later.posted == ()
    assert lost_ts in threads(runtime) and len(slack.kept) == LIMIT


def test_a_dropped_connection_is_retried_for_an_ordinary_post(fake_slack: FakeSlack) -> None:
    """An answer in a channel carries no metadata to look for: a dropped connection is tried
    again, since a second copy is better than none."""
    client = WebClient(
        token=fake_slack.token, base_url=fake_slack.api_url, retry_handlers=retry_handlers()
    )
    fake_slack.fail_next("chat.postMessage", status=0)
    response = client.chat_postMessage(channel="CANSWERS1", text="2 actions open under OA4")
    assert response["ok"]
    assert [c.answered for c in fake_slack.calls_to("chat.postMessage")] == [0, 200]
