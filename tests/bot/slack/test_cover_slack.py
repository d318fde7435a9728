"""Cover during leave through the fake Slack: the holder books cover with `/plan cover`, the
reminder run asks the cover (FYI to the holder), the cover's reply in the thread is recorded and
confirmed as made for the role, `/plan history` says so, and after its last day the holder is
asked again; a stranger cannot book cover; a holder whose Slack status says they are away is
asked about once, to an admin, and still reminded."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_slack import FakeSlack
from reminder_test_helpers import threads_per_item
from slack_fixtures import message_event
from sqlmodel import select

from bot.cli import main
from store.db import make_engine, session_scope
from store.models import StatusUpdate
from store.queries.history import find_item
from store.queries.reminders import posted_reminders
from store.queries.roles import assign, find_role

pytestmark = pytest.mark.slow

CHANNEL = "CREMIND01"
MASH, DEPUTY, STRANGER = "U0MASH001", "U0DEPUTY1", "U0OTHER01"


def answer(app: Any, fake: FakeSlack, line: str, **kwargs: Any) -> dict[str, Any]:
    sent = app.command(line, **kwargs)
    assert sent.status == 200
    return fake.answer_to(sent.response_url).payload


def test_cover_booked_reminded_and_stamped_through_slack(
    start_slack_app: Any,
    fake_slack: FakeSlack,
    york_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    threads_per_item(york_url)  # the FYI to the holder is pinned on an item's own thread
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        role = find_role(session, "Head of MASH")
        assert role is not None
        assign(session, role, MASH, by=None, at=datetime(2023, 1, 2, tzinfo=UTC))
    app = start_slack_app(york_url, PLANBOT_SCHEDULER="false")

    refused = answer(app, fake_slack, f'/plan cover "Head of MASH" <@{DEPUTY}> until 3 March',
                     user=STRANGER)  # fmt: skip
    assert refused["text"].startswith("Only a holder of Head of MASH")
    booked = answer(app, fake_slack, f'/plan cover "Head of MASH" <@{DEPUTY}> until 3 March',
                    user=MASH)  # fmt: skip
    assert "covers *Head of MASH* from 15 Feb 2023 until 3 Mar 2023" in booked["text"]

    # the reminder run, as the operator runs it, against the fake Slack
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    for name, value in {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": york_url,
        "PLANBOT_TODAY": "2023-02-15",
        "PLANBOT_REMINDERS_CHANNEL": CHANNEL,
    }.items():
        monkeypatch.setenv(name, value)
    fake_slack.reset()
    assert main(["remind"]) == 0
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        [reminder] = [
            r for r in posted_reminders(session) if r.action_id == item.id and not r.step_id
        ]
        thread_ts = str(reminder.thread_ts)
    [post] = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.payload["text"].startswith("Reminder: P7.5 is")
    ]
    text = post.payload["text"]
    assert f"covered by <@{DEPUTY}> until 3 Mar 2023 (FYI <@{MASH}>)" in text

    event = message_event("in progress, analyst starts monday", user=DEPUTY, channel=CHANNEL,
                          channel_type="channel", thread_ts=thread_ts)  # fmt: skip
    assert app.event(event).status == 200
    [confirm] = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.payload.get("thread_ts") == thread_ts
    )
    assert confirm.payload["text"].endswith("Recorded as cover for Head of MASH.")
    with session_scope(engine) as session:
        [update] = session.exec(
            select(StatusUpdate).where(StatusUpdate.message_ts == event["ts"])
        ).all()
        assert (update.author, update.for_role, update.new_status) == (
            DEPUTY,
            "Head of MASH",
            "in_progress",
        )
    history = answer(app, fake_slack, "/plan history P7.5", user=STRANGER)
    assert "for Head of MASH via" in history["text"]

    # the cover ends by itself after 3 March: the next reminders ask the holder again
    fake_slack.reset()
    monkeypatch.setenv("PLANBOT_TODAY", "2023-03-06")
    assert main(["remind"]) == 0
    [again] = [c for c in fake_slack.calls_to("chat.postMessage")
               if c.payload["text"].startswith("Reminder: P7.5 is")]  # fmt: skip
    assert f"<@{MASH}>" in again.payload["text"] and "covered by" not in again.payload["text"]
    engine.dispose()


def test_a_holder_away_in_slack_is_asked_about_once_and_still_reminded(
    fake_slack: FakeSlack, york_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    admin = "U0ADMIN01"
    threads_per_item(york_url)  # the FYI to the holder is pinned on an item's own thread
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        role = find_role(session, "Head of MASH")
        assert role is not None
        assign(session, role, MASH, by=None, at=datetime(2023, 1, 2, tzinfo=UTC))
    fake_slack.users[MASH] = {
        "id": MASH,
        "profile": {"status_text": "Annual leave", "status_emoji": ":palm_tree:"},
    }
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    settings = {
        "SLACK_BOT_TOKEN": fake_slack.token,
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": york_url,
        "PLANBOT_TODAY": "2023-02-15",
        "PLANBOT_REMINDERS_CHANNEL": CHANNEL,
        "PLANBOT_ADMINS": admin,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert main(["remind"]) == 0
    [question] = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.payload["channel"] == admin
    ]
    assert question.payload["text"].startswith(
        f"<@{MASH}> holds Head of MASH and their Slack status says “:palm_tree: Annual leave”."
    )
    assert "/plan cover" in question.payload["text"]
    mash_posts = [c for c in fake_slack.calls_to("chat.postMessage")
                  if c.payload["text"].startswith("Reminder: P7.5 is")]  # fmt: skip
    assert f"<@{MASH}>" in mash_posts[0].payload["text"]  # never guessed: still reminded

    fake_slack.reset()
    monkeypatch.setenv("PLANBOT_TODAY", "2023-02-16")
    assert main(["remind"]) == 0
    assert [
        c for c in fake_slack.calls_to("chat.postMessage") if c.payload["channel"] == admin
    ] == []
    engine.dispose()
