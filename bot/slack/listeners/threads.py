"""Messages in channels the bot is in (`message.channels`, `message.groups`): reminder replies.

Every `message` event from a public or private channel lands here after the ack: new messages,
thread replies, `message_changed` (an edit; the new text is in `event["message"]`) and
`message_deleted`. Redeliveries (same event_id) and messages from bots, this one included, are
filtered out before this point by bot/slack/app.py. bot/slack/listeners/reminder_threads.py reads
replies, edits
and deletions under reminder threads and ignores everything else (with a log line); a message that
mentions the bot also arrives as `app_mention`, which bot/slack/listeners/mentions.py answers.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.listeners.common import after_ack
from bot.slack.listeners.reminder_threads import on_channel_message

CHANNEL_TYPES = ("channel", "group")


def in_a_channel(body: dict[str, Any]) -> bool:
    return (body.get("event") or {}).get("channel_type") in CHANNEL_TYPES


def register(app: App, runtime: Runtime) -> None:
    def read_channel_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        on_channel_message(runtime, body["event"], client, bot_user_id=context.bot_user_id)

    app.event("message", matchers=[in_a_channel])(after_ack(app, read_channel_message))
