"""The weekly performance-session summary, composed for a scope and a week on the clock.

Sections and colours follow shared/BRAG_AND_DIGEST.md: header, headline (colour counts per plan
with the change since last week), needs a decision, exceptions, overdue and silent, changes in the
last 7 days, coming up, area roll-up; plus the 12-week open/overdue trend the chart draws.

Counts and roll-ups are over actions (the plan's rows); lists also carry steps that have a due
date of their own (P7.5.3), as reminders do. "Last week" and the trend replay each item's dated
updates up to the earlier time (store.queries.state.derive_state), so they are what the plan said
then.
One `DigestData` snapshot serves many scopes: the benchmark composes 200 subscriptions from one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypeGuard

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session

from commands.brag import (
    BragThresholds,
    Colour,
    colour_of,
    counts,
    percent_complete,
    roll_up,
    unverified_count,
)
from commands.clock import Clock
from commands.governance.date_changes import DateMoves, date_moves
from commands.measures.settings import MeasureSettings
from commands.measures.weekly import SignalChange, signal_changes
from store.models import DateChange, Reminder
from store.models.status import Rag, Status
from store.queries.digests import (
    AreaRow,
    ItemRow,
    PlanRow,
    PlanTree,
    UpdateRow,
    load_plan_tree,
    unanswered_reminders,
    updates_until,
)
from store.queries.governance import active_covers, all_date_changes
from store.queries.roles import all_roles, find_role, role_key
from store.queries.state import DerivedState, derive_state

TREND_WEEKS = 12
SOON_DAYS = 14
LIST_LIMIT = 50  # entries carried per list: more than a Slack section shows; the rest are counted
UNANSWERED_AFTER = timedelta(days=2)  # a reminder unanswered this long is reported
DEFAULT_THRESHOLDS = BragThresholds()
DEFAULT_MEASURES = MeasureSettings()
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """What a summary covers: everything, one plan (by key), one area (OA4, P7) or one role."""

    kind: str = "all"  # all | plan | area | role
    value: str | None = None
    label: str = "All plans"


ALL = Scope()


class ScopeError(ValueError):
    """A scope the store does not know; the message says what would work."""


_AREA = re.compile(
    r"^(?:(oa|ofsted(?:\s+(?:action|area))?)|(p|priority))\s*[-.]?\s*(\d{1,3})$", re.IGNORECASE
)


def resolve_scope(session: Session, text: str) -> Scope:
    """Read a scope as people type it: `all`, `OA4`/`oa 4`/`priority 7`, a plan key or name,
    or a role ("Head of MASH"). Raises ScopeError with a helpful message."""
    cleaned = text.strip().strip("\"'“”‘’").strip()
    if cleaned.casefold() in ("", "all", "everything", "all plans"):
        return ALL
    tree_plans, tree_areas = _plans_and_areas(session)
    match = _AREA.match(cleaned)
    if match:
        prefix = "OA" if match.group(1) else "P"
        ref = f"{prefix}{int(match.group(3))}"
        areas = [a for a in tree_areas if a.ref.upper() == ref]
        if not areas:
            raise ScopeError(f"There is no area {ref} in the plans I hold.")
        return Scope("area", ref, f"{ref} {areas[0].title}")
    wanted = cleaned.casefold()
    for plan in tree_plans:
        names = {plan.key.casefold(), plan.title.casefold(), plan.key.split("-")[0].casefold()}
        if wanted in names or wanted.removesuffix(" plan") in names:
            return Scope("plan", plan.key, plan.title)
    role = find_role(session, cleaned)
    if role is not None:
        return Scope("role", role.name, role.name)
    near = process.extractOne(
        cleaned,
        [r.name for r in all_roles(session)],
        scorer=fuzz.ratio,
        processor=utils.default_process,
        score_cutoff=80,
    )
    if near is not None:  # "Head of MSAH": say what was meant rather than guess silently
        raise ScopeError(f"I don't know the scope '{cleaned}'. Did you mean \"{near[0]}\"?")
    plans = ", ".join(p.key for p in tree_plans) or "none yet"
    raise ScopeError(
        f"I don't know the scope '{cleaned}'. Try all, a plan ({plans}), "
        'an area (OA4, P7) or an owner role ("Head of MASH").'
    )


def scope_from_subscription(kind: str, value: str | None) -> Scope:
    if kind == "all" or not value:
        return ALL
    return Scope(kind, value, value)


def _plans_and_areas(session: Session) -> tuple[list[PlanRow], list[AreaRow]]:
    tree = load_plan_tree(session)
    return tree.plans, tree.areas


# ---------------------------------------------------------------- result


@dataclass(frozen=True)
class ItemLine:
    """One action or step as the summary lists it."""

    ref: str
    title: str
    kind: str  # action | step
    plan_key: str
    area_ref: str
    owner: str  # owner roles as one line; "no owner named" when the plan names none
    status: str
    rag: Rag
    reason: str
    due: date | None
    due_as_written: str | None
    days_overdue: int
    days_since_update: int | None
    note: str | None
    rebaselined: int = 0
    unverified: bool = False  # would be green but stale: shown as Unverified, never Green
    declared_rag: str | None = None


@dataclass(frozen=True)
class PlanHeadline:
    key: str
    title: str
    counts: dict[Rag, int]
    last_week: dict[Rag, int]
    percent_complete: int
    percent_last_week: int
    actions: int
    unverified: int = 0  # would be green but stale: counted apart, never as green or amber
    unverified_last_week: int = 0
    awaiting_evidence: int = 0  # complete but not Blue yet: evidence or sign-off still to come


@dataclass(frozen=True)
class Totals:
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    completed_this_week: int = 0
    blocked: int = 0
    overdue_steps: int = 0
    due_soon_steps: int = 0
    open_last_week: int = 0
    overdue_last_week: int = 0


@dataclass(frozen=True)
class ChangeLine:
    at: datetime
    author: str  # "Head of MASH (U123)", a name, or "the plan document"
    ref: str
    title: str
    old_status: str | None
    new_status: str | None
    old_rag: str | None
    new_rag: str | None
    old_due: date | None
    new_due: date | None
    rebaselined: bool
    note: str | None
    source: str
    owner: str = ""  # the item's owner roles, as on every other line
    status: str | None = None  # where the item stands now (after this and any later update)
    due: date | None = None  # its due date now


@dataclass(frozen=True)
class UnansweredLine:
    ref: str
    title: str
    reason: str
    posted_on: date
    owner: str
    holders: tuple[str, ...]  # user ids of the current role holders
    unfilled: tuple[str, ...]  # owner roles with nobody behind them
    status: str = ""
    due: date | None = None


@dataclass(frozen=True)
class AreaLine:
    ref: str
    title: str
    counts: dict[Rag, int]
    done: int
    total: int
    next_due: date | None
    rollup: Rag | None
    unverified: int = 0


@dataclass(frozen=True)
class TrendPoint:
    on: date
    open: int
    overdue: int


@dataclass(frozen=True)
class DigestResult:
    """The weekly summary for one scope and week; everything the renderer and chart need."""

    scope: Scope
    week: date  # the Monday of the week summarised
    as_of: datetime  # local time of the clock
    timezone: str
    empty: bool
    empty_reason: str | None
    plans: tuple[PlanHeadline, ...] = ()
    totals: Totals = field(default_factory=Totals)
    needs_decision: tuple[ItemLine, ...] = ()
    exceptions_red: tuple[ItemLine, ...] = ()
    exceptions_amber: tuple[ItemLine, ...] = ()
    overdue: tuple[ItemLine, ...] = ()
    silent: tuple[ItemLine, ...] = ()
    unanswered: tuple[UnansweredLine, ...] = ()
    changes: tuple[ChangeLine, ...] = ()
    rebaselined_this_week: int = 0
    coming_up: tuple[ItemLine, ...] = ()
    areas: tuple[AreaLine, ...] = ()
    trend: tuple[TrendPoint, ...] = ()
    stale_days: int = 28
    measure_signals: tuple[SignalChange, ...] = ()  # success measures whose signal changed
    owners_to_confirm: tuple[str, ...] = ()  # roles owning open actions: nobody behind, no cover
    dates: DateMoves = field(default_factory=DateMoves)
    in_full: dict[str, int] = field(default_factory=dict)  # list name -> entries before the cut

    def total(self, name: str) -> int:
        """How many entries a list has in all; it carries at most LIST_LIMIT of them."""
        return self.in_full.get(name, len(getattr(self, name)))


# ---------------------------------------------------------------- composing


def week_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED})


def _open(state: DerivedState | None) -> TypeGuard[DerivedState]:
    return state is not None and state.status in OPEN_STATUSES


@dataclass
class _Item:
    row: ItemRow
    action: ItemRow  # the item itself for an action; its action for a step
    updates: list[UpdateRow]
    times: list[datetime]
    states: list[DerivedState | None] = field(default_factory=list)  # per checkpoint
    colours: list[Colour | None] = field(default_factory=list)  # checkpoints 0.., on demand
    trend: tuple[tuple[int, int], ...] = ()  # (open, overdue) per checkpoint

    @property
    def ref(self) -> str:
        return self.row.ref

    @property
    def kind(self) -> str:
        return "step" if self.row.step_of is not None else "action"

    @property
    def now(self) -> DerivedState:
        """The state at the summary's moment, for an item known to be in the plan by then."""
        state = self.states[0]
        assert state is not None, f"{self.ref} was not in the plan yet"
        return state

    @property
    def due_or_last(self) -> date:
        """Its due date now, for sorting: undated items last."""
        return self.now.due_date or date.max


