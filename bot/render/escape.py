"""Escaping text from people and documents before the bot echoes it, so nobody can be pinged and
nothing they wrote becomes a link.

Slack treats `<!channel>`, `<!here>`, `<@U123>` and `<#C123>` as mentions and `<url|label>` as a
link; escaping `&`, `<` and `>` as Slack documents turns every such sequence into plain visible
text. A `|` only means something inside `<…>`, which escaped text can no longer open; the links,
mentions and channels planbot makes itself are built here alone (`link`, `mention`,
`channel_mention`), a link's address percent-encoded so that no `|` or `>` in it can end it early.
"""

from __future__ import annotations

import re
from urllib.parse import quote

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


def link(url: str, label: str) -> str:
    """A link to `url` reading `label`: every character a URL may not hold (`|`, `<`, `>`, spaces,
    quotes, control characters) percent-encoded, `&` escaped as Slack asks, the label escaped."""
    address = quote(_CONTROL.sub("", url), safe=";/?:@&=+$,-_.!~*'()#%[]")
    return f"<{escape(address)}|{escape(label)}>"


def channel_mention(channel_id: str) -> str:
    """A channel as Slack shows it (`#general`); anything that is not a channel id stays text."""
    if not re.fullmatch(r"[CG][A-Z0-9]{2,}", channel_id):
        return escape(channel_id)
    return f"<#{channel_id}>"


def mention(user_id: str) -> str:
    """A deliberate mention of a role holder (ids come from the store, never from message text)."""
    if not re.fullmatch(r"[UW][A-Z0-9]{2,}", user_id):
        return escape(user_id)
    return f"<@{user_id}>"
