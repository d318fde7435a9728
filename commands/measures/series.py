"""A measure with its values and what they say: the one reading every output shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.measures.assess import Assessment, Target, assess
from commands.measures.numbers import Period
from commands.measures.settings import MeasureSettings
from store.models import SuccessMeasure
from store.queries.measures import all_measures, current_points, links, role_names


@dataclass(frozen=True)
class Point:
    period: Period
    value: float
    note: str | None
    recorded_by: str | None


@dataclass(frozen=True)
class Series:
    measure_id: int
    name: str
    unit: str | None
    polarity: str | None
    target: float | None
    tolerance: float | None
    frequency: str | None
    owner: str | None
    refs: tuple[str, ...]
    benchmark_neighbours: float | None
    benchmark_england: float | None
    points: tuple[Point, ...]
    assessment: Assessment

    @property
    def commentary(self) -> str | None:
        """The owner's latest commentary: the newest note on the values."""
        for point in reversed(self.points):
            if point.note:
                return point.note
        return None


def rebase_indices(points: tuple[Point, ...], dates: list[str]) -> list[int]:
    """The index of the first point on or after each stated change point."""
    found: list[int] = []
    for text in dates:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            continue
        for index, point in enumerate(points):
            if point.period.start >= day:
                found.append(index)
                break
    return found


def load_series(
    session: Session,
    settings: MeasureSettings,
    *,
    at: datetime | None = None,
    measures: list[SuccessMeasure] | None = None,
    up_to: date | None = None,
) -> list[Series]:
    """Each measure (all when None) with its values as they stood at `at`, periods ending by
    `up_to`."""
    chosen = all_measures(session) if measures is None else measures
    ids = [m.id for m in chosen if m.id is not None]
    values = current_points(session, ids if measures is not None else None, at=at)
    refs = links(session)
    roles = role_names(session)
    found: list[Series] = []
    for measure in chosen:
        assert measure.id is not None
        points = tuple(
            Point(Period(v.period_start, v.period_end), v.value, v.note, v.recorded_by)
            for v in values.get(measure.id, [])
            if up_to is None or v.period_end <= up_to
        )
        goal = Target(measure.polarity, measure.target, measure.tolerance)
        assessment = assess(
            [p.value for p in points],
            goal,
            settings,
            rebase_at=rebase_indices(points, list(measure.rebase_dates or [])),
        )
        found.append(
            Series(
                measure.id,
                measure.name,
                measure.unit,
                measure.polarity,
                measure.target,
                measure.tolerance,
                measure.frequency,
                roles.get(measure.owner_role_id) if measure.owner_role_id else None,
                tuple(refs.get(measure.id, [])),
                measure.benchmark_neighbours,
                measure.benchmark_england,
                points,
                assessment,
            )
        )
    return found
