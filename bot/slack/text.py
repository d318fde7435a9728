"""Slack's message markup turned into the plain text commands read, and back without pings.

Slack sends `<@U123|alice>` for a person, `<#C123|general>` for a channel, `<!here>` for a special
mention, `<https://x|label>` for a link, and escapes `&`, `<` and `>`. Commands receive people as
`<@U123>` and channels as `<#C123>` (ids, the display label dropped), links as their label or URL,
special mentions as plain words (`@here`), and the rest unescaped.

Going out, `without_pings` turns every `<@U…>` in an answer into `@Display Name` (looked up with
users.info, cached by `UserNames`) and any special mention into a plain word, so an answer the bot
echoes (a shared history, a role list) names people without notifying them. Only the reminder
threads and the weekly summary mention role holders on purpose; they do not pass through here.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.render.escape import escape

log = logging.getLogger("planbot.slack")

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


_PING = re.compile(
    r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>"  # a person
    r"|<!(here|channel|everyone)(?:\|[^>]*)?>"  # a special mention
    r"|<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>"  # a user group
)


class UserNames:
    """Display names of Slack users (users.info), kept for `ttl` seconds, at most `limit` of them.

    A lookup that fails leaves the id as the name for a minute, so a Slack outage costs one call
    per person, not one per answer.
    """

    def __init__(self, *, ttl: float = 3600.0, limit: int = 5000) -> None:
        self._ttl, self._limit = ttl, limit
        self._names: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        # Told each name Slack gives (the app keeps them in the store for the terminal).
        self.found: Callable[[str, str], None] | None = None

    def name(self, client: WebClient, user_id: str) -> str:
        now = time.monotonic()
        with self._lock:
            known = self._names.get(user_id)
        if known is not None and known[1] > now:
            return known[0]
        name, keep = self._look_up(client, user_id), self._ttl
        if name is None:
            name, keep = user_id, 60.0
        elif self.found is not None:
            try:
                self.found(user_id, name)
            except Exception:  # keeping a name must never stop a message going out
                log.warning("could not keep the name of %s", user_id, exc_info=True)
        with self._lock:
            if len(self._names) >= self._limit:
                self._names.clear()  # simplest bound: people are few, a refill is cheap
            self._names[user_id] = (name, now + keep)
        return name

    @staticmethod
    def _look_up(client: WebClient, user_id: str) -> str | None:
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("users.info %s failed (%s); shown by id", user_id, error)
            return None
        profile = user.get("profile") or {}
        for name in (
            profile.get("display_name"),
            profile.get("real_name"),
            user.get("real_name"),
            user.get("name"),
        ):
            if name and str(name).strip():
                return str(name).strip()
        return None


USER_NAMES = UserNames()


def without_pings(payload: Any, client: WebClient, names: UserNames = USER_NAMES) -> Any:
    """`payload` (a message, its blocks, any JSON value) with every mention made plain text."""
    if isinstance(payload, str):
        if "<@" not in payload and "<!" not in payload:
            return payload

        def plain(match: re.Match[str]) -> str:
            user, special, group, label = match.groups()
            if user:
                return "@" + escape(names.name(client, user))
            if special:
                return "@" + special
            return escape(label) if label else "@" + group

        return _PING.sub(plain, payload)
    if isinstance(payload, dict):
        return {key: without_pings(value, client, names) for key, value in payload.items()}
    if isinstance(payload, list):
        return [without_pings(value, client, names) for value in payload]
    return payload
