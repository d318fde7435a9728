"""Driving the real Slack app in tests: fake Slack, the app as a process, requests signed as Slack.

Loaded for every test by `pytest_plugins` in tests/conftest.py, so these fixtures are at hand:

- `fake_slack`: the module's FakeSlack (tests/support/fake_slack.py), emptied before each test; at
the end
  of the test every Block Kit payload it received must have been valid.
- `slack_app`: one `planbot serve --http` process per test module, on the module's own copy of
  the seeded York store, talking to `fake_slack`, with the clock fixed at 2023-02-15 and no
  scheduler (PLANBOT_SCHEDULER=false).
- `start_slack_app(database_url, **env)`: start more app processes (two on one database, a
  store of your own, other settings; the scheduler runs unless PLANBOT_SCHEDULER="false");
  each is stopped with SIGTERM when the test ends.
- `SlackAppProcess`: `.command("/plan help")`, `.event({...})`, `.block_action(...)`,
  `.view_submission(...)`, `.url_verification()`, `.healthz()`, `.post(...)` send requests signed
  exactly as Slack signs them (X-Slack-Signature, X-Slack-Request-Timestamp); `.stop()` sends
  SIGTERM; `.log` is what the process wrote to stderr.

Example:

    def test_help(slack_app, fake_slack):
        response_url = slack_app.command("/plan help").response_url
        answer = fake_slack.answer_to(response_url)
        assert "What planbot understands" in answer.payload["blocks"][0]["text"]["text"]
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_ID = "A0PLANBOT1"
AS_OF = "2023-02-15"
START_TIMEOUT = 30.0
_ids = itertools.count(1)
_SETTINGS_PREFIXES = ("SLACK_", "PLANBOT_", "DATABASE_URL")


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def planbot_command() -> list[str]:
    script = Path(sys.executable).with_name("planbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def clean_environment(**settings: str) -> dict[str, str]:
    """The test's environment without any planbot or Slack setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS_PREFIXES)}
    env.update(settings)
    return env


@dataclass(frozen=True)
class Sent:
    status: int
    body: bytes
    response_url: str | None = None
    event_id: str | None = None

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class SlackAppProcess:
    """`planbot serve --http` in a subprocess, and a Slack that talks to it."""

    def __init__(
        self,
        fake: FakeSlack,
        database_url: str,
        workdir: Path,
        *,
        secret: str = SIGNING_SECRET,
        env: dict[str, str] | None = None,
    ) -> None:
        self.fake = fake
        self.secret = secret
        self._lines: list[str] = []
        self._ready = threading.Event()
        self.address: str | None = None
        settings = {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database_url,
            "PLANBOT_TODAY": AS_OF,
        }
        settings.update(env or {})
        workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [*planbot_command(), "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
            cwd=workdir,  # no stray .env is read
            env=clean_environment(**settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read_stderr, daemon=True).start()
        try:
            self._wait_until_healthy()
        except BaseException:
            self.process.kill()  # never leave a server behind a failed start
            self.process.wait()
            raise

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._lines.append(line)
            if line.startswith("planbot: serving ") and self.address is None:
                self.address = line.split()[2].removesuffix("/slack/events")
                self._ready.set()
        self._ready.set()

    @property
    def log(self) -> str:
        return "".join(self._lines)

    def wait_for_log(self, text: str, *, since: int = 0, timeout: float = 10.0) -> str:
        """The log from offset `since` once it contains `text` (the process writes its log
        through a pipe, read by a thread: a line may arrive a moment after the response)."""
        deadline = time.monotonic() + timeout
        while text not in self.log[since:]:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged within {timeout}s:\n{self.log[since:]}")
            time.sleep(0.01)
        return self.log[since:]

    def _wait_until_healthy(self) -> None:
        if not self._ready.wait(START_TIMEOUT) or self.address is None:
            raise AssertionError(f"planbot serve did not start:\n{self.log}")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if self.healthz().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"/healthz never answered 200:\n{self.log}")

    # -- raw HTTP
    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Sent:
        assert self.address is not None
        host, port = self.address.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Sent(response.status, response.read())
        finally:
            connection.close()

    def healthz(self) -> Sent:
        return self.request("GET", "/healthz")

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Sent:
        """POST /slack/events signed as Slack does (or with the `signature` you give)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or slack_signature(self.secret, stamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        all_headers.update(headers or {})
        return self.request("POST", "/slack/events", body, all_headers)

    # -- what Slack sends
    def command(
        self,
        line: str,
        *,
        user: str = "UALICE001",
        channel: str = "CPLAN0001",
        channel_name: str = "improvement-plan",
        **sign: Any,
    ) -> Sent:
        """A slash command as typed: "/plan share what's open?"."""
        command, _, text = line.partition(" ")
        response_url = self.fake.new_response_url()
        form = {
            "token": "verification-token-unused",
            "team_id": TEAM_ID,
            "team_domain": "york-council",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{next(_ids)}.{TEAM_ID}.trigger",
        }
        sent = self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **sign)
        return Sent(sent.status, sent.body, response_url=response_url)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        **sign: Any,
    ) -> Sent:
        """An Events API event_callback wrapping `event` (as Slack retries it, with retry_num)."""
        event_id = event_id or f"Ev{next(_ids):010d}"
        body = event_callback(event, event_id)
        headers = dict(sign.pop("headers", {}) or {})
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        sent = self.post(json.dumps(body).encode(), "application/json", headers=headers, **sign)
        return Sent(sent.status, sent.body, event_id=event_id)

    def url_verification(
        self, challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    ) -> Sent:
        body = {"token": "unused", "challenge": challenge, "type": "url_verification"}
        return self.post(json.dumps(body).encode(), "application/json")

    def block_action(
        self,
        action_id: str,
        *,
        value: str = "",
        user: str = "UALICE001",
        channel: str | None = "CPLAN0001",
        message_ts: str = "1700000000.000001",
        thread_ts: str | None = None,
        in_view: dict[str, Any] | None = None,
        selected: str | None = None,
        **sign: Any,
    ) -> Sent:
        """A button click on a message in `channel`, or in a view (`in_view`, e.g. the Home tab);
        with `selected`, the choice of that option's value on an overflow menu instead."""
        response_url = self.fake.new_response_url() if in_view is None else None
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": "b1",
            "text": {"type": "plain_text", "text": action_id},
            "value": value,
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
        if selected is not None:
            action = {
                "type": "overflow",
                "action_id": action_id,
                "block_id": "b1",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "Done", "emoji": True},
                    "value": selected,
                },
                "action_ts": f"{time.time():.6f}",
            }
        payload = interaction_envelope("block_actions", user)
        payload |= {"enterprise": None, "is_enterprise_install": False, "actions": [action]}
        if in_view is not None:
            payload["container"] = {"type": "view", "view_id": in_view.get("id", "V1")}
            payload["view"] = in_view
        else:
            message = {"type": "message", "ts": message_ts, "text": "…", "user": BOT_USER_ID}
            if thread_ts:
                message["thread_ts"] = thread_ts
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel, "name": "improvement-plan"}
            payload["message"] = message
            payload["response_url"] = response_url
        form = urlencode({"payload": json.dumps(payload)}).encode()
        sent = self.post(form, "application/x-www-form-urlencoded", **sign)
        return Sent(sent.status, sent.body, response_url=response_url)

    def view_submission(
        self, callback_id: str, values: dict[str, Any], *, user: str = "UALICE001", **sign: Any
    ) -> Sent:
        payload = interaction_envelope("view_submission", user) | {
            "view": {
                "id": f"V{next(_ids):08d}",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": "",
                "state": {"values": values},
                "title": {"type": "plain_text", "text": "planbot"},
                "blocks": [],
            },
            "response_urls": [],
        }
        form = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(form, "application/x-www-form-urlencoded", **sign)

    # -- stopping
    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as a process manager stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"planbot did not stop within {timeout}s of SIGTERM") from None


