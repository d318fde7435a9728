"""Posting the weekly summary through the fake Slack API: exactly once per (subscription, week)
across restarts, retries, crashes and a second process; catch-up after downtime; timezones and the
clock change; the chart; correcting a posted summary in place."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fake_slack import FakeSlack
from sqlmodel import Session, select

from bot.jobs import digest as digest_jobs
from bot.jobs.digest import STALE_CLAIM, post_summary, repost, run_due_digests
from bot.jobs.scheduler import SUMMARIES_JOB, start_scheduler
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.slack.client import build_web_client
from commands.clock import Clock
from commands.digest.scope import ALL
from commands.digest.summary import compose_digest
from store.db import make_engine, session_scope
from store.models import Action, DigestPost
from store.queries.digests import (
    add_subscription,
    claim_post,
    deactivate_subscription,
    get_subscription,
)
from store.queries.state import record_update

LONDON = ZoneInfo("Europe/London")
CHANNEL = "CPERF0001"
MONDAY_0830 = datetime(2023, 2, 13, 8, 30, tzinfo=LONDON)
CREATED = datetime(2023, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def make_runtime(york_url: str, fake_slack: FakeSlack) -> Any:
    """Runtimes on the test's York store (one per "process"), the clock fixed where asked."""
    made: list[Runtime] = []

    def make(when: datetime = MONDAY_0830) -> Runtime:
        settings = load_settings(
            slack_bot_token=fake_slack.token,
            slack_api_url=fake_slack.api_url,
            database_url=york_url,
            planbot_today=None,
        )
        runtime = Runtime(settings, Clock.fixed_at(when), make_engine(york_url))
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.engine.dispose()


def subscribe(
    runtime: Runtime,
    channel: str = CHANNEL,
    *,
    weekday: int = 0,
    hour: int = 8,
    minute: int = 30,
    timezone: str = "Europe/London",
    created: datetime = CREATED,
    scope: tuple[str, str | None] = ("all", None),
) -> int:
    with session_scope(runtime.engine) as session:
        subscription = add_subscription(
            session, channel=channel, scope_kind=scope[0], scope_value=scope[1],
            weekday=weekday, hour=hour, minute=minute, timezone=timezone, created_by="UALICE001",
            at=created,
        )  # fmt: skip
        return subscription.id or 0


def posts(runtime: Runtime) -> list[DigestPost]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(DigestPost).order_by(DigestPost.id)))  # type: ignore[arg-type]


def summaries(fake: FakeSlack, channel: str = CHANNEL) -> list[Any]:
    return [c for c in fake.answered_ok("chat.postMessage") if c.payload["channel"] == channel]


def test_posts_once_with_chart_and_records_the_ts(make_runtime: Any, fake_slack: FakeSlack) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    first = post_summary(runtime, client, sub)
    assert first.outcome == "posted" and first.chart
    [call] = summaries(fake_slack)
    assert call.payload["text"].startswith("Weekly summary: All plans · week of 13 Feb 2023")
    with Session(runtime.engine) as session:  # every overdue item is in the post (or its thread)
        york = compose_digest(session, ALL, runtime.clock)
    assert york.total("overdue") == len(york.overdue) == 30
    assert all(item.ref in call.payload["text"] for item in york.overdue)
    assert call.payload["metadata"]["event_payload"] == {
        "subscription_id": sub,
        "week": "2023-02-13",
    }
    assert call.payload["blocks"][0]["type"] == "header"
    [row] = posts(runtime)
    assert (row.week, row.channel, row.ts) == (date(2023, 2, 13), CHANNEL, first.ts)
    assert row.posted_at is not None
    completed = fake_slack.answered_ok("files.completeUploadExternal")
    assert len(completed) == 1 and len(fake_slack.uploads) == 1
    [asked] = fake_slack.answered_ok("files.getUploadURLExternal")
    assert asked.payload["alt_txt"].startswith("Bar chart of actions by area and colour: OA1 6")
    assert "of the actions the plan gives a date: 7 due by now, 0 done" in asked.payload["alt_txt"]
    [png] = fake_slack.uploads.values()
    assert png.startswith(b"\x89PNG")

    again = post_summary(runtime, client, sub)
    assert (again.outcome, again.ts) == ("already", first.ts)
    restarted = make_runtime(MONDAY_0830 + timedelta(hours=3))  # a new process, same database
    assert run_due_digests(restarted, build_web_client(restarted.settings)) == []
    assert len(summaries(fake_slack)) == 1


