"""The scorecard: each measure's latest value, target, RAG, direction, SPC variation and
assurance, and the owner's latest commentary. `scorecard_rows` is what a board paper's Annex B
uses; `scorecard_command` answers `/plan scorecard [scope]`.

A scope narrows it: a plan (`ofsted`, `ambition`), an area or action (`P1`, `OA4`, `P1.2`), or an
owner role ("Head of MASH"). Measures with no values and no target are counted, not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from rapidfuzz import fuzz
from sqlmodel import Session

from commands.measures.numbers import show_value, suppressed
from commands.measures.series import Series, load_series
from commands.measures.settings import MeasureSettings
from commands.request import Request

_REF = re.compile(r"^(oa|p)\s*-?\s*(\d+)(?:\.(\d+))?$", re.IGNORECASE)
_PLANS = {"ofsted": "OA", "ambition": "P"}


@dataclass(frozen=True)
class ScorecardPoint:
    period_start: date
    period_end: date
    value: float | None  # None when suppressed
    shown: str


@dataclass(frozen=True)
class ScorecardRow:
    """One measure on the scorecard, frozen: safe to hand to a paper or to JSON."""

    name: str
    refs: tuple[str, ...]
    owner: str | None
    unit: str | None
    period: str | None  # the latest value's period, "Jan 2023"
    latest: str  # as shown: "14.2%", "fewer than 5", "no value"
    latest_value: float | None  # None when there is none or it is suppressed
    target: str | None
    rag: str
    direction: str
    variation: str
    assurance: str
    mean: float | None
    upper_limit: float | None
    lower_limit: float | None
    signals: tuple[str, ...]
    spc_note: str | None
    commentary: str | None
    benchmarks: str | None
    points: tuple[ScorecardPoint, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "refs": list(self.refs),
            "owner": self.owner,
            "unit": self.unit,
            "period": self.period,
            "latest": self.latest_value if self.latest_value is not None else self.latest,
            "target": self.target,
            "rag": self.rag,
            "direction": self.direction,
            "variation": self.variation,
            "assurance": self.assurance,
            "mean": self.mean,
            "upper_limit": self.upper_limit,
            "lower_limit": self.lower_limit,
            "signals": list(self.signals),
            "commentary": self.commentary,
            "points": [
                {
                    "period_start": p.period_start.isoformat(),
                    "period_end": p.period_end.isoformat(),
                    "value": p.value if p.value is not None else p.shown,
                }
                for p in self.points
            ],
        }


@dataclass(frozen=True)
class ScorecardResult:
    scope: str | None
    as_of: date
    rows: tuple[ScorecardRow, ...]
    without_values: int  # measures in scope with no values and no target, left out


@dataclass(frozen=True)
class ScorecardProblem:
    message: str


class ScopeProblem(ValueError):
    pass


def in_scope(series: Series, scope: str | None) -> bool:
    if not scope:
        return True
    text = scope.strip()
    plan = _PLANS.get(text.lower().split()[0]) if text else None
    if plan:
        return any(re.match(rf"^{plan}\d", ref) for ref in series.refs)
    ref = _REF.match(text)
    if ref:
        wanted = f"{ref.group(1).upper()}{ref.group(2)}" + (
            f".{ref.group(3)}" if ref.group(3) else ""
        )
        return any(r == wanted or r.startswith(wanted + ".") for r in series.refs)
    return series.owner is not None and fuzz.WRatio(text.lower(), series.owner.lower()) >= 85


def check_scope(scope: str | None, everything: list[Series]) -> None:
    if scope and not any(in_scope(s, scope) for s in everything):
        raise ScopeProblem(
            f"No measure is under '{scope}': try a plan (ofsted, ambition), an area or action "
            "(P1, OA4, P1.2) or an owner role."
        )


def row_of(series: Series, small_count: int) -> ScorecardRow:
    a = series.assessment
    unit = series.unit
    latest_point = series.points[-1] if series.points else None
    chart = a.chart
    shown = show_value(a.latest, unit, small_count)
    hidden = a.latest is None or shown.startswith("fewer than")
    benchmarks = [
        f"{label} {show_value(value, unit, small_count)}"
        for label, value in (
            ("statistical neighbours", series.benchmark_neighbours),
            ("England", series.benchmark_england),
        )
        if value is not None
    ]
    target = None
    if series.target is not None:
        target = show_value(series.target, unit, 0)
        if series.tolerance:
            target += f" (±{show_value(series.tolerance, unit, 0)})"
    return ScorecardRow(
        name=series.name,
        refs=series.refs,
        owner=series.owner,
        unit=unit,
        period=latest_point.period.label if latest_point else None,
        latest=shown,
        latest_value=None if hidden else a.latest,
        target=target,
        rag=str(a.rag),
        direction=str(a.direction),
        variation=str(a.variation),
        assurance=str(a.assurance),
        mean=round(chart.current.mean, 6) if chart else None,
        upper_limit=round(chart.current.upper, 6) if chart else None,
        lower_limit=round(chart.current.lower, 6) if chart else None,
        signals=a.signals,
        spc_note=a.spc_note,
        commentary=series.commentary,
        benchmarks="; ".join(benchmarks) or None,
        points=tuple(
            ScorecardPoint(
                p.period.start,
                p.period.end,
                None if suppressed(p.value, unit, small_count) else p.value,
                show_value(p.value, unit, small_count),
            )
            for p in series.points
        ),
    )


def compose(
    session: Session,
    as_of: date,
    scope: str | None,
    settings: MeasureSettings,
    *,
    include_empty: bool = False,
) -> ScorecardResult:
    """The scorecard as it stood at the end of `as_of`; ScopeProblem for an unknown scope."""
    end_of_day = datetime.combine(as_of, time.max).replace(tzinfo=UTC)
    everything = load_series(session, settings, at=end_of_day, up_to=as_of)
    check_scope(scope, everything)
    chosen = [s for s in everything if in_scope(s, scope)]
    listed = [s for s in chosen if include_empty or s.points or s.target is not None]
    return ScorecardResult(
        scope,
        as_of,
        tuple(row_of(s, settings.small_count) for s in listed),
        len(chosen) - len(listed),
    )


def scorecard_rows(
    session: Session,
    as_of: date,
    scope: str | None = None,
    *,
    settings: MeasureSettings | None = None,
) -> tuple[ScorecardRow, ...]:
    """Annex B of a board paper: the scorecard's rows as they stood on `as_of` (measures with
    values or a target). ScopeProblem for a scope no measure is under."""
    return compose(session, as_of, scope, settings or MeasureSettings()).rows


def scorecard_command(
    session: Session, request: Request, rest: str
) -> ScorecardResult | ScorecardProblem:
    """`/plan scorecard [scope]`."""
    settings = request.policy.measures
    try:
        return compose(session, request.clock.today(), rest.strip() or None, settings)
    except ScopeProblem as problem:
        return ScorecardProblem(str(problem))
