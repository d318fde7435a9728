"""Slack markup turned into plain terminal text.

The renderers write Slack's text (mentions as <@U…>, emoji codes, &lt; escapes). A terminal shows
none of that: a mention reads as @U… (no names are kept offline), a link as its label, an emoji
code as a word or nothing, and escapes are undone.
"""

from __future__ import annotations

import html
import re

EMOJI_WORDS = {
    "warning": "Warning:",
    "white_check_mark": "Done:",
    "x": "No:",
    "hourglass_flowing_sand": "(unverified)",
    "red_circle": "[Red]",
    "large_orange_circle": "[Amber]",
    "large_green_circle": "[Green]",
    "large_blue_circle": "[Blue]",
    "white_circle": "[Grey]",
}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|([^>]+)>")
BARE_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)>")
EMOJI = re.compile(r":([a-z0-9_+-]+):")


def _emoji(match: re.Match[str]) -> str:
    return EMOJI_WORDS.get(match.group(1), "")


def plain_terminal(text: str) -> str:
    """`text` as a terminal shows it: no Slack mentions, links, emoji codes or escapes."""
    text = MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = BARE_LINK.sub(lambda m: m.group(1), text)
    text = EMOJI.sub(_emoji, text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = "\n".join(line.strip() if not line.startswith("   ") else line.rstrip()
                     for line in text.split("\n"))  # fmt: skip
    return html.unescape(text)
