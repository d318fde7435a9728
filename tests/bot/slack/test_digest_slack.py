"""`/plan digest …` in Slack: signed slash commands to the real app, answers read from the fake."""

from __future__ import annotations

from typing import Any

import pytest
from fake_slack import FakeSlack

pytestmark = pytest.mark.slow


def answer(app: Any, fake: FakeSlack, line: str, **kwargs: Any) -> dict[str, Any]:
    sent = app.command(line, **kwargs)
    assert sent.status == 200
    return fake.answer_to(sent.response_url).payload


def test_subscribe_list_preview_and_unsubscribe_in_a_channel(
    slack_app: Any, fake_slack: FakeSlack
) -> None:
    made = answer(slack_app, fake_slack, "/plan digest subscribe P7 tue 09:00", channel="CPERF0001")
    assert made["text"].startswith("Subscribed. Anyone in this channel may subscribe it")
    assert "P7 — Tuesdays at 09:00 (Europe/London)" in made["text"]
    assert made.get("response_type", "ephemeral") == "ephemeral"

    listed = answer(
        slack_app, fake_slack, "/plan digest list", user="UBOB00001", channel="CPERF0001"
    )
    assert "This channel gets 1 weekly summary." in listed["text"]

    refused = answer(
        slack_app, fake_slack, "/plan digest unsubscribe P7", user="UBOB00001", channel="CPERF0001"
    )
    assert "Only the person who set it up or a planbot admin" in refused["text"]
    # it names who set it up, without pinging them
    assert "(set up by @Person UALICE001)" in refused["text"]
    assert "<@" not in refused["text"]

    preview = answer(slack_app, fake_slack, "/plan digest preview", channel="CPERF0001")
    assert preview["text"].startswith("Weekly summary: P7 · week of 13 Feb 2023")
    assert preview["blocks"][0]["type"] == "header"
    assert len(preview["blocks"]) <= 50

    stopped = answer(slack_app, fake_slack, "/plan digest unsubscribe P7", channel="CPERF0001")
    assert stopped["text"].startswith("Stopped.")
    empty = answer(slack_app, fake_slack, "/plan digest list", channel="CPERF0001")
    assert "This channel has no weekly summary" in empty["text"]


def test_bad_digest_input_gets_one_calm_line(slack_app: Any, fake_slack: FakeSlack) -> None:
    bad = answer(slack_app, fake_slack, "/plan digest subscribe OA4 monday 31:00")
    assert bad["text"] == "'31:00' is not a time of day: use 08:30 or 4pm."
    unknown = answer(slack_app, fake_slack, "/plan digest subscribe the weather")
    assert unknown["text"].startswith("I don't know the scope 'the weather'")
