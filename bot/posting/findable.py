"""Posts planbot can look for again: reminders, weekly summaries and their charts, never doubled
by a retry.

Each such post carries its key twice: as message metadata (`event_type` "planbot_…", a payload
naming it) and as the `block_id` of its first block without one (`findable_block_id`).
conversations.history returns a message's blocks whatever the app's scopes, but its metadata
only to an app that may read it (metadata.message:read), so the lookup goes by either. When a
post fails without Slack's answer (a timeout, a dropped connection, a 5xx), Slack may have taken
it. A blind retry could then post it twice, so the retry handlers leave these posts alone
(bot.slack.client) and `post_findable` reads the channel's history instead: a post found there is
the one that went; one not there is sent once more. When the history cannot be read, the post is
in doubt (`PostInDoubt`), and its caller keeps it so to look again later. A shared file (the
summary's chart) is found by its name: `find_shared_file`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("planbot.slack")
T = TypeVar("T")

METADATA_PREFIX = "planbot_"  # the event_type of every post planbot can find again
HISTORY_MARGIN = timedelta(minutes=5)  # clocks differ: look this far either side of a try
MAX_UNREADABLE_LOOKS = 3  # a post waits this many unreadable looks at most before going out
HISTORY_PAGES = 5  # of 200 messages: far more than a reminders channel holds in the window
# conversations.history errors that no later try will get past: looking again is pointless.
LASTING_ERRORS = frozenset(
    {
        "missing_scope",
        "not_in_channel",
        "channel_not_found",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "no_permission",
        "access_denied",
        "unknown_method",
    }
)


class HistoryUnreadable(Exception):
    """The channel's history could not be read; `lasting` when trying again will not help."""

    def __init__(self, message: str, *, lasting: bool) -> None:
        super().__init__(message)
        self.lasting = lasting


class PostInDoubt(Exception):
    """Slack may or may not have taken the post, and its history could not say."""


class Posted(NamedTuple):
    channel: str
    ts: str


def worth_looking_again(unreadable: HistoryUnreadable, looks: int) -> bool:
    """Whether a post whose history was unreadable `looks` times (this one included) should wait
    for another look rather than go out, perhaps twice: not when the read fails for good, nor
    after MAX_UNREADABLE_LOOKS."""
    return not unreadable.lasting and looks < MAX_UNREADABLE_LOOKS


def is_findable(metadata: object) -> bool:
    """Whether a post's metadata marks it as one planbot can look for."""
    return isinstance(metadata, dict) and str(metadata.get("event_type", "")).startswith(
        METADATA_PREFIX
    )


def findable_block_id(metadata: dict[str, Any]) -> str:
    """The block_id that marks a post carrying `metadata`: its event_type and a digest of its
    payload (a block_id is at most 255 characters, and must be unique in its message)."""
    payload = json.dumps(metadata.get("event_payload"), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode()).hexdigest()[:40]
    return f"{metadata['event_type']}:{digest}"


def with_findable_block_id(blocks: Any, metadata: dict[str, Any]) -> Any:
    """`blocks` with the first block that has no block_id given `findable_block_id(metadata)`;
    as they were when none is free (the post is then found by its metadata alone)."""
    if not isinstance(blocks, list):
        return blocks
    for index, block in enumerate(blocks):
        if isinstance(block, dict) and not block.get("block_id"):
            marked = {**block, "block_id": findable_block_id(metadata)}
            return [*blocks[:index], marked, *blocks[index + 1 :]]
    return blocks


def unanswered(error: Exception) -> bool:
    """True when a call failed without a clear answer from Slack, so Slack may have carried it
    out: no answer at all, or a 5xx. False when Slack refused it, or it never left (urllib wraps
    an error met while connecting or sending in URLError)."""
    if isinstance(error, SlackApiError):
        return int(error.response.status_code) >= 500
    return not (isinstance(error, URLError) and not isinstance(error, HTTPError))


