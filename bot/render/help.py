"""Rendering `help`."""

from __future__ import annotations

from bot.render.escape import escape
from bot.render.rendered import Rendered
from commands.questions.help import HelpResult


def render_help(result: HelpResult) -> Rendered:
    lines = ["planbot answers questions about the improvement plan. Try:"]
    lines += [f"• {example} — {meaning}" for example, meaning in result.topics]
    text = "\n".join(lines)
    body = "\n".join(
        f"• `{escape(example)}` — {escape(meaning)}" for example, meaning in result.topics
    )
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "What planbot understands"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}},
    ]
    return Rendered(text=text, blocks=blocks)
