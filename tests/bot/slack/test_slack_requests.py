"""Requests that are not what Slack sends, sent to the app as a stranger (or a confused Slack)
would: each is answered calmly, does nothing, posts nowhere and leaves no traceback in the log."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from fake_slack import FakeSlack
from slack_bolt import BoltRequest
from slack_fixtures import (
    SIGNING_SECRET,
    SlackAppProcess,
    event_callback,
    interaction_envelope,
    slack_signature,
)
from sqlalchemy.engine import Engine

from bot.runtime import Runtime
from bot.settings import load_settings
from bot.slack.app import create_app
from bot.slack.requests import MAX_BODY_BYTES, Refused, read_body

# Requests are checked at the door before any database is read.
pytestmark = pytest.mark.engine_independent


def settle(app: SlackAppProcess, fake: FakeSlack) -> None:
    """Wait until the app has done what it was given before this point: a `/plan help` sent
    now is answered after any work an earlier request handed over had its turn, so work that
    should NOT happen would show by then. Its own answer is then forgotten."""
    probe = app.command("/plan help")
    assert probe.response_url is not None
    fake.answer_to(probe.response_url)
    fake.reset()


def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


def payload_form(payload: object) -> bytes:
    return form(payload=json.dumps(payload))


def command_form(response_url: str) -> bytes:
    """A /plan command as Slack sends it, whose response_url is the fake's (any post shows)."""
    return form(
        command="/plan",
        text="help",
        user_id="UALICE001",
        channel_id="CPLAN0001",
        team_id="T0YORK01",
        response_url=response_url,
    )


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def new_log(app: SlackAppProcess, before: int) -> str:
    return app.log[before:]


def assert_quiet(app: SlackAppProcess, fake: FakeSlack, before: int) -> None:
    """Nothing was sent to Slack or to any response_url, and nothing was logged as a failure."""
    assert fake.calls == []  # a request refused at the door hands nothing over
    settle(app, fake)
    assert fake.calls == []
    written = new_log(app, before)
    assert "Traceback" not in written, written
    assert " ERROR " not in written, written


# -- unsigned or badly signed: 401, before the body is read for anything


@pytest.mark.parametrize(
    ("name", "timestamp", "sign_with"),
    [
        ("words for a timestamp", "yesterday", None),
        ("words for a timestamp, signed over them", "yesterday", "yesterday"),
        ("an empty timestamp", "", None),
        ("a float timestamp", "1700000000.5", None),
        ("a negative timestamp", "-1", None),
        ("digits Python reads but Slack never sends", "١٧٠٠٠٠٠٠٠٠".encode(), None),
        ("a timestamp of 5000 digits", "9" * 5000, None),
        ("a timestamp padded with spaces", " 1700000000 ", None),
    ],
)
def test_a_malformed_timestamp_is_refused_and_nothing_is_posted(
    slack_app: SlackAppProcess,
    fake_slack: FakeSlack,
    name: str,
    timestamp: str | bytes,
    sign_with: str | None,
) -> None:
    before = len(slack_app.log)
    body = command_form(fake_slack.new_response_url())
    signature = (
        slack_signature(slack_app.secret, sign_with, body) if sign_with else "v0=" + "a" * 64
    )
    sent = slack_app.post(
        body,
        FORM,
        signature=signature,
        headers={"X-Slack-Request-Timestamp": timestamp},  # type: ignore[dict-item]
    )
    assert sent.status == 401, name
    assert_quiet(slack_app, fake_slack, before)


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("no signature", {"X-Slack-Signature": ""}),
        ("a v1 signature", {"X-Slack-Signature": "v1=" + "a" * 64}),
        ("a signature that is not hex", {"X-Slack-Signature": "v0=" + "z" * 64}),
        ("a short signature", {"X-Slack-Signature": "v0=abc"}),
        ("a signature of other characters", {"X-Slack-Signature": "v0=" + "é" * 64}),
    ],
)
def test_a_missing_or_malformed_signature_is_refused(
    slack_app: SlackAppProcess, fake_slack: FakeSlack, name: str, headers: dict[str, str]
) -> None:
    before = len(slack_app.log)
    body = command_form(fake_slack.new_response_url())
    sent = slack_app.post(body, FORM, headers=headers)
    assert sent.status == 401, name
    assert_quiet(slack_app, fake_slack, before)


