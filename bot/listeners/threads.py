"""HOOK for the reminders issue: messages in channels the bot is in (thread replies, edits…).

Every `message` event from a public or private channel (`message.channels`, `message.groups`)
lands here after the ack: new messages, thread replies, `message_changed` (an edit; the new text
is in `event["message"]`) and `message_deleted`. Redeliveries (same event_id) and messages from
bots, this one included, are filtered out before this point by bot/slack_app.py. A message that
mentions the bot also arrives as `app_mention`, which bot/listeners/mentions.py answers.

`handle_channel_message` does nothing yet: fill it in (or call out from it) to read replies under
reminder threads. Use `bot.slack_text.to_command_text` for the text, `bot.listeners.common.answer`
or a command of your own, and `bot.outbox.post_that_matters` to confirm in the thread.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.common import after_ack
from bot.reminder_replies import install_user_check, on_channel_message
from bot.runtime import Runtime

CHANNEL_TYPES = ("channel", "group")


def in_a_channel(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") in CHANNEL_TYPES


def handle_channel_message(
    runtime: Runtime, event: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Called once per channel message event, after the ack: reminder-thread replies, edits and
    deletions are read by bot.reminder_replies; anything else is ignored there, with a log line."""
    on_channel_message(runtime, event, client, bot_user_id=context.bot_user_id)


def register(app: App, runtime: Runtime) -> None:
    install_user_check(runtime, app.client)

    def read_channel_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        handle_channel_message(runtime, body["event"], client, context)

    app.event("message", matchers=[in_a_channel])(after_ack(app, read_channel_message))
