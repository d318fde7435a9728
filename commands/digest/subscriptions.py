"""`digest …`: a channel's weekly-summary subscriptions (subscribe, list, unsubscribe, preview).

Anyone in a channel may subscribe it: the summary only reports what `/plan` already shows to
everyone in the workspace. Changing or stopping a subscription is for the person who created it or
an admin, because the summary feeds a standing meeting and a stray unsubscribe would silently stop
it; anyone else is told who can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from commands.clock import DEFAULT_TIMEZONE
from commands.digest.result import DigestResult
from commands.digest.scope import Scope, ScopeError, resolve_scope, scope_from_subscription
from commands.digest.summary import WEEKDAYS, DigestData, week_of
from commands.reminders.working_days import bank_holiday, next_working_day
from commands.request import Request
from store.models import DigestSubscription
from store.queries.digests import (
    active_subscriptions,
    add_subscription,
    channel_subscriptions,
    deactivate_subscription,
    find_subscription,
    post_for_week,
    reschedule_subscription,
)

DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = 0, 8, 30
USAGE = (
    "digest subscribe [all|plan|OA4|P7|role] [monday 08:30] · digest list · "
    "digest unsubscribe [scope] · digest preview [scope]"
)
_DAYS = {
    "mon": 0, "monday": 0, "mondays": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
    "fri": 4, "friday": 4, "fridays": 4,
    "sat": 5, "saturday": 5, "saturdays": 5,
    "sun": 6, "sunday": 6, "sundays": 6,
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_FILLER = {"at", "on", "every", "each", "weekly", "from"}


@dataclass(frozen=True)
class SubscriptionLine:
    id: int
    channel: str
    scope: Scope
    weekday: int
    hour: int
    minute: int
    timezone: str
    created_by: str | None
    next_at: datetime  # next scheduled post, in the subscription's timezone
    this_week: date
    posted_this_week: bool
    last_error: str | None

    @property
    def when(self) -> str:
        return f"{WEEKDAYS[self.weekday]}s at {self.hour:02d}:{self.minute:02d} ({self.timezone})"


@dataclass(frozen=True)
class DigestSubscriptionResult:
    """What a `digest` sub-command did, in words, with the subscriptions it concerns."""

    outcome: str  # subscribed | rescheduled | already | unsubscribed | list | refused | error
    message: str
    subscriptions: tuple[SubscriptionLine, ...] = ()
    channel: str | None = None
    contact: str | None = None  # the user id who can change it, named when refusing


@dataclass(frozen=True)
class When:
    weekday: int = DEFAULT_WEEKDAY
    hour: int = DEFAULT_HOUR
    minute: int = DEFAULT_MINUTE
    timezone: str = DEFAULT_TIMEZONE


class WhenError(ValueError):
    pass


def split_when(text: str, default_timezone: str = DEFAULT_TIMEZONE) -> tuple[str, When]:
    """Take a trailing `[day] [time] [timezone]` off `text`: "OA4 tue 09:00", "friday 4pm",
    "P7 monday 8:30 America/New_York". Returns the rest (the scope) and the time."""
    tokens = text.split()
    zone = default_timezone
    if tokens and ("/" in tokens[-1] or tokens[-1].upper() in ("UTC", "GMT")):
        candidate = tokens[-1]
        try:
            ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            raise WhenError(
                f"'{candidate}' is not a timezone name such as Europe/London."
            ) from None
        zone = candidate.upper() if candidate.upper() in ("UTC", "GMT") else candidate
        tokens.pop()
    hour, minute, have_time = DEFAULT_HOUR, DEFAULT_MINUTE, False
    if len(tokens) >= 2 and tokens[-1].lower() in ("am", "pm"):
        tokens[-2:] = [tokens[-2] + tokens[-1]]
    if tokens:
        match = _TIME.match(tokens[-1])
        has_marker = match is not None and (match.group(2) is not None or match.group(3))
        bare_after_day = (
            match is not None and len(tokens) >= 2 and tokens[-2].lower().strip(",") in _DAYS
        )
        if match and (has_marker or bare_after_day):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            meridiem = (match.group(3) or "").lower()
            if meridiem and not 1 <= hour <= 12:
                raise WhenError(f"'{tokens[-1]}' is not a time: use 4pm, 16:00 or 08:30.")
            if meridiem == "pm" and hour != 12:
                hour += 12
            if meridiem == "am" and hour == 12:
                hour = 0
            if not (0 <= hour <= 23 and 0 <= minute <= 59):
                raise WhenError(f"'{tokens[-1]}' is not a time of day: use 08:30 or 4pm.")
            have_time = True
            tokens.pop()
            while tokens and tokens[-1].lower() in _FILLER:
                tokens.pop()
    weekday = DEFAULT_WEEKDAY
    if tokens and tokens[-1].lower().strip(",") in _DAYS:
        weekday = _DAYS[tokens[-1].lower().strip(",")]
        tokens.pop()
        while tokens and tokens[-1].lower() in _FILLER:
            tokens.pop()
    elif have_time and tokens and tokens[-1].lower() in ("daily", "weekday", "weekdays"):
        raise WhenError("The summary is weekly: give one day, such as monday 08:30.")
    return " ".join(tokens), When(weekday, hour, minute, zone)


def fire_time(
    subscription: DigestSubscription, week: date, *, after_bank_holiday: bool = True
) -> datetime:
    """When the subscription posts its summary for the week starting Monday `week`, in its own
    timezone: its day and time, or, when that day is an English bank holiday (and
    `after_bank_holiday`), the same time on the next working day, which may be in the next
    week (Good Friday's summary goes on the Tuesday after Easter)."""
    zone = ZoneInfo(subscription.timezone)
    day = week + timedelta(days=subscription.weekday)
    if after_bank_holiday and bank_holiday(day):
        day = next_working_day(day)
    return datetime.combine(day, time(subscription.hour, subscription.minute), tzinfo=zone)


def weeks_due(
    subscription: DigestSubscription, now: datetime, *, after_bank_holiday: bool = True
) -> list[date]:
    """The weeks whose summary's time has come by `now` (after the subscription was made): this
    week's, and last week's when a bank holiday moved it into this one."""
    this_week = local_week(subscription, now)
    due = []
    for week in (this_week - timedelta(days=7), this_week):
        when = fire_time(subscription, week, after_bank_holiday=after_bank_holiday)
        created = subscription.created_at
        if when > now or (created is not None and when < created):
            continue
        if week == this_week or local_week(subscription, when) == this_week:
            due.append(week)
    return due


def local_week(subscription: DigestSubscription, now: datetime) -> date:
    """The Monday of the subscription's week containing `now`, in the subscription's timezone."""
    return week_of(now.astimezone(ZoneInfo(subscription.timezone)).date())


def next_fire(
    subscription: DigestSubscription, now: datetime, *, after_bank_holiday: bool = True
) -> datetime:
    week = local_week(subscription, now)
    for ahead in (-7, 0, 7, 14):
        when = fire_time(
            subscription, week + timedelta(days=ahead), after_bank_holiday=after_bank_holiday
        )
        if when > now:
            return when
    return when


def subscription_state(
    session: Session, subscription: DigestSubscription, now: datetime
) -> SubscriptionLine:
    """The subscription as the digest commands report it: schedule, next post, this week's state."""
    week = local_week(subscription, now)
    post = post_for_week(session, subscription.id or 0, week)
    return SubscriptionLine(
        id=subscription.id or 0,
        channel=subscription.channel,
        scope=scope_from_subscription(subscription.scope_kind, subscription.scope_value),
        weekday=subscription.weekday,
        hour=subscription.hour,
        minute=subscription.minute,
        timezone=subscription.timezone,
        created_by=subscription.created_by,
        next_at=next_fire(subscription, now).astimezone(ZoneInfo(subscription.timezone)),
        this_week=week,
        posted_this_week=bool(post and post.posted_at),
        last_error=post.last_error if post else None,
    )


def digest_command(
    session: Session, request: Request, rest: str
) -> DigestSubscriptionResult | DigestResult:
    sub, _, args = rest.strip().partition(" ")
    sub = sub.lower()
    try:
        if sub in ("subscribe", "sub", "add"):
            return _subscribe(session, request, args)
        if sub in ("unsubscribe", "unsub", "stop", "remove"):
            return _unsubscribe(session, request, args)
        if sub in ("list", "ls", ""):
            return _list(session, request)
        if sub in ("preview", "show", "now"):
            return _preview(session, request, args)
    except (ScopeError, WhenError) as error:
        return DigestSubscriptionResult("error", str(error), channel=request.caller.channel_id)
    return DigestSubscriptionResult(
        "error", f"I don't know 'digest {sub}'. Try: {USAGE}", channel=request.caller.channel_id
    )


def _channel(request: Request) -> str | None:
    channel = request.caller.channel_id
    if not channel or channel.startswith("D"):
        return None
    return channel


def _may_change(request: Request, subscription: DigestSubscription) -> bool:
    caller = request.caller
    return caller.is_admin or (
        caller.user_id is not None and caller.user_id == subscription.created_by
    )


def _refused(
    session: Session, subscription: DigestSubscription, verb: str, now: datetime
) -> DigestSubscriptionResult:
    """Someone other than its creator or an admin tried to move or stop a subscription."""
    who = "the person who set it up" if subscription.created_by else "the terminal operator"
    return DigestSubscriptionResult(
        "refused",
        f"Only {who} or a planbot admin can {verb} this summary. "
        "Ask one of them, or subscribe the channel to another scope.",
        (subscription_state(session, subscription, now),),
        subscription.channel,
        subscription.created_by,
    )


def _subscribe(session: Session, request: Request, args: str) -> DigestSubscriptionResult:
    channel = _channel(request)
    if channel is None:
        return DigestSubscriptionResult(
            "error",
            "Run `/plan digest subscribe` in the channel that should receive the weekly summary "
            "(not in a direct message).",
        )
    default_zone = request.policy.timezone or DEFAULT_TIMEZONE
    scope_text, when = split_when(args, default_zone)
    scope = resolve_scope(session, scope_text)
    now = request.clock.utcnow()
    existing = find_subscription(
        session, channel=channel, scope_kind=scope.kind, scope_value=scope.value
    )
    if existing is not None:
        return _resubscribe(session, request, existing, when, now, channel)
    created = add_subscription(
        session,
        channel=channel,
        scope_kind=scope.kind,
        scope_value=scope.value,
        weekday=when.weekday,
        hour=when.hour,
        minute=when.minute,
        timezone=when.timezone,
        created_by=request.caller.user_id,
        at=now,
    )
    return DigestSubscriptionResult(
        "subscribed",
        "Subscribed. Anyone in this channel may subscribe it; only you or an admin can move or "
        "stop this one.",
        (subscription_state(session, created, now),),
        channel,
    )


def _resubscribe(
    session: Session,
    request: Request,
    existing: DigestSubscription,
    when: When,
    now: datetime,
    channel: str,
) -> DigestSubscriptionResult:
    """Subscribing again to a summary the channel already gets: nothing to do, or a new time
    (for the one who subscribed it or an admin)."""
    same = (existing.weekday, existing.hour, existing.minute, existing.timezone) == (
        when.weekday,
        when.hour,
        when.minute,
        when.timezone,
    )
    if same:
        return DigestSubscriptionResult(
            "already",
            "This channel already gets that summary.",
            (subscription_state(session, existing, now),),
            channel,
        )
    if not _may_change(request, existing):
        return _refused(session, existing, "move", now)
    reschedule_subscription(
        session,
        existing,
        weekday=when.weekday,
        hour=when.hour,
        minute=when.minute,
        timezone=when.timezone,
    )
    return DigestSubscriptionResult(
        "rescheduled", "Moved.", (subscription_state(session, existing, now),), channel
    )


def _unsubscribe(session: Session, request: Request, args: str) -> DigestSubscriptionResult:
    channel = _channel(request)
    if channel is None:
        return DigestSubscriptionResult(
            "error", "Run `/plan digest unsubscribe` in the channel that receives the summary."
        )
    now = request.clock.utcnow()
    current = channel_subscriptions(session, channel)
    if args.strip():
        scope_text, _ = split_when(args)
        scope = resolve_scope(session, scope_text)
        chosen = [s for s in current if (s.scope_kind, s.scope_value) == (scope.kind, scope.value)]
        if not chosen:
            return DigestSubscriptionResult(
                "error",
                f"This channel has no summary for {scope.label}.",
                tuple(subscription_state(session, s, now) for s in current),
                channel,
            )
    else:
        chosen = current
        if not chosen:
            return DigestSubscriptionResult(
                "error", "This channel has no weekly summary to stop.", channel=channel
            )
        if len(chosen) > 1:
            return DigestSubscriptionResult(
                "error",
                "This channel has several summaries; say which, e.g. `digest unsubscribe OA4`.",
                tuple(subscription_state(session, s, now) for s in chosen),
                channel,
            )
    subscription = chosen[0]
    if not _may_change(request, subscription):
        return _refused(session, subscription, "stop", now)
    line = subscription_state(session, subscription, now)
    deactivate_subscription(session, subscription)
    return DigestSubscriptionResult("unsubscribed", "Stopped.", (line,), channel)


def _list(session: Session, request: Request) -> DigestSubscriptionResult:
    now = request.clock.utcnow()
    channel = _channel(request)
    if channel is None and not request.caller.is_terminal:
        return DigestSubscriptionResult(
            "error", "Run `/plan digest list` in a channel to see its weekly summaries."
        )
    if channel is None:  # the terminal sees every channel's
        subscriptions = active_subscriptions(session)
    else:
        subscriptions = channel_subscriptions(session, channel)
    lines = tuple(subscription_state(session, s, now) for s in subscriptions)
    count = f"{len(lines)} weekly summar{'y' if len(lines) == 1 else 'ies'}"
    if channel is not None:
        message = f"This channel gets {count}." if lines else "This channel has no weekly summary."
    elif lines:
        channels = len({line.channel for line in lines})
        message = f"{count} in {channels} channel{'' if channels == 1 else 's'}."
    else:
        message = "No channel has a weekly summary."
    if not lines:
        message += " Start one with `/plan digest subscribe`."
    return DigestSubscriptionResult("list", message, lines, channel)


def _preview(session: Session, request: Request, args: str) -> DigestResult:
    scope_text, _ = split_when(args)
    if scope_text.strip():
        scope = resolve_scope(session, scope_text)
    else:
        channel = _channel(request)
        current = channel_subscriptions(session, channel) if channel else []
        scope = (
            scope_from_subscription(current[0].scope_kind, current[0].scope_value)
            if len(current) == 1
            else Scope()
        )
    data = DigestData.load(
        session,
        as_of=request.clock.now(),
        thresholds=request.policy.thresholds,
        measures=request.policy.measures,
    )
    return data.compose(scope)