def test_what_the_summary_cannot_hold_is_posted_in_its_thread(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    with session_scope(runtime.engine) as session:  # every open Ambition action slips
        for action in session.exec(select(Action).where(Action.status != "done")):
            record_update(session, action, at=datetime(2023, 1, 20, tzinfo=UTC), source="chat",
                          due=date(2023, 1, 31))  # fmt: skip
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    posted = post_summary(runtime, client, sub, chart=False)
    [summary, *replies] = summaries(fake_slack)
    overdue = next(
        b["text"]["text"] for b in summary.payload["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("*Overdue")
    )  # fmt: skip
    assert overdue.endswith("more overdue in the thread below_")
    assert replies and all(r.payload["thread_ts"] == posted.ts for r in replies)
    titles = [r.payload["text"].split("\n")[0] for r in replies]
    assert any(t.startswith("OVERDUE, NEWEST SLIPS FIRST (75), CONTINUED") for t in titles)
    assert any(t.startswith("EXCEPTIONS: 52 RED, 0 NEWLY AMBER, CONTINUED") for t in titles)
    everything = "\n".join(c.payload["text"] for c in (summary, *replies))
    with Session(runtime.engine) as session:
        result = compose_digest(session, ALL, runtime.clock)
    assert result.total("overdue") == 75 and len(result.overdue) == 50  # the summary carries 50
    assert all(item.ref in everything for item in result.overdue)  # each posted, in the thread
    assert "…and 25 more — ask me “anything overdue?” for the full list" in everything


def test_rate_limits_and_server_errors_are_retried(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", 1, status=429, retry_after=1)
    fake_slack.fail_next("chat.postMessage", 1, status=503)
    result = post_summary(runtime, client, sub, chart=False)
    assert result.outcome == "posted"
    assert len(fake_slack.calls_to("chat.postMessage")) == 3
    assert len(summaries(fake_slack)) == 1


def test_a_post_that_still_fails_is_recorded_only_once_it_is_posted(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", 1, error="fatal_error")  # not worth retrying at once
    failed = post_summary(runtime, client, sub, chart=False)
    assert failed.outcome == "failed"
    [row] = posts(runtime)
    assert row.posted_at is None and row.ts is None and row.claimed_by is None
    assert row.last_error
    later = make_runtime(MONDAY_0830 + timedelta(minutes=5))
    [retried] = run_due_digests(later, client, chart=False)
    assert retried.outcome == "posted"
    [row] = posts(runtime)
    assert row.ts == retried.ts and row.attempts == 2
    assert len(summaries(fake_slack)) == 1


def test_a_crashed_claim_is_taken_over_only_once_stale(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    with session_scope(runtime.engine) as session:  # a process claimed, then died
        claim_post(
            session, subscription_id=sub, week=date(2023, 2, 13), by="dead-process",
            now=MONDAY_0830.astimezone(UTC), stale_after=STALE_CLAIM,
        )  # fmt: skip
    soon = post_summary(runtime, client, sub, now=MONDAY_0830 + timedelta(minutes=5), chart=False)
    assert soon.outcome == "busy" and summaries(fake_slack) == []
    late = post_summary(
        runtime, client, sub, now=MONDAY_0830 + STALE_CLAIM + timedelta(minutes=1), chart=False
    )
    assert late.outcome == "posted"
    assert len(summaries(fake_slack)) == 1


def test_a_post_slack_accepted_before_a_crash_is_found_not_doubled(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """The process died after Slack accepted the summary but before recording it: the next one
    finds the summary in the channel (by its metadata) and records it instead of posting again."""
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)

    in_channel: list[dict[str, Any]] = []  # what conversations.history answers

    def history(payload: dict[str, Any]) -> dict[str, Any]:
        assert payload["channel"] == CHANNEL and payload["include_all_metadata"] == "true"
        return {"ok": True, "messages": in_channel}

    fake_slack.handlers["conversations.history"] = history
    with session_scope(runtime.engine) as session:
        claim_post(
            session, subscription_id=sub, week=date(2023, 2, 13), by="dead-process",
            now=MONDAY_0830.astimezone(UTC), stale_after=STALE_CLAIM,
        )  # fmt: skip
    accepted_metadata = {
        "event_type": "planbot_digest",
        "event_payload": {"subscription_id": sub, "week": "2023-02-13"},
    }
    accepted = client.chat_postMessage(
        channel=CHANNEL, text="Weekly summary", metadata=accepted_metadata
    )
    in_channel.append({"type": "message", "ts": accepted["ts"], "metadata": accepted_metadata})
    later = MONDAY_0830 + STALE_CLAIM * 2
    result = post_summary(runtime, client, sub, now=later, chart=False)
    assert (result.outcome, result.ts) == ("recovered", accepted["ts"])
    assert len(summaries(fake_slack)) == 1
    assert len(fake_slack.answered_ok("conversations.history")) == 1
    [row] = posts(runtime)
    assert row.posted_at is not None and (row.channel, row.ts) == (CHANNEL, accepted["ts"])


def test_a_summary_slack_kept_before_the_connection_dropped_is_found_not_doubled(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """Slack took the summary, then closed the connection unanswered: it is not sent again blind;
    the channel's history shows it went, and that thread is recorded."""
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.fail_next("chat.postMessage", status=0, kept=True)
    posted = post_summary(runtime, build_web_client(runtime.settings), sub, chart=False)
    [kept] = fake_slack.history[CHANNEL]
    assert (posted.outcome, posted.ts) == ("posted", kept["ts"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    [row] = posts(runtime)
    assert row.ts == kept["ts"]


def test_a_summary_is_found_by_its_block_when_history_shows_no_metadata(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """Without the metadata.message:read scope the history has no metadata: the summary Slack
    kept is found by its first block's block_id, and not posted twice."""
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.metadata_readable = False
    fake_slack.fail_next("chat.postMessage", status=0, kept=True)
    posted = post_summary(runtime, build_web_client(runtime.settings), sub, chart=False)
    [kept] = fake_slack.history[CHANNEL]
    assert (posted.outcome, posted.ts) == ("posted", kept["ts"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert kept["blocks"][0]["block_id"].startswith("planbot_")


def test_a_summary_in_doubt_is_looked_for_at_the_next_sweep(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """The answer was lost and the history could not be read just then: the summary is not
    posted again blind; the next sweep finds it in the channel and records it."""
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", status=0, kept=True)
    fake_slack.fail_next("conversations.history", error="internal_error")
    first = post_summary(runtime, client, sub, chart=False)
    assert first.outcome == "failed" and "may or may not be posted" in (first.detail or "")
    later = make_runtime(MONDAY_0830 + timedelta(minutes=5))
    [second] = run_due_digests(later, client, chart=False)
    [kept] = fake_slack.history[CHANNEL]
    assert (second.outcome, second.ts) == ("recovered", kept["ts"])
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_two_processes_racing_post_once(make_runtime: Any, fake_slack: FakeSlack) -> None:
    first, second = make_runtime(), make_runtime()
    subs = [subscribe(first, f"CRACE{n:04d}") for n in range(6)]
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def run(runtime: Runtime, worker: str) -> None:
        client = build_web_client(runtime.settings)
        barrier.wait()
        results.extend(run_due_digests(runtime, client, worker=worker, chart=False))

    threads = [
        threading.Thread(target=run, args=(first, "process-1")),
        threading.Thread(target=run, args=(second, "process-2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    posted = [r for r in results if r.outcome == "posted"]
    assert sorted(r.subscription_id for r in posted) == subs
    assert all(r.outcome in ("posted", "already", "busy") for r in results)
    channels = [c.payload["channel"] for c in fake_slack.answered_ok("chat.postMessage")]
    assert sorted(channels) == sorted(f"CRACE{n:04d}" for n in range(6))


def test_catch_up_after_downtime_only_within_the_same_week(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    before = make_runtime(datetime(2023, 2, 13, 8, 0, tzinfo=LONDON))
    assert run_due_digests(before, client, chart=False) == []  # not 08:30 yet
    wednesday = make_runtime(datetime(2023, 2, 15, 14, 0, tzinfo=LONDON))  # down since Monday
    [caught_up] = run_due_digests(wednesday, client, chart=False)
    assert (caught_up.outcome, caught_up.week) == ("posted", date(2023, 2, 13))
    next_monday_early = make_runtime(datetime(2023, 2, 20, 8, 0, tzinfo=LONDON))
    assert run_due_digests(next_monday_early, client, chart=False) == []
    assert len(summaries(fake_slack)) == 1
    with session_scope(runtime.engine) as session:
        assert get_subscription(session, sub) is not None


def test_no_catch_up_for_a_time_that_passed_before_subscribing(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    wednesday = make_runtime(datetime(2023, 2, 15, 14, 0, tzinfo=LONDON))
    subscribe(wednesday, created=datetime(2023, 2, 15, 10, 0, tzinfo=UTC))
    assert run_due_digests(wednesday, build_web_client(wednesday.settings)) == []


def test_a_subscription_in_another_timezone(make_runtime: Any, fake_slack: FakeSlack) -> None:
    runtime = make_runtime()
    subscribe(runtime, "CNEWYORK1", timezone="America/New_York")
    client = build_web_client(runtime.settings)
    at_0800_edt = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)
    assert run_due_digests(runtime, client, now=at_0800_edt, chart=False) == []
    [posted] = run_due_digests(
        runtime, client, now=at_0800_edt + timedelta(minutes=31), chart=False
    )
    assert posted.week == date(2023, 3, 20)
    [call] = summaries(fake_slack, "CNEWYORK1")
    assert "As of Mon 20 Mar 2023 08:31 (America/New_York)" in call.payload["text"]


def test_summaries_fall_due_at_local_time_across_the_clock_change(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """Monday 08:30 Europe/London is 08:30 UTC before 26 March 2023 and 07:30 UTC after; the
    one sweep posts a summary at its local time, not before."""
    runtime = make_runtime()
    subscribe(runtime)
    client = build_web_client(runtime.settings)
    before_bst = datetime(2023, 3, 20, 8, 29, tzinfo=UTC)
    assert run_due_digests(runtime, client, now=before_bst, chart=False) == []
    [posted] = run_due_digests(runtime, client, now=before_bst + timedelta(minutes=1), chart=False)
    assert posted.week == date(2023, 3, 20)
    in_bst = datetime(2023, 3, 27, 7, 29, tzinfo=UTC)
    assert run_due_digests(runtime, client, now=in_bst, chart=False) == []
    [posted] = run_due_digests(runtime, client, now=in_bst + timedelta(minutes=1), chart=False)
    assert posted.week == date(2023, 3, 27)


def test_a_summary_due_on_a_bank_holiday_goes_on_the_next_working_day(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """Monday 29 May 2023 (spring bank holiday): Tuesday at 08:30. Good Friday 7 April 2023:
    after Easter Monday, Tuesday 11 April, still as the week of 3 April's summary, once."""
    runtime = make_runtime()
    made = datetime(2023, 4, 4, tzinfo=UTC)
    monday = subscribe(runtime, "CMONDAY01", created=made)
    friday = subscribe(runtime, "CFRIDAY01", weekday=4, created=made)
    client = build_web_client(runtime.settings)

    def sweep(day: date, settings: Runtime = runtime) -> list[tuple[int, date]]:
        now = datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=LONDON)
        return [(d.subscription_id, d.week) for d in run_due_digests(settings, client, now=now,
                                                                     chart=False)]  # fmt: skip

    assert sweep(date(2023, 4, 7)) == []  # Good Friday
    assert sweep(date(2023, 4, 10)) == []  # Easter Monday: neither summary yet
    assert sweep(date(2023, 4, 11)) == [(friday, date(2023, 4, 3)), (monday, date(2023, 4, 10))]
    assert sweep(date(2023, 4, 12)) == []  # each once
    assert sweep(date(2023, 5, 29)) == []  # the spring bank holiday: Monday's summary waits
    assert sweep(date(2023, 5, 30)) == [(monday, date(2023, 5, 29))]

    # the setting off: the summary goes on the bank holiday itself
    settings = runtime.settings.model_copy(update={"planbot_summary_after_bank_holiday": False})
    on_the_day = Runtime(settings, runtime.clock, runtime.engine)
    assert sweep(date(2023, 8, 28), on_the_day) == [(monday, date(2023, 8, 28))]


def test_a_moved_or_ended_subscription_is_followed_by_the_next_sweep(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """No job is kept per subscription: what the store says at the sweep is what happens."""
    runtime = make_runtime()
    client = build_web_client(runtime.settings)
    sub = subscribe(runtime)
    with session_scope(runtime.engine) as session:
        subscription = get_subscription(session, sub)
        assert subscription is not None
        subscription.weekday, subscription.hour = 4, 16  # Friday 16:30
        session.add(subscription)
    monday_0900 = datetime(2023, 2, 13, 9, 0, tzinfo=UTC)
    assert run_due_digests(runtime, client, now=monday_0900, chart=False) == []
    friday_1630 = datetime(2023, 2, 17, 16, 30, tzinfo=UTC)
    [posted] = run_due_digests(runtime, client, now=friday_1630, chart=False)
    assert posted.week == date(2023, 2, 13)
    with session_scope(runtime.engine) as session:
        subscription = get_subscription(session, sub)
        assert subscription is not None
        deactivate_subscription(session, subscription)
    next_friday = friday_1630 + timedelta(days=7)
    assert run_due_digests(runtime, client, now=next_friday, chart=False) == []
    assert len(summaries(fake_slack)) == 1


def test_two_started_schedulers_post_each_summary_once(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """Two processes start at 09:00 on Monday after both were down at 08:30: each scheduler's
    start-up catch-up runs, and each channel gets its summary once."""
    first = make_runtime(datetime(2023, 2, 13, 9, 0, tzinfo=LONDON))
    second = make_runtime(datetime(2023, 2, 13, 9, 0, tzinfo=LONDON))
    for n in range(4):
        subscribe(first, f"CSCHED{n:03d}")
    schedulers = [
        start_scheduler(first, build_web_client(first.settings)),
        start_scheduler(second, build_web_client(second.settings)),
    ]
    try:
        ids = {job.id for job in schedulers[0].get_jobs()}
        assert SUMMARIES_JOB in ids
        assert not any(job_id.startswith("digest:subscription") for job_id in ids)
        fake_slack.wait_for(
            "chat.postMessage", 4, timeout=30,
            where=lambda c: c.payload.get("channel", "").startswith("CSCHED"),
        )  # fmt: skip
        wait_until(lambda: all(p.posted_at for p in posts(first)) and len(posts(first)) == 4)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
    channels = sorted(c.payload["channel"] for c in fake_slack.answered_ok("chat.postMessage"))
    assert channels == [f"CSCHED{n:03d}" for n in range(4)]


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_chart_failure_leaves_the_text_summary(make_runtime: Any, fake_slack: FakeSlack) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.fail_next("files.getUploadURLExternal", 1, error="not_allowed_token_type")
    result = post_summary(runtime, build_web_client(runtime.settings), sub)
    assert (result.outcome, result.chart) == ("posted", False)
    assert len(summaries(fake_slack)) == 1
    assert posts(runtime)[0].ts == result.ts


def charts_in(fake: FakeSlack, channel: str = CHANNEL) -> list[Any]:
    """The file shares in the channel, as its history holds them."""
    return [m for m in fake.history.get(channel, []) if m.get("files")]


def test_a_chart_slack_shared_before_the_connection_dropped_is_not_shared_again(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    """The sharing call is not repeated blind: the channel shows the chart went."""
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.fail_next("files.completeUploadExternal", status=0, kept=True)
    result = post_summary(runtime, build_web_client(runtime.settings), sub)
    assert (result.outcome, result.chart) == ("posted", True)
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1
    [chart] = charts_in(fake_slack)
    assert chart["files"][0]["name"] == f"planbot-summary-{sub}-2023-02-13.png"


def test_a_chart_lost_with_the_connection_goes_again_once_the_channel_shows_it_is_missing(
    make_runtime: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack shares a file a moment after answering: the channel is looked at a few times."""
    monkeypatch.setattr(digest_jobs, "SHARE_LOOK_SECONDS", 0.01)
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.fail_next("files.completeUploadExternal", status=500)  # refused, nothing shared
    result = post_summary(runtime, build_web_client(runtime.settings), sub)
    assert (result.outcome, result.chart) == ("posted", True)
    assert len(fake_slack.calls_to("conversations.history")) == digest_jobs.SHARE_LOOKS
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 2
    assert len(charts_in(fake_slack)) == 1


def test_another_summarys_chart_in_the_channel_is_not_taken_for_this_one(
    make_runtime: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two summaries in one channel each get their chart, though the second's answer was lost
    with nothing shared."""
    monkeypatch.setattr(digest_jobs, "SHARE_LOOK_SECONDS", 0.01)
    runtime = make_runtime()
    client = build_web_client(runtime.settings)
    first, second = subscribe(runtime), subscribe(runtime, scope=("area", "OA4"))
    assert post_summary(runtime, client, first).chart
    fake_slack.fail_next("files.completeUploadExternal", status=0)  # lost, nothing shared
    assert post_summary(runtime, client, second).chart
    names = sorted(chart["files"][0]["name"] for chart in charts_in(fake_slack))
    assert names == sorted(f"planbot-summary-{sub}-2023-02-13.png" for sub in (first, second))


def test_a_chart_whose_fate_the_channel_cannot_tell_is_not_shared_twice(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    fake_slack.fail_next("files.completeUploadExternal", status=0, kept=True)
    fake_slack.fail_next("conversations.history", error="internal_error")
    result = post_summary(runtime, build_web_client(runtime.settings), sub)
    assert (result.outcome, result.chart) == ("posted", False)
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1
    assert len(charts_in(fake_slack)) == 1


def test_a_correction_edits_the_posted_summary_in_place(
    make_runtime: Any, fake_slack: FakeSlack
) -> None:
    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    posted = post_summary(runtime, client, sub, chart=False)
    with session_scope(runtime.engine) as session:  # a late update for last week arrives
        action = session.exec(select(Action).where(Action.ref == "P7.4")).one()
        record_update(
            session, action, at=datetime(2023, 2, 13, 7, 0, tzinfo=UTC), source="chat",
            author="UQA000001", status="blocked", note="Waiting on the supervision audit.",
        )  # fmt: skip
    fixed = repost(runtime, client, sub)
    assert (fixed.outcome, fixed.ts) == ("updated", posted.ts)
    [update] = fake_slack.answered_ok("chat.update")
    assert update.payload["ts"] == posted.ts and update.payload["channel"] == CHANNEL
    assert "Blocked 1" in update.payload["text"]
    assert len(summaries(fake_slack)) == 1
    nothing = repost(runtime, client, sub, week=date(2023, 2, 6))
    assert nothing.outcome == "missing"


def test_a_chart_that_cannot_be_drawn_leaves_the_text_summary(
    make_runtime: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import bot.render.chart

    def broken(result: Any) -> bytes:
        raise ValueError("no fonts on this machine")

    monkeypatch.setattr(bot.render.chart, "chart_png", broken)  # a fault injected, not a stub
    runtime = make_runtime()
    sub = subscribe(runtime)
    result = post_summary(runtime, build_web_client(runtime.settings), sub)
    assert (result.outcome, result.chart) == ("posted", False)
    assert len(summaries(fake_slack)) == 1 and fake_slack.uploads == {}
    assert "no fonts on this machine" in caplog.text  # logged with its traceback


def test_a_summary_that_fails_to_compose_is_retried_at_the_next_sweep(
    make_runtime: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.jobs.digest

    runtime = make_runtime()
    sub = subscribe(runtime)
    client = build_web_client(runtime.settings)
    with monkeypatch.context() as patched:  # a fault injected while composing, then mended
        patched.setattr(bot.jobs.digest, "render_digest", lambda result: 1 / 0)
        failed = post_summary(runtime, client, sub, chart=False)
    assert failed.outcome == "failed" and summaries(fake_slack) == []
    [row] = posts(runtime)
    assert row.posted_at is None and row.claimed_by is None  # released, not left to go stale
    assert "composing failed" in (row.last_error or "")
    [posted] = run_due_digests(runtime, client, chart=False)  # the same minute: no 15-min wait
    assert posted.outcome == "posted" and len(summaries(fake_slack)) == 1
