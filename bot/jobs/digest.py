"""Posting the weekly summary: claimed once per (subscription, week), composed, posted, recorded.

The order is what makes it exactly once:
1. claim the (subscription, week) row (store.queries.digests.claim_post); only one process wins;
2. compose and render; renew the claim (we still hold it, and its clock restarts);
3. chat.postMessage (slack_sdk retries 429 with Retry-After and transient 5xx);
4. record posted_at and ts only once Slack accepted it; a failure releases the claim and the
   catch-up sweep tries again a few minutes later.
A process that dies between 1 and 4 leaves an unposted claim; after STALE_CLAIM another takes it
over. Before re-posting a claim that was tried before, the channel's recent history is searched for
the summary's metadata, so a post Slack accepted just before a crash or a timed-out answer is
recorded rather than doubled (when the app may read history; otherwise it is posted again).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import OperationalError

from bot.posting.findable import (
    METADATA_PREFIX,
    HistoryUnreadable,
    PostInDoubt,
    find_posted,
    find_shared_file,
    post_findable,
    send_without_doubling,
    worth_looking_again,
)
from bot.render import Rendered
from bot.render.digest import render_digest
from bot.runtime import Runtime
from commands.digest.result import DigestResult
from commands.digest.scope import scope_from_subscription
from commands.digest.subscriptions import local_week, weeks_due
from commands.digest.summary import DigestData
from store.db import session_scope
from store.models import DigestSubscription
from store.queries.digests import (
    Claim,
    active_subscriptions,
    claim_post,
    get_subscription,
    mark_summary_posted,
    note_edit,
    post_for_week,
    release_claim,
    renew_claim,
)

log = logging.getLogger("planbot.digest")

STALE_CLAIM = timedelta(minutes=15)  # far longer than one post with its retries can take
CHANNEL_GAP = 1.0  # seconds between two summaries in one channel (Slack's posting rate)
METADATA_EVENT = f"{METADATA_PREFIX}digest"
SHARE_LOOKS = 3  # looks in the channel for a chart whose upload lost its answer
SHARE_LOOK_SECONDS = 2.0  # apart: Slack shares a file a moment after answering
WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
T = TypeVar("T")


@dataclass(frozen=True)
class Delivery:
    """What happened to one subscription's summary for one week."""

    subscription_id: int
    week: date
    outcome: str  # posted | recovered | already | busy | failed | inactive | updated | missing
    channel: str | None = None
    ts: str | None = None
    detail: str | None = None
    chart: bool = False


def _with_db_retry(action: Callable[[], T], attempts: int = 4) -> T:
    """Run a short database step again when the database is momentarily busy (SQLite locked,
    PostgreSQL serialization); anything else is raised at once."""
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def attempt(what: str, action: Callable[[], T]) -> T | None:
    """Run `action`; if it fails, log the failure with its traceback and return None.

    The background jobs' one handler for failures nobody expected, used where one failure must
    not stop what follows: the chart after a posted summary, one subscription among many, one
    scheduled job among the scheduler's (bot/jobs/scheduler.py).
    """
    try:
        return action()
    except Exception:
        log.exception("%s failed", what)
        return None


class DigestComposer:
    """Composes summaries, loading the store once per (timezone, moment) for many subscriptions."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._data: dict[tuple[str, datetime], DigestData] = {}
        self._charts: dict[int, tuple[DigestResult, bytes]] = {}  # the result keeps its id valid

    def compose(self, subscription: DigestSubscription, now: datetime) -> DigestResult:
        local = now.astimezone(ZoneInfo(subscription.timezone))
        key = (subscription.timezone, local)
        if key not in self._data:
            with session_scope(self.runtime.engine) as session:
                self._data[key] = DigestData.load(
                    session,
                    as_of=local,
                    thresholds=self.runtime.policy.thresholds,
                    measures=self.runtime.policy.measures,
                )
        scope = scope_from_subscription(subscription.scope_kind, subscription.scope_value)
        return self._data[key].compose(scope)

    def chart(self, result: DigestResult) -> bytes:
        """The result's chart, drawn once however many channels share the scope."""
        key = id(result)
        if key not in self._charts:
            self._charts[key] = (result, draw_chart(result))
        return self._charts[key][1]


def draw_chart(result: DigestResult) -> bytes:
    """The summary's chart as PNG bytes (matplotlib is imported on the first chart drawn)."""
    from bot.render.chart import chart_png

    return chart_png(result)


def chart_words(result: DigestResult) -> str:
    """The chart's alt text (matplotlib is not needed for it, but its module imports it)."""
    from bot.render.chart import chart_alt_text

    return chart_alt_text(result)


