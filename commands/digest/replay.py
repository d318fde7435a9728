"""The plan at each weekly checkpoint: every item's replayed state and colour, worked out lazily.

Checkpoint k is `as_of - 7k days` (k = 0 … 11): 0 is now, 1 last week, 2 two weeks ago. An item's
state at a checkpoint replays its dated updates up to then (store.queries.state.derive_state), so
it is what the plan said at the time; items are replayed once, when a scope first needs them.
Items missing from their plan file at its last import are left out, as the summary leaves them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeGuard

from commands.brag import BragThresholds, Colour, colour_of
from commands.digest.scope import Scope
from store.models.status import Status
from store.queries.roles import role_key
from store.queries.state import DerivedState, derive_state
from store.queries.whole_plan import ActionRow, RoleRow, StepRow, UpdateRow, WholePlan

TREND_WEEKS = 12
OPEN_STATUSES = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED})


def is_open(state: DerivedState | None) -> TypeGuard[DerivedState]:
    return state is not None and state.status in OPEN_STATUSES


@dataclass
class ReplayedItem:
    """An action or step with its updates, and its state and colour at each checkpoint."""

    row: ActionRow | StepRow
    action: ActionRow  # the item itself for an action; its action for a step
    updates: list[UpdateRow]
    times: list[datetime]
    states: list[DerivedState | None] = field(default_factory=list)  # per checkpoint
    colours: list[Colour | None] = field(default_factory=list)  # checkpoints 0.., on demand
    # (open, overdue, done with a plan date, due by then in the plan) per checkpoint; None
    # before planbot tracked it
    trend: tuple[tuple[int, int, int, int] | None, ...] = ()

    @property
    def ref(self) -> str:
        return self.row.ref

    @property
    def kind(self) -> str:
        return "step" if isinstance(self.row, StepRow) else "action"

    @property
    def title(self) -> str:
        return self.row.text if isinstance(self.row, StepRow) else self.row.title

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


class PlanReplay:
    """The whole plan with its history, grouped for the scopes a summary can take."""

    def __init__(
        self,
        plan: WholePlan,
        updates: list[UpdateRow],
        *,
        as_of: datetime,
        thresholds: BragThresholds,
    ) -> None:
        self.plan = plan
        self.as_of = as_of
        self.thresholds = thresholds
        self.checkpoints = [as_of - timedelta(weeks=k) for k in range(TREND_WEEKS)]
        self.days = [t.date() for t in self.checkpoints]
        self.plans = {p.id: p for p in plan.plans}
        self.areas = {a.id: a for a in plan.areas}
        self.roles: dict[int, RoleRow] = {r.id: r for r in plan.roles}
        self.owner_ids: dict[int, tuple[int, ...]] = {
            action_id: tuple(r for r in role_ids if r in self.roles)
            for action_id, role_ids in plan.owners.items()
        }
        by_action: dict[int, list[UpdateRow]] = defaultdict(list)
        by_step: dict[int, list[UpdateRow]] = defaultdict(list)
        for u in updates:
            if u.action_id is not None:
                by_action[u.action_id].append(u)
            elif u.step_id is not None:
                by_step[u.step_id].append(u)
        self.actions: dict[int, ReplayedItem] = {}
        self.by_plan: dict[int, list[ReplayedItem]] = defaultdict(list)
        self.by_area: dict[int, list[ReplayedItem]] = defaultdict(list)
        self.by_oa: dict[str, list[ReplayedItem]] = defaultdict(list)
        self.by_role: dict[int, list[ReplayedItem]] = defaultdict(list)
        # The summary lists a plan's actions by their position within their areas.
        in_plan = [a for a in plan.actions if not a.missing_from_source]
        for action in sorted(in_plan, key=lambda a: (a.plan_id, a.position, a.id)):
            ups = by_action.get(action.id, [])
            item = ReplayedItem(action, action, ups, [u.at for u in ups])
            self.actions[action.id] = item
            self.by_plan[action.plan_id].append(item)
            self.by_area[action.area_id].append(item)
            for ref in action.oa_refs:
                self.by_oa[ref.upper()].append(item)
            for role_id in self.owner_ids.get(action.id, ()):
                self.by_role[role_id].append(item)
        self.steps_of: dict[int, list[ReplayedItem]] = defaultdict(list)
        self.steps: dict[int, ReplayedItem] = {}
        for step in plan.steps:
            parent = self.actions.get(step.action_id)
            if parent is None or step.missing_from_source:
                continue
            ups = by_step.get(step.id, [])
            item = ReplayedItem(step, parent.action, ups, [u.at for u in ups])
            self.steps_of[parent.action.id].append(item)
            self.steps[step.id] = item
        self._positions = {action_id: n for n, action_id in enumerate(self.actions)}
        self._open_steps: dict[int, list[ReplayedItem]] = {}

    # -- per-item state at checkpoints, computed once and only for items a scope needs

    def _prepare(self, item: ReplayedItem, checkpoints: int) -> None:
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
                # The rows carry every attribute derive_state reads from the tables
                cache[upto] = derive_state(item.row, item.updates[:upto])  # type: ignore[arg-type]
            states.append(cache[upto])
        item.states = states
        item.colours = []
        if checkpoints == TREND_WEEKS:  # per week, summed by the trend
            planned = item.row.planned_due
            item.trend = tuple(
                None
                if st is None
                else (
                    int(st.status in OPEN_STATUSES),
                    int(
                        st.status in OPEN_STATUSES
                        and st.due_date is not None
                        and st.due_date < self.days[k]
                    ),
                    # the burn-up counts only actions the plan gave a date: done against due
                    int(st.status == "done" and planned is not None),
                    int(planned is not None and planned <= self.days[k]),
                )
                for k, st in enumerate(states)
            )

    def _now(self, item: ReplayedItem) -> DerivedState | None:
        """The item's state at the summary's moment (steps are replayed on first use)."""
        self._prepare(item, 1)
        return item.states[0]

    def _dated_open_steps(self, action: ReplayedItem) -> list[ReplayedItem]:
        """The action's open steps that carry a due date (cached: states do not change)."""
        found = self._open_steps.get(action.row.id)
        if found is None:
            found = []
            for step in self.steps_of.get(action.row.id, []):
                self._prepare(step, 1)
                state = step.states[0]
                if is_open(state) and state.due_date:
                    found.append(step)
            self._open_steps[action.row.id] = found
        return found

    def colour_now(self, item: ReplayedItem) -> Colour:
        """The colour at the summary's moment, for an item known to be in the plan by then."""
        colour = self.colour(item, 0)
        assert colour is not None, f"{item.ref} was not in the plan yet"
        return colour

    def colour(self, item: ReplayedItem, k: int) -> Colour | None:
        """The item's colour at checkpoint k (0, 1 or 2), computed on first use."""
        while len(item.colours) <= k:
            item.colours.append(self._colour(item, len(item.colours)))
        return item.colours[k]

    def _colour(self, item: ReplayedItem, k: int) -> Colour | None:
        state = item.states[k]
        if state is None:
            return None
        return colour_of(
            status=state.status,
            due=state.due_date,
            declared=state.declared_rag,
            last_update_at=state.last_update_at,
            today=self.days[k],
            cadence=item.row.state.cadence,
            thresholds=self.thresholds,
            awaiting=state.awaiting,
        )

    # -- scope

    def _in_scope(self, scope: Scope) -> list[ReplayedItem]:
        if scope.kind == "plan":
            ids = [p.id for p in self.plan.plans if p.key == scope.value]
            return [i for plan_id in ids for i in self.by_plan.get(plan_id, [])]
        if scope.kind == "area":
            ref = (scope.value or "").upper()
            chosen: dict[int, ReplayedItem] = {}
            for area in self.plan.areas:
                if area.ref.upper() == ref:
                    chosen.update((i.row.id, i) for i in self.by_area.get(area.id, []))
            chosen.update((i.row.id, i) for i in self.by_oa.get(ref, []))
            return sorted(chosen.values(), key=self._order)
        if scope.kind == "role":
            key = role_key(scope.value or "")
            wanted = {rid for rid, r in self.roles.items() if r.key == key}
            if any(self.roles[rid].head_of_service for rid in wanted):
                wanted |= {rid for rid, r in self.roles.items() if r.group}
            picked = {i.row.id: i for rid in wanted for i in self.by_role.get(rid, [])}
            return sorted(picked.values(), key=self._order)
        return list(self.actions.values())

    def _order(self, item: ReplayedItem) -> tuple[int, int]:
        return (item.action.plan_id, self._positions[item.row.id])