def interaction_envelope(kind: str, user: str) -> dict[str, Any]:
    """What every interactivity payload (a click, a modal submission) carries around it."""
    return {
        "type": kind,
        "team": {"id": TEAM_ID, "domain": "york-council"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "verification-token-unused",
        "trigger_id": f"{next(_ids)}.{TEAM_ID}.trigger",
    }


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The envelope Slack wraps around an event (Events API and Socket Mode alike)."""
    event = {"event_ts": event.get("ts", f"{time.time():.6f}"), **event}
    return {
        "token": "verification-token-unused",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def message_event(
    text: str,
    *,
    user: str = "UALICE001",
    channel: str = "DALICE001",
    channel_type: str = "im",
    ts: str | None = None,
    thread_ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A `message` event as Slack sends it (a DM by default)."""
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts or f"1700001000.{next(_ids):06d}",
        "channel": channel,
        "channel_type": channel_type,
        "team": TEAM_ID,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event


def mention_event(
    text: str, *, user: str = "UALICE001", channel: str = "CPLAN0001", **extra: Any
) -> dict[str, Any]:
    """An `app_mention` event; `text` should include `<@{BOT_USER_ID}>`."""
    event = message_event(text, user=user, channel=channel, **extra)
    event["type"] = "app_mention"
    del event["channel_type"]
    return event


# -- fixtures


def _copy_york_store(
    target_dir: Path, seeded_template: str, pg_server: Any
) -> tuple[str, Callable[[], None]]:
    if pg_server is not None:
        name = pg_server.create(template=seeded_template)
        return pg_server.url_for(name), lambda: pg_server.drop(name)
    target = target_dir / "york.db"
    shutil.copyfile(seeded_template, target)
    return f"sqlite:///{target}", lambda: None


@pytest.fixture(scope="module")
def fake_slack_server() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def fake_slack(fake_slack_server: FakeSlack) -> Iterator[FakeSlack]:
    """The fake Slack, emptied for this test; every Block Kit payload must be valid by its end."""
    fake_slack_server.reset()
    yield fake_slack_server
    fake_slack_server.assert_valid()


@pytest.fixture(scope="module")
def module_york_url(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: str, pg_server: Any
) -> Iterator[str]:
    """A copy of the seeded York store shared by one test module."""
    url, drop = _copy_york_store(tmp_path_factory.mktemp("york"), seeded_template, pg_server)
    yield url
    drop()


@pytest.fixture(scope="module")
def slack_app(
    fake_slack_server: FakeSlack, module_york_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackAppProcess]:
    """`planbot serve --http` on the module's York store, talking to the fake Slack."""
    # No scheduler: a reminder run at the hour would post into tests that expect silence.
    app = SlackAppProcess(
        fake_slack_server,
        module_york_url,
        tmp_path_factory.mktemp("app"),
        env={"PLANBOT_SCHEDULER": "false"},
    )
    yield app
    app.stop()


@pytest.fixture
def start_slack_app(
    fake_slack: FakeSlack, tmp_path: Path
) -> Iterator[Callable[..., SlackAppProcess]]:
    """Start app processes on the database you name; all are stopped when the test ends."""
    started: list[SlackAppProcess] = []

    def start(database_url: str, **env: str) -> SlackAppProcess:
        app = SlackAppProcess(fake_slack, database_url, tmp_path / f"app{len(started)}", env=env)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()
