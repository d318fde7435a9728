"""Posting the day's lead threads: one per person (and channel, or their DMs), claimed once.

For each thread (commands.reminders.leads) the thread's row and its items' rows are claimed in
one transaction (store.queries.lead_threads.claim_lead_thread), so a second process, or a second
run the same day, never posts the same lead's thread again. The first page starts the thread the
way an item's own thread does (findable by its key if Slack's answer is lost); the other pages
follow in the thread through the outbox, which retries them if Slack fails for a passing reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from slack_sdk import WebClient

from bot.jobs.reminder_posts import post_claimed, record_posted
from bot.posting.delivery import direct_channel
from bot.posting.outbox import post_that_matters
from bot.render.lead_reminders import lead_thread_pages
from bot.runtime import Runtime
from commands.reminders.leads import LeadThread
from store.db import session_scope
from store.queries.lead_threads import ItemClaim, claim_lead_thread

log = logging.getLogger("planbot.reminders")


@dataclass
class LeadRun:
    """What became of the day's lead threads."""

    posted: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, channel, ts)
    threads: int = 0
    taken_elsewhere: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _items(thread: LeadThread) -> list[ItemClaim]:
    return [
        ItemClaim(r.key, r.action_id, r.step_id, r.reason, r.for_date)
        for r in (item.reminder for item in thread.items)
    ]


def post_lead_threads(
    runtime: Runtime,
    client: WebClient,
    threads: tuple[LeadThread, ...],
    today: date,
    worker: str,
) -> LeadRun:
    run = LeadRun()
    for thread in threads:
        channel = thread.channel or direct_channel(client, thread.user)
        if channel is None:
            log.error("no direct message with %s: their thread waits", thread.user)
            run.failed.extend(thread.refs)
            continue
        with session_scope(runtime.engine) as session:
            claim = claim_lead_thread(
                session,
                key=thread.key,
                lead_user_id=thread.user,
                channel=channel,
                for_date=today,
                items=_items(thread),
                at=runtime.clock.utcnow(),
                by=worker,
                tried_at=runtime.clock.real_utcnow(),
            )
        if claim is None:
            log.info("lead thread %s already claimed by another process", thread.key)
            run.taken_elsewhere.extend(thread.refs)
            continue
        first, *rest = lead_thread_pages(thread, claim.reminder_ids, today)
        outcome = post_claimed(
            runtime,
            client,
            key=thread.key,
            channel=channel,
            rendered=first,
            row_id=claim.thread_id,
            worker=worker,
        )
        if outcome is None:
            run.failed.extend(thread.refs)
            continue
        channel, ts = outcome
        for page in rest:
            payload = {"channel": channel, "thread_ts": ts, "text": page.text}
            post_that_matters(
                runtime, client, "chat.postMessage", payload | {"blocks": page.blocks}
            )
        record_posted(runtime, thread.key, claim.thread_id, channel, ts, worker)
        run.threads += 1
        run.posted.extend((ref, channel, ts) for ref in thread.refs)
        log.info("lead thread %s posted to %s at %s", thread.key, channel, ts)
    return run
