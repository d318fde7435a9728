"""The weekly performance-session summary, composed for a scope and a week on the clock.

Sections and colours follow shared/BRAG_AND_DIGEST.md: header, headline (colour counts per plan
with the change since last week), needs a decision, exceptions, overdue and silent, changes in the
last 7 days, coming up, area roll-up; plus the 12-week open/overdue trend the chart draws.

Counts and roll-ups are over actions (the plan's rows); lists also carry steps that have a due
date of their own (P7.5.3), as reminders do. "Last week" and the trend replay each item's dated
updates up to the earlier time (store.queries.state.derive_state), so they are what the plan said
then (commands.digest.replay). What a summary covers is in commands.digest.scope, what it holds
in commands.digest.result.
One `DigestData` read serves many scopes: the benchmark composes 200 subscriptions from one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session

from commands.brag import (
    BragThresholds,
    Colour,
    counts,
    percent_complete,
    roll_up,
    unverified_count,
)
from commands.clock import Clock
from commands.digest.replay import TREND_WEEKS, PlanReplay, ReplayedItem, is_open
from commands.digest.result import (
    AreaLine,
    ChangeLine,
    DigestResult,
    ItemLine,
    PlanHeadline,
    Totals,
    TrendPoint,
    UnansweredLine,
)
from commands.digest.scope import Scope
from commands.governance.date_changes import DateMoves, date_moves
from commands.measures.settings import MeasureSettings
from commands.measures.weekly import SignalChange, signal_changes
from store.models import DateChange, Reminder
from store.models.status import Rag, Status
from store.queries.governance import active_covers, all_date_changes
from store.queries.reminders import unanswered_reminders
from store.queries.roles import role_key
from store.queries.state import DerivedState
from store.queries.whole_plan import (
    ActionRow,
    RoleHolders,
    UpdateRow,
    WholePlan,
    load_role_holders,
    load_whole_plan,
    updates_until,
)

SOON_DAYS = 14
LIST_LIMIT = 50  # entries carried per list: more than a Slack section shows; the rest are counted
UNANSWERED_AFTER = timedelta(days=2)  # a reminder unanswered this long is reported
DEFAULT_THRESHOLDS = BragThresholds()
DEFAULT_MEASURES = MeasureSettings()
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---------------------------------------------------------------- composing


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


class DigestData(PlanReplay):
    """The whole store at `as_of`, from which summaries for any scope are composed."""

    def __init__(
        self,
        plan: WholePlan,
        holders: RoleHolders,
        updates: list[UpdateRow],
        reminders: list[Reminder],
        *,
        as_of: datetime,
        thresholds: BragThresholds,
    ) -> None:
        super().__init__(plan, updates, as_of=as_of, thresholds=thresholds)
        self.zone = str(as_of.tzinfo)
        self.holders = holders
        self.reminders = reminders
        self._cache: dict[Scope, DigestResult] = {}
        self.signal_changes: tuple[SignalChange, ...] = ()
        self.covered: frozenset[int] = frozenset()  # role ids someone covers today
        self.date_changes: list[DateChange] = []
        self._area_positions: dict[int, int] = {}
        self._next_dues: dict[int, date | None] = {}

    @classmethod
    def load(
        cls,
        session: Session,
        *,
        as_of: datetime,
        thresholds: BragThresholds = DEFAULT_THRESHOLDS,
        measures: MeasureSettings = DEFAULT_MEASURES,
    ) -> DigestData:
        plan = load_whole_plan(session)
        data = cls(
            plan,
            load_role_holders(session, plan.roles),
            updates_until(session, as_of),
            unanswered_reminders(session, posted_before=as_of - UNANSWERED_AFTER),
            as_of=as_of,
            thresholds=thresholds,
        )
        data.signal_changes = signal_changes(
            session, measures, since=as_of - timedelta(days=7), until=as_of
        )
        data.covered = frozenset(active_covers(session, as_of.date()))
        data.date_changes = all_date_changes(session)
        return data

    def _dates(self, actions: list[ReplayedItem]) -> DateMoves:
        refs = {item.ref for item in actions}
        refs |= {step.ref for item in actions for step in self.steps_of.get(item.row.id, [])}
        return date_moves(self.date_changes, refs, self.as_of - timedelta(days=7), self.as_of)

    def _owners_to_confirm(self, open_now: list[ReplayedItem]) -> tuple[str, ...]:
        """Roles that own open actions with nobody behind them and no cover standing in."""
        role_ids = {rid for item in open_now for rid in self.owner_ids.get(item.row.id, ())}
        return tuple(
            sorted(
                self.roles[rid].name
                for rid in role_ids
                if rid in self.roles
                and not self.holders.holders.get(rid)
                and rid not in self.covered
            )
        )

    def _signals_in(self, scope: Scope, items: list[ReplayedItem]) -> tuple[SignalChange, ...]:
        """The measures under `scope`: those evidencing its actions or their areas, or, for a
        role, those the role owns."""
        if scope.kind == "all":
            return self.signal_changes
        if scope.kind == "role":
            key = role_key(scope.value or "")
            return tuple(c for c in self.signal_changes if c.owner and role_key(c.owner) == key)
        refs = {i.ref.upper() for i in items}
        refs |= {
            a.ref.upper() for a in self.plan.areas if a.id in {i.action.area_id for i in items}
        }
        return tuple(c for c in self.signal_changes if c.under(refs))

    def compose(self, scope: Scope) -> DigestResult:
        if scope not in self._cache:
            self._cache[scope] = self._compose(scope)
        return self._cache[scope]

    # -- the summary

    def _owner(self, action: ActionRow) -> str:
        names = [self.roles[rid].name for rid in self.owner_ids.get(action.id, ())]
        return ", ".join(names) if names else "no owner named"

    def _note(self, item: ReplayedItem) -> str | None:
        for update in reversed(item.updates):
            if update.note and not update.superseded and not update.deleted:
                return update.note
        return None

    def _line(self, item: ReplayedItem) -> ItemLine:
        state, colour = item.states[0], self.colour(item, 0)
        assert state is not None and colour is not None
        area = self.areas.get(item.action.area_id)
        plan = self.plans.get(item.action.plan_id)
        return ItemLine(
            ref=item.ref,
            title=item.title,
            kind=item.kind,
            plan_key=plan.key if plan else "",
            area_ref=area.ref if area else "",
            owner=self._owner(item.action),
            status=state.status,
            rag=colour.rag,
            reason=colour.reason,
            due=state.due_date,
            due_as_written=state.due_as_written,
            days_overdue=colour.overdue_days,
            days_since_update=colour.days_since_update,
            note=self._note(item),
            rebaselined=state.rebaselined,
            unverified=colour.unverified,
            declared_rag=state.declared_rag,
        )

    def _author(self, author: str | None, source: str) -> str:
        if not author:
            return "the plan document" if source == "document" else source
        roles = self.holders.roles_of_user.get(author)
        return f"{roles[0]} ({author})" if roles else author

    def _compose(self, scope: Scope) -> DigestResult:
        today = self.days[0]
        week = week_of(today)
        actions = self._in_scope(scope)
        for item in actions:
            self._prepare(item, TREND_WEEKS)
        current = [i for i in actions if i.states[0] is not None]
        open_now = [i for i in current if is_open(i.states[0])]
        open_steps = [step for action in open_now for step in self._dated_open_steps(action)]
        window_start = self.as_of - timedelta(days=7)
        changes = self._changes(actions, window_start)
        base = self._empty_result(scope, week)
        if not current:
            return _replace(base, empty=True, empty_reason="nothing in the plans falls under it")
        if not open_now and not changes:
            return _replace(
                base, empty=True, empty_reason="nothing is open and nothing changed this week"
            )

        plans = self._headlines(current)
        soon_end = today + timedelta(days=SOON_DAYS)
        overdue_actions = [i for i in open_now if self.colour_now(i).reason == "overdue"]
        overdue_steps = [s for s in open_steps if s.due_or_last < today]
        soon_actions = [i for i in open_now if _due_between(i, today, soon_end)]
        soon_steps = [s for s in open_steps if _due_between(s, today, soon_end)]
        totals = self._totals(actions, current, open_now, overdue_actions, overdue_steps,
                              soon_actions, soon_steps)  # fmt: skip
        lists = self._lists(
            open_now, [*overdue_actions, *overdue_steps], [*soon_actions, *soon_steps]
        )
        unanswered = self._unanswered(open_now, today)

        def cut(name: str) -> tuple[ItemLine, ...]:
            return tuple(self._line(i) for i in lists[name][:LIST_LIMIT])

        in_full = {name: len(items) for name, items in lists.items()}
        in_full["changes"] = len(changes)
        in_full["unanswered"] = len(unanswered)
        return _replace(
            base,
            plans=tuple(plans),
            totals=totals,
            needs_decision=cut("needs_decision"),
            exceptions_red=cut("exceptions_red"),
            exceptions_amber=cut("exceptions_amber"),
            overdue=cut("overdue"),
            silent=cut("silent"),
            unanswered=tuple(unanswered[:LIST_LIMIT]),
            changes=tuple(self._change_line(item, u) for item, u in changes[:LIST_LIMIT]),
            rebaselined_this_week=_rebaselined(changes),
            coming_up=cut("coming_up"),
            in_full=in_full,
            areas=tuple(self._areas(current, today)),
            trend=tuple(self._trend(actions)),
            measure_signals=self._signals_in(scope, actions),
            owners_to_confirm=self._owners_to_confirm(open_now),
            dates=self._dates(actions),
        )

    def _empty_result(self, scope: Scope, week: date) -> DigestResult:
        """The summary's heading fields, with nothing listed yet."""
        return DigestResult(
            scope=scope,
            week=week,
            as_of=self.as_of,
            timezone=self.zone,
            empty=False,
            empty_reason=None,
            stale_days=self.thresholds.stale_days,
        )

    def _headlines(self, current: list[ReplayedItem]) -> list[PlanHeadline]:
        """Each plan's colour counts and percent complete, now and a week ago."""
        members_of: dict[int, list[ReplayedItem]] = defaultdict(list)
        for item in current:
            members_of[item.action.plan_id].append(item)
        plans: list[PlanHeadline] = []
        for plan in self.plan.plans:
            members = members_of.get(plan.id)
            if not members:
                continue
            now_c, then_c = self._colours(0, members), self._colours(1, members)
            plans.append(
                PlanHeadline(
                    key=plan.key,
                    title=plan.title,
                    counts=counts(now_c),
                    last_week=counts(then_c),
                    percent_complete=percent_complete(now_c),
                    percent_last_week=percent_complete(then_c),
                    actions=len(members),
                    unverified=unverified_count(now_c),
                    unverified_last_week=unverified_count(then_c),
                    awaiting_evidence=sum(c.reason.startswith("complete, awaiting") for c in now_c),
                )
            )
        return plans

    def _colours(self, k: int, items: list[ReplayedItem]) -> list[Colour]:
        return [c for i in items if (c := self.colour(i, k)) is not None]

    def _totals(
        self,
        actions: list[ReplayedItem],
        current: list[ReplayedItem],
        open_now: list[ReplayedItem],
        overdue_actions: list[ReplayedItem],
        overdue_steps: list[ReplayedItem],
        soon_actions: list[ReplayedItem],
        soon_steps: list[ReplayedItem],
    ) -> Totals:
        completed = [
            i
            for i in current
            if i.now.status == Status.DONE
            and (i.states[1] is None or i.states[1].status != Status.DONE)
        ]
        open_then = [i for i in actions if is_open(i.states[1])]
        return Totals(
            open=len(open_now),
            overdue=len(overdue_actions),
            due_soon=len(soon_actions),
            completed_this_week=len(completed),
            blocked=sum(i.now.status == Status.BLOCKED for i in open_now),
            overdue_steps=len(overdue_steps),
            due_soon_steps=len(soon_steps),
            open_last_week=len(open_then),
            overdue_last_week=sum(_due_before(i.states[1], self.days[1]) for i in open_then),
        )

    def _red(self, item: ReplayedItem, k: int) -> bool:
        c = self.colour(item, k)
        return c is not None and c.rag is Rag.RED

    def _lists(
        self, open_now: list[ReplayedItem], overdue: list[ReplayedItem], coming: list[ReplayedItem]
    ) -> dict[str, list[ReplayedItem]]:
        """The summary's lists of items, each in the order the session reads it."""
        red = self._red
        decision = [
            i
            for i in open_now
            if i.now.status == Status.BLOCKED or (red(i, 0) and red(i, 1) and red(i, 2))
        ]
        decision_ids = {id(i) for i in decision}
        decision.sort(
            key=lambda i: (
                i.now.status != Status.BLOCKED,
                -self.colour_now(i).overdue_days,
                ref_key(i.ref),
            )
        )
        newly_red = [i for i in open_now if red(i, 0) and id(i) not in decision_ids]
        newly_red.sort(key=lambda i: (-self.colour_now(i).overdue_days, ref_key(i.ref)))
        newly_amber = [
            i
            for i in open_now
            if self.colour_now(i).rag is Rag.AMBER
            and ((c1 := self.colour(i, 1)) is None or c1.rag not in (Rag.AMBER, Rag.RED))
        ]
        silent = [
            i
            for i in open_now
            if (since := self.colour_now(i).days_since_update) is None
            or since >= self.thresholds.stale_days
        ]
        silent.sort(
            key=lambda i: (-(self.colour_now(i).days_since_update or 10**6), ref_key(i.ref))
        )
        return {
            "needs_decision": decision,
            "exceptions_red": newly_red,
            "exceptions_amber": newly_amber,
            # newest slips first: the ones the session can still chase
            "overdue": sorted(overdue, key=lambda i: (-i.due_or_last.toordinal(), ref_key(i.ref))),
            "silent": silent,
            "coming_up": sorted(coming, key=lambda i: (i.due_or_last, ref_key(i.ref))),
        }

    def _changes(
        self, actions: list[ReplayedItem], since: datetime
    ) -> list[tuple[ReplayedItem, UpdateRow]]:
        """Updates in (since, as_of] on the scope's actions and their steps, newest first."""
        found: list[tuple[ReplayedItem, UpdateRow]] = []
        for action in actions:
            for item in (action, *self.steps_of.get(action.row.id, [])):
                for update in item.updates[bisect_right(item.times, since) :]:
                    if not update.superseded:
                        found.append((item, update))
        found.sort(key=lambda pair: (pair[1].at, ref_key(pair[0].ref)), reverse=True)
        return found

    def _change_line(self, item: ReplayedItem, update: UpdateRow) -> ChangeLine:
        moved_due = update.new_due is not None and update.new_due != update.old_due
        now = self._now(item)
        return ChangeLine(
            at=update.at,
            author=self._author(update.author, update.source),
            ref=item.ref,
            title=item.title,
            old_status=update.old_status,
            new_status=update.new_status,
            old_rag=update.old_rag,
            new_rag=update.new_rag,
            old_due=update.old_due if moved_due else None,
            new_due=update.new_due if moved_due else None,
            rebaselined=moved_due and update.old_due is not None,
            note=None if update.deleted else update.note,
            source=update.source,
            owner=self._owner(item.action),
            status=now.status if now else None,
            due=now.due_date if now else None,
        )

    def _unanswered(self, open_now: list[ReplayedItem], today: date) -> list[UnansweredLine]:
        by_action = {i.row.id: i for i in open_now}
        latest: dict[str, UnansweredLine] = {}
        for reminder in self.reminders:
            if reminder.snoozed_until and reminder.snoozed_until >= today:
                continue
            if reminder.step_id is not None:
                step = self.steps.get(reminder.step_id)
                if step is None or step.action.id not in by_action:
                    continue
                item = step
            else:
                parent = by_action.get(reminder.action_id or 0)
                if parent is None:
                    continue
                item = parent
            action = item.action
            role_ids = self.owner_ids.get(action.id, ())
            holders = tuple(
                dict.fromkeys(u for rid in role_ids for u in self.holders.holders.get(rid, []))
            )
            unfilled = tuple(
                self.roles[rid].name for rid in role_ids if not self.holders.holders.get(rid)
            )
            posted = reminder.posted_at or reminder.claimed_at
            now = self._now(item)
            latest[item.ref] = UnansweredLine(
                ref=item.ref,
                title=item.title,
                reason=reminder.reason,
                posted_on=posted.astimezone(self.as_of.tzinfo).date(),
                owner=self._owner(action),
                holders=holders,
                unfilled=unfilled,
                status=now.status if now else "",
                due=now.due_date if now else None,
            )
        return sorted(latest.values(), key=lambda line: (line.posted_on, ref_key(line.ref)))

    def _areas(self, current: list[ReplayedItem], today: date) -> list[AreaLine]:
        grouped: dict[int, list[ReplayedItem]] = defaultdict(list)
        for item in current:
            grouped[item.action.area_id].append(item)
        lines: list[AreaLine] = []
        for area_id in sorted(grouped, key=self._area_position):
            area, members = self.areas[area_id], grouped[area_id]
            cols = [c for i in members if (c := self.colour(i, 0)) is not None]
            dues = [d for i in members if (d := self._next_due(i, today)) is not None]
            counted = [c for c in cols if c.rag is not Rag.GREY]
            lines.append(
                AreaLine(
                    ref=area.ref,
                    title=area.title,
                    counts=counts(cols),
                    done=sum(c.rag is Rag.BLUE for c in counted),
                    total=len(counted),
                    next_due=min(dues) if dues else None,
                    rollup=roll_up(cols),
                    unverified=unverified_count(cols),
                )
            )
        return lines

    def _area_position(self, area_id: int) -> int:
        if not self._area_positions:
            self._area_positions.update((a.id, n) for n, a in enumerate(self.plan.areas))
        return self._area_positions.get(area_id, 0)

    def _next_due(self, item: ReplayedItem, today: date) -> date | None:
        """The soonest date ahead among an open action and its open steps (cached per action)."""
        if item.row.id in self._next_dues:
            return self._next_dues[item.row.id]
        dues = []
        state = item.states[0]
        if is_open(state):
            if state.due_date and state.due_date >= today:
                dues.append(state.due_date)
            for step in self.steps_of.get(item.row.id, []):
                self._prepare(step, 1)
                s = step.states[0]
                if is_open(s) and s.due_date and s.due_date >= today:
                    dues.append(s.due_date)
        found = min(dues) if dues else None
        self._next_dues[item.row.id] = found
        return found

    def _trend(self, actions: list[ReplayedItem]) -> list[TrendPoint]:
        """The scope's open, overdue, done and planned-by-then actions each week, from the first
        week planbot tracked all of them: a plan arriving mid-window is not drawn as a jump."""
        totals = [[0, 0, 0, 0] for _ in range(TREND_WEEKS)]
        tracked = [True] * TREND_WEEKS
        for item in actions:
            for k, week in enumerate(item.trend):
                if week is None:
                    tracked[k] = False
                    continue
                for n, value in enumerate(week):
                    totals[k][n] += value
        return [
            TrendPoint(self.days[k], *totals[k]) for k in reversed(range(TREND_WEEKS)) if tracked[k]
        ]


