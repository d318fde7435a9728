"""What a weekly summary holds: its lines, headlines, totals and trend, for the renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from commands.brag import RollUp
from commands.digest.scope import Scope
from commands.governance.date_changes import DateMoves
from commands.measures.weekly import SignalChange
from store.models.status import Rag


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
    rollup: RollUp | None
    unverified: int = 0


@dataclass(frozen=True)
class TrendPoint:
    on: date
    open: int
    overdue: int
    done: int = 0  # actions with a date in the plan that are done
    planned: int = 0  # actions the plan had due by this day (its own dates, not moved ones)


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