def test_a_request_without_signature_headers_is_refused(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    before = len(slack_app.log)
    body = command_form(fake_slack.new_response_url())
    sent = slack_app.request("POST", "/slack/events", body, {"Content-Type": FORM})
    assert sent.status == 401
    assert_quiet(slack_app, fake_slack, before)


UNSIGNED_BODIES = [
    (b'{"type": ', JSON, 401),
    (b"[1,2]", JSON, 401),
    (b"null", JSON, 401),
    (b"payload=%22hello%22", FORM, 401),
    (b"payload=%7B", FORM, 401),
    (b"", FORM, 401),
    (b"\xff\xfe\x00garbage", FORM, 400),  # not UTF-8: refused before the signature is read
]


@pytest.mark.parametrize(("body", "content_type", "status"), UNSIGNED_BODIES)
def test_an_unsigned_malformed_body_is_refused_without_a_traceback(
    slack_app: SlackAppProcess, fake_slack: FakeSlack, body: bytes, content_type: str, status: int
) -> None:
    before = len(slack_app.log)
    sent = slack_app.post(body, content_type, signature="v0=" + "0" * 64)
    assert sent.status == status
    assert_quiet(slack_app, fake_slack, before)


# -- signed, but not something Slack sends: 400 when it is no object at all, 200 otherwise

SIGNED_MALFORMED = [
    (b'{"type": ', JSON),
    (b"[1,2]", JSON),
    (b"null", JSON),
    (b'"hello"', JSON),
    (b"payload=%22hello%22", FORM),
    (b"payload=%7B", FORM),
    (b"payload=%5B1%5D", FORM),
    (b"\xff\xfe\x00garbage", FORM),
]


@pytest.mark.parametrize(("body", "content_type"), SIGNED_MALFORMED)
def test_a_signed_body_that_is_not_an_object_is_a_bad_request(
    slack_app: SlackAppProcess, fake_slack: FakeSlack, body: bytes, content_type: str
) -> None:
    before = len(slack_app.log)
    assert slack_app.post(body, content_type).status == 400
    assert_quiet(slack_app, fake_slack, before)


def event_body(event: object, **envelope: object) -> bytes:
    body = event_callback({}, "EvSHAPE0001") | {"event": event} | envelope
    body["event_id"] = envelope.get("event_id", f"EvSHAPE{time.monotonic_ns()}")
    return json.dumps(body).encode()


def action_body(**changes: object) -> bytes:
    payload = interaction_envelope("block_actions", "UALICE001")
    payload |= {"actions": [{"action_id": "home:refresh", "value": "1", "type": "button"}]}
    payload |= {"container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1"}}
    return payload_form(payload | changes)


def view_body(kind: str, **changes: object) -> bytes:
    payload = interaction_envelope(kind, "UALICE001")
    payload |= {"view": {"id": "V1", "type": "modal", "callback_id": "reminder_note:1"}}
    return payload_form(payload | changes)


SIGNED_ODD_SHAPES = [
    ("event null", event_body(None), JSON),
    ("event a list", event_body([]), JSON),
    ("event a string", event_body("message"), JSON),
    ("event without a type", event_body({"text": "help"}), JSON),
    ("event of type 5", event_body({"type": 5}), JSON),
    ("a message event with nothing", event_body({"type": "message"}), JSON),
    ("a mention with nothing", event_body({"type": "app_mention"}), JSON),
    ("an event id that is an object", event_body({"type": "message"}, event_id={"a": 1}), JSON),
    ("authorizations a number", event_body({"type": "message"}, authorizations=5), JSON),
    ("authorizations [5]", event_body({"type": "message"}, authorizations=[5]), JSON),
    ("enterprise a number", event_body({"type": "message"}, enterprise=5), JSON),
    ("an unknown event type", event_body({"type": "reaction_added", "user": "U1"}), JSON),
    ("no type", json.dumps({"token": "x", "team_id": "T1"}).encode(), JSON),
    ("a type that is a list", json.dumps({"type": ["event_callback"]}).encode(), JSON),
    (
        "url_verification without a challenge",
        json.dumps({"type": "url_verification"}).encode(),
        JSON,
    ),
    ("actions empty", action_body(actions=[]), FORM),
    ("actions null", action_body(actions=None), FORM),
    ("actions [null]", action_body(actions=[None]), FORM),
    ("actions [5]", action_body(actions=[5]), FORM),
    ("action_id a number", action_body(actions=[{"action_id": 5, "type": "button"}]), FORM),
    ("user a string", action_body(user="UALICE001"), FORM),
    ("user a number", action_body(user=5), FORM),
    ("team a number", action_body(team=5), FORM),
    ("response_urls a number", view_body("view_submission", response_urls=5), FORM),
    ("view null", view_body("view_submission", view=None), FORM),
    ("view a string", view_body("view_submission", view="V1"), FORM),
    ("a view with no callback_id", view_body("view_submission", view={"id": "V1"}), FORM),
    ("an unknown interaction", payload_form({"type": "shortcut", "callback_id": "x"}), FORM),
    ("a form with neither command nor payload", form(text="help"), FORM),
    ("a command we do not have", form(command="/other", text="help"), FORM),
    ("a command without a response_url", form(command="/plan", text="help", user_id="U1"), FORM),
    ("a command without a user", form(command="/plan", text="help", response_url="x"), FORM),
]


@pytest.mark.parametrize(
    ("name", "body", "content_type"), SIGNED_ODD_SHAPES, ids=[s[0] for s in SIGNED_ODD_SHAPES]
)
def test_a_signed_request_of_a_shape_slack_never_sends_is_acknowledged_and_dropped(
    slack_app: SlackAppProcess, fake_slack: FakeSlack, name: str, body: bytes, content_type: str
) -> None:
    before = len(slack_app.log)
    sent = slack_app.post(body, content_type)
    assert sent.status == 200, (name, sent.body)
    assert_quiet(slack_app, fake_slack, before)