@lru_cache(maxsize=65536)
def ref_key(ref: str) -> tuple[object, ...]:
    """Sort references as people read them: P7.2 before P7.10, OA before P."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", ref))


def _due_before(state: DerivedState | None, day: date) -> bool:
    return state is not None and state.due_date is not None and state.due_date < day


def _due_between(item: ReplayedItem, start: date, end: date) -> bool:
    state = item.states[0]
    return state is not None and state.due_date is not None and start <= state.due_date <= end


def _rebaselined(changes: list[tuple[ReplayedItem, UpdateRow]]) -> int:
    """How many of the changes moved a due date that was already set."""
    return sum(
        u.new_due is not None and u.old_due is not None and u.new_due != u.old_due
        for _, u in changes
    )


def _replace(result: DigestResult, **changes: object) -> DigestResult:
    return replace(result, **changes)  # type: ignore[arg-type]


def compose_digest(
    session: Session,
    scope: Scope,
    clock: Clock,
    *,
    thresholds: BragThresholds = DEFAULT_THRESHOLDS,
    measures: MeasureSettings = DEFAULT_MEASURES,
) -> DigestResult:
    """This week's summary for `scope`, as of the clock's now."""
    data = DigestData.load(session, as_of=clock.now(), thresholds=thresholds, measures=measures)
    return data.compose(scope)
