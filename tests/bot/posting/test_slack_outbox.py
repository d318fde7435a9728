"""The fake Slack's checks, and posts that matter: retried later when Slack fails for a while."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from bot.posting.outbox import post_that_matters, retry_pending_posts
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.slack.client import build_web_client
from store.db import session_scope
from store.queries.pending_posts import pending_posts

# posting to Slack: the database engine plays no part
pytestmark = pytest.mark.engine_independent

REPLY = {
    "channel": "CPLAN0001",
    "thread_ts": "1700000000.000001",
    "text": "OA4.1 → in progress",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*OA4.1* → in progress"}}],
}


@pytest.fixture
def lone_fake() -> Iterator[FakeSlack]:
    """A fake of this test's own (the shared one fails a test that sends invalid blocks)."""
    fake = FakeSlack()
    yield fake
    fake.close()


def test_the_fake_rejects_what_slack_would_reject(lone_fake: FakeSlack) -> None:
    client = WebClient(token=lone_fake.token, base_url=lone_fake.api_url)
    client.chat_postMessage(channel="C1", text="fine", blocks=REPLY["blocks"])
    assert lone_fake.validation_errors == []
    bad = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}},
        {"type": "no_such_block"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "ok"}, "colour": "red"},
        {"type": "header", "text": {"type": "mrkdwn", "text": "headers are plain_text"}},
    ]
    for block in bad:
        client.chat_postMessage(channel="C1", text="fallback", blocks=[block])
    with pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C1", blocks=REPLY["blocks"])  # no text fallback
    client.views_publish(user_id="U1", view={"type": "home", "blocks": bad[:1]})
    client.chat_postMessage(channel="C1", text="many", blocks=[REPLY["blocks"][0]] * 51)
    assert len(lone_fake.validation_errors) == 7, lone_fake.validation_errors
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token="xoxb-other", base_url=lone_fake.api_url).auth_test()


def test_the_fake_serves_the_files_upload_v2_flow(lone_fake: FakeSlack) -> None:
    client = WebClient(token=lone_fake.token, base_url=lone_fake.api_url)
    client.files_upload_v2(channel="C1", content=b"\x89PNG fake", filename="chart.png", title="t")
    methods = [c.method for c in lone_fake.calls]
    assert methods[:3] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert list(lone_fake.uploads.values()) == [b"\x89PNG fake"]


@pytest.fixture
def runtime(york_engine: Engine, york_url: str, fake_slack: FakeSlack) -> Runtime:
    settings = load_settings(
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        database_url=york_url,
        planbot_today="2023-02-15",
    )
    return Runtime(settings=settings, clock=settings.clock(), engine=york_engine)


def test_a_post_that_keeps_failing_is_kept_and_sent_later(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", error="service_unavailable")
    with caplog.at_level(logging.WARNING):
        assert post_that_matters(runtime, client, "chat.postMessage", REPLY) is None
    assert "Slack call chat.postMessage failed: service_unavailable" in caplog.text
    with session_scope(runtime.engine) as session:
        [queued] = pending_posts(session)
        assert (queued.method, queued.payload, queued.done_at) == ("chat.postMessage", REPLY, None)

    now = runtime.clock.utcnow()
    assert retry_pending_posts(runtime, client, at=now).sent == 0  # not due yet
    report = retry_pending_posts(runtime, client, at=now + timedelta(minutes=2))
    assert (report.sent, report.failed) == (1, 0)
    delivered = fake_slack.answered_ok("chat.postMessage")
    assert [c.payload for c in delivered] == [REPLY]
    assert retry_pending_posts(runtime, client, at=now + timedelta(hours=3)).sent == 0
    with session_scope(runtime.engine) as session:
        [sent] = pending_posts(session)
        assert sent.done_at is not None


def test_a_refused_post_is_logged_and_not_kept(
    runtime: Runtime, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    with caplog.at_level(logging.WARNING):
        assert post_that_matters(runtime, client, "chat.postMessage", REPLY) is None
    assert "chat.postMessage refused (channel_not_found); not retried" in caplog.text
    with session_scope(runtime.engine) as session:
        assert pending_posts(session) == []


def test_a_rate_limit_is_waited_out_by_the_client_itself(
    runtime: Runtime, fake_slack: FakeSlack
) -> None:
    client = build_web_client(runtime.settings)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    response = post_that_matters(runtime, client, "chat.postMessage", REPLY)
    assert response is not None and response["ok"] is True
    assert [c.answered for c in fake_slack.calls_to("chat.postMessage")] == [429, 200]
    with session_scope(runtime.engine) as session:
        assert pending_posts(session) == []
