"""The one scheduler of the app: weekly summaries, the daily reminder run, pending-post retries.

One BackgroundScheduler per process, owned here, every job under a stable id. Summaries have one
route: a sweep at start-up and every minute posts each summary whose local day and time have come
this week (a subscription made in another process, or from the terminal, needs nothing more).
Reminders run at the hour on working days, with a catch-up at start-up and every half hour in
working hours for whatever was missed while the bot was down, or failed for a passing reason.
Running several processes is safe: each post is claimed in the database before it is sent
(bot/jobs/digest.py, the reminders' and the pending posts' own claims), so every process may run
every job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.jobs.digest import attempt, run_due_digests
from bot.jobs.reminders import catch_up_reminders, run_reminders
from bot.posting.outbox import retry_pending_posts
from bot.runtime import Runtime

log = logging.getLogger("planbot.scheduler")

SUMMARIES_JOB = "digest:due"
REMINDERS_JOB = "reminders:daily"
REMINDERS_CATCH_UP_JOB = "reminders:catch-up"
PENDING_JOB = "outbox:retry"
# Every summary goes by one route: a sweep each minute posts those whose local day and time have
# come this week and are not posted yet, so a new or moved subscription needs no job of its own
# and a bot that was down posts when it is back.
SUMMARIES_SECONDS = 60
# Reminders missed at the hour (bot down, a post that failed) go at start-up or within half an
# hour, during the working day only (bot.jobs.reminders.in_reminder_hours).
REMINDERS_CATCH_UP_SECONDS = 1800
PENDING_SECONDS = 120
MISFIRE_GRACE_SECONDS = 3600  # a late cron run still posts; later still, catch-up does


def _guarded(label: str, job: Callable[..., Any]) -> Callable[..., Any]:
    """Log a job's failure with its name; the scheduler keeps running the next ones."""

    def run(*args: Any, **kwargs: Any) -> Any:
        return attempt(f"Scheduled job {label}", lambda: job(*args, **kwargs))

    run.__name__ = getattr(job, "__name__", label)
    return run


def _repeat(
    scheduler: BackgroundScheduler,
    job: Callable[..., Any],
    args: list[Any],
    *,
    job_id: str,
    label: str,
    seconds: int,
    also_at_start: bool = False,
) -> None:
    """Run `job` every `seconds`; with `also_at_start`, once more straight after start-up (a bot
    that was down catches up at once rather than at the first interval)."""
    zone = scheduler.timezone
    scheduler.add_job(
        _guarded(label, job),
        trigger=IntervalTrigger(seconds=seconds, timezone=zone),
        args=args,
        id=job_id,
        name=label,
        replace_existing=True,
    )
    if also_at_start:
        scheduler.add_job(
            _guarded(f"{label} at start-up", job),
            trigger=DateTrigger(timezone=zone),
            args=args,
            id=f"{job_id}:start",
            name=f"{label} at start-up",
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )


def start_scheduler(runtime: Runtime, client: WebClient) -> BackgroundScheduler:
    """Build, fill and start the app's scheduler (the caller shuts it down on exit)."""
    zone = ZoneInfo(runtime.settings.planbot_timezone)
    scheduler = BackgroundScheduler(
        timezone=zone, job_defaults={"coalesce": True, "max_instances": 1}
    )
    both = [runtime, client]
    _repeat(
        scheduler,
        run_due_digests,
        both,
        job_id=SUMMARIES_JOB,
        also_at_start=True,
        label="weekly summaries whose time has come",
        seconds=SUMMARIES_SECONDS,
    )
    scheduler.add_job(
        _guarded("daily reminder run", run_reminders),
        trigger=CronTrigger(
            day_of_week="mon-fri",
            hour=runtime.settings.planbot_reminder_hour,
            minute=0,
            timezone=zone,
        ),
        args=both,
        id=REMINDERS_JOB,
        name="daily reminder run (working days)",
        replace_existing=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
    )
    _repeat(
        scheduler,
        catch_up_reminders,
        both,
        job_id=REMINDERS_CATCH_UP_JOB,
        also_at_start=True,
        seconds=REMINDERS_CATCH_UP_SECONDS,
        label="reminder catch-up (missed at the hour, or failed; working hours)",
    )
    _repeat(
        scheduler,
        retry_pending_posts,
        both,
        job_id=PENDING_JOB,
        seconds=PENDING_SECONDS,
        label="retry Slack posts that failed for a passing reason",
    )
    scheduler.start()
    return scheduler
