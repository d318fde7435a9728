"""Posts that matter (answers in threads and DMs, reminders, digests): sent, or kept and retried.

`post_that_matters` sends one Web API call. When it still fails after the client's own retries
for a passing reason (rate limit, Slack outage, lost connection) the call is stored as a
PendingPost; `retry_pending_posts` (scheduled every few minutes by bot/jobs/scheduler.py) sends it
again.
A permanent refusal (channel_not_found, invalid_blocks…) is logged and not retried.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.runtime import Runtime
from store.db import session_scope
from store.queries.pending_posts import (
    add_pending_post,
    claim_pending_post,
    due_pending_posts,
    given_up,
    mark_post_failed,
    mark_post_sent,
)

log = logging.getLogger("planbot.outbox")

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


@dataclass(frozen=True)
class Failure:
    error: str
    transient: bool


def _send(client: WebClient, method: str, payload: dict[str, Any]) -> dict[str, Any] | Failure:
    try:
        response = client.api_call(method, json=payload)
    except SlackApiError as error:
        code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        transient = error.response.status_code in TRANSIENT_STATUSES or code in TRANSIENT_ERRORS
        return Failure(code, transient)
    except (SlackClientError, OSError) as error:  # no answer at all: connection refused, timeout
        return Failure(f"{type(error).__name__}: {error}", True)
    return dict(response.data) if isinstance(response.data, dict) else {"ok": True}


def post_that_matters(
    runtime: Runtime, client: WebClient, method: str, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """Call `method`; the response data, or None when it failed (queued again if worth it)."""
    outcome = _send(client, method, payload)
    if not isinstance(outcome, Failure):
        return outcome
    if outcome.transient:
        with session_scope(runtime.engine) as session:
            post = add_pending_post(
                session,
                method=method,
                payload=payload,
                error=outcome.error,
                at=runtime.clock.utcnow(),
            )
        log.warning(
            "Slack call %s failed (%s); queued as pending post %s", method, outcome.error, post.id
        )
    else:
        log.error("Slack call %s refused (%s); not retried", method, outcome.error)
    return None


@dataclass(frozen=True)
class RetryReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0


def retry_pending_posts(
    runtime: Runtime, client: WebClient, *, at: datetime | None = None
) -> RetryReport:
    """Send the pending posts that are due; safe to run in several processes at once."""
    now = at or runtime.clock.utcnow()
    with session_scope(runtime.engine) as session:
        due = [post.id for post in due_pending_posts(session, at=now) if post.id is not None]
    report = RetryReport()
    for post_id in due:
        with session_scope(runtime.engine) as session:
            post = claim_pending_post(session, post_id, at=now)
            if post is None:
                continue  # another process has it
            method, payload = post.method, dict(post.payload)
        outcome = _send(client, method, payload)
        with session_scope(runtime.engine) as session:
            if not isinstance(outcome, Failure):
                mark_post_sent(session, post_id, at=now)
                report = replace(report, sent=report.sent + 1)
                continue
            updated = mark_post_failed(
                session, post_id, error=outcome.error, at=now, permanent=not outcome.transient
            )
        report = replace(report, failed=report.failed + 1)
        if updated is not None and given_up(updated):
            report = replace(report, given_up=report.given_up + 1)
            log.error("Pending post %s (%s) given up: %s", post_id, method, outcome.error)
    return report
