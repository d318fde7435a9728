"""The reminder run: decide what is due (commands.reminders.policy), claim each once, post its
thread.

`run_reminders(runtime, client)` is what the scheduler calls every working day and what `planbot
remind` calls on demand; `catch_up_reminders` is the scheduler's catch-up (at start-up and every
half hour), which runs it again during a working day's reminder hours, so a bot that was down at the
hour, or a post that failed for a passing reason, does not wait for the next day. Each reminder is
claimed in the database before it is posted (store.queries.reminders.claim_reminder: a unique key),
so two
processes or a restart never post the same one twice. A post Slack refuses gives its claim back so
the next run tries again. Each thread carries its key in Slack's message metadata: when a post fails
without Slack's answer (a timeout, a dropped connection, a 5xx), the channel's history is read, and
a thread Slack did take is recorded rather than posted again. If the history does not settle it, the
claim is left in doubt, as is one left by a process that died mid-post (after CLAIM_TIMEOUT), and
the next run looks in the channel again before posting. Before deciding, the role holders are
checked against Slack (users.info): a deactivated user is marked so in the directory and their role
counts as unfilled (flagged, not mentioned).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from slack_sdk import WebClient

from bot.jobs.lead_reminders import post_lead_threads
from bot.jobs.reminder_posts import metadata, post_claimed, record_posted, worker_name
from bot.posting.findable import (
    HISTORY_MARGIN,
    HistoryUnreadable,
    find_posted,
    worth_looking_again,
)
from bot.posting.outbox import post_that_matters
from bot.render.escape import escape, mention
from bot.render.reminders import plan_summary, reminder_message
from bot.runtime import Runtime
from bot.slack.client import SlackWorkspace
from commands.reminders.leads import plan_lead_threads
from commands.reminders.policy import DueReminder, ReminderPlan, plan_reminders
from commands.reminders.working_days import is_working_day
from commands.roles.away import reads_as_away
from store.db import session_scope
from store.queries import role_queries
from store.queries.governance import claim_away_question
from store.queries.reminders import (
    claim_reminder,
    in_doubt,
    mark_reminder_posted,
    put_in_doubt,
    release_claim,
    release_stale_claims,
    take_in_doubt,
)
from store.queries.roles import mark_inactive
from store.utc import as_utc

log = logging.getLogger("planbot.reminders")

CLAIM_TIMEOUT = timedelta(minutes=30)
CATCH_UP_UNTIL_HOUR = 18  # local: catch-up runs stop with the working day (none in the evening)


@dataclass(frozen=True)
class ReminderRunReport:
    plan: ReminderPlan
    posted: tuple[tuple[str, str, str], ...]  # (ref, channel, thread ts)
    taken_elsewhere: tuple[str, ...]  # claimed by another process first
    failed: tuple[str, ...]
    deactivated: tuple[str, ...]  # users Slack reports deactivated, found in this run
    dry_run: bool
    lead_threads: int = 0  # threads posted to leads, each listing several of `posted`

    @property
    def summary(self) -> str:
        posted = len({ref for ref, _, _ in self.posted})
        text = plan_summary(self.plan, posted=None if self.dry_run else posted)
        if self.lead_threads:
            text += f"\n{self.lead_threads} lead threads posted."
        if self.taken_elsewhere:
            text += f"\n{len(self.taken_elsewhere)} posted by another process."
        if self.failed:
            text += f"\nNot posted (tried again next run): {', '.join(self.failed)}"
        if self.deactivated:
            text += f"\nSlack reports deactivated: {', '.join(self.deactivated)}"
        return text


def check_role_holders(runtime: Runtime, client: WebClient) -> tuple[str, ...]:
    """Mark role holders Slack reports deactivated; returns their ids."""
    with session_scope(runtime.engine) as session:
        members = role_queries.all_member_ids(session)
    gone = tuple(user for user in members if SlackWorkspace(client).user_active(user) is False)
    if gone:
        with session_scope(runtime.engine) as session:
            for user in gone:
                if mark_inactive(session, user):
                    log.warning("Slack reports %s deactivated: their roles count as unfilled", user)
    return gone


def run_reminders(
    runtime: Runtime, client: WebClient | None, *, dry_run: bool = False
) -> ReminderRunReport:
    """Post today's due reminders (none at weekends or on bank holidays); flag unfilled roles."""
    today = runtime.clock.today()
    deactivated: tuple[str, ...] = ()
    if not dry_run and client is not None:
        deactivated = _settle_before_run(runtime, client)
    with session_scope(runtime.engine) as session:
        plan = plan_reminders(session, today=today, policy=runtime.policy)
    _log_plan(plan, today)
    if dry_run or client is None or plan.day_off:
        return ReminderRunReport(plan, (), (), (), deactivated, dry_run=True)
    ask_about_away(runtime, client, plan)

    worker = worker_name()
    with session_scope(runtime.engine) as session:
        threads = plan_lead_threads(session, plan)
    leads = post_lead_threads(runtime, client, threads, today, worker)
    posted: list[tuple[str, str, str]] = leads.posted
    elsewhere: list[str] = leads.taken_elsewhere
    failed: list[str] = leads.failed
    for reminder in (r for r in plan.due if not r.per_lead):
        row_id = _claim(runtime, reminder, worker)
        if row_id is None:
            elsewhere.append(reminder.ref)
            log.info("reminder %s already claimed by another process", reminder.key)
            continue
        outcome = post_claimed(
            runtime,
            client,
            key=reminder.key,
            channel=reminder.channel,
            rendered=reminder_message(reminder, row_id, today),
            row_id=row_id,
            worker=worker,
        )
        if outcome is None:
            failed.append(reminder.ref)
            continue
        channel, ts = outcome
        record_posted(runtime, reminder.key, row_id, channel, ts, worker)
        posted.append((reminder.ref, channel, ts))
        log.info("reminder %s posted to %s at %s", reminder.key, channel, ts)
    return ReminderRunReport(
        plan,
        tuple(posted),
        tuple(elsewhere),
        tuple(failed),
        deactivated,
        dry_run=False,
        lead_threads=leads.threads,
    )


