"""Slack's message markup turned into the plain text commands read.

Slack sends `<@U123|alice>` for a person, `<#C123|general>` for a channel, `<!here>` for a special
mention, `<https://x|label>` for a link, and escapes `&`, `<` and `>`. Commands receive people as
`<@U123>` and channels as `<#C123>` (ids, the display label dropped), links as their label or URL,
special mentions as plain words (`@here`), and the rest unescaped.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)(?:\|[^>]*)?$")
_CHANNEL = re.compile(r"^#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|[^>]*)?$")
_SPECIAL = re.compile(r"^!(here|channel|everyone)(?:\|[^>]*)?$")
_SUBTEAM = re.compile(r"^!subteam\^([A-Z0-9]+)(?:\|([^>]*))?$")


def _token(match: re.Match[str]) -> str:
    inner = match.group(1)
    if user := _USER.match(inner):
        return f"<@{user.group(1)}>"
    if channel := _CHANNEL.match(inner):
        return f"<#{channel.group(1)}>"
    if special := _SPECIAL.match(inner):
        return f"@{special.group(1)}"
    if subteam := _SUBTEAM.match(inner):
        return subteam.group(2) or f"@{subteam.group(1)}"
    if inner.startswith("!"):
        return ""  # dates and other special tokens carry nothing a command can use
    url, _, label = inner.partition("|")
    return label or url


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_command_text(text: str | None, *, bot_user_id: str | None = None) -> str:
    """The text a command should see; the bot's own mention (`@planbot what…`) is removed."""
    if not text:
        return ""
    pieces: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        pieces.append(_unescape(text[last : match.start()]))
        token = _token(match)
        if not (bot_user_id and token == f"<@{bot_user_id}>"):
            pieces.append(token)
        last = match.end()
    pieces.append(_unescape(text[last:]))
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)
