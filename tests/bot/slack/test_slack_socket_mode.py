"""`planbot serve --socket`: the same listeners, reached over a Socket Mode connection."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack
from fake_socket_mode import FakeSocketMode
from slack_fixtures import clean_environment, event_callback, mention_event, planbot_command

# Starts planbot as a process; the transport is the same whatever the database.
pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

APP_TOKEN = "xapp-1-A0PLANBOT1-fake"


def test_socket_mode_answers_a_command_and_a_mention(
    fake_slack: FakeSlack, york_url: str, tmp_path: Path
) -> None:
    socket_mode = FakeSocketMode(fake_slack, APP_TOKEN)
    process = subprocess.Popen(
        [*planbot_command(), "serve", "--socket"],
        cwd=tmp_path,
        env=clean_environment(
            SLACK_BOT_TOKEN=fake_slack.token,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_URL=fake_slack.api_url,
            DATABASE_URL=york_url,
            PLANBOT_TODAY="2023-02-15",
            PLANBOT_SCHEDULER="false",
        ),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        socket_mode.wait_connected()
        response_url = fake_slack.new_response_url()
        command = {
            "team_id": TEAM_ID,
            "channel_id": "CPLAN0001",
            "user_id": "UALICE001",
            "command": "/plan",
            "text": "help",
            "response_url": response_url,
            "trigger_id": "1.trigger",
        }
        envelope = socket_mode.send("slash_commands", command)
        assert socket_mode.wait_for_ack(envelope)["envelope_id"] == envelope
        answer = fake_slack.answer_to(response_url).payload
        assert answer["response_type"] == "ephemeral"
        assert answer["blocks"][0]["text"]["text"] == "What planbot understands"

        event = mention_event(f"<@{BOT_USER_ID}> help", channel="CSOCKET01")
        body = event_callback(event, "EvSOCKET001")
        socket_mode.send("events_api", body, retry_attempt=0, retry_reason="")
        socket_mode.send("events_api", body, retry_attempt=1, retry_reason="timeout")
        [post] = fake_slack.wait_for("chat.postMessage")
        assert (post.payload["channel"], post.payload["thread_ts"]) == ("CSOCKET01", event["ts"])
        time.sleep(0.5)
        assert len(fake_slack.calls_to("chat.postMessage")) == 1  # the redelivery is ignored
        assert [c.method for c in fake_slack.calls if c.method.startswith("apps.")] == [
            "apps.connections.open"
        ]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        socket_mode.close()
    assert process.returncode == 0, stderr
    assert "planbot: connected to Slack by Socket Mode" in stderr
    assert "planbot: stopped" in stderr
