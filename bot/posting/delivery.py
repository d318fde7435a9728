"""Where an answer goes, and sending it there: a slash command's response_url or a conversation.

A listener names the destination before the question is answered, so whichever process answers
it (the serving process, or a question worker, bot/speed/question_pool.py) also sends it, and the
serving process does not spend its CPU on the post while it has acks to send.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.posting.outbox import post_that_matters
from bot.render import Rendered
from bot.runtime import Runtime
from bot.slack.client import post_to_response_url
from bot.slack.text import without_pings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToResponseUrl:
    """A slash command's answer: private to the person unless shared or meant for the channel."""

    url: str
    share: bool = False
    channel: str | None = None  # where a file with the answer (a chart) is shared
    user: str | None = None  # who asked: a private file (a paper) goes to their DMs


@dataclass(frozen=True)
class ToConversation:
    """An answer posted in a channel or DM, in a thread when `thread_ts` is set."""

    channel: str
    thread_ts: str | None = None


Destination = ToResponseUrl | ToConversation


def message_payload(rendered: Rendered, client: WebClient) -> dict[str, Any]:
    """`text` (the fallback that reads well alone) and, when there are any, `blocks`, with every
    mention turned into a plain name: an answer the bot echoes never notifies anyone (unless it
    asks people from the store to act: `Rendered.pings`)."""
    payload: dict[str, Any] = {"text": rendered.text}
    if rendered.blocks:
        payload["blocks"] = rendered.blocks
    if rendered.pings:
        return payload
    return dict(without_pings(payload, client))


def deliver(
    runtime: Runtime, client: WebClient, rendered: Rendered, destination: Destination
) -> None:
    """Send `rendered` to `destination`; nothing when there is nothing worth saying."""
    if rendered.quiet:
        return
    payload = message_payload(rendered, client)
    if isinstance(destination, ToResponseUrl):
        in_channel = destination.share or not rendered.ephemeral
        payload["response_type"] = "in_channel" if in_channel else "ephemeral"
        post_to_response_url(destination.url, payload)
        # a long summary's rest, after it: a response_url takes five posts in all
        for reply in rendered.thread[:4]:
            post_to_response_url(
                destination.url,
                message_payload(reply, client) | {"response_type": payload["response_type"]},
            )
        if any(file.private for file in rendered.files):
            share_files(client, rendered, direct_channel(client, destination.user), None)
        else:
            share_files(client, rendered, destination.channel, None)
        return
    payload["channel"] = destination.channel
    if destination.thread_ts:
        payload["thread_ts"] = destination.thread_ts
    post_that_matters(runtime, client, "chat.postMessage", payload)
    share_files(client, rendered, destination.channel, destination.thread_ts)


def direct_channel(client: WebClient, user: str | None) -> str | None:
    """The bot's direct-message conversation with `user` (conversations.open), or None."""
    if user is None:
        return None
    try:
        response = client.conversations_open(users=user)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("could not open a direct message with %s: %s", user, error)
        return None
    return str((response.get("channel") or {}).get("id") or "") or None


def share_files(
    client: WebClient, rendered: Rendered, channel: str | None, thread_ts: str | None
) -> None:
    """Share the answer's files (a measure's chart) in the conversation, alt text with each; a
    failed upload is logged and the text answer stands alone."""
    if channel is None:
        return
    for file in rendered.files:
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file=file.content,
                filename=file.filename,
                title=file.title,
                alt_txt=file.alt_text,
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("sharing %s in %s failed: %s", file.filename, channel, error)
