"""Terminal text carries no Slack markup (mentions, links, emoji codes, escapes)."""

import pytest

from bot.render.terminal import plain_terminal


@pytest.mark.parametrize(
    ("slack", "terminal"),
    [
        ("<@U0MASH001> now holds Head of MASH.", "@U0MASH001 now holds Head of MASH."),
        ("<@U0AB12|sam> and <@W0ENT0001>", "@sam and @W0ENT0001"),
        (":warning: Nobody holds Head of QA.", "Warning: Nobody holds Head of QA."),
        (":red_circle: *P7.4* supervision", "[Red] *P7.4* supervision"),
        ("see <https://example.org/p|the plan>", "see the plan (https://example.org/p)"),
        ("<!here> ping", "@here ping"),
        ("/plan history &lt;reference&gt; &amp; more", "/plan history <reference> & more"),
        (":tada: thanks", "thanks"),
        ("due 10:30 today", "due 10:30 today"),  # a time is not an emoji code
    ],
)
def test_slack_markup_becomes_plain_text(slack: str, terminal: str) -> None:
    assert plain_terminal(slack) == terminal
