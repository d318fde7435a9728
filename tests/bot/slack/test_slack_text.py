"""Slack markup turned into command text (people and channels as ids, the rest as typed), and
answers turned back into text that names people without pinging them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.slack.listeners.common import split_share
from bot.slack.text import UserNames, to_command_text, without_pings


@pytest.mark.parametrize(
    ("slack", "command"),
    [
        ('role assign "Head of MASH" <@U0123ABC|alice>', 'role assign "Head of MASH" <@U0123ABC>'),
        ("role assign Virtual Head <@W0ENT1>", "role assign Virtual Head <@W0ENT1>"),
        ("channel reminders <#C0PLAN1|improvement-plan>", "channel reminders <#C0PLAN1>"),
        ("channel reminders <#G0PRIV1>", "channel reminders <#G0PRIV1>"),
        ("what's due &lt; March &amp; April?", "what's due < March & April?"),
        ("<!here> what's open?", "@here what's open?"),
        ("see <https://example.org/plan|the plan> now", "see the plan now"),
        ("see <https://example.org/plan>", "see https://example.org/plan"),
        ("ping <!subteam^S0HOS|@heads-of-service>", "ping @heads-of-service"),
        ("  status   of\tOA4.1  ", "status of OA4.1"),
        ("done\n\n  signed off at CYSCP", "done\nsigned off at CYSCP"),
        ("", ""),
    ],
)
def test_markup_becomes_command_text(slack: str, command: str) -> None:
    assert to_command_text(slack) == command


def test_the_bots_own_mention_is_dropped_wherever_it_is() -> None:
    text = "<@UPLANBOT1> what's open for <@U0BOB|bob>? <@UPLANBOT1|planbot>"
    assert to_command_text(text, bot_user_id="UPLANBOT1") == "what's open for <@U0BOB>?"


@pytest.fixture
def slack_client() -> Iterator[tuple[WebClient, FakeSlack]]:
    fake = FakeSlack()
    fake.users["U0MASH001"] = {"id": "U0MASH001", "name": "jo", "profile": {"display_name": "Jo"}}
    fake.users["U0QA00001"] = {"id": "U0QA00001", "name": "sam", "real_name": "Sam <QA> & co"}
    yield WebClient(token=fake.token, base_url=fake.api_url), fake
    fake.close()


def test_answers_name_people_without_pinging_them(
    slack_client: tuple[WebClient, FakeSlack],
) -> None:
    client, fake = slack_client
    payload = {
        "text": "by <@U0MASH001> and <@U0QA00001|sam>; <!here> <!subteam^S0HOS|@heads>",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "<@U0MASH001> <!channel>"}}
        ],
    }
    names = UserNames()
    kept: list[tuple[str, str]] = []
    names.found = lambda user, name: kept.append((user, name))  # the app keeps them in the store
    quiet = without_pings(payload, client, names)
    assert kept == [("U0MASH001", "Jo"), ("U0QA00001", "Sam <QA> & co")]
    assert quiet["text"] == "by @Jo and @Sam &lt;QA&gt; &amp; co; @here @heads"
    assert quiet["blocks"][0]["text"]["text"] == "@Jo @channel"
    assert "<@" not in str(quiet) and "<!" not in str(quiet)
    assert len(fake.calls_to("users.info")) == 2  # each person looked up once


def test_a_person_slack_cannot_look_up_is_shown_by_id(
    slack_client: tuple[WebClient, FakeSlack],
) -> None:
    client, fake = slack_client
    fake.fail_next("users.info", error="user_not_found")
    assert without_pings("by <@U0GONE001>", client, UserNames()) == "by @U0GONE001"


@pytest.mark.parametrize(
    ("typed", "shared", "rest"),
    [
        ("share what's open?", True, "what's open?"),
        ("Share: what's overdue under OA4?", True, "what's overdue under OA4?"),
        ("please share OA4", True, "OA4"),
        ("can you share OA4", True, "OA4"),
        ("shared services", False, "shared services"),  # a topic, not the word share
    ],
)
def test_share_is_read_however_it_is_asked_for(typed: str, shared: bool, rest: str) -> None:
    assert split_share(typed) == (shared, rest)
