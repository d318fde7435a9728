"""Every listener of the Slack app, driven as Slack drives it: signed requests to a real process,
answers read back from the fake Slack Web API."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fake_slack import BOT_ID, BOT_USER_ID, FakeSlack
from slack_fixtures import SlackAppProcess, mention_event, message_event

from bot.slack.errors import CALM_LINE
from store.db import make_engine, session_scope
from store.queries.history import find_item
from store.queries.state import record_update

# retries, rate limits and acks: the database engine plays no part
pytestmark = pytest.mark.engine_independent

HELP_HEADER = "What planbot understands"


def header_of(payload: dict) -> str:
    return payload["blocks"][0]["text"]["text"]


def settle() -> None:
    """Give work that should NOT happen time to show itself before asserting it did not."""
    time.sleep(0.4)


def test_plan_help_is_acked_at_once_and_answered_privately(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    sent = slack_app.command("/plan help")
    assert (sent.status, sent.body) == (200, b"")
    answer = fake_slack.answer_to(sent.response_url).payload
    assert answer["response_type"] == "ephemeral"
    assert header_of(answer) == HELP_HEADER
    assert answer["text"].startswith("planbot answers questions")
    assert fake_slack.calls_to("chat.postMessage") == []


def test_plan_alone_shows_help(slack_app: SlackAppProcess, fake_slack: FakeSlack) -> None:
    answer = fake_slack.answer_to(slack_app.command("/plan").response_url).payload
    assert header_of(answer) == HELP_HEADER


def test_plan_share_posts_the_answer_in_the_channel(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    answer = fake_slack.answer_to(slack_app.command("/plan share help").response_url).payload
    assert answer["response_type"] == "in_channel"
    assert header_of(answer) == HELP_HEADER


def test_a_mention_is_answered_in_a_thread_under_it(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    event = mention_event(f"<@{BOT_USER_ID}> help", channel="CPLAN0001")
    assert slack_app.event(event).status == 200
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.payload["channel"] == "CPLAN0001"
    assert post.payload["thread_ts"] == event["ts"]
    assert header_of(post.payload) == HELP_HEADER
    assert post.headers["authorization"] == f"Bearer {fake_slack.token}"


def test_a_mention_inside_a_thread_is_answered_in_that_thread(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    event = mention_event(f"<@{BOT_USER_ID}|planbot> help", thread_ts="1700000500.000100")
    slack_app.event(event)
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.payload["thread_ts"] == "1700000500.000100"


def test_a_direct_message_is_answered_in_the_dm(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    slack_app.event(message_event("help", channel="DALICE001"))
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.payload["channel"] == "DALICE001"
    assert "thread_ts" not in post.payload
    assert header_of(post.payload) == HELP_HEADER


def test_share_in_a_dm_or_mention_is_only_dropped(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    """A mention is answered in its channel's thread and a DM privately whatever: `share` there
    must not be read as a topic word."""
    slack_app.event(message_event("share help", channel="DALICE001"))
    slack_app.event(mention_event(f"<@{BOT_USER_ID}> share help", channel="CPLAN0001"))
    posts = fake_slack.wait_for("chat.postMessage", count=2)
    assert [header_of(post.payload) for post in posts] == [HELP_HEADER, HELP_HEADER]


def test_a_dm_in_a_thread_is_answered_in_that_thread(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    slack_app.event(message_event("help", thread_ts="1700000600.000001"))
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.payload["thread_ts"] == "1700000600.000001"


def test_bots_and_edits_are_never_answered(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    quiet = [
        message_event("help", user=BOT_USER_ID, bot_id=BOT_ID),  # its own message
        message_event("help", user="UOTHERBOT", bot_id="BOTHER001"),  # another bot
        message_event("help", subtype="bot_message", bot_id="BOTHER001"),  # an integration
        mention_event(f"<@{BOT_USER_ID}> help", bot_id="BOTHER001"),
        message_event("", subtype="message_changed", message={"text": "help", "user": "UALICE001"}),
        message_event("", subtype="message_deleted"),
        message_event("", files=[{"id": "F1"}], subtype="file_share"),  # a picture, no words
    ]
    for event in quiet:
        assert slack_app.event(event).status == 200
    slack_app.event(message_event("help", channel="DMARKER01"))
    fake_slack.wait_for("chat.postMessage")
    settle()
    assert [c.payload["channel"] for c in fake_slack.calls_to("chat.postMessage")] == ["DMARKER01"]
    assert fake_slack.calls_to("chat.postEphemeral") == []


def test_channel_messages_outside_reminder_threads_are_acknowledged_and_ignored(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    places = (("channel", "CPLAN0001"), ("group", "GPRIVATE1"), ("mpim", "GMULTI001"))
    for channel_type, channel in places:
        event = message_event(
            "done, signed off",
            channel=channel,
            channel_type=channel_type,
            thread_ts="1700000000.000009",
        )
        assert slack_app.event(event).status == 200
    settle()
    assert fake_slack.calls == []
    assert "Unhandled request" not in slack_app.log


def test_opening_the_home_tab_publishes_it(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    opened = {"type": "app_home_opened", "user": "UALICE001", "channel": "DALICE001", "tab": "home"}
    assert slack_app.event(opened).status == 200
    [publish] = fake_slack.wait_for("views.publish")
    assert publish.payload["user_id"] == "UALICE001"
    view = publish.payload["view"]
    assert view["type"] == "home"
    assert [b["type"] for b in view["blocks"]][:2] == ["header", "section"]
    assert any(b.get("text", {}).get("text") == HELP_HEADER for b in view["blocks"])

    slack_app.event({**opened, "tab": "messages"})
    settle()
    assert len(fake_slack.calls_to("views.publish")) == 1


def test_a_button_reaches_its_registered_handler(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    sent = slack_app.block_action("home:refresh", user="UBOB00001", in_view={"id": "VHOME1"})
    assert (sent.status, sent.body) == (200, b"")
    [publish] = fake_slack.wait_for("views.publish")
    assert publish.payload["user_id"] == "UBOB00001"


def test_an_unknown_button_or_modal_is_acknowledged_and_ignored(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    assert slack_app.block_action("nobody:knows-this").status == 200
    assert slack_app.view_submission("no_such_modal", {}).status == 200
    settle()
    assert fake_slack.calls == []


def test_url_verification_echoes_the_challenge(slack_app: SlackAppProcess) -> None:
    sent = slack_app.url_verification("abc123challenge")
    assert sent.status == 200
    assert json.loads(sent.body) == {"challenge": "abc123challenge"}


def test_a_bad_signature_is_rejected_and_nothing_runs(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    forged = slack_app.command("/plan help", signature="v0=" + "0" * 64)
    assert forged.status == 401
    wrong_secret = SlackAppProcess.__new__(SlackAppProcess)
    wrong_secret.__dict__.update(slack_app.__dict__, secret="not-the-secret")
    assert wrong_secret.event(message_event("help")).status == 401
    settle()
    assert fake_slack.calls == []


def test_a_stale_timestamp_is_rejected_even_when_signed(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    ten_minutes_ago = int(time.time()) - 600
    assert slack_app.command("/plan help", timestamp=ten_minutes_ago).status == 401
    assert slack_app.event(message_event("help"), timestamp=ten_minutes_ago).status == 401
    settle()
    assert fake_slack.calls == []


def test_an_event_delivered_again_is_acknowledged_and_ignored(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    event = message_event("help", channel="DTWICE001")
    first = slack_app.event(event, event_id="EvTWICE0001")
    again = slack_app.event(event, event_id="EvTWICE0001")
    retried = slack_app.event(event, event_id="EvTWICE0001", retry_num=1)
    retried_again = slack_app.event(event, event_id="EvTWICE0001", retry_num=2)
    assert [s.status for s in (first, again, retried, retried_again)] == [200] * 4
    fake_slack.wait_for("chat.postMessage")
    settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_a_retry_that_is_the_only_copy_is_answered(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    slack_app.event(message_event("help", channel="DRETRY001"), retry_num=1)
    [post] = fake_slack.wait_for("chat.postMessage")
    assert post.payload["channel"] == "DRETRY001"


def test_rate_limited_post_is_retried_after_retry_after(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    slack_app.event(message_event("help"))
    first, second = fake_slack.wait_for("chat.postMessage", count=2, timeout=15)
    assert first.answered == 429
    assert second.answered == 200
    assert second.at - first.at >= 1.0  # Retry-After honoured
    assert header_of(second.payload) == HELP_HEADER


def test_server_errors_are_retried_until_the_post_goes_through(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", times=1, status=500)
    fake_slack.fail_next("chat.postMessage", times=1, status=503)
    slack_app.event(mention_event(f"<@{BOT_USER_ID}> help"))
    calls = fake_slack.wait_for("chat.postMessage", count=3, timeout=15)
    assert [c.answered for c in calls] == [500, 503, 200]


def test_a_failing_response_url_is_retried(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("response_url", status=500)
    response_url = slack_app.command("/plan help").response_url
    calls = fake_slack.wait_for("response_url", count=2, timeout=15)
    assert [c.answered for c in calls] == [500, 200]
    assert {c.payload["_url"] for c in calls} == {response_url}


def test_an_answer_lost_for_good_is_an_error(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    """A Slack call that fails is a warning (its caller may not mind); an answer that never
    reaches the person is an error."""
    before = len(slack_app.log)
    fake_slack.fail_next("response_url", times=4, status=500)
    response_url = slack_app.command("/plan help").response_url
    fake_slack.wait_for(
        "response_url", count=4, timeout=20, where=lambda c: c.payload["_url"] == response_url
    )
    deadline = time.monotonic() + 5
    while "was lost" not in slack_app.log[before:] and time.monotonic() < deadline:
        time.sleep(0.05)
    written = slack_app.log[before:]
    assert "WARNING planbot.slack: Slack call response_url failed: HTTP 500" in written
    assert "ERROR planbot.slack: an answer for a response_url was lost: HTTP 500" in written


def test_a_failure_after_the_ack_is_logged_once_and_told_calmly(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("views.publish", error="invalid_arguments")
    opened = {"type": "app_home_opened", "user": "UCAROL001", "channel": "DCAROL001", "tab": "home"}
    slack_app.event(opened)
    [told] = fake_slack.wait_for("chat.postEphemeral")
    assert told.payload["user"] == "UCAROL001"
    assert told.payload["text"] == CALM_LINE
    deadline = time.monotonic() + 5
    while "show_home failed" not in slack_app.log and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "show_home failed (kind=app_home_opened user=UCAROL001" in slack_app.log
    assert "Slack call views.publish failed: invalid_arguments" in slack_app.log
    assert "Traceback" in slack_app.log  # the stack is in the log, not in Slack


def test_a_question_by_slash_command_is_answered_from_the_plan(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    sent = slack_app.command("/plan what's open under OA4?")
    answer = fake_slack.answer_to(sent.response_url).payload
    assert answer["response_type"] == "ephemeral"
    assert "P7.5" in answer["text"]
    assert "Head of MASH" in answer["text"]
    assert "P7.5" in json.dumps(answer["blocks"])


def test_a_shared_question_by_mention_and_dm_reaches_the_same_answer(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    shared = fake_slack.answer_to(slack_app.command("/plan share status of P7.5").response_url)
    assert shared.payload["response_type"] == "in_channel"
    slack_app.event(mention_event(f"<@{BOT_USER_ID}> status of P7.5", channel="CPLAN0002"))
    slack_app.event(message_event("status of P7.5", channel="DALICE002"))
    posts = fake_slack.wait_for("chat.postMessage", count=2)
    assert {p.payload["channel"] for p in posts} == {"CPLAN0002", "DALICE002"}
    for post in posts:
        assert post.payload["text"] == shared.payload["text"]
        assert "P7.5" in post.payload["text"]


def test_what_changed_names_the_updates_and_their_authors_without_pinging(
    york_url: str, fake_slack: FakeSlack, start_slack_app: Callable[..., SlackAppProcess]
) -> None:
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        record_update(
            session, item, at=datetime(2023, 2, 14, 9, 30, tzinfo=UTC), source="chat",
            author="USAM00001", status="blocked", note="waiting on police data <!channel>",
        )  # fmt: skip
    engine.dispose()
    fake_slack.users["USAM00001"] = {"id": "USAM00001", "name": "sam", "real_name": "Sam Lee"}
    app = start_slack_app(york_url)
    answer = fake_slack.answer_to(app.command("/plan what changed this week?").response_url)
    text = json.dumps(answer.payload, ensure_ascii=False)
    assert answer.payload["text"].startswith("Updates recorded this week (13 Feb 2023 to 15 Feb")
    assert "P7.5" in text and "not started → blocked" in text and "waiting on police data" in text
    assert "@Sam Lee" in text
    assert "<@USAM00001>" not in text and "<!channel>" not in text


def test_a_long_answer_pages_shares_and_opens_steps_through_slack(
    slack_app: SlackAppProcess, fake_slack: FakeSlack
) -> None:
    first = fake_slack.answer_to(slack_app.command("/plan what's open?").response_url).payload
    assert len(first["blocks"]) <= 20, [b["type"] for b in first["blocks"]]
    assert [b["type"] for b in first["blocks"]][-1] == "actions", first["blocks"]
    [actions] = [b for b in first["blocks"] if b["type"] == "actions"]
    more = next(e for e in actions["elements"] if e["action_id"] == "answer:more")
    assert json.loads(more["value"])["f"] == 10

    pressed = slack_app.block_action("answer:more", value=more["value"], user="UALICE001")
    second = fake_slack.answer_to(pressed.response_url).payload
    assert second["response_type"] == "ephemeral"
    sections = [b["text"]["text"] for b in second["blocks"] if b["type"] == "section"]
    assert sections[0].startswith("*52 items*; 11–20 below")
    firsts = {b["text"]["text"].split("*")[1] for b in first["blocks"] if b["type"] == "section"
              and b["text"]["text"].startswith(":")}  # fmt: skip
    assert not firsts & {s.split("*")[1] for s in sections[1:]}  # a new ten, none repeated

    # pressed a week after the answer was given: asked again as of now, and it says so
    stale = json.dumps({"q": "what's open?", "f": 10, "d": "2023-02-08"})
    later = fake_slack.answer_to(slack_app.block_action("answer:more", value=stale).response_url)
    assert "Asked again as of 15 Feb 2023; the first answer was as of 8 Feb 2023." in json.dumps(
        later.payload["blocks"]
    )

    share = next(e for e in actions["elements"] if e["action_id"] == "answer:share")
    shared = fake_slack.answer_to(slack_app.block_action("answer:share", value=share["value"])
                                  .response_url)  # fmt: skip
    assert shared.payload["response_type"] == "in_channel"
    assert shared.payload["blocks"][2:] == first["blocks"][2:]  # the same page, for everyone

    steps = fake_slack.answer_to(slack_app.block_action("answer:steps", value="P7.5").response_url)
    text = json.dumps(steps.payload["blocks"])
    assert all(f"*P7.5.{n}*" in text for n in range(1, 6))