def ask_about_away(runtime: Runtime, client: WebClient, plan: ReminderPlan) -> list[str]:
    """Ask the admins, once per role, person and status, whether a role holder whose Slack status
    says they are away should have cover. Reminders still go to the holder: nothing is guessed.
    Returns the roles asked about."""
    workspace = SlackWorkspace(client)
    statuses: dict[str, tuple[str, str] | None] = {}
    asked: list[str] = []
    seen: set[tuple[str, str]] = set()
    for reminder in plan.due:
        for owner in reminder.owners:
            if owner.cover:
                continue
            for user in owner.holders:
                if (owner.role, user) in seen:
                    continue
                seen.add((owner.role, user))
                if user not in statuses:
                    statuses[user] = workspace.status(user)
                status = statuses[user]
                if status is None or not reads_as_away(*status):
                    continue
                key = f"{owner.role}:{user}:{status[0] or status[1]}"
                with session_scope(runtime.engine) as session:
                    first = claim_away_question(session, key, at=runtime.clock.utcnow())
                if first:
                    _tell_admins(runtime, client, owner.role, user, status)
                    asked.append(owner.role)
    return asked


def _tell_admins(
    runtime: Runtime, client: WebClient, role: str, user: str, status: tuple[str, str]
) -> None:
    admins = runtime.policy.admins
    shown = " ".join(part for part in (status[1], status[0]) if part)
    text = (
        f"{mention(user)} holds {escape(role)} and their Slack status says “{escape(shown)}”. "
        f"Reminders for {escape(role)} still go to them. To send them to someone else while they "
        f'are away: `/plan cover "{escape(role)}" @someone until DATE`.'
    )
    if not admins:
        log.warning("%s (%s) looks away (%s); no PLANBOT_ADMINS to ask", user, role, shown)
        return
    for admin in admins:
        post_that_matters(runtime, client, "chat.postMessage", {"channel": admin, "text": text})
    log.info("asked %d admins whether %s needs cover (%s looks away)", len(admins), role, user)


def _settle_before_run(runtime: Runtime, client: WebClient) -> tuple[str, ...]:
    """Release stale claims, settle posts in doubt and check role holders before posting;
    return the users Slack reports deactivated."""
    with session_scope(runtime.engine) as session:
        released = release_stale_claims(session, older_than=runtime.clock.utcnow() - CLAIM_TIMEOUT)
    if released:
        log.warning(
            "%d reminder claims were never posted (their process stopped mid-post); looking "
            "for their threads",
            released,
        )
    settle_in_doubt(runtime, client)
    return check_role_holders(runtime, client)


def _log_plan(plan: ReminderPlan, today: date) -> None:
    """Log what stops reminders: unfilled roles, areas with no channel, a day off."""
    if plan.unfilled:
        log.warning(
            "%d owner roles have nobody behind them: %s",
            len(plan.unfilled),
            "; ".join(f"{role.role} ({', '.join(role.refs)})" for role in plan.unfilled),
        )
    if plan.no_channel:
        log.warning(
            "reminders wait: no reminders channel for %s (set one with `channel reminders "
            "#channel` or PLANBOT_REMINDERS_CHANNEL)",
            ", ".join(plan.no_channel),
        )
    if plan.day_off:
        log.info("no reminders on %s: %s", today, plan.day_off)


def _claim(runtime: Runtime, reminder: DueReminder, worker: str) -> int | None:
    """Claim the reminder for `worker`; its row id, or None when another process has it."""
    tried_at = runtime.clock.real_utcnow()  # Slack's clock, not a trial's fixed one
    with session_scope(runtime.engine) as session:
        row = claim_reminder(
            session,
            key=reminder.key,
            action_id=reminder.action_id,
            step_id=reminder.step_id,
            reason=reminder.reason,
            for_date=reminder.for_date,
            at=runtime.clock.utcnow(),
            by=worker,
            channel=reminder.channel,
            tried_at=tried_at,
        )
        return row.id if row else None