def find_posted(
    client: WebClient,
    channel: str,
    metadata: dict[str, Any],
    *,
    since: datetime,
    until: datetime | None = None,
) -> str | None:
    """The ts of a message in `channel`, posted between `since` and `until`, that carries
    `metadata` (its event_type and event_payload, or the block_id made of them), or None when
    there is none. Raises HistoryUnreadable when the history cannot be read."""
    block_id = findable_block_id(metadata)

    def carries(message: dict[str, Any]) -> bool:
        found = message.get("metadata") or {}
        if (
            found.get("event_type") == metadata["event_type"]
            and found.get("event_payload") == metadata["event_payload"]
        ):
            return True
        blocks = message.get("blocks") or []
        return any(isinstance(b, dict) and b.get("block_id") == block_id for b in blocks)

    return _find(client, channel, carries, since=since, until=until)


def find_shared_file(
    client: WebClient, channel: str, filename: str, *, since: datetime, until: datetime
) -> str | None:
    """The ts of the message in `channel` (between `since` and `until`) that shared a file named
    `filename`, or None. Raises HistoryUnreadable when the history cannot be read."""

    def shares(message: dict[str, Any]) -> bool:
        return any(f.get("name") == filename for f in message.get("files") or [])

    return _find(client, channel, shares, since=since, until=until)


def _find(
    client: WebClient,
    channel: str,
    matches: Callable[[dict[str, Any]], bool],
    *,
    since: datetime,
    until: datetime | None,
) -> str | None:
    cursor = ""
    for _ in range(HISTORY_PAGES):
        data = {
            "channel": channel,
            "oldest": f"{since.timestamp():.6f}",
            "limit": "200",
            "include_all_metadata": "true",
        }
        if until is not None:
            data["latest"] = f"{until.timestamp():.6f}"
        if cursor:
            data["cursor"] = cursor
        try:
            response = client.api_call("conversations.history", data=data)  # POSTed, as all are
        except SlackApiError as error:
            code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
            raise HistoryUnreadable(code, lasting=code in LASTING_ERRORS) from error
        except (SlackClientError, OSError) as error:
            raise HistoryUnreadable(f"{type(error).__name__}: {error}", lasting=False) from error
        for message in response.get("messages") or []:
            if matches(message):
                return str(message.get("ts"))
        cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
        if not (response.get("has_more") and cursor):
            return None
    return None


class Found(NamedTuple):
    """What a call made, found in the channel after its answer was lost: the message's ts."""

    ts: str


def send_without_doubling(
    send: Callable[[], T],
    find: Callable[[datetime, datetime], str | None],
    *,
    now: Callable[[], datetime],
    name: str,
) -> T | Found:
    """`send()`, which makes something in a channel. When it fails without Slack's answer,
    `find(since, until)` looks in the channel for what it made: found there, that is returned;
    not there, it is sent once more. `now` is the real clock (Slack's, not a trial's fixed one).

    Raises PostInDoubt when the channel could not be read, and the call's own error when Slack
    refused it or twice failed to take it."""
    attempt = 0
    while True:
        attempt += 1
        tried_at = now()
        try:
            return send()
        except (SlackApiError, SlackClientError, OSError) as error:
            if not unanswered(error):
                raise
            try:
                found = find(tried_at - HISTORY_MARGIN, now() + HISTORY_MARGIN)
            except HistoryUnreadable as unreadable:
                raise PostInDoubt(
                    f"{error}; the channel's history could not be read ({unreadable})"
                ) from error
            if found:
                log.warning("%s: Slack took it though its answer was lost", name)
                return Found(found)
            if attempt == 2:
                raise
            log.info("%s: not in the channel after %s; sending it again", name, error)


def post_findable(
    client: WebClient,
    now: Callable[[], datetime],
    *,
    channel: str,
    metadata: dict[str, Any],
    **fields: Any,
) -> Posted:
    """chat.postMessage for a post carrying `metadata` (and its block_id), never doubled by a
    lost answer (`send_without_doubling`, which says what it raises)."""
    if "blocks" in fields:
        fields["blocks"] = with_findable_block_id(fields["blocks"], metadata)
    sent = send_without_doubling(
        lambda: client.chat_postMessage(channel=channel, metadata=metadata, **fields),
        lambda since, until: find_posted(client, channel, metadata, since=since, until=until),
        now=now,
        name=_name(metadata),
    )
    if isinstance(sent, Found):
        return Posted(channel, sent.ts)
    return Posted(str(sent.get("channel") or channel), str(sent.get("ts")))


def _name(metadata: dict[str, Any]) -> str:
    return f"{metadata.get('event_type')} {metadata.get('event_payload')}"
