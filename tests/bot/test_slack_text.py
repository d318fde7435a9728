"""Slack markup turned into command text: people and channels as ids, the rest as typed."""

from __future__ import annotations

import pytest

from bot.slack_text import to_command_text


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
