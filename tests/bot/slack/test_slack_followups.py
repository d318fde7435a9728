"""Follow-up questions over Slack, sent as Slack sends them (signed requests to the app process,
answers read back from the fake Web API): in a DM, and as mentions in a channel's threads, where
each thread, and each person in it, has a memory of its own."""

from __future__ import annotations

from typing import Any

import pytest
from fake_slack import BOT_USER_ID, FakeSlack
from slack_fixtures import SlackAppProcess, mention_event, message_event

# Conversation memory through the app; its SQL (the upsert) is tested on both engines in
# tests/commands/questions/test_question_followups.py.
pytestmark = pytest.mark.engine_independent

FOLLOWED = "Read with your last question here."
NOTHING_TO_FOLLOW = "That reads as a follow-up, but I have no earlier question"


def first_line(payload: dict[str, Any]) -> str:
    return str(payload["text"]).splitlines()[0]


class Conversation:
    """Lines sent one at a time, each waiting for its answer before the next (as a person
    reads the answer before following up)."""

    def __init__(self, app: SlackAppProcess, slack: FakeSlack) -> None:
        self.app, self.slack, self.sent = app, slack, 0

    def say(self, event: dict[str, Any]) -> dict[str, Any]:
        assert self.app.event(event).status == 200
        self.sent += 1
        posts = self.slack.wait_for("chat.postMessage", count=self.sent, timeout=20)
        return posts[self.sent - 1].payload


@pytest.mark.slow
def test_follow_ups_in_a_dm(slack_app: SlackAppProcess, fake_slack: FakeSlack) -> None:
    talk = Conversation(slack_app, fake_slack)
    first = talk.say(message_event("what's overdue in P5?", channel="DFOLLOW01"))
    assert first_line(first).startswith("Overdue items under P5 (Children and Young People")
    second = talk.say(message_event("and for P7?", channel="DFOLLOW01"))
    assert first_line(second).startswith("Overdue items under P7 (Practice)")
    assert FOLLOWED in second["text"]
    assert "P7.5" in second["text"] and "P5.4" not in second["text"]
    third = talk.say(message_event("how many is that", channel="DFOLLOW01"))
    assert first_line(third).startswith("Items under P7, overdue: 9 (2 actions, 7 steps)")
    assert "Read with your last question here. 9 items, listed below." in third["text"]
    # the same person in another DM thread, and another person's DM: nothing to follow
    threaded = talk.say(
        message_event("and for P7?", channel="DFOLLOW01", thread_ts="1700009000.000001")
    )
    assert NOTHING_TO_FOLLOW in threaded["text"]
    assert first_line(threaded).startswith("Open items under P7 (Practice)")
    other = talk.say(message_event("and for P7?", user="UBOB00001", channel="DFOLLOW02"))
    assert NOTHING_TO_FOLLOW in other["text"]


@pytest.mark.slow
def test_follow_ups_in_a_thread_of_mentions(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    talk = Conversation(slack_app, fake_slack)
    asked = mention_event(f"<@{BOT_USER_ID}> what's overdue for Head of MASH?", channel="CFOLLOW01")
    first = talk.say(asked)
    assert first["thread_ts"] == asked["ts"]
    assert first_line(first).startswith("Overdue items owned by Head of MASH")
    thread = asked["ts"]
    followed = talk.say(
        mention_event(f"<@{BOT_USER_ID}> and P7?", channel="CFOLLOW01", thread_ts=thread)
    )
    assert followed["thread_ts"] == thread
    # P7 in place of the owner: the first line says so, so a wrong carry-over would show
    assert first_line(followed) == "Overdue items under P7 (Practice) (as of 15 Feb 2023)"
    assert FOLLOWED in followed["text"]
    # Bob in the same thread does not follow Alice's question
    bob = talk.say(
        mention_event(
            f"<@{BOT_USER_ID}> and P7?", user="UBOB00001", channel="CFOLLOW01", thread_ts=thread
        )
    )
    assert NOTHING_TO_FOLLOW in bob["text"]
    # Alice in another thread of the same channel starts afresh
    elsewhere = talk.say(
        mention_event(
            f"<@{BOT_USER_ID}> and P7?", channel="CFOLLOW01", thread_ts="1700009999.000001"
        )
    )
    assert NOTHING_TO_FOLLOW in elsewhere["text"]
    assert first_line(elsewhere).startswith("Open items under P7 (Practice)")
