"""`/plan measure …`, `/plan scorecard` and `/plan measure chart …` through the fake Slack:
signed slash commands to the real app, answers and the shared chart read from the fake."""

from __future__ import annotations

from typing import Any

import pytest
from fake_slack import FakeSlack

pytestmark = pytest.mark.slow

ADMIN, OWNER, STRANGER = "UADMIN001", "UOWNER001", "USTRANGE1"
MONTHS = ["Mar 2022", "Apr 2022", "May 2022", "Jun 2022", "Jul 2022", "Aug 2022", "Sep 2022",
          "Oct 2022", "Nov 2022", "Dec 2022", "Jan 2023"]  # fmt: skip
VALUES = [14.2, 13.9, 15.1, 14.0, 13.2, 12.8, 12.1, 11.9, 11.0, 10.2, 9.8]


def answer(app: Any, fake: FakeSlack, line: str, **kwargs: Any) -> dict[str, Any]:
    sent = app.command(line, **kwargs)
    assert sent.status == 200
    return fake.answer_to(sent.response_url).payload


def test_record_refuse_scorecard_and_chart_in_slack(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str
) -> None:
    app = start_slack_app(york_url, PLANBOT_ADMINS=ADMIN, PLANBOT_SCHEDULER="false")
    made = answer(app, fake_slack, f'/plan role assign "Corporate DCS" <@{OWNER}>', user=ADMIN)
    assert "Corporate" in made["text"]

    first = answer(app, fake_slack, '/plan measure "Staff turnover" 14.2 for Mar 2022', user=OWNER)
    assert first["text"] == "Recorded 14.2 for Reduced staff turnover, Mar 2022."
    assert first.get("response_type", "ephemeral") == "ephemeral"

    refused = answer(
        app, fake_slack, '/plan measure "Staff turnover" 20 for Apr 2022', user=STRANGER
    )
    assert refused["text"].startswith("Nothing recorded: only the Corporate Director")
    assert f"(@Person {OWNER}) or an admin" in refused["text"]  # names who can, no ping

    for month, value in zip(MONTHS[1:], VALUES[1:], strict=True):
        done = answer(
            app, fake_slack, f"/plan measure staff turnover {value} for {month}", user=OWNER
        )
        assert done["text"].startswith(f"Recorded {value:g} for Reduced staff turnover")

    fix = answer(
        app, fake_slack, "/plan measure staff turnover 9.7 for Jan 2023: corrected", user=OWNER
    )
    assert "It replaces 9.8, which stays in the history." in fix["text"]

    card = answer(app, fake_slack, "/plan scorecard P1")
    assert card["text"].startswith("Scorecard · P1 · as of 15 Feb 2023 · 1 measures")
    assert "Reduced staff turnover: 9.7 (Jan 2023)" in card["text"]
    assert "special cause" in card["text"]
    assert card["blocks"][0]["type"] == "header"

    future = answer(app, fake_slack, "/plan measure staff turnover 9 for Mar 2023", user=OWNER)
    assert future["text"] == "Mar 2023 has not started yet: values are for past periods."

    chart = answer(app, fake_slack, '/plan measure chart "staff turnover"', channel="CPERF0001")
    assert chart["text"].startswith("XmR chart of Reduced staff turnover: 11 points")
    [done] = fake_slack.wait_for("files.completeUploadExternal")
    assert done.payload.get("channel_id") == "CPERF0001"
    [uploaded] = fake_slack.uploads.values()
    assert uploaded.startswith(b"\x89PNG")
    [url_call] = fake_slack.calls_to("files.getUploadURLExternal")
    assert url_call.payload["alt_txt"].startswith("XmR chart of Reduced staff turnover")

    listed = answer(app, fake_slack, "/plan measures")  # every seeded measure, in valid blocks
    assert listed["text"].startswith("All success measures · as of 15 Feb 2023 · ")
    assert len(listed["blocks"]) <= 50
    of_action = answer(app, fake_slack, "/plan measures P1.2")
    assert of_action["text"].splitlines()[1].startswith("Reduced staff turnover: 9.7 (Jan 2023)")
    assert "Staff understanding the workforce strategy / offer: no value" in of_action["text"]

    unknown = answer(app, fake_slack, "/plan scorecard the moon")
    assert unknown["text"].startswith("No measure is under 'the moon'")
