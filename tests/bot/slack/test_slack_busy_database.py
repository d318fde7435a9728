"""Acks in time while another process holds the database's write lock (a long import), and an
event Slack sends twice still answered once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fake_slack import FakeSlack
from locked_database import write_locked
from slack_fixtures import Sent, SlackAppProcess, message_event

StartApp = Callable[..., SlackAppProcess]


def timed(send: Callable[[], Sent]) -> tuple[Sent, float]:
    started = time.monotonic()
    sent = send()
    return sent, time.monotonic() - started


def all_at_once(sends: list[Callable[[], Sent]]) -> list[tuple[Sent, float]]:
    results: list[tuple[Sent, float] | None] = [None] * len(sends)

    def run(index: int) -> None:
        results[index] = timed(sends[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


def test_acks_arrive_in_time_while_the_database_is_locked_and_a_retry_is_answered_once(
    start_slack_app: StartApp, fake_slack: FakeSlack, york_url: str
) -> None:
    app = start_slack_app(york_url, PLANBOT_SCHEDULER="false")
    twice = message_event("help", channel="DTWICE001")
    others = [message_event("help", channel=f"DOTHER{n:03d}") for n in range(30)]
    with write_locked(york_url):
        first = timed(lambda: app.event(twice, event_id="EvLOCKED001"))
        sends = [lambda: app.event(twice, event_id="EvLOCKED001", retry_num=1)]
        sends += [lambda event=event: app.event(event) for event in others]  # type: ignore[misc]
        sends.append(lambda: app.command("/plan help"))
        acks = all_at_once(sends)
        time.sleep(1.0)  # the lock outlives the acks
        assert fake_slack.calls_to("chat.postMessage") == []  # nothing unclaimed was answered
    for sent, took in [first, *acks]:
        assert sent.status == 200
        assert took < 1.0, f"acknowledged after {took:.2f} s"
    command = acks[-1][0]
    assert command.response_url is not None
    fake_slack.answer_to(command.response_url)
    posts = fake_slack.wait_for("chat.postMessage", count=31, timeout=30)
    time.sleep(0.5)
    channels = [post.payload["channel"] for post in fake_slack.calls_to("chat.postMessage")]
    assert sorted(channels) == sorted(["DTWICE001"] + [e["channel"] for e in others])
    assert len(posts) == 31
    assert "database busy: event EvLOCKED001 acknowledged" in app.log
    assert " ERROR " not in app.log
