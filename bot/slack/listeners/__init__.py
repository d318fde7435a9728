"""Listener groups, each a module with `register(app, runtime)`, wired in this order.

Bolt runs the first listener that matches a request, so order matters where two groups listen to
the same event: DMs (`channel_type` "im") before channel messages, and last the catch-alls, so
that any other `message` event, action or view is acknowledged rather than answered with a 404
(Slack would retry it, or show the person an error). A new group gets its line below; a module
with buttons or a modal registers them in its own `register` (see `interactions`).
"""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack.listeners import (
    answers,
    direct_messages,
    home,
    interactions,
    mentions,
    ownership,
    reminder_threads,
    slash,
    threads,
)
from bot.slack.listeners.common import ack_only


def register_listeners(app: App, runtime: Runtime) -> None:
    slash.register(app, runtime)  # /plan
    mentions.register(app, runtime)  # app_mention
    direct_messages.register(app, runtime)  # message.im
    threads.register(app, runtime)  # message.channels, message.groups (reminder replies)
    reminder_threads.register(app, runtime)  # the reminder buttons and the Add-note modal
    home.register(app, runtime)  # app_home_opened, its Refresh button and item menus
    answers.register(app, runtime)  # Show next 10, Share in channel, Steps under an answer
    ownership.register(app, runtime)  # an admin's Move / Keep when a lead names a new owner
    interactions.register_fallbacks(app)  # any other action or view
    app.event("message")(ack_only)  # any other message event (mpim…): acknowledged, ignored
