"""Reading a measure's values: RAG against the tolerance band, direction of travel, and the
Making Data Count variation and assurance icons, each judged by the measure's polarity.

Polarity: "up" (higher is better), "down" (lower is better), "near" (close to the target is
best). Below `min_points` values no XmR chart is drawn: direction of travel only, and the
assessment says so (`spc_note`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from commands.measures.settings import MeasureSettings
from commands.measures.spc import Chart, Flag, xmr


class Variation(StrEnum):
    COMMON = "common cause"
    IMPROVEMENT = "special cause: improvement"
    CONCERN = "special cause: concern"
    NEITHER = "special cause: neither"  # a near-target measure moved away from its usual level
    TOO_FEW = "too few points"


class Assurance(StrEnum):
    PASSES = "consistently passes the target"
    FAILS = "consistently fails the target"
    HIT_AND_MISS = "hit and miss"
    NO_TARGET = "no target"
    TOO_FEW = "too few points"


class Rag(StrEnum):
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NONE = "no target"
    NO_DATA = "no data"


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    SAME = "no change"
    CHANGED = "changed"  # no polarity: a move with no better or worse
    ONE_POINT = "one point only"
    NO_DATA = "no data"


@dataclass(frozen=True)
class Target:
    polarity: str | None
    target: float | None
    tolerance: float | None


@dataclass(frozen=True)
class Assessment:
    points: int
    latest: float | None
    rag: Rag
    direction: Direction
    variation: Variation
    assurance: Assurance
    chart: Chart | None  # None below min_points
    signals: tuple[str, ...]  # the rules the latest point breaks, in words
    spc_note: str | None = None  # why there is no chart, when there is none


def rag_of(value: float, goal: Target) -> Rag:
    if goal.target is None:
        return Rag.NONE
    band = goal.tolerance or 0.0
    if goal.polarity == "down":
        gap = value - goal.target
    elif goal.polarity == "up":
        gap = goal.target - value
    else:
        gap = abs(value - goal.target)
    if gap <= (0.0 if goal.polarity in ("up", "down") else band):
        return Rag.GREEN
    limit = band if goal.polarity in ("up", "down") else 2 * band
    return Rag.AMBER if gap <= limit else Rag.RED


def direction_of(values: Sequence[float], goal: Target) -> Direction:
    if not values:
        return Direction.NO_DATA
    if len(values) == 1:
        return Direction.ONE_POINT
    before, now = values[-2], values[-1]
    if now == before:
        return Direction.SAME
    if goal.polarity == "near" and goal.target is not None:
        closer = abs(now - goal.target) < abs(before - goal.target)
        return Direction.IMPROVING if closer else Direction.WORSENING
    if goal.polarity not in ("up", "down"):
        return Direction.CHANGED
    better = (now > before) == (goal.polarity == "up")
    return Direction.IMPROVING if better else Direction.WORSENING


def good_side(flag: Flag, polarity: str | None) -> bool | None:
    """True when the flag's side is the better one; None when no side is better."""
    if polarity == "up":
        return flag.high
    if polarity == "down":
        return not flag.high
    return None


def variation_of(chart: Chart, polarity: str | None) -> Variation:
    """The icon for the latest point: common cause unless the latest point is in a signal."""
    latest = chart.flags_at(len(chart.values) - 1)
    if not latest:
        return Variation.COMMON
    sides = {good_side(flag, polarity) for flag in latest}
    if sides == {True}:
        return Variation.IMPROVEMENT
    if False in sides:
        return Variation.CONCERN
    return Variation.NEITHER


def assurance_of(chart: Chart, goal: Target) -> Assurance:
    """Where the target sits against the current process limits."""
    if goal.target is None:
        return Assurance.NO_TARGET
    limits = chart.current
    if goal.polarity == "up":
        if limits.lower > goal.target:
            return Assurance.PASSES
        if limits.upper < goal.target:
            return Assurance.FAILS
        return Assurance.HIT_AND_MISS
    if goal.polarity == "down":
        if limits.upper < goal.target:
            return Assurance.PASSES
        if limits.lower > goal.target:
            return Assurance.FAILS
        return Assurance.HIT_AND_MISS
    band = goal.tolerance or 0.0
    low, high = goal.target - band, goal.target + band
    if low <= limits.lower and limits.upper <= high:
        return Assurance.PASSES
    if limits.upper < low or limits.lower > high:
        return Assurance.FAILS
    return Assurance.HIT_AND_MISS


def assess(
    values: Sequence[float],
    goal: Target,
    settings: MeasureSettings,
    *,
    rebase_at: Sequence[int] = (),
) -> Assessment:
    """Everything the scorecard says about one measure's values (time order)."""
    if not values:
        return Assessment(
            0, None, Rag.NO_DATA, Direction.NO_DATA, Variation.TOO_FEW, Assurance.TOO_FEW, None, ()
        )
    latest = values[-1]
    rag = rag_of(latest, goal)
    direction = direction_of(values, goal)
    if len(values) < settings.min_points:
        note = f"{len(values)} of {settings.min_points} points needed: direction of travel only"
        return Assessment(
            len(values),
            latest,
            rag,
            direction,
            Variation.TOO_FEW,
            Assurance.TOO_FEW,
            None,
            (),
            note,
        )
    chart = xmr(
        values,
        run_length=settings.run_length,
        trend_length=settings.trend_length,
        rebase_at=rebase_at,
    )
    signals = tuple(dict.fromkeys(str(f.rule) for f in chart.flags_at(len(values) - 1)))
    return Assessment(
        len(values),
        latest,
        rag,
        direction,
        variation_of(chart, goal.polarity),
        assurance_of(chart, goal),
        chart,
        signals,
    )
