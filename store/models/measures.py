"""Success measures as data: what is measured, against which target, and its dated values.

`SuccessMeasure` is one measure on the scorecard (seeded from the plans' "How we will know"
text, or created by an import); `MeasureLink` ties it to the actions and areas it evidences;
`MeasureValue` is one period's value. A correction supersedes a value (`superseded_at`) rather
than overwriting it, so the history of every figure is kept.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SuccessMeasure(SQLModel, table=True):
    __tablename__ = "success_measure"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=300)  # the name, folded for matching
    name: str = Field(max_length=300)
    as_written: str | None = Field(default=None, sa_column=Column(Text))  # the plan's words
    unit: str | None = Field(default=None, max_length=16)  # count|percent|fraction|rate|days
    polarity: str | None = Field(default=None, max_length=8)  # up|down|near
    target: float | None = None
    tolerance: float | None = None  # the band around the target, in the measure's unit
    frequency: str | None = Field(default=None, max_length=16)  # monthly|quarterly|annual
    owner_role_id: int | None = Field(default=None, foreign_key="role.id", index=True)
    benchmark_neighbours: float | None = None  # statistical neighbours' average
    benchmark_england: float | None = None
    rebase_dates: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime | None = None


class MeasureLink(SQLModel, table=True):
    """A measure evidences an action (P1.2) or an area's expected outcome (OA4)."""

    __tablename__ = "measure_link"
    __table_args__ = (UniqueConstraint("measure_id", "action_id", "area_id"),)

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="success_measure.id", index=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    area_id: int | None = Field(default=None, foreign_key="area.id", index=True)


class MeasureValue(SQLModel, table=True):
    __tablename__ = "measure_value"

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="success_measure.id", index=True)
    period_start: date = Field(index=True)
    period_end: date
    value: float
    note: str | None = Field(default=None, sa_column=Column(Text))
    source: str | None = Field(default=None, max_length=300)
    recorded_by: str | None = Field(default=None, max_length=64)
    recorded_at: datetime
    superseded_at: datetime | None = Field(default=None, index=True)