def _metadata(subscription_id: int, week: date) -> dict[str, Any]:
    return {
        "event_type": METADATA_EVENT,
        "event_payload": {"subscription_id": subscription_id, "week": week.isoformat()},
    }


def upload_chart(
    client: WebClient,
    channel: str,
    result: DigestResult,
    *,
    subscription_id: int,
    now: Callable[[], datetime],
    composer: DigestComposer | None = None,
) -> bool:
    """Share the chart PNG in the channel; False (logged) if it failed: the text stands alone.

    An upload that failed without Slack's answer may still have been shared (the retry handlers
    do not repeat the sharing call blind), and Slack shares a file a moment after it has answered:
    the channel is looked at for the chart's file name (one per subscription and week) up to
    SHARE_LOOKS times, SHARE_LOOK_SECONDS apart, and the chart goes again only if it is not
    there. `now` is the real clock."""
    png = attempt(
        f"Drawing the chart for {channel}",
        lambda: composer.chart(result) if composer else draw_chart(result),
    )
    if png is None:
        return False
    filename = f"planbot-summary-{subscription_id}-{result.week.isoformat()}.png"
    try:
        send_without_doubling(
            lambda: client.files_upload_v2(
                channel=channel,
                file=png,
                filename=filename,
                title=f"Status by area and done against the plan, week of {result.week:%d %b %Y}",
                alt_txt=chart_words(result),
            ),
            lambda since, until: _look_for_chart(client, channel, filename, since, until),
            now=now,
            name=f"Chart {filename} for {channel}",
        )
        return True
    except PostInDoubt as doubt:
        log.warning("Chart for %s may or may not be shared (%s); not sent again", channel, doubt)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("Chart upload to %s failed; the text summary stands alone: %s", channel, error)
    return False


def _look_for_chart(
    client: WebClient, channel: str, filename: str, since: datetime, until: datetime
) -> str | None:
    """The chart's share in the channel, looked for up to SHARE_LOOKS times."""
    for look in range(SHARE_LOOKS):
        if look:
            time.sleep(SHARE_LOOK_SECONDS)
        found = find_shared_file(client, channel, filename, since=since, until=until)
        if found:
            return found
    return None


def _take_claim(
    runtime: Runtime, subscription_id: int, week: date, worker: str, now: datetime
) -> Claim:
    """Claim the week's post for `worker` (or learn that it is posted or someone else's)."""
    with session_scope(runtime.engine) as session:
        return claim_post(
            session,
            subscription_id=subscription_id,
            week=week,
            by=worker,
            now=now,
            stale_after=STALE_CLAIM,
        )


def post_summary(
    runtime: Runtime,
    client: WebClient,
    subscription_id: int,
    *,
    now: datetime | None = None,
    worker: str = WORKER,
    composer: DigestComposer | None = None,
    chart: bool = True,
    week: date | None = None,
) -> Delivery:
    """Post this week's summary (or `week`'s, moved here by a bank holiday) for one
    subscription unless it is posted or being posted."""
    now = now or runtime.clock.utcnow()
    composer = composer or DigestComposer(runtime)
    with session_scope(runtime.engine) as session:
        subscription = get_subscription(session, subscription_id)
    if subscription is None or not subscription.active:
        return Delivery(subscription_id, week or local_week_or_today(now), "inactive")
    week = week or local_week(subscription, now)
    claim = _with_db_retry(lambda: _take_claim(runtime, subscription_id, week, worker, now))
    if claim.state == "posted":
        return Delivery(subscription_id, week, "already", claim.channel, claim.ts)
    if claim.state == "busy":
        return Delivery(subscription_id, week, "busy", detail=f"claimed by {claim.claimed_by}")
    posting = _ClaimedPost(runtime, client, subscription, week, claim, worker, now)
    composed = attempt(
        f"Composing summary {subscription_id} for week {week}",
        lambda: _composed(composer, subscription, now),
    )
    if composed is None:  # the claim is released so that the next sweep tries again
        return posting.give_up("composing failed (the log has the details)")
    result, rendered = composed
    if not posting.still_ours():
        return Delivery(subscription_id, week, "busy", detail="claim taken over")
    if claim.attempts > 1:  # an earlier try may have reached Slack unseen
        earlier = posting.look_for_earlier()
        if earlier is not None:
            return earlier
    delivery = posting.send(rendered)
    if delivery.outcome == "posted" and delivery.channel and delivery.ts:
        post_thread(client, delivery.channel, delivery.ts, rendered.thread)
    if delivery.outcome != "posted" or not chart or result.empty or delivery.channel is None:
        return delivery
    charted = upload_chart(
        client,
        delivery.channel,
        result,
        subscription_id=subscription_id,
        now=runtime.clock.real_utcnow,
        composer=composer,
    )
    return replace(delivery, chart=charted)


