"""Messages to the bot in its DM (the App Home's Messages tab): each line answered in the DM,
except replies (and their edits) under a lead's reminder thread sent there by DM (`reminders dm
on`), which are read as replies to it (bot/slack/listeners/reminder_threads.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.posting.delivery import ToConversation
from bot.runtime import Runtime
from bot.slack.listeners.common import Asked, after_ack, answering, split_share
from bot.slack.listeners.reminder_threads import on_channel_message
from bot.slack.text import to_command_text
from store.db import session_scope
from store.queries.reminders import reminder_for_thread

# Message subtypes that are a person saying something; edits, deletions and joins are not.
SPOKEN = (None, "file_share", "thread_broadcast")


def is_direct_message(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") == "im"


def _thread_of(event: dict[str, Any]) -> str | None:
    """The thread a DM message (or the message an edit or deletion is about) replies in."""
    for message in (event, event.get("message") or {}, event.get("previous_message") or {}):
        if message.get("thread_ts") and message.get("thread_ts") != message.get("ts"):
            return str(message["thread_ts"])
    return None


def register(app: App, runtime: Runtime) -> None:
    def in_reminder_thread(body: dict[str, Any]) -> bool:
        event = body.get("event") or {}
        thread_ts = _thread_of(event)
        if thread_ts is None or not is_direct_message(body):
            return False
        with session_scope(runtime.engine) as session:
            return reminder_for_thread(session, event.get("channel"), thread_ts) is not None

    def read_reply(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        on_channel_message(runtime, body["event"], client, bot_user_id=context.bot_user_id)

    app.event("message", matchers=[in_reminder_thread])(after_ack(app, read_reply))

    def read(body: dict[str, Any], context: BoltContext) -> Asked | None:
        event = body["event"]
        if event.get("subtype") not in SPOKEN or not event.get("user"):
            return None
        _, text = split_share(to_command_text(event.get("text"), bot_user_id=context.bot_user_id))
        if not text:
            return None  # a file or image with no words: nothing to answer
        return Asked(
            text,
            ToConversation(event["channel"], thread_ts=event.get("thread_ts")),
            event["user"],
            event.get("channel"),
            event.get("thread_ts"),
        )

    work, quick = answering(runtime, read, name="direct_message")
    app.event("message", matchers=[is_direct_message])(after_ack(app, work, quick=quick))
