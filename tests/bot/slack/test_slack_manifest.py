"""manifest.yml and .env.example agree with the code: every event Slack is told to send has a
listener (an unhandled one is only acknowledged, with a warning), every setting is documented."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from fake_slack import FakeSlack
from slack_bolt import App, BoltRequest
from slack_fixtures import SIGNING_SECRET, event_callback, slack_signature
from sqlalchemy.engine import Engine

from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.slack.app import create_app

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))

SAMPLE_EVENTS: dict[str, dict[str, Any]] = {
    "app_home_opened": {"type": "app_home_opened", "channel": "D1", "tab": "messages"},
    "app_mention": {"type": "app_mention", "channel": "C1", "text": "help", "ts": "1.1"},
    "message.channels": {"type": "message", "channel_type": "channel", "channel": "C1"},
    "message.groups": {"type": "message", "channel_type": "group", "channel": "G1"},
    "message.im": {"type": "message", "channel_type": "im", "channel": "D1", "text": "help"},
}


# The manifest against the listeners and settings: nothing here depends on the database engine.
pytestmark = pytest.mark.engine_independent


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def app(york_engine: Engine, fake: FakeSlack) -> Iterator[App]:
    settings = load_settings(
        slack_bot_token=fake.token, slack_api_url=fake.api_url, slack_signing_secret=SIGNING_SECRET
    )
    runtime = Runtime(settings=settings, clock=settings.clock("2023-02-15"), engine=york_engine)
    executor = ThreadPoolExecutor(2)
    yield create_app(runtime, executor=executor)
    executor.shutdown(wait=True)  # the answers are sent before the fake goes away


def signed(body: str, content_type: str) -> BoltRequest:
    stamp = str(int(time.time()))
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [stamp],
        "x-slack-signature": [slack_signature(SIGNING_SECRET, stamp, body.encode())],
    }
    return BoltRequest(body=body, headers=headers)


@pytest.mark.parametrize("name", MANIFEST["settings"]["event_subscriptions"]["bot_events"])
def test_every_event_in_the_manifest_has_a_listener(
    app: App, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    event = SAMPLE_EVENTS[name]  # a KeyError here: a new manifest event without a sample
    body = json.dumps(event_callback({**event, "user": "UNOBODY1", "ts": "1.5"}, f"Ev{name}"))
    response = app.dispatch(signed(body, "application/json"))
    assert response.status == 200
    # An event no listener takes is acknowledged too (a 404 would be retried), with this line:
    assert "no listener for this request" not in caplog.text


def test_the_slash_command_escapes_people_and_channels(app: App, fake: FakeSlack) -> None:
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["should_escape"] is True
    form = {"command": command["command"], "text": "", "user_id": "U1", "channel_id": "C1"}
    form |= {"team_id": "T1", "response_url": fake.new_response_url(), "trigger_id": "t"}
    response = app.dispatch(signed(urlencode(form), "application/x-www-form-urlencoded"))
    assert response.status == 200


def test_interactivity_goes_to_the_events_endpoint() -> None:
    settings = MANIFEST["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    urls = {
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
        MANIFEST["features"]["slash_commands"][0]["url"],
    }
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = {line.split("=", 1)[0] for line in text.splitlines() if "=" in line and line[0] != "#"}
    assert listed == {name.upper() for name in Settings.model_fields}
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[index - 1].startswith("# "), f"{line} has no comment above it"


# The bot scope each Web API method planbot calls needs (None: no scope), and each event.
METHOD_SCOPES: dict[str, str | None] = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "auth.test": None,
    "users.info": "users:read",
    "users.profileGet": "users.profile:read",  # client.users_profile_get: a holder's status
    "views.publish": None,
    "views.open": None,
    "files.uploadV2": "files:write",  # files.getUploadURLExternal + completeUploadExternal
    "files.completeUploadExternal": "files:write",  # named where a retry must not repeat it
    "conversations.history": "channels:history",  # groups:history in private channels
    "conversations.open": "im:write",  # a paper sent privately: the direct message it goes to
}
EVENT_SCOPES: dict[str, str | None] = {
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "app_home_opened": None,
}
_CALL = re.compile(
    r"\.((?:chat|users|views|files|conversations|reactions|auth)_[A-Za-z0-9_]+)\("
    r"|\"((?:chat|users|views|files|conversations|reactions|auth)\.[A-Za-z0-9.]+)\""
)


def web_api_methods_called() -> set[str]:
    """Every Web API method named in bot/ (`client.chat_postMessage(` or "chat.postMessage")."""
    found: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for snake, dotted in _CALL.findall(path.read_text(encoding="utf-8")):
            if dotted:
                found.add(dotted)
            else:
                family, _, name = snake.partition("_")
                words = name.split("_")
                found.add(f"{family}.{words[0]}{''.join(w.capitalize() for w in words[1:])}")
    return found


def test_the_manifest_asks_for_exactly_the_scopes_the_code_uses() -> None:
    called = web_api_methods_called()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scope these methods need to METHOD_SCOPES: {unknown}"
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    needed = {METHOD_SCOPES[method] for method in called} | {EVENT_SCOPES[e] for e in events}
    needed |= {"commands"} if MANIFEST["features"].get("slash_commands") else set()
    if "conversations.history" in called:
        needed.add("groups:history")
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed - {None}


def test_the_manifest_keeps_slacks_limits() -> None:
    """The length limits of Slack's manifest schema (slackapi/manifest-schema, v1), which a paste
    into api.slack.com would otherwise refuse."""
    info = MANIFEST["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    [command] = MANIFEST["features"]["slash_commands"]
    assert re.fullmatch(r"/[a-z0-9_-]{1,31}", command["command"])
    assert 1 <= len(command["usage_hint"]) <= 1000
    assert 1 <= len(MANIFEST["features"]["bot_user"]["display_name"]) <= 80
    assert set(MANIFEST) <= {
        "_metadata",
        "display_information",
        "features",
        "oauth_config",
        "settings",
    }
