"""Every read and write of success measures and their values."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from store.models import Action, Area, MeasureLink, MeasureValue, Role, SuccessMeasure


def measure_key(name: str) -> str:
    """A name folded for matching: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w%]+", " ", name.lower()).split())


def all_measures(session: Session) -> list[SuccessMeasure]:
    return list(session.exec(select(SuccessMeasure).order_by(col(SuccessMeasure.id))))


def measure_by_key(session: Session, key: str) -> SuccessMeasure | None:
    return session.exec(select(SuccessMeasure).where(SuccessMeasure.key == key)).first()


def current_values(
    session: Session, measure_ids: list[int] | None = None, *, at: datetime | None = None
) -> dict[int, list[MeasureValue]]:
    """Each measure's values in period order as they stood at `at` (now when None)."""
    query = select(MeasureValue)
    query = _standing_at(query, measure_ids, at)
    found: dict[int, list[MeasureValue]] = defaultdict(list)
    for value in session.exec(query):
        found[value.measure_id].append(value)
    return found


def _standing_at(query: Any, measure_ids: list[int] | None, at: datetime | None) -> Any:
    """`query` narrowed to the values standing at `at` (now when None), of `measure_ids` (all
    when None), in measure and period order."""
    if at is None:
        query = query.where(col(MeasureValue.superseded_at).is_(None))
    else:
        query = query.where(
            col(MeasureValue.recorded_at) <= at,
            (col(MeasureValue.superseded_at).is_(None)) | (col(MeasureValue.superseded_at) > at),
        )
    if measure_ids is not None:
        query = query.where(col(MeasureValue.measure_id).in_(measure_ids))
    return query.order_by(col(MeasureValue.measure_id), col(MeasureValue.period_start))


class PointRow(NamedTuple):
    measure_id: int
    period_start: date
    period_end: date
    value: float
    note: str | None
    recorded_by: str | None


def current_points(
    session: Session, measure_ids: list[int] | None = None, *, at: datetime | None = None
) -> dict[int, list[PointRow]]:
    """`current_values` as plain rows (no ORM objects): what the scorecard reads, quickly."""
    query = sa_select(
        col(MeasureValue.measure_id),
        col(MeasureValue.period_start),
        col(MeasureValue.period_end),
        col(MeasureValue.value),
        col(MeasureValue.note),
        col(MeasureValue.recorded_by),
    )
    query = _standing_at(query, measure_ids, at)
    found: dict[int, list[PointRow]] = defaultdict(list)
    for row in session.execute(query):
        found[row[0]].append(PointRow(*row))
    return found


def value_history(session: Session, measure_id: int, period_start: date) -> list[MeasureValue]:
    query = (
        select(MeasureValue)
        .where(MeasureValue.measure_id == measure_id, MeasureValue.period_start == period_start)
        .order_by(col(MeasureValue.recorded_at), col(MeasureValue.id))
    )
    return list(session.exec(query))


def record_value(session: Session, value: MeasureValue) -> MeasureValue | None:
    """Store `value`, superseding the period's current value (returned, None if there was none)."""
    previous = session.exec(
        select(MeasureValue).where(
            MeasureValue.measure_id == value.measure_id,
            MeasureValue.period_start == value.period_start,
            col(MeasureValue.superseded_at).is_(None),
        )
    ).first()
    if previous is not None:
        previous.superseded_at = value.recorded_at
        session.add(previous)
    session.add(value)
    return previous


def links(session: Session) -> dict[int, list[str]]:
    """Measure id → the refs (P1.2, OA4) it evidences, in plan order."""
    found: dict[int, list[str]] = defaultdict(list)
    by_action = session.exec(
        select(MeasureLink.measure_id, Action.ref)
        .join(Action, col(Action.id) == col(MeasureLink.action_id))
        .order_by(col(Action.plan_id), col(Action.position), col(Action.id))
    )
    for measure_id, ref in by_action:
        found[measure_id].append(ref)
    by_area = session.exec(
        select(MeasureLink.measure_id, Area.ref)
        .join(Area, col(Area.id) == col(MeasureLink.area_id))
        .order_by(col(Area.plan_id), col(Area.position))
    )
    for measure_id, ref in by_area:
        found[measure_id].append(ref)
    return found


def link(session: Session, measure: SuccessMeasure, *, action_id: int | None = None,
         area_id: int | None = None) -> None:  # fmt: skip
    exists = session.exec(
        select(MeasureLink.id).where(
            MeasureLink.measure_id == measure.id,
            MeasureLink.action_id == action_id,
            MeasureLink.area_id == area_id,
        )
    ).first()
    if exists is None and measure.id is not None:
        session.add(MeasureLink(measure_id=measure.id, action_id=action_id, area_id=area_id))


def role_names(session: Session) -> dict[int, str]:
    return {role.id: role.name for role in session.exec(select(Role)) if role.id is not None}
