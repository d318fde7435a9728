"""Messages to the bot in its DM (the App Home's Messages tab): each line answered in the DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.posting.delivery import ToConversation
from bot.runtime import Runtime
from bot.slack.listeners.common import Asked, after_ack, answering, split_share
from bot.slack.text import to_command_text

# Message subtypes that are a person saying something; edits, deletions and joins are not.
SPOKEN = (None, "file_share", "thread_broadcast")


def is_direct_message(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") == "im"


def register(app: App, runtime: Runtime) -> None:
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
