"""BRAG colours, computed from status and dates per shared/BRAG_AND_DIGEST.md.

The first rule that matches wins: dropped -> grey; done -> blue; open and past due -> red;
blocked or declared red -> red; declared amber, or not started within `amber_days` of its due
date -> amber; otherwise green. An open item with no update for `stale_days` (fewer for weekly
cadences) is stale, a second axis: a stale red or amber keeps its colour and carries the mark, and
a stale green is counted as "unverified", never as green (and never as amber).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from store.models.status import Rag, Status

EMOJI = {
    Rag.BLUE: ":large_blue_circle:",
    Rag.GREEN: ":large_green_circle:",
    Rag.AMBER: ":large_orange_circle:",
    Rag.RED: ":red_circle:",
    Rag.GREY: ":white_circle:",
}
ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY)
CADENCE_STALE_DAYS = {"daily": 3, "weekly": 10, "fortnightly": 17, "monthly": 35}


@dataclass(frozen=True)
class BragThresholds:
    stale_days: int = 28
    amber_days: int = 14


@dataclass(frozen=True)
class Colour:
    """An item's computed colour and why."""

    rag: Rag
    reason: str
    overdue_days: int = 0
    stale: bool = False
    days_since_update: int | None = None

    @property
    def unverified(self) -> bool:
        """Would be green, but nobody has told us lately: counted apart from the colours."""
        return self.stale and self.rag is Rag.GREEN

    @property
    def emoji(self) -> str:
        return EMOJI[self.rag]


def stale_limit(cadence: str | None, thresholds: BragThresholds) -> int:
    return min(CADENCE_STALE_DAYS.get(cadence or "", thresholds.stale_days), thresholds.stale_days)


def colour_of(
    *,
    status: str,
    due: date | None,
    declared: str | None,
    last_update_at: datetime | None,
    today: date,
    cadence: str | None = None,
    thresholds: BragThresholds = BragThresholds(),
    awaiting: str | None = None,
) -> Colour:
    """The computed BRAG colour of one action or step on `today`. Done is Blue, unless its plan
    wants evidence (or sign-off) first: then Green, "complete, awaiting evidence"."""
    state = Status(status)
    since = (today - last_update_at.date()).days if last_update_at else None
    if state is Status.DROPPED:
        return Colour(Rag.GREY, "dropped", days_since_update=since)
    if state is Status.DONE and awaiting:
        return Colour(Rag.GREEN, f"complete, awaiting {awaiting}", days_since_update=since)
    if state is Status.DONE:
        return Colour(Rag.BLUE, "complete", days_since_update=since)
    stale = since is None or since >= stale_limit(cadence, thresholds)
    if due is not None and due < today:
        return Colour(Rag.RED, "overdue", (today - due).days, stale, since)
    if state is Status.BLOCKED:
        return Colour(Rag.RED, "blocked", 0, stale, since)
    if declared == Rag.RED:
        return Colour(Rag.RED, "lead says off track", 0, stale, since)
    if declared == Rag.AMBER:
        return Colour(Rag.AMBER, "lead says at risk", 0, stale, since)
    if (
        state is Status.NOT_STARTED
        and due is not None
        and (due - today).days <= thresholds.amber_days
    ):
        return Colour(Rag.AMBER, "not started and due soon", 0, stale, since)
    if stale:
        return Colour(Rag.GREEN, "unverified (no recent update)", 0, True, since)
    return Colour(Rag.GREEN, "on track", 0, False, since)


class ColouredRow(Protocol):
    """What an action or step row (or a read of its state) carries for its colour."""

    @property
    def status(self) -> str: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def declared_rag(self) -> str | None: ...
    @property
    def last_update_at(self) -> datetime | None: ...
    @property
    def cadence(self) -> str | None: ...
    @property
    def awaiting(self) -> str | None: ...


def colour_of_row(row: ColouredRow, today: date, thresholds: BragThresholds) -> Colour:
    """`colour_of` for a row as the store (or a read of it) holds it."""
    return colour_of(
        status=row.status,
        due=row.due_date,
        declared=row.declared_rag,
        last_update_at=row.last_update_at,
        today=today,
        cadence=row.cadence,
        thresholds=thresholds,
        awaiting=row.awaiting,
    )


def counts(colours: Iterable[Colour]) -> dict[Rag, int]:
    """Items per real colour; an unverified item is left out of Green (see `unverified_count`)."""
    tally = Counter(colour.rag for colour in colours if not colour.unverified)
    return {rag: tally.get(rag, 0) for rag in ORDER}


def unverified_count(colours: Iterable[Colour]) -> int:
    return sum(colour.unverified for colour in colours)


@dataclass(frozen=True)
class RollUp:
    """One colour for an area, where one is needed beside its counts. `unverified`: the area is
    shown as Unverified (a quarter or more of its open items would be green but are stale);
    `rag` is then Green, the colour those items would have."""

    rag: Rag
    unverified: bool = False


def roll_up(colours: Iterable[Colour]) -> RollUp | None:
    """Red if any red; Amber if any amber; Unverified if a quarter or more of the open items are
    unverified; Blue when all are blue or grey; otherwise Green. None when there is nothing to
    roll up. Staleness never makes an area Amber: unverified is its own state."""
    items = list(colours)
    if not items:
        return None
    rags = [c.rag for c in items]
    if Rag.RED in rags:
        return RollUp(Rag.RED)
    if Rag.AMBER in rags:
        return RollUp(Rag.AMBER)
    open_items = [c for c in items if c.rag not in (Rag.BLUE, Rag.GREY)]
    if open_items and sum(c.unverified for c in open_items) * 4 >= len(open_items):
        return RollUp(Rag.GREEN, unverified=True)
    if not open_items:
        return RollUp(Rag.BLUE)
    return RollUp(Rag.GREEN)


def percent_complete(colours: Iterable[Colour]) -> int:
    """Done as a share of everything not dropped (grey is left out of percentages)."""
    counted = [c for c in colours if c.rag is not Rag.GREY]
    if not counted:
        return 0
    return round(100 * sum(c.rag is Rag.BLUE for c in counted) / len(counted))