# -- what Slack sends that needs only an acknowledgement


def test_app_rate_limited_is_acknowledged_and_logged_as_a_warning(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    before = len(slack_app.log)
    body = {
        "token": "verification-token-unused",
        "type": "app_rate_limited",
        "team_id": "T0YORK01",
        "minute_rate_limited": 1518467820,
        "api_app_id": "A0PLANBOT1",
    }
    sent = slack_app.post(json.dumps(body).encode(), JSON)
    assert (sent.status, sent.body) == (200, b"")
    assert fake_slack.calls == []
    settle(slack_app, fake_slack)
    written = new_log(slack_app, before)
    assert " WARNING planbot.slack: Slack is holding back events" in written
    assert "1518467820" in written and "Traceback" not in written


def test_a_closed_modal_is_acknowledged(slack_app: SlackAppProcess, fake_slack: FakeSlack) -> None:
    before = len(slack_app.log)
    sent = slack_app.post(view_body("view_closed", is_cleared=False), FORM)
    assert (sent.status, sent.body) == (200, b"")
    assert fake_slack.calls == []
    settle(slack_app, fake_slack)
    assert " WARNING " not in new_log(slack_app, before)  # handled, not "no listener"


def test_a_signed_event_no_listener_takes_is_acknowledged_with_a_warning(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    before = len(slack_app.log)
    sent = slack_app.event({"type": "reaction_added", "user": "UALICE001", "reaction": "+1"})
    assert sent.status == 200  # a 404 would be retried, and counted against the app
    slack_app.wait_for_log("no listener for this request (kind=reaction_added", since=before)


def test_the_error_path_never_answers_a_request_not_shown_to_be_slacks(
    york_engine: Engine, fake_slack: FakeSlack
) -> None:
    """Bolt's own check, reached without the door (another adapter, a test): a timestamp that is
    not a number makes it raise; the error is logged, and the response_url the sender chose is
    never posted to."""
    settings = load_settings(
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        slack_signing_secret=SIGNING_SECRET,
    )
    runtime = Runtime(settings=settings, clock=settings.clock("2023-02-15"), engine=york_engine)
    executor = ThreadPoolExecutor(1)
    app = create_app(runtime, executor=executor)
    fake_slack.reset()  # auth.test at start-up
    body = command_form(fake_slack.new_response_url()).decode()
    headers = {
        "content-type": [FORM],
        "x-slack-request-timestamp": ["yesterday"],
        "x-slack-signature": [slack_signature(SIGNING_SECRET, "yesterday", body.encode())],
    }
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    executor.shutdown(wait=True)  # whatever was handed over has run
    assert response.status >= 400
    assert fake_slack.calls == []


# -- bodies over the limit: refused before they are read


def raw_exchange(
    app: SlackAppProcess, head: bytes, body_chunks: list[bytes]
) -> tuple[bytes, float]:
    """Send `head` and then `body_chunks` on one connection while reading the answer; the answer's
    first bytes and how long they took from the end of `head`."""
    assert app.address is not None
    host, port = app.address.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head)
        started = time.monotonic()
        with contextlib.suppress(OSError):  # the server may close before taking it all
            for chunk in body_chunks:
                connection.sendall(chunk)
        answer = connection.recv(200)
        return answer, time.monotonic() - started


def test_a_body_over_the_limit_is_refused_without_being_read(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: planbot\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 2097152\r\n\r\n"
    )
    answer, took = raw_exchange(slack_app, head, [])  # the 2 MB never sent: it was not awaited
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert took < 1.0
    assert fake_slack.calls == []


def test_a_chunked_body_is_cut_off_at_the_limit(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: planbot\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"  # 64 KB
    answer, _ = raw_exchange(slack_app, head, [chunk] * 32)  # 2 MB, never ended
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert fake_slack.calls == []


def test_a_signed_command_near_the_limit_is_still_answered(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    response_url = fake_slack.new_response_url()
    body = command_form(response_url) + b"&padding=" + b"x" * (MAX_BODY_BYTES - 1000)
    assert len(body) <= MAX_BODY_BYTES
    assert slack_app.post(body, FORM).status == 200
    fake_slack.answer_to(response_url)


class Unreadable(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")


def test_the_door_reads_no_body_over_the_limit_whatever_the_server() -> None:
    """The same limit without waitress's: by Content-Length before reading, and a body of no
    stated length read no further than the limit."""
    declared = {"CONTENT_LENGTH": str(2 * MAX_BODY_BYTES), "wsgi.input": Unreadable()}
    assert read_body(declared) == Refused(413, f"a body of {2 * MAX_BODY_BYTES} bytes")
    stream = io.BytesIO(b"a" * 2 * MAX_BODY_BYTES)
    endless = {"wsgi.input": stream, "wsgi.input_terminated": True}
    assert isinstance(read_body(endless), Refused)
    assert stream.tell() == MAX_BODY_BYTES + 1
    assert read_body({"wsgi.input": Unreadable()}) == b""  # no length, no end: nothing read