@dataclass(frozen=True)
class _Doubt:
    """A reminder claim in doubt, as read before it is taken to be settled."""

    id: int
    key: str
    channel: str | None
    tried_at: datetime | None
    unreadable_looks: int


def settle_in_doubt(
    runtime: Runtime, client: WebClient, *, thread: tuple[str, str] | None = None
) -> None:
    """Look for the thread of every reminder in doubt, whatever today's plan: found, it is
    recorded; not in the channel, its claim is given back (the reminder may go again). When the
    channel cannot be read it stays in doubt, still counting as a claim, until the read fails
    for good or too often (`worth_looking_again`); then it is given back, and may be doubled.

    With `thread` (channel, ts: a reply arrived in a thread planbot has no record of), only the
    reminders in doubt that could have started it are looked for, and the look is extra: an
    unreadable history then leaves the claim as it was."""
    worker = f"{worker_name()}:{uuid.uuid4().hex[:4]}"  # this look's, not its process's
    channel, started = (thread[0], _ts_time(thread[1])) if thread else (None, None)
    with session_scope(runtime.engine) as session:
        doubts = [
            _Doubt(
                r.id or 0,
                r.key,
                r.channel,
                as_utc(r.tried_at) if r.tried_at else None,
                r.unsettled_checks,
            )
            for r in in_doubt(session, channel=channel)
        ]
    if started is not None:
        doubts = [d for d in doubts if d.tried_at and _within(started, _window(d.tried_at))]
    for doubt in doubts:
        with session_scope(runtime.engine) as session:
            if not take_in_doubt(session, doubt.id, by=worker):
                continue  # another process is settling it
        _settle(runtime, client, doubt, worker, extra_look=thread is not None)


def _within(moment: datetime, window: tuple[datetime, datetime]) -> bool:
    return window[0] <= moment <= window[1]


def _window(tried_at: datetime) -> tuple[datetime, datetime]:
    """When a post tried at `tried_at` can have reached its channel: Slack's clock differs, and a
    process that died mid-post was taken over only after CLAIM_TIMEOUT."""
    return tried_at - HISTORY_MARGIN, tried_at + CLAIM_TIMEOUT + HISTORY_MARGIN


def _settle(
    runtime: Runtime, client: WebClient, doubt: _Doubt, worker: str, *, extra_look: bool
) -> None:
    """Settle one claim in doubt that `worker` has taken."""
    if doubt.channel is None or doubt.tried_at is None:
        _give_back(runtime, doubt, worker, "nothing says where it was posted")
        return
    since, until = _window(doubt.tried_at)
    try:
        found = find_posted(client, doubt.channel, metadata(doubt.key), since=since, until=until)
    except HistoryUnreadable as unreadable:
        if extra_look or worth_looking_again(unreadable, doubt.unreadable_looks + 1):
            with session_scope(runtime.engine) as session:
                put_in_doubt(session, doubt.id, by=worker, unsettled=not extra_look)
            log.warning(
                "reminder %s is still in doubt: %s's history cannot be read (%s)",
                doubt.key,
                doubt.channel,
                unreadable,
            )
            return
        why = f"{doubt.channel}'s history cannot be read ({unreadable})"
        _give_back(runtime, doubt, worker, why)
        return
    if not found:
        _give_back(runtime, doubt, worker, "not in the channel")
        return
    at = min(_ts_time(found), runtime.clock.utcnow())
    with session_scope(runtime.engine) as session:
        recorded = mark_reminder_posted(
            session, doubt.id, channel=doubt.channel, thread_ts=found, at=at, by=worker
        )
    if recorded:
        log.warning("reminder %s was in doubt: its thread is in %s, recorded", doubt.key, found)
    else:
        log.warning(
            "reminder %s: its thread %s was found as another took it over", doubt.key, found
        )


def _give_back(runtime: Runtime, doubt: _Doubt, worker: str, why: str) -> None:
    with session_scope(runtime.engine) as session:
        release_claim(session, doubt.id, by=worker)
    log.warning("reminder %s was in doubt: %s; it may be posted again", doubt.key, why)


def _ts_time(ts: str) -> datetime:
    try:
        return datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError):
        return datetime.max.replace(tzinfo=UTC)


def in_reminder_hours(now: datetime, reminder_hour: int) -> bool:
    """Whether `now` (local) is a working day from the reminder hour to the day's end."""
    until = max(CATCH_UP_UNTIL_HOUR, reminder_hour + 1)
    return is_working_day(now.date()) and reminder_hour <= now.hour < until


def catch_up_reminders(runtime: Runtime, client: WebClient) -> ReminderRunReport | None:
    """Run today's reminders again if it is a working day at or after the reminder hour; None
    outside those hours. Safe to repeat: each reminder is claimed once, and the daily limit counts
    what earlier runs today claimed."""
    if not in_reminder_hours(runtime.clock.now(), runtime.settings.planbot_reminder_hour):
        return None
    report = run_reminders(runtime, client)
    log.info(
        "reminder catch-up for %s: %d posted, %d posted by another process, %d not posted",
        report.plan.today,
        len(report.posted),
        len(report.taken_elsewhere),
        len(report.failed),
    )
    return report
