"""Escaping text from people and documents before the bot echoes it, so nobody can be pinged.

Slack treats `<!channel>`, `<!here>`, `<@U123>` and `<#C123>` as mentions; escaping `&`, `<` and
`>` as Slack documents turns every such sequence into plain visible text.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str | None) -> str:
    """Make `text` safe for mrkdwn and plain_text: no mentions, no links, no control characters."""
    if not text:
        return ""
    cleaned = _CONTROL.sub("", text)
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten to `limit` characters at a word boundary, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def mention(user_id: str) -> str:
    """A deliberate mention of a role holder (ids come from the store, never from message text)."""
    if not re.fullmatch(r"[UW][A-Z0-9]{2,}", user_id):
        return escape(user_id)
    return f"<@{user_id}>"
