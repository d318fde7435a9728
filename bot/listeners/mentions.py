"""`@planbot what's open under OA4?` in a channel: answered in a thread under the mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.delivery import ToConversation
from bot.listeners.common import after_ack, reply, split_share
from bot.runtime import Runtime
from bot.slack_text import to_command_text


def register(app: App, runtime: Runtime) -> None:
    def answer_mention(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        event = body["event"]
        _, text = split_share(to_command_text(event.get("text"), bot_user_id=context.bot_user_id))
        reply(
            runtime,
            client,
            text or "help",
            ToConversation(event["channel"], thread_ts=event.get("thread_ts") or event["ts"]),
            user_id=event.get("user"),
            channel_id=event.get("channel"),
            thread_ts=event.get("thread_ts"),
            body=body,
        )

    app.event("app_mention")(after_ack(app, answer_mention))