@dataclass(frozen=True)
class _ClaimedPost:
    """One week's summary for one subscription, claimed by `worker`: the steps from the claim to
    the recorded message, each a short database step of its own."""

    runtime: Runtime
    client: WebClient
    subscription: DigestSubscription
    week: date
    claim: Claim
    worker: str
    now: datetime

    @property
    def subscription_id(self) -> int:
        return self.subscription.id or 0

    def give_up(self, error: str) -> Delivery:
        """Release the claim, so the next sweep tries again, and say why."""

        def release() -> None:
            with session_scope(self.runtime.engine) as session:
                release_claim(
                    session, post_id=self.claim.post_id, by=self.worker, error=error[:500]
                )

        _with_db_retry(release)
        log.warning("Summary %s for week %s not posted: %s", self.subscription_id, self.week, error)
        channel = self.subscription.channel
        return Delivery(self.subscription_id, self.week, "failed", channel, detail=error)

    def still_ours(self) -> bool:
        """Renew the claim after composing; False when another process has taken it over."""
        now = runtime_now(self.runtime, self.now)

        def renew() -> bool:
            with session_scope(self.runtime.engine) as session:
                return renew_claim(session, post_id=self.claim.post_id, by=self.worker, now=now)

        return _with_db_retry(renew)

    def record(self, channel: str, ts: str) -> None:
        def mark() -> bool:
            with session_scope(self.runtime.engine) as session:
                return mark_summary_posted(
                    session,
                    post_id=self.claim.post_id,
                    by=self.worker,
                    channel=channel,
                    ts=ts,
                    at=self.now,
                )

        _with_db_retry(mark)

    def look_for_earlier(self) -> Delivery | None:
        """An earlier try's post found in the channel (recorded now), a release when the channel
        cannot be read yet, or None to post."""
        subscription, week = self.subscription, self.week
        since = datetime.combine(week, dt_time(0), tzinfo=ZoneInfo(subscription.timezone))
        metadata = _metadata(self.subscription_id, week)
        try:
            earlier = find_posted(self.client, subscription.channel, metadata, since=since)
        except HistoryUnreadable as unreadable:
            if worth_looking_again(unreadable, self.claim.attempts - 1):  # looks after the first
                return self.give_up(f"could not look for an earlier post: {unreadable}")
            log.warning(
                "Summary %s for week %s: cannot look for an earlier post (%s); posting it, "
                "perhaps twice",
                self.subscription_id,
                week,
                unreadable,
            )
            return None
        if not earlier:
            return None
        self.record(subscription.channel, earlier)
        return Delivery(self.subscription_id, week, "recovered", subscription.channel, earlier)

    def send(self, rendered: Rendered) -> Delivery:
        try:
            posted = post_findable(
                self.client,
                self.runtime.clock.real_utcnow,
                channel=self.subscription.channel,
                metadata=_metadata(self.subscription_id, self.week),
                text=rendered.text,
                blocks=rendered.blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
        except PostInDoubt as doubt:  # the next sweep looks for it first
            return self.give_up(f"may or may not be posted: {doubt}")
        except SlackApiError as error:
            return self.give_up(str(error.response.get("error") or error.response.status_code))
        except (SlackClientError, OSError) as error:
            return self.give_up(f"{type(error).__name__}: {error}")
        self.record(posted.channel, posted.ts)
        log.info(
            "Posted summary %s for week %s to %s (ts %s)",
            self.subscription_id,
            self.week,
            posted.channel,
            posted.ts,
        )
        return Delivery(self.subscription_id, self.week, "posted", posted.channel, posted.ts)


def post_thread(
    client: WebClient, channel: str, thread_ts: str, replies: Sequence[Rendered]
) -> None:
    """The rest of a long summary's lists, as replies under it. The summary is recorded as posted
    before these go, so a reply that fails is logged (the summary says the rest is in its thread;
    `/plan digest preview` shows it whole) rather than posting the summary again."""
    for reply in replies:
        try:
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks,
                unfurl_links=False, unfurl_media=False,
            )  # fmt: skip
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("a reply under summary %s in %s failed: %s", thread_ts, channel, error)


def _composed(
    composer: DigestComposer, subscription: DigestSubscription, now: datetime
) -> tuple[DigestResult, Rendered]:
    result = composer.compose(subscription, now)
    return result, render_digest(result)


