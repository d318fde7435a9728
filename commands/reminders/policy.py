"""Which reminders are due on a day: the reminder policy, decided without sending anything.

For each open action, and each open step with a due date of its own (grouped into one thread per
lead by commands.reminders.leads, or one thread per item where a plan's `reminder_threads`
setting says per_item):
- a due date gives a reminder `days_before` days before it ("before"), one on the day ("due"), and
  one a week while it stays overdue ("overdue", every 7 days from the due date);
- a cadence ("Quarterly reporting", "Performance reviewed weekly") gives one per period: the ISO
  week, two ISO weeks, the month, the quarter, six weeks or the year;
- an action whose last update is `stale_days` old or more gets a nudge ("stale"), once per
  `stale_days` of silence; overdue items are left to their weekly overdue reminder instead.

Each reminder is keyed on its period, not on the day it is sent: a reminder whose day falls on a
weekend or bank holiday stays due, and the first working day of its period picks it up (a Saturday
due date is chased on Monday; Good Friday's on the Tuesday after Easter). The key makes it posted
at most once, whichever process or restart sends it.

Not flooding people (York's seeded plans hold dozens of items overdue or silent since 2022):
- at most one reminder per item per run (due-date reminders first, then cadence, then stale);
- an overdue, cadence or stale reminder waits while the item had any reminder in the last 7 days
  (so "weekly while overdue" counts from the last reminder, whenever the first one went), and
  nothing is sent for a snoozed item;
- at most `reminder_max_per_day` reminders a day (PLANBOT_REMINDER_MAX_PER_DAY, most urgent first),
  counted from the claims made since local midnight, so a second run the same day (a catch-up, a
  second process, `planbot remind`) only fills what is left, even when items answered or snoozed
  since the first run have dropped out; the rest stay due and go on the next working day, so a
  first run against old data spreads over a few days instead of one burst. A plan in per-lead
  mode is limited only while it ramps up (RAMP_DAYS from its first reminder): after that a lead's
  thread lists all their due and overdue items, since one thread per lead cannot flood.
- only reminders that can be posted are chosen: an item of a plan with neither a reminders channel
  of its own nor the default one (PLANBOT_REMINDERS_CHANNEL) takes no place in the day's limit, and
  its plan is named in `no_channel` so the run can say so; its reminders go once a channel is set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from commands.brag import BragThresholds, Colour, colour_of
from commands.clock import DEFAULT_TIMEZONE
from commands.governance.plan_settings import PlanPolicy
from commands.reminders.working_days import day_off
from commands.request import Policy
from store.queries import role_queries
from store.queries.governance import active_covers, plan_settings
from store.queries.reminders import (
    Candidate,
    ItemReminderState,
    claims_since,
    existing_keys,
    first_reminders,
    reminder_candidates,
    reminder_states,
)

REASON_ORDER = {"due": 0, "overdue": 1, "before": 2, "cadence": 3, "stale": 4}
QUIET_DAYS = 7
DEFAULT_MAX_PER_DAY = 25
DEFERRED_SHOWN = 200  # waiting reminders described in full; the rest are only counted
RAMP_DAYS = 14  # a per-lead plan keeps the daily limit this long after its first reminder


@dataclass(frozen=True)
class OwnerView:
    role: str
    holders: tuple[str, ...]  # Slack user ids from the role directory
    cover: str | None = None  # who stands in for the role today (asked instead of the holders)
    cover_until: date | None = None

    @property
    def unfilled(self) -> bool:
        return not self.holders and self.cover is None

    @property
    def asked(self) -> tuple[str, ...]:
        """Who the reminder is for: the cover while there is one, else the holders."""
        return (self.cover,) if self.cover else self.holders


@dataclass(frozen=True)
class DueReminder:
    key: str
    reason: str  # before | due | overdue | cadence | stale
    for_date: date  # the day the reminder is for (its period's start)
    kind: str  # action | step
    item_id: int
    action_id: int
    ref: str
    title: str
    status: str
    due: date | None
    due_as_written: str | None
    cadence: str | None
    days_silent: int | None
    colour: Colour
    declared_rag: str | None
    plan_key: str
    plan_title: str
    channel: str
    owners: tuple[OwnerView, ...]
    plan_id: int = 0
    per_lead: bool = True  # in its lead's thread (the plan's default), not a thread of its own

    @property
    def step_id(self) -> int | None:
        return self.item_id if self.kind == "step" else None

    @property
    def mentions(self) -> tuple[str, ...]:
        users: list[str] = []
        for owner in self.owners:
            users.extend(u for u in owner.asked if u not in users)
        return tuple(users)

    @property
    def for_information(self) -> tuple[str, ...]:
        """Holders whose role is covered: told, not asked."""
        asked = set(self.mentions)
        users: list[str] = []
        for owner in self.owners:
            if owner.cover:
                users.extend(u for u in owner.holders if u not in users and u not in asked)
        return tuple(users)


@dataclass(frozen=True)
class UnfilledRole:
    role: str
    refs: tuple[str, ...]
    deactivated: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReminderPlan:
    """What a reminder run on `today` should post, and what it must flag."""

    today: date
    day_off: str | None  # set on weekends and bank holidays: nothing is sent
    due: tuple[DueReminder, ...]
    deferred: tuple[DueReminder, ...]  # over the daily limit (the first DEFERRED_SHOWN of them)
    already_sent: int
    unfilled: tuple[UnfilledRole, ...]
    no_owner: tuple[str, ...]  # open items whose owner cell is empty
    no_channel: tuple[str, ...]  # plans with reminders due and no channel: none of them chosen
    deferred_count: int = 0  # how many wait for the next working day
    claimed_today: int = 0  # posted (or being posted) by earlier runs today, against the limit


def cadence_period(cadence: str, day: date) -> tuple[str, date]:
    """The period of a cadence that `day` falls in: its label (for the key) and its first day."""
    iso_year, iso_week, _ = day.isocalendar()
    monday = day - timedelta(days=day.weekday())
    if cadence == "weekly" or cadence == "daily":
        return f"{iso_year}-W{iso_week:02d}", monday
    if cadence == "fortnightly":
        pair = (iso_week - 1) // 2
        return f"{iso_year}-F{pair:02d}", monday - timedelta(weeks=(iso_week - 1) % 2)
    if cadence == "monthly":
        return f"{day.year}-{day.month:02d}", day.replace(day=1)
    if cadence == "quarterly":
        quarter = (day.month - 1) // 3
        return f"{day.year}-Q{quarter + 1}", date(day.year, 3 * quarter + 1, 1)
    if cadence == "six-weekly":
        index = day.toordinal() // 42
        return f"6W{index}", date.fromordinal(index * 42)
    if cadence == "annually":
        return f"{day.year}", date(day.year, 1, 1)
    return f"{iso_year}-W{iso_week:02d}", monday


Picked = tuple[str, str, date]  # reason, key, the day it is for


def _due_date_reminder(item: Candidate, today: date, days_before: int) -> Picked | None:
    if item.due is None:
        return None
    late = (today - item.due).days
    if days_before > 0 and -days_before <= late < 0:
        return "before", f"before:{item.item_key}:{item.due}", item.due - timedelta(days_before)
    if 0 <= late < 7:
        return "due", f"due:{item.item_key}:{item.due}", item.due
    if late >= 7:
        weeks = late // 7
        return (
            "overdue",
            f"overdue:{item.item_key}:{item.due}:{weeks}",
            item.due + timedelta(weeks=weeks),
        )
    return None


def _cadence_reminder(item: Candidate, today: date) -> Picked | None:
    if not item.cadence:
        return None
    label, start = cadence_period(item.cadence, today)
    return "cadence", f"cadence:{item.item_key}:{label}", start


def _stale_reminder(item: Candidate, today: date, stale_days: int) -> Picked | None:
    if item.kind != "action" or stale_days <= 0:
        return None
    if item.due is not None and item.due < today:
        return None  # the weekly overdue reminder chases it
    if item.last_update_at is None:
        return "stale", f"stale:{item.item_key}:never", today
    last = item.last_update_at.date()
    silent = (today - last).days
    if silent < stale_days:
        return None
    periods = silent // stale_days
    return (
        "stale",
        f"stale:{item.item_key}:{last}:{periods}",
        last + timedelta(days=periods * stale_days),
    )


def plan_reminders(session: Session, *, today: date, policy: Policy) -> ReminderPlan:
    """Decide the reminders due on `today`; nothing is claimed or sent."""
    days_before = policy.reminder_days_before
    candidates = reminder_candidates(session, steps_due_by=today + timedelta(days=days_before))
    owners, unfilled, no_owner = _owners(session, candidates, today)
    off = day_off(today)
    if off is not None:
        return ReminderPlan(today, off, (), (), 0, unfilled, no_owner, ())

    # An item reminded today is done for the day, whatever changed since (a reply that moved its
    # due date must not bring a second thread at the next catch-up run); the quiet rule counts the
    # claims made before today.
    zone = ZoneInfo(policy.timezone or DEFAULT_TIMEZONE)
    midnight = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
    states = reminder_states(session, before=midnight)
    chosen, no_channel = _choose(candidates, states, today, policy)
    chosen.sort(key=lambda e: (REASON_ORDER[e[1]], e[0].due or date.max, e[0].plan_key, e[0].ref))
    sent = existing_keys(session, [key for _, _, key, _, _ in chosen])
    unsent = [e for e in chosen if e[2] not in sent]
    per_lead = _per_lead_plans(session, {e[0].plan_id for e in unsent})
    free = _past_ramp(session, per_lead, midnight)
    limited = [e for e in unsent if e[0].plan_id not in free]
    # The limit is a day's: runs in any process take the most urgent unsent reminders up to what
    # today's claims have left, so runs at the same moment pick the same ones (and the unique
    # claim lets one of them through).
    limited_plans = {e[0].plan_id for e in limited}
    claimed_today = claims_since(session, since=midnight, plan_ids=limited_plans)
    room = max(0, policy.reminder_max_per_day - claimed_today)
    waiting = limited[room:]
    going = {id(e) for e in limited[:room]} | {id(e) for e in unsent if e[0].plan_id in free}
    due, deferred = (
        [
            _reminder(item, reason, key, for_date, today, owners, policy.thresholds, channel)
            for item, reason, key, for_date, channel in entries
        ]
        for entries in ([e for e in unsent if id(e) in going], waiting[:DEFERRED_SHOWN])
    )
    due = [replace(r, per_lead=r.plan_id in per_lead) for r in due]
    return ReminderPlan(
        today=today,
        day_off=None,
        due=tuple(due),
        deferred=tuple(deferred),
        deferred_count=len(waiting),
        already_sent=len(sent),
        claimed_today=claimed_today,
        unfilled=unfilled,
        no_owner=no_owner,
        no_channel=tuple(sorted(no_channel)),
    )


def _per_lead_plans(session: Session, plan_ids: set[int]) -> set[int]:
    """Of `plan_ids`, the plans whose reminders go in one thread per lead (all but those set to
    per_item)."""
    stored = plan_settings(session)
    return {
        plan_id
        for plan_id in plan_ids
        if PlanPolicy.of(stored.get(plan_id, {})).reminder_threads == "per_lead"
    }


def _past_ramp(session: Session, per_lead: set[int], midnight: datetime) -> set[int]:
    """Per-lead plans whose first reminder is more than RAMP_DAYS old: no daily limit."""
    first = first_reminders(session)
    return {
        plan_id
        for plan_id in per_lead
        if plan_id in first and midnight - first[plan_id] > timedelta(days=RAMP_DAYS)
    }


def _choose(
    candidates: list[Candidate],
    states: dict[str, ItemReminderState],
    today: date,
    policy: Policy,
) -> tuple[list[tuple[Candidate, str, str, date, str]], set[str]]:
    """Each candidate's reminder for today, if any, with its channel; and the plans whose
    reminders have no channel to go to."""
    fallback_channel = policy.reminders_channel or None
    chosen: list[tuple[Candidate, str, str, date, str]] = []
    no_channel: set[str] = set()
    for item in candidates:
        picked = _pick(item, states.get(item.item_key), today, policy)
        channel = item.reminders_channel or fallback_channel
        if picked and not channel:
            no_channel.add(item.plan_title)  # nowhere to post it: it must not take a place
        elif picked and channel:
            chosen.append((item, *picked, channel))
    return chosen, no_channel


def _pick(
    item: Candidate, state: ItemReminderState | None, today: date, policy: Policy
) -> Picked | None:
    """The one reminder for `item` today: none while it is claimed or snoozed; in the quiet
    days after the last one only a due-date reminder that is not yet overdue."""
    if state and (state.claimed_since or (state.snoozed_until and state.snoozed_until > today)):
        return None
    quiet = bool(
        state and state.last_claimed_on and (today - state.last_claimed_on).days < QUIET_DAYS
    )
    options = [_due_date_reminder(item, today, policy.reminder_days_before)]
    if quiet and options[0] and options[0][0] == "overdue":
        options = []  # weekly means a week after the last reminder, whenever that went
    if not quiet:
        options += [
            _cadence_reminder(item, today),
            _stale_reminder(item, today, policy.reminder_stale_days),
        ]
    return next((option for option in options if option), None)


def _owners(
    session: Session, candidates: list[Candidate], today: date
) -> tuple[dict[int, OwnerView], tuple[UnfilledRole, ...], tuple[str, ...]]:
    names = role_queries.role_names_by_id(session)
    held = role_queries.holders_by_role(session)
    covers = active_covers(session, today)
    views = {
        rid: OwnerView(
            name,
            held.get(rid, ()),
            covers[rid].cover_user_id if rid in covers else None,
            covers[rid].ends_on if rid in covers else None,
        )
        for rid, name in names.items()
    }
    inactive = role_queries.inactive_members(session)
    unfilled: dict[int, list[str]] = {}
    no_owner: list[str] = []
    for item in candidates:
        if not item.owner_role_ids:
            no_owner.append(item.ref)
        for role_id in item.owner_role_ids:
            if role_id in views and views[role_id].unfilled:
                unfilled.setdefault(role_id, []).append(item.ref)
    flagged = tuple(
        UnfilledRole(views[rid].role, tuple(refs), tuple(inactive.get(rid, [])))
        for rid, refs in sorted(unfilled.items(), key=lambda kv: views[kv[0]].role)
    )
    return views, flagged, tuple(no_owner)


def _reminder(
    item: Candidate,
    reason: str,
    key: str,
    for_date: date,
    today: date,
    owners: dict[int, OwnerView],
    thresholds: BragThresholds,
    channel: str,
) -> DueReminder:
    colour = colour_of(
        status=item.status,
        due=item.due,
        declared=item.declared_rag,
        last_update_at=item.last_update_at,
        today=today,
        cadence=item.cadence,
        thresholds=thresholds,
    )
    return DueReminder(
        key=key,
        reason=reason,
        for_date=for_date,
        kind=item.kind,
        item_id=item.item_id,
        action_id=item.action_id,
        ref=item.ref,
        title=item.title,
        status=item.status,
        due=item.due,
        due_as_written=item.due_as_written,
        cadence=item.cadence,
        days_silent=colour.days_since_update,
        colour=colour,
        declared_rag=item.declared_rag,
        plan_key=item.plan_key,
        plan_title=item.plan_title,
        channel=channel,
        owners=tuple(owners[rid] for rid in item.owner_role_ids if rid in owners),
        plan_id=item.plan_id,
    )
