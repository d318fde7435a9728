"""The App Home tab: the person's own items (bot/render/home.py), published when they open it,
on "Refresh", after a choice on one of its menus, and after they update an item elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.conversation import respond
from bot.render import render
from bot.render.home import MENU, REFRESH, home_view
from bot.runtime import Runtime
from bot.slack.client import message_link
from bot.slack.listeners.common import after_ack
from bot.slack.listeners.interactions import Interaction, on_action
from commands.home.buttons import home_press
from commands.home.my_items import my_home
from store.db import session_scope

log = logging.getLogger(__name__)


def publish_home(
    runtime: Runtime, client: WebClient, user_id: str, *, notice: str | None = None
) -> None:
    with session_scope(runtime.engine) as session:
        home = my_home(session, runtime.request("", runtime.caller(user_id)), user_id)
    links = {
        (t.channel, t.thread_ts): link
        for t in home.threads
        if (link := message_link(client, t.channel, t.thread_ts))
    }
    help_blocks = respond(runtime, "help", user_id=user_id, channel_id=None).blocks
    view = home_view(home, help_blocks, notice=notice, links=links)
    client.views_publish(user_id=user_id, view=view)


def refresh_home(interaction: Interaction) -> None:
    """The Home tab's Refresh button."""
    if interaction.user_id:
        publish_home(interaction.runtime, interaction.client, interaction.user_id)


def choose_on_home(interaction: Interaction) -> None:
    """A choice on an item's menu: applied by the rules of a reply, then the tab redrawn with a
    line saying what happened (or why nothing did)."""
    user = interaction.user_id
    if not user:
        return
    runtime = interaction.runtime
    with session_scope(runtime.engine) as session:
        outcome = home_press(session, runtime.request("", runtime.caller(user)), interaction.value)
    shown = render(outcome)
    publish_home(runtime, interaction.client, user, notice=None if shown.quiet else shown.text)


def register(app: App, runtime: Runtime) -> None:
    def show_home(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        event = body["event"]
        if event.get("tab", "home") == "home" and event.get("user"):
            publish_home(runtime, client, event["user"])

    app.event("app_home_opened")(after_ack(app, show_home))
    on_action(app, runtime, REFRESH, refresh_home)
    on_action(app, runtime, MENU, choose_on_home)