def runtime_now(runtime: Runtime, fallback: datetime) -> datetime:
    """The clock's now, or `fallback` when the clock is fixed (tests and demos replay a moment)."""
    return fallback if runtime.clock.fixed is not None else runtime.clock.utcnow()


def local_week_or_today(now: datetime) -> date:
    day = now.date()
    return day - timedelta(days=day.weekday())


def due_subscriptions(
    subscriptions: list[DigestSubscription], now: datetime, *, after_bank_holiday: bool = True
) -> list[tuple[DigestSubscription, date]]:
    """Each subscription and week whose summary's time has come (and came after the
    subscription was made): this week's, and last week's if a bank holiday moved it here."""
    return [
        (subscription, week)
        for subscription in subscriptions
        for week in weeks_due(subscription, now, after_bank_holiday=after_bank_holiday)
    ]


def round_robin(
    pending: list[tuple[DigestSubscription, date]],
) -> list[tuple[DigestSubscription, date]]:
    """One summary per channel in turn, each channel's oldest week first, so pacing a channel
    rarely means waiting."""
    queues: dict[str, list[tuple[DigestSubscription, date]]] = {}
    for entry in sorted(pending, key=lambda entry: entry[1]):
        queues.setdefault(entry[0].channel, []).append(entry)
    ordered: list[tuple[DigestSubscription, date]] = []
    while queues:
        for channel in list(queues):
            ordered.append(queues[channel].pop(0))
            if not queues[channel]:
                del queues[channel]
    return ordered


def run_due_digests(
    runtime: Runtime,
    client: WebClient,
    *,
    now: datetime | None = None,
    worker: str = WORKER,
    chart: bool = True,
) -> list[Delivery]:
    """Post every summary whose day and time have come this week and that is not posted yet.

    The scheduler's one route for summaries: it runs at start-up and every minute, so a summary
    goes within a minute of its time, a bot that was down posts when it comes back (if it is
    still that week) and a failed post is tried again.
    """
    now = now or runtime.clock.utcnow()
    moved = runtime.policy.summary_after_bank_holiday
    with session_scope(runtime.engine) as session:
        due = due_subscriptions(active_subscriptions(session), now, after_bank_holiday=moved)
        pending = [
            (s, week)
            for s, week in due
            if not ((post := post_for_week(session, s.id or 0, week)) and post.posted_at)
        ]
    composer = DigestComposer(runtime)
    deliveries = []
    last_post: dict[str, float] = {}
    for subscription, week in round_robin(pending):
        # Slack allows about one message a second per channel: pace a channel's second summary
        waited = time.monotonic() - last_post.get(subscription.channel, -CHANNEL_GAP)
        if waited < CHANNEL_GAP:
            time.sleep(CHANNEL_GAP - waited)
        last_post[subscription.channel] = time.monotonic()
        delivered = attempt(  # one bad subscription must not stop the others
            f"Delivering summary {subscription.id}",
            partial(
                post_summary,
                runtime,
                client,
                subscription.id or 0,
                now=now,
                worker=worker,
                composer=composer,
                chart=chart,
                week=week,
            ),
        )
        if delivered is not None:
            deliveries.append(delivered)
    return deliveries


def repost(
    runtime: Runtime,
    client: WebClient,
    subscription_id: int,
    *,
    now: datetime | None = None,
    week: date | None = None,
) -> Delivery:
    """Correct an already-posted summary in place (chat.update of the stored ts), recomposed now."""
    now = now or runtime.clock.utcnow()
    with session_scope(runtime.engine) as session:
        subscription = get_subscription(session, subscription_id)
        if subscription is None:
            return Delivery(subscription_id, week or local_week_or_today(now), "inactive")
        week = week or local_week(subscription, now)
        post = post_for_week(session, subscription_id, week)
    if post is None or post.posted_at is None or not post.ts or not post.channel:
        return Delivery(subscription_id, week, "missing", detail="nothing posted that week")
    result = DigestComposer(runtime).compose(subscription, now)
    rendered = render_digest(result)
    try:
        client.chat_update(
            channel=post.channel,
            ts=post.ts,
            text=rendered.text,
            blocks=rendered.blocks,
            metadata=_metadata(subscription_id, week),
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        detail = str(error)
        _with_db_retry(lambda: _note(runtime, post.id or 0, f"correction failed: {detail}"))
        return Delivery(subscription_id, week, "failed", post.channel, post.ts, detail)
    _with_db_retry(lambda: _note(runtime, post.id or 0, None))
    return Delivery(subscription_id, week, "updated", post.channel, post.ts)


def _note(runtime: Runtime, post_id: int, error: str | None) -> None:
    with session_scope(runtime.engine) as session:
        note_edit(session, post_id=post_id, error=error)
