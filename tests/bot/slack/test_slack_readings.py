"""A question read two ways, through Slack: planbot asks back with a button for each reading, and
a press answers that reading."""

from __future__ import annotations

import json

import pytest
from fake_slack import FakeSlack
from slack_fixtures import SlackAppProcess

# The reading buttons through the app: nothing here depends on the database's engine.
pytestmark = pytest.mark.engine_independent


def test_two_readings_are_offered_as_buttons_and_a_press_answers_one(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    asked = slack_app.command("/plan what was the outcome of P7.5?")
    payload = fake_slack.answer_to(asked.response_url).payload
    assert payload["text"].startswith("“Outcome of P7.5” can be read two ways")
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    buttons = {e["action_id"]: json.loads(e["value"])["q"] for e in actions["elements"]}
    assert buttons == {
        "answer:reading:0": "expected outcomes of P7.5",
        "answer:reading:1": "status of P7.5",
    }
    value = next(e["value"] for e in actions["elements"] if e["action_id"] == "answer:reading:0")
    pressed = slack_app.block_action("answer:reading:0", value=value, user="UALICE001")
    answered = fake_slack.answer_to(pressed.response_url).payload
    text = json.dumps(answered["blocks"], ensure_ascii=False)
    assert answered["response_type"] == "ephemeral"
    assert "Reduction in the number of children who go missing from home and care" in text
