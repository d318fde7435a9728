"""Date changes and evidence before Blue through the fake Slack: an admin turns approval on with
`/plan settings`, a lead's reply asks for a new date, the approver's buttons arrive in the
thread, a stranger's click is refused privately, and the approver's click moves the date; and a
"done" that waits for evidence, a file reply as the evidence, the approver's Sign off, Blue."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from fake_slack import FakeSlack
from reminder_test_helpers import give_role, post_thread, slack_ts
from slack_fixtures import interaction_envelope, message_event

from store.db import make_engine, session_scope
from store.queries.history import find_item
from store.queries.roles import owner_roles

pytestmark = pytest.mark.slow

CHANNEL = "CREMIND01"
LEAD, DOS, ADMIN, STRANGER = "U0MASH001", "U0DOS0001", "U0ADMIN01", "U0OTHER01"


def click(app: Any, fake: FakeSlack, user: str, action_id: str, value: str, ts: str) -> None:
    body = interaction_envelope("block_actions", user) | {
        "actions": [{"action_id": action_id, "value": value, "type": "button"}],
        "channel": {"id": CHANNEL},
        "container": {
            "type": "message",
            "channel_id": CHANNEL,
            "message_ts": ts,
            "thread_ts": ts,
        },
        "message": {"ts": ts, "thread_ts": ts},
        "response_url": fake.new_response_url(),
    }
    form = urlencode({"payload": json.dumps(body)}).encode()
    assert app.post(form, "application/x-www-form-urlencoded").status == 200


def test_a_new_date_is_asked_for_and_approved_in_the_thread(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str
) -> None:
    engine = make_engine(york_url)
    give_role(engine, "Head of MASH", LEAD)
    give_role(engine, "Director of Safeguarding", DOS)
    thread = slack_ts(date(2023, 2, 15))
    post_thread(engine, "P7.5", ts=thread, on=date(2023, 2, 15), channel=CHANNEL)
    app = start_slack_app(york_url, PLANBOT_ADMINS=ADMIN, PLANBOT_SCHEDULER="false")

    sent = app.command("/plan settings ambition approval required", user=ADMIN)
    assert (
        "approval is now required (was recorded)"
        in fake_slack.answer_to(sent.response_url).payload["text"]
    )

    event = message_event("in progress, slipping to 31/3 as the analyst post is vacant",
                          user=LEAD, channel=CHANNEL, channel_type="channel",
                          thread_ts=thread)  # fmt: skip
    assert app.event(event).status == 200
    [asked] = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.payload.get("thread_ts") == thread
    )
    assert "it waits for Director of Safeguarding's approval" in asked.payload["text"]
    assert (
        f"<@{DOS}>: P7.5 asks to move its date" in asked.payload["text"]
    )  # notified: asked to act
    blocks = asked.payload["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    approve = actions["elements"][0]
    assert approve["action_id"] == "date_change:approve"

    click(app, fake_slack, STRANGER, "date_change:approve", approve["value"], thread)
    [refused] = fake_slack.wait_for(
        "chat.postEphemeral", where=lambda c: c.payload["user"] == STRANGER
    )
    assert refused.payload["text"].startswith("Only the approver (Director of Safeguarding)")
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.due_date == date(2023, 1, 31)

    click(app, fake_slack, DOS, "date_change:approve", approve["value"], thread)
    [_, decided] = fake_slack.wait_for(
        "chat.postMessage", count=2, where=lambda c: c.payload.get("thread_ts") == thread
    )
    assert decided.payload["text"].startswith(
        f"Approved by @Person {DOS}: P7.5 is now due 31 Mar 2023 (re-baselined from 31 Jan 2023"
    )
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.due_date == date(2023, 3, 31)

    asked_after = app.command("/plan P7.5", user=STRANGER)
    after = fake_slack.answer_to(asked_after.response_url).payload["text"]
    assert "moved from 31 Jan 2023, approved 15 Feb 2023" in after  # the baseline, shown

    # a second request, rejected: the date stays as it was, and the answer says so
    again = message_event("slipping to 30 April, recruitment has slipped again", user=LEAD,
                          channel=CHANNEL, channel_type="channel", thread_ts=thread)  # fmt: skip
    assert app.event(again).status == 200
    [*_, second] = fake_slack.wait_for(
        "chat.postMessage", count=3, where=lambda c: c.payload.get("thread_ts") == thread
    )
    blocks = second.payload["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    reject = next(b for b in blocks if b["type"] == "actions")["elements"][1]
    assert reject["action_id"] == "date_change:reject"
    click(app, fake_slack, DOS, "date_change:reject", reject["value"], thread)
    [*_, rejected] = fake_slack.wait_for(
        "chat.postMessage", count=4, where=lambda c: c.payload.get("thread_ts") == thread
    )
    assert rejected.payload["text"] == (
        f"Not approved by @Person {DOS}: P7.5 keeps its date, 31 Mar 2023."
    )
    answer = app.command("/plan P7.5", user=STRANGER)
    shown = fake_slack.answer_to(answer.response_url).payload["text"]
    assert "due 31 Mar 2023" in shown
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.due_date == date(2023, 3, 31)
    engine.dispose()


def test_done_evidence_by_file_sign_off_then_blue_in_the_thread(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str
) -> None:
    engine = make_engine(york_url)
    give_role(engine, "Head of MASH", LEAD)
    give_role(engine, "Director of Safeguarding", DOS)
    thread = slack_ts(date(2023, 2, 15))
    post_thread(engine, "P7.5", ts=thread, on=date(2023, 2, 15), channel=CHANNEL)
    app = start_slack_app(york_url, PLANBOT_ADMINS=ADMIN, PLANBOT_SCHEDULER="false")
    sent = app.command("/plan settings ambition blue_needs signoff", user=ADMIN)
    assert "blue_needs is now signoff" in fake_slack.answer_to(sent.response_url).payload["text"]

    def in_thread(count: int) -> list[Any]:
        return fake_slack.wait_for(
            "chat.postMessage", count=count, where=lambda c: c.payload.get("thread_ts") == thread
        )

    done = message_event("done", user=LEAD, channel=CHANNEL, channel_type="channel",
                         thread_ts=thread)  # fmt: skip
    assert app.event(done).status == 200
    [confirm] = in_thread(1)
    assert confirm.payload["text"].startswith("P7.5 → done. Complete, awaiting evidence")

    evidence = message_event(
        "audit report attached",
        user=LEAD,
        channel=CHANNEL,
        channel_type="channel",
        thread_ts=thread,
        files=[{"id": "F0AUDIT01", "name": "audit.pdf", "mimetype": "application/pdf"}],
    )
    assert app.event(evidence).status == 200
    [_, recorded] = in_thread(2)
    assert "Evidence recorded for P7.5: the file shared here." in recorded.payload["text"]
    assert f"<@{DOS}>: please sign off P7.5" in recorded.payload["text"]  # asked, so notified
    blocks = recorded.payload["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    [button] = next(b for b in blocks if b["type"] == "actions")["elements"]

    click(app, fake_slack, DOS, button["action_id"], button["value"], thread)
    [*_, signed] = in_thread(3)
    assert signed.payload["text"].endswith("P7.5 is complete and evidenced: Blue.")
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and (item.status, item.awaiting) == ("done", None)
    engine.dispose()


def test_someone_else_owns_it_now_is_noted_and_an_admin_moves_it(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str
) -> None:
    engine = make_engine(york_url)
    give_role(engine, "Head of MASH", LEAD)
    thread = slack_ts(date(2023, 2, 15))
    post_thread(engine, "P7.5", ts=thread, on=date(2023, 2, 15), channel=CHANNEL)
    app = start_slack_app(york_url, PLANBOT_ADMINS=ADMIN, PLANBOT_SCHEDULER="false")

    event = message_event("not mine any more - this sits with Head of QA now", user=LEAD,
                          channel=CHANNEL, channel_type="channel", thread_ts=thread)  # fmt: skip
    assert app.event(event).status == 200
    [noted] = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: c.payload.get("thread_ts") == thread
    )
    assert noted.payload["text"].startswith("Noted: you say P7.5 is now with “Head of QA")
    assert "stays with Head of MASH" in noted.payload["text"]
    [opened] = fake_slack.wait_for("conversations.open")
    assert opened.payload["users"] == ADMIN
    [question] = fake_slack.wait_for(
        "chat.postMessage", where=lambda c: str(c.payload.get("channel", "")).startswith("D")
    )
    blocks = question.payload["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    [actions] = [b for b in blocks if b["type"] == "actions"]
    move = actions["elements"][0]
    assert move["text"]["text"] == "Move to Head of QA"
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.status == "not_started"  # a claim is not a status
        assert [r.name for r in owner_roles(session, item.id or 0)] == ["Head of MASH"]

    click(app, fake_slack, LEAD, "ownership:move", move["value"], thread)  # not an admin
    click(app, fake_slack, ADMIN, "ownership:move", move["value"], thread)
    answers = fake_slack.wait_for("response_url", count=2)
    said = [a.payload["text"] for a in answers]
    assert "Only a planbot admin can move an action to another owner." in said
    assert any(t.startswith("Moved P7.5 to Head of QA") for t in said)
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert [r.name for r in owner_roles(session, item.id or 0)] == ["Head of QA"]
