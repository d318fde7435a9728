"""Plans, their areas (OA4, P7), actions (OA4.2, P7.5), steps (P7.5.3) and success measures."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Plan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=64)
    title: str = Field(max_length=300)
    council: str | None = Field(default=None, max_length=200)
    prefix: str = Field(max_length=16)
    source: str | None = Field(default=None, sa_column=Column(Text))
    document_date: date | None = None
    reminders_channel: str | None = Field(default=None, max_length=32)


class Area(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    ref: str = Field(index=True, max_length=32)
    number: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    strategic_lead: str | None = Field(default=None, max_length=300)
    position: int = 0


class Action(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    ref: str = Field(index=True, max_length=32)
    number: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    owners_as_written: str | None = Field(default=None, sa_column=Column(Text))
    timescale: str | None = Field(default=None, sa_column=Column(Text))
    dates_as_written: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    cadence: str | None = Field(default=None, max_length=16)
    planned_due: date | None = None  # as the plan file gives it; updates may move due_date
    planned_due_as_written: str | None = Field(default=None, max_length=200)
    due_as_written: str | None = Field(default=None, max_length=200)
    due_date: date | None = Field(default=None, index=True)
    progress: str | None = Field(default=None, sa_column=Column(Text))
    oa_refs: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    status: str = Field(default="not_started", max_length=16, index=True)
    declared_rag: str | None = Field(default=None, max_length=8)
    last_update_at: datetime | None = None
    rebaselined: int = 0
    awaiting: str | None = Field(default=None, max_length=16)  # evidence | signoff, before Blue
    position: int = 0
    missing_from_source: bool = False


class Step(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("action_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    ref: str = Field(index=True, max_length=40)
    number: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    planned_due: date | None = None
    planned_due_as_written: str | None = Field(default=None, max_length=200)
    due_as_written: str | None = Field(default=None, max_length=200)
    due_date: date | None = Field(default=None, index=True)
    cadence: str | None = Field(default=None, max_length=16)
    status: str = Field(default="not_started", max_length=16, index=True)
    declared_rag: str | None = Field(default=None, max_length=8)
    last_update_at: datetime | None = None
    rebaselined: int = 0
    awaiting: str | None = Field(default=None, max_length=16)  # evidence | signoff, before Blue
    missing_from_source: bool = False


class ActionOwner(SQLModel, table=True):
    """An action's owner role, in the order the document lists them."""

    __table_args__ = (UniqueConstraint("action_id", "role_id"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    role_id: int = Field(foreign_key="role.id", index=True)
    position: int = 0


class Measure(SQLModel, table=True):
    """An area's expected outcome or an action's success measure ("How we will know...")."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    kind: str = Field(max_length=16)  # "outcome" (area) or "measure" (action)
    text: str = Field(sa_column=Column(Text, nullable=False))
    position: int = 0
