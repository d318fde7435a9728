"""Messages to the bot in its DM (the App Home's Messages tab): each line answered in the DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.delivery import ToConversation
from bot.listeners.common import after_ack, reply, split_share
from bot.runtime import Runtime
from bot.slack_text import to_command_text

# Message subtypes that are a person saying something; edits, deletions and joins are not.
SPOKEN = (None, "file_share", "thread_broadcast")


def is_direct_message(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") == "im"


def register(app: App, runtime: Runtime) -> None:
    def answer_direct_message(
        body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        event = body["event"]
        if event.get("subtype") not in SPOKEN or not event.get("user"):
            return
        _, text = split_share(to_command_text(event.get("text"), bot_user_id=context.bot_user_id))
        if not text:
            return  # a file or image with no words: nothing to answer
        reply(
            runtime,
            client,
            text,
            ToConversation(event["channel"], thread_ts=event.get("thread_ts")),
            user_id=event["user"],
            channel_id=event.get("channel"),
            thread_ts=event.get("thread_ts"),
            body=body,
        )

    app.event("message", matchers=[is_direct_message])(after_ack(app, answer_direct_message))
