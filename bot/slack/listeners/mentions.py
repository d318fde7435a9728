"""`@planbot what's open under OA4?` in a channel: answered in a thread under the mention.

The thread the answer goes to is the conversation a follow-up mention there ("@planbot and for
P7?") continues, so the caller's thread is that thread even for a mention at the top level.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.posting.delivery import ToConversation
from bot.runtime import Runtime
from bot.slack.listeners.common import Asked, after_ack, answering, split_share
from bot.slack.text import to_command_text


def register(app: App, runtime: Runtime) -> None:
    def read(body: dict[str, Any], context: BoltContext) -> Asked:
        event = body["event"]
        _, text = split_share(to_command_text(event.get("text"), bot_user_id=context.bot_user_id))
        thread_ts = event.get("thread_ts") or event["ts"]
        return Asked(
            text or "help",
            ToConversation(event["channel"], thread_ts=thread_ts),
            event.get("user"),
            event.get("channel"),
            thread_ts,
        )

    work, quick = answering(runtime, read, name="mention")
    app.event("app_mention")(after_ack(app, work, quick=quick))
