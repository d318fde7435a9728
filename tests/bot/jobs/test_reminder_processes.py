"""Reminders exactly once with real processes on one database: two `planbot serve --http` apps
whose schedulers both catch up at start-up (on a working day after the reminder hour), then one
restarted; the fake Slack must hold each reminder once and no more than the day's limit."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fake_slack import Call, FakeSlack
from reminder_test_helpers import threads_per_item
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.models import Reminder

pytestmark = pytest.mark.slow

CHANNEL = "CREMPROC1"
LIMIT = 6
SETTINGS = {
    "PLANBOT_TODAY": "2023-02-13T10:00",  # a Monday, an hour after PLANBOT_REMINDER_HOUR
    "PLANBOT_REMINDER_HOUR": "9",
    "PLANBOT_REMINDERS_CHANNEL": CHANNEL,
    "PLANBOT_REMINDER_MAX_PER_DAY": str(LIMIT),
}

RAN = "owner roles have nobody behind them"  # every reminder run warns it once York's is planned


def reminder_posts(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.answered_ok("chat.postMessage") if c.payload["channel"] == CHANNEL]


def reminder_ids(calls: list[Call]) -> list[str]:
    """The Reminder row each post is for: the value its buttons carry."""
    ids = []
    for call in calls:
        actions = next(b for b in call.payload["blocks"] if b["type"] == "actions")
        [value] = {element["value"] for element in actions["elements"]}
        ids.append(value)
    return ids


def claimed(engine: Engine) -> list[Reminder]:
    with Session(engine) as session:
        return list(session.exec(select(Reminder)))


def wait_for_log(app: Any, text: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in app.log:
        assert time.monotonic() < deadline, f"never logged {text!r}:\n{app.log}"
        time.sleep(0.1)


def test_two_apps_then_a_restart_post_each_reminder_once(
    york_engine: Engine, york_url: str, fake_slack: FakeSlack, start_slack_app: Any
) -> None:
    threads_per_item(york_url)
    with ThreadPoolExecutor(2) as starting:  # started together, so their catch-ups really race
        apps = list(starting.map(lambda _: start_slack_app(york_url, **SETTINGS), range(2)))
    fake_slack.wait_for(
        "chat.postMessage", LIMIT, timeout=60, where=lambda c: c.payload["channel"] == CHANNEL
    )
    for app in apps:
        wait_for_log(app, RAN)
    time.sleep(1.0)  # room for a doubled post to show up, if there were one

    posts = reminder_posts(fake_slack)
    refs = [call.payload["text"].split()[1] for call in posts]  # "Reminder: P7.5 …"
    assert len(posts) == LIMIT, refs
    assert Counter(refs).most_common(1)[0][1] == 1
    assert Counter(reminder_ids(posts)).most_common(1)[0][1] == 1
    rows = claimed(york_engine)
    assert len(rows) == LIMIT and all(r.posted_at and r.thread_ts for r in rows)
    assert sorted(str(r.id) for r in rows) == sorted(reminder_ids(posts))
    assert {r.channel for r in rows} == {CHANNEL}

    apps[0].stop()
    restarted = start_slack_app(york_url, **SETTINGS)
    wait_for_log(restarted, RAN)
    time.sleep(1.0)
    assert len(reminder_posts(fake_slack)) == LIMIT
    assert len(claimed(york_engine)) == LIMIT
    assert restarted.healthz().status == 200 and apps[1].healthz().status == 200
