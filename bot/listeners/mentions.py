"""`@planbot what's open under OA4?` in a channel: answered in a thread under the mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.common import after_ack, answer, message_payload
from bot.outbox import post_that_matters
from bot.runtime import Runtime
from bot.slack_text import to_command_text


def register(app: App, runtime: Runtime) -> None:
    def answer_mention(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        event = body["event"]
        text = to_command_text(event.get("text"), bot_user_id=context.bot_user_id)
        rendered = answer(
            runtime,
            text or "help",
            user_id=event.get("user"),
            channel_id=event.get("channel"),
            thread_ts=event.get("thread_ts"),
        )
        if rendered.quiet:
            return
        payload = message_payload(rendered, client)
        payload |= {"channel": event["channel"], "thread_ts": event.get("thread_ts") or event["ts"]}
        post_that_matters(runtime, client, "chat.postMessage", payload)

    app.event("app_mention")(after_ack(app, answer_mention))
