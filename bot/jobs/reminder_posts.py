"""Posting a claimed reminder thread exactly once: the thread's key in its message metadata (so a
lost answer can be found in the channel's history), and what becomes of the claim when a post
fails. Shared by an item's own thread (bot.jobs.reminders) and a lead's (bot.jobs.lead_reminders).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.posting.findable import METADATA_PREFIX, PostInDoubt, post_findable
from bot.render.rendered import Rendered
from bot.runtime import Runtime
from store.db import session_scope
from store.queries.reminders import mark_reminder_posted, put_in_doubt, release_claim

log = logging.getLogger("planbot.reminders")

METADATA_EVENT = f"{METADATA_PREFIX}reminder"
_RUN_ID = uuid.uuid4().hex[:8]  # host:pid repeats across container restarts


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{_RUN_ID}"


def metadata(key: str) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT, "event_payload": {"key": key}}


def post_claimed(
    runtime: Runtime,
    client: WebClient,
    *,
    key: str,
    channel: str,
    rendered: Rendered,
    row_id: int,
    worker: str,
) -> tuple[str, str] | None:
    """Post the claimed thread's first message: (channel, ts), or None when it was not posted. A
    claim Slack refused is given back; one Slack may have taken though its history could not say
    is left in doubt, for the next run to look for first."""
    try:
        posted = post_findable(
            client,
            runtime.clock.real_utcnow,
            channel=channel,
            metadata=metadata(key),
            text=rendered.text,
            blocks=rendered.blocks,
            unfurl_links=False,
        )
    except PostInDoubt as doubt:
        with session_scope(runtime.engine) as session:
            put_in_doubt(session, row_id, by=worker)
        log.error("reminder %s may or may not be posted: %s; left in doubt", key, doubt)
        return None
    except (SlackApiError, SlackClientError, OSError) as error:
        with session_scope(runtime.engine) as session:
            release_claim(session, row_id, by=worker)
        log.error("reminder %s not posted (%s); its claim is given back", key, error)
        return None
    return posted.channel, posted.ts


def record_posted(
    runtime: Runtime, key: str, row_id: int, channel: str, ts: str, worker: str
) -> None:
    """Record the posted thread on the claimed row (warn when the claim went stale meanwhile)."""
    with session_scope(runtime.engine) as session:
        recorded = mark_reminder_posted(
            session, row_id, channel=channel, thread_ts=ts, at=runtime.clock.utcnow(), by=worker
        )
    if not recorded:
        log.warning(
            "reminder %s posted at %s, but its claim went stale and another process took it "
            "over; that process records the thread when it finds it",
            key,
            ts,
        )
