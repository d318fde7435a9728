"""Listener groups, each a module with `register(app, runtime)`, wired in this order.

Bolt runs the first listener that matches a request, so order matters where two groups listen to
the same event: DMs (`channel_type` "im") before channel messages, and a last catch-all so that
any other `message` event is acknowledged rather than answered with a 404 (Slack would retry it).
To add a group: write `bot/listeners/<group>.py` with `register(app, runtime)` and list it here.
Buttons and modals need no group of their own: add their ids to `bot.slack.listeners.interactions`.
"""

from __future__ import annotations

import importlib

from slack_bolt import App

from bot.runtime import Runtime
from bot.slack.listeners.common import ack_only

LISTENER_MODULES = (
    "bot.slack.listeners.slash",  # /plan
    "bot.slack.listeners.mentions",  # app_mention
    "bot.slack.listeners.direct_messages",  # message.im
    "bot.slack.listeners.threads",  # message.channels, message.groups (reminder replies)
    "bot.slack.listeners.home",  # app_home_opened
    "bot.slack.listeners.interactions",  # block_actions, view_submission
)


def register_listeners(app: App, runtime: Runtime) -> None:
    for name in LISTENER_MODULES:
        importlib.import_module(name).register(app, runtime)
    app.event("message")(ack_only)  # any other message event (mpim…): acknowledged, ignored
