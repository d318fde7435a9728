"""Exactly once with real processes on one database: two `planbot digest` runs at once, and two
`planbot serve --http` apps whose schedulers both catch up at start-up, then a restart."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_fixtures import clean_environment, planbot_command
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.db import session_scope
from store.models import DigestPost
from store.queries.digests import add_subscription

pytestmark = pytest.mark.slow


def subscribe_channels(engine: Engine, prefix: str, count: int) -> list[str]:
    channels = [f"{prefix}{n:04d}" for n in range(count)]
    with session_scope(engine) as session:
        for channel in channels:
            add_subscription(
                session, channel=channel, scope_kind="all", scope_value=None, weekday=0,
                hour=8, minute=30, timezone="Europe/London", created_by="UALICE001",
                at=datetime(2023, 2, 1, tzinfo=UTC),
            )  # fmt: skip
    return channels


def posted_channels(fake: FakeSlack, prefix: str) -> list[str]:
    return sorted(
        c.payload["channel"]
        for c in fake.answered_ok("chat.postMessage")
        if c.payload["channel"].startswith(prefix)
    )


def recorded(engine: Engine) -> list[DigestPost]:
    with Session(engine) as session:
        return list(session.exec(select(DigestPost)))


def test_two_cli_runs_at_once_post_each_summary_once(
    york_engine: Engine, york_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    channels = subscribe_channels(york_engine, "CCLI", 5)
    env = clean_environment(
        SLACK_BOT_TOKEN=fake_slack.token,
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=york_url,
        PLANBOT_TODAY="2023-02-13T09:00",
    )
    runs = [
        subprocess.Popen(
            [*planbot_command(), "digest"],
            cwd=tmp_path,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert posted_channels(fake_slack, "CCLI") == channels
    lines = "".join(out for out, _ in outputs).splitlines()
    assert sum(line.endswith(")") and ": posted (ts" in line for line in lines) == 5
    assert all(p.posted_at and p.ts for p in recorded(york_engine))
    again = subprocess.run(
        [*planbot_command(), "digest"], cwd=tmp_path, env=env, text=True,
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert again.stdout.count("already posted this week") == 5
    assert posted_channels(fake_slack, "CCLI") == channels


def test_two_app_processes_then_a_restart_post_each_summary_once(
    york_engine: Engine, york_url: str, fake_slack: FakeSlack, start_slack_app: Any
) -> None:
    """Both apps start on Wednesday 15 Feb after being down at Monday 08:30: each one's
    start-up catch-up tries every subscription; each channel gets one summary."""
    channels = subscribe_channels(york_engine, "CAPP", 4)
    with ThreadPoolExecutor(2) as starting:  # started together, so their catch-ups really race
        apps = list(starting.map(lambda _: start_slack_app(york_url), range(2)))
    fake_slack.wait_for(
        "chat.postMessage", 4, timeout=60,
        where=lambda c: c.payload.get("channel", "").startswith("CAPP"),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not all(p.posted_at for p in recorded(york_engine)) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # room for a doubled post to show up, if there were one
    assert posted_channels(fake_slack, "CAPP") == channels
    for app in apps:
        app.stop()
    restarted = start_slack_app(york_url)
    time.sleep(2.0)
    assert posted_channels(fake_slack, "CAPP") == channels
    assert restarted.healthz().status == 200
    rows = recorded(york_engine)
    assert len(rows) == 4 and all(p.ts for p in rows)
