"""`/plan`: help, questions, `share`, and every verb in commands.router.VERBS (role, digest…).

The command is acknowledged at once with an empty body; the answer follows on the response_url,
visible only to the person unless they asked to share it (`/plan share …`) or the command's result
is meant for the channel (`Rendered.ephemeral` False).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.delivery import ToResponseUrl
from bot.listeners.common import after_ack, reply, split_share
from bot.runtime import Runtime
from bot.slack_text import to_command_text

COMMAND = "/plan"


def register(app: App, runtime: Runtime) -> None:
    def answer_plan_command(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        share, text = split_share(to_command_text(body.get("text")))
        reply(
            runtime,
            client,
            text or "help",
            ToResponseUrl(body["response_url"], share=share),
            user_id=body.get("user_id"),
            channel_id=body.get("channel_id"),
            body=body,
        )

    app.command(COMMAND)(after_ack(app, answer_plan_command))
