"""`/plan`: help, questions, `share`, and every verb in commands.router.VERBS (role, digest…).

The command is acknowledged at once with an empty body; the answer follows on the response_url,
visible only to the person unless they asked to share it (`/plan share …`) or the command's result
is meant for the channel (`Rendered.ephemeral` False).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.posting.delivery import ToResponseUrl
from bot.runtime import Runtime
from bot.slack.listeners.common import Asked, after_ack, answering, split_share
from bot.slack.text import to_command_text

COMMAND = "/plan"


def register(app: App, runtime: Runtime) -> None:
    def read(body: dict[str, Any], context: BoltContext) -> Asked:
        share, text = split_share(to_command_text(body.get("text")))
        destination = ToResponseUrl(
            body["response_url"],
            share=share,
            channel=body.get("channel_id"),
            user=body.get("user_id"),
        )
        return Asked(text or "help", destination, body.get("user_id"), body.get("channel_id"))

    work, quick = answering(runtime, read, name="plan_command")
    app.command(COMMAND)(after_ack(app, work, quick=quick))