class DigestData:
    """A snapshot of the whole store at `as_of`, from which summaries for any scope are composed.

    Checkpoint k is `as_of - 7k days` (k = 0 … 11): 0 is now, 1 last week, 2 two weeks ago.
    Items are replayed lazily, once, when a scope first needs them.
    """

    def __init__(
        self,
        tree: PlanTree,
        updates: list[UpdateRow],
        reminders: list[Reminder],
        *,
        as_of: datetime,
        thresholds: BragThresholds,
    ) -> None:
        self.tree = tree
        self.as_of = as_of
        self.zone = str(as_of.tzinfo)
        self.thresholds = thresholds
        self.checkpoints = [as_of - timedelta(weeks=k) for k in range(TREND_WEEKS)]
        self.days = [t.date() for t in self.checkpoints]
        self.plans = {p.id: p for p in tree.plans}
        self.areas = {a.id: a for a in tree.areas}
        self.reminders = reminders
        by_action: dict[int, list[UpdateRow]] = defaultdict(list)
        by_step: dict[int, list[UpdateRow]] = defaultdict(list)
        for u in updates:
            if u.action_id is not None:
                by_action[u.action_id].append(u)
            elif u.step_id is not None:
                by_step[u.step_id].append(u)
        self.actions: dict[int, _Item] = {}
        self.by_plan: dict[int, list[_Item]] = defaultdict(list)
        self.by_area: dict[int, list[_Item]] = defaultdict(list)
        self.by_oa: dict[str, list[_Item]] = defaultdict(list)
        self.by_role: dict[int, list[_Item]] = defaultdict(list)
        for action in tree.actions:
            ups = by_action.get(action.id, [])
            item = _Item(action, action, ups, [u.at for u in ups])
            self.actions[action.id] = item
            self.by_plan[action.plan_id].append(item)
            self.by_area[action.area_id].append(item)
            for ref in action.oa_refs:
                self.by_oa[ref.upper()].append(item)
            for role_id in tree.owner_role_ids.get(action.id, []):
                self.by_role[role_id].append(item)
        self.steps_of: dict[int, list[_Item]] = defaultdict(list)
        self.steps: dict[int, _Item] = {}
        for step in tree.steps:
            parent = self.actions.get(step.step_of or 0)
            if parent is None:
                continue
            ups = by_step.get(step.id, [])
            item = _Item(step, parent.row, ups, [u.at for u in ups])
            self.steps_of[parent.row.id].append(item)
            self.steps[step.id] = item
        self._cache: dict[Scope, DigestResult] = {}
        self.signal_changes: tuple[SignalChange, ...] = ()
        self.covered: frozenset[int] = frozenset()  # role ids someone covers today
        self.date_changes: list[DateChange] = []
        self._area_positions: dict[int, int] = {}
        self._next_dues: dict[int, date | None] = {}
        self._open_steps: dict[int, list[_Item]] = {}

    @classmethod
    def load(
        cls,
        session: Session,
        *,
        as_of: datetime,
        thresholds: BragThresholds = DEFAULT_THRESHOLDS,
        measures: MeasureSettings = DEFAULT_MEASURES,
    ) -> DigestData:
        data = cls(
            load_plan_tree(session),
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

    def _dates(self, actions: list[_Item]) -> DateMoves:
        refs = {item.ref for item in actions}
        refs |= {step.ref for item in actions for step in self.steps_of.get(item.row.id, [])}
        return date_moves(self.date_changes, refs, self.as_of - timedelta(days=7), self.as_of)

    def _owners_to_confirm(self, open_now: list[_Item]) -> tuple[str, ...]:
        """Roles that own open actions with nobody behind them and no cover standing in."""
        role_ids = {
            rid for item in open_now for rid in self.tree.owner_role_ids.get(item.row.id, [])
        }
        return tuple(
            sorted(
                self.tree.roles[rid].name
                for rid in role_ids
                if rid in self.tree.roles
                and not self.tree.holders.get(rid)
                and rid not in self.covered
            )
        )

    def _signals_in(self, scope: Scope, items: list[_Item]) -> tuple[SignalChange, ...]:
        """The measures under `scope`: those evidencing its actions or their areas, or, for a
        role, those the role owns."""
        if scope.kind == "all":
            return self.signal_changes
        if scope.kind == "role":
            key = role_key(scope.value or "")
            return tuple(c for c in self.signal_changes if c.owner and role_key(c.owner) == key)
        refs = {i.ref.upper() for i in items}
        refs |= {
            a.ref.upper() for a in self.tree.areas if a.id in {i.action.area_id for i in items}
        }
        return tuple(c for c in self.signal_changes if c.under(refs))

    # -- per-item state at checkpoints, computed once and only for items a scope needs

    def _prepare(self, item: _Item, checkpoints: int) -> None:
        if len(item.states) >= checkpoints:
            return
        cache: dict[int, DerivedState] = {}
        states: list[DerivedState | None] = []
        times = item.times
        first = times[0] if times else None
        for k in range(checkpoints):
            moment = self.checkpoints[k]
            if first is not None and first > moment:
                states.append(None)  # not in the plan yet
                continue
            upto = bisect_right(times, moment)
            if upto not in cache:
                # ItemRow/UpdateRow carry every attribute derive_state reads from the tables
                cache[upto] = derive_state(item.row, item.updates[:upto])  # type: ignore[arg-type]
            states.append(cache[upto])
        item.states = states
        item.colours = []
        if checkpoints == TREND_WEEKS:  # open/overdue per week, summed by the trend
            item.trend = tuple(
                (0, 0)
                if st is None or st.status not in OPEN_STATUSES
                else (1, int(st.due_date is not None and st.due_date < self.days[k]))
                for k, st in enumerate(states)
            )

    def _dated_open_steps(self, action: _Item) -> list[_Item]:
        """The action's open steps that carry a due date (cached: states do not change)."""
        found = self._open_steps.get(action.row.id)
        if found is None:
            found = []
            for step in self.steps_of.get(action.row.id, []):
                self._prepare(step, 1)
                state = step.states[0]
                if _open(state) and state.due_date:
                    found.append(step)
            self._open_steps[action.row.id] = found
        return found

    def colour_now(self, item: _Item) -> Colour:
        """The colour at the summary's moment, for an item known to be in the plan by then."""
        colour = self.colour(item, 0)
        assert colour is not None, f"{item.ref} was not in the plan yet"
        return colour

    def colour(self, item: _Item, k: int) -> Colour | None:
        """The item's colour at checkpoint k (0, 1 or 2), computed on first use."""
        while len(item.colours) <= k:
            item.colours.append(self._colour(item, len(item.colours)))
        return item.colours[k]

    def _colour(self, item: _Item, k: int) -> Colour | None:
        state = item.states[k]
        if state is None:
            return None
        return colour_of(
            status=state.status,
            due=state.due_date,
            declared=state.declared_rag,
            last_update_at=state.last_update_at,
            today=self.days[k],
            cadence=item.row.cadence,
            thresholds=self.thresholds,
            awaiting=state.awaiting,
        )

    # -- scope

    def _in_scope(self, scope: Scope) -> list[_Item]:
        if scope.kind == "plan":
            ids = [p.id for p in self.tree.plans if p.key == scope.value]
            return [i for plan_id in ids for i in self.by_plan.get(plan_id, [])]
        if scope.kind == "area":
            ref = (scope.value or "").upper()
            chosen: dict[int, _Item] = {}
            for area in self.tree.areas:
                if area.ref.upper() == ref:
                    chosen.update((i.row.id, i) for i in self.by_area.get(area.id, []))
            chosen.update((i.row.id, i) for i in self.by_oa.get(ref, []))
            return sorted(chosen.values(), key=lambda i: self._order(i))
        if scope.kind == "role":
            key = role_key(scope.value or "")
            wanted = {rid for rid, r in self.tree.roles.items() if r.key == key}
            if any(self.tree.roles[rid].head_of_service for rid in wanted):
                wanted |= {rid for rid, r in self.tree.roles.items() if r.group}
            picked = {i.row.id: i for rid in wanted for i in self.by_role.get(rid, [])}
            return sorted(picked.values(), key=lambda i: self._order(i))
        return list(self.actions.values())

    def _order(self, item: _Item) -> tuple[int, int]:
        return (item.row.plan_id, self._position[item.row.id])

    @property
    def _position(self) -> dict[int, int]:
        if not hasattr(self, "_positions"):
            self._positions = {a.id: n for n, a in enumerate(self.tree.actions)}
        return self._positions

    def compose(self, scope: Scope) -> DigestResult:
        if scope not in self._cache:
            self._cache[scope] = self._compose(scope)
        return self._cache[scope]

    # -- the summary

    def _owner(self, action: ItemRow) -> str:
        names = self.tree.owners.get(action.id, [])
        return ", ".join(names) if names else "no owner named"

    def _note(self, item: _Item) -> str | None:
        for update in reversed(item.updates):
            if update.note and not update.superseded and not update.deleted:
                return update.note
        return None

    def _line(self, item: _Item) -> ItemLine:
        state, colour = item.states[0], self.colour(item, 0)
        assert state is not None and colour is not None
        area = self.areas.get(item.action.area_id)
        plan = self.plans.get(item.action.plan_id)
        return ItemLine(
            ref=item.ref,
            title=item.row.title,
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
        roles = self.tree.roles_of_user.get(author)
        return f"{roles[0]} ({author})" if roles else author

    def _compose(self, scope: Scope) -> DigestResult:
        today = self.days[0]
        week = week_of(today)
        actions = self._in_scope(scope)
        for item in actions:
            self._prepare(item, TREND_WEEKS)
        current = [i for i in actions if i.states[0] is not None]
        open_now = [i for i in current if _open(i.states[0])]
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

    def _headlines(self, current: list[_Item]) -> list[PlanHeadline]:
        """Each plan's colour counts and percent complete, now and a week ago."""
        members_of: dict[int, list[_Item]] = defaultdict(list)
        for item in current:
            members_of[item.row.plan_id].append(item)
        plans: list[PlanHeadline] = []
        for plan in self.tree.plans:
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

    def _colours(self, k: int, items: list[_Item]) -> list[Colour]:
        return [c for i in items if (c := self.colour(i, k)) is not None]

    def _totals(
        self,
        actions: list[_Item],
        current: list[_Item],
        open_now: list[_Item],
        overdue_actions: list[_Item],
        overdue_steps: list[_Item],
        soon_actions: list[_Item],
        soon_steps: list[_Item],
    ) -> Totals:
        completed = [
            i
            for i in current
            if i.now.status == Status.DONE
            and (i.states[1] is None or i.states[1].status != Status.DONE)
        ]
        open_then = [i for i in actions if _open(i.states[1])]
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

    def _red(self, item: _Item, k: int) -> bool:
        c = self.colour(item, k)
        return c is not None and c.rag is Rag.RED

    def _lists(
        self, open_now: list[_Item], overdue: list[_Item], coming: list[_Item]
    ) -> dict[str, list[_Item]]:
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

    def _changes(self, actions: list[_Item], since: datetime) -> list[tuple[_Item, UpdateRow]]:
        """Updates in (since, as_of] on the scope's actions and their steps, newest first."""
        found: list[tuple[_Item, UpdateRow]] = []
        for action in actions:
            for item in (action, *self.steps_of.get(action.row.id, [])):
                for update in item.updates[bisect_right(item.times, since) :]:
                    if not update.superseded:
                        found.append((item, update))
        found.sort(key=lambda pair: (pair[1].at, ref_key(pair[0].ref)), reverse=True)
        return found

    def _now(self, item: _Item) -> DerivedState | None:
        """The item's state at the summary's moment (steps are replayed on first use)."""
        self._prepare(item, 1)
        return item.states[0]

    def _change_line(self, item: _Item, update: UpdateRow) -> ChangeLine:
        moved_due = update.new_due is not None and update.new_due != update.old_due
        now = self._now(item)
        return ChangeLine(
            at=update.at,
            author=self._author(update.author, update.source),
            ref=item.ref,
            title=item.row.title,
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

    def _unanswered(self, open_now: list[_Item], today: date) -> list[UnansweredLine]:
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
            role_ids = self.tree.owner_role_ids.get(action.id, [])
            holders = tuple(
                dict.fromkeys(u for rid in role_ids for u in self.tree.holders.get(rid, []))
            )
            unfilled = tuple(
                self.tree.roles[rid].name for rid in role_ids if not self.tree.holders.get(rid)
            )
            posted = reminder.posted_at or reminder.claimed_at
            now = self._now(item)
            latest[item.ref] = UnansweredLine(
                ref=item.ref,
                title=item.row.title,
                reason=reminder.reason,
                posted_on=posted.astimezone(self.as_of.tzinfo).date(),
                owner=self._owner(action),
                holders=holders,
                unfilled=unfilled,
                status=now.status if now else "",
                due=now.due_date if now else None,
            )
        return sorted(latest.values(), key=lambda line: (line.posted_on, ref_key(line.ref)))

    def _areas(self, current: list[_Item], today: date) -> list[AreaLine]:
        grouped: dict[int, list[_Item]] = defaultdict(list)
        for item in current:
            grouped[item.row.area_id].append(item)
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
            self._area_positions.update((a.id, n) for n, a in enumerate(self.tree.areas))
        return self._area_positions.get(area_id, 0)

    def _next_due(self, item: _Item, today: date) -> date | None:
        """The soonest date ahead among an open action and its open steps (cached per action)."""
        if item.row.id in self._next_dues:
            return self._next_dues[item.row.id]
        dues = []
        state = item.states[0]
        if _open(state):
            if state.due_date and state.due_date >= today:
                dues.append(state.due_date)
            for step in self.steps_of.get(item.row.id, []):
                self._prepare(step, 1)
                s = step.states[0]
                if _open(s) and s.due_date and s.due_date >= today:
                    dues.append(s.due_date)
        found = min(dues) if dues else None
        self._next_dues[item.row.id] = found
        return found

    def _trend(self, actions: list[_Item]) -> list[TrendPoint]:
        opened = [0] * TREND_WEEKS
        late = [0] * TREND_WEEKS
        for item in actions:
            for k, (is_open, is_late) in enumerate(item.trend):
                opened[k] += is_open
                late[k] += is_late
        return [TrendPoint(self.days[k], opened[k], late[k]) for k in reversed(range(TREND_WEEKS))]


@lru_cache(maxsize=65536)
def ref_key(ref: str) -> tuple[object, ...]:
    """Sort references as people read them: P7.2 before P7.10, OA before P."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", ref))


def _due_before(state: DerivedState | None, day: date) -> bool:
    return state is not None and state.due_date is not None and state.due_date < day


def _due_between(item: _Item, start: date, end: date) -> bool:
    state = item.states[0]
    return state is not None and state.due_date is not None and start <= state.due_date <= end


def _rebaselined(changes: list[tuple[_Item, UpdateRow]]) -> int:
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
