"""The App Home tab: how to use planbot, published when someone opens it (and on "Refresh")."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.conversation import respond
from bot.runtime import Runtime
from bot.slack.listeners.common import after_ack
from bot.slack.listeners.interactions import Interaction, on_action

INTRO = (
    "Ask me about the improvement plan: type `/plan` and a question in any channel, "
    "mention me, or write to me in the Messages tab."
)


def home_view(runtime: Runtime, user_id: str) -> dict[str, Any]:
    """The Home tab: a short introduction, the help topics, and a refresh button."""
    help_blocks = respond(runtime, "help", user_id=user_id, channel_id=None).blocks
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "planbot"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": INTRO}},
        {"type": "divider"},
        *help_blocks,
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "home:refresh",
                    "text": {"type": "plain_text", "text": "Refresh"},
                    "value": "refresh",
                }
            ],
        },
    ]
    return {"type": "home", "blocks": blocks}


def publish_home(runtime: Runtime, client: WebClient, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=home_view(runtime, user_id))


def refresh_home(interaction: Interaction) -> None:
    """The Home tab's Refresh button."""
    if interaction.user_id:
        publish_home(interaction.runtime, interaction.client, interaction.user_id)


def register(app: App, runtime: Runtime) -> None:
    def show_home(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        event = body["event"]
        if event.get("tab", "home") == "home" and event.get("user"):
            publish_home(runtime, client, event["user"])

    app.event("app_home_opened")(after_ack(app, show_home))
    on_action(app, runtime, "home:refresh", refresh_home)
