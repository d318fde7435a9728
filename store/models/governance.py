"""Governance above the weekly session: cover while a role holder is on leave, and each plan's
own settings (whether date changes need approval, what Blue needs)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class RoleCover(SQLModel, table=True):
    """Someone standing in for a role until a date. Rows are kept when a cover ends (audit)."""

    id: int | None = Field(default=None, primary_key=True)
    role_id: int = Field(foreign_key="role.id", index=True)
    cover_user_id: str = Field(index=True, max_length=32)
    starts_on: date
    ends_on: date  # the last day of cover, inclusive
    set_by: str | None = Field(default=None, max_length=200)
    set_at: datetime
    ended_at: datetime | None = None  # ended early (or replaced by a later cover)
    ended_by: str | None = Field(default=None, max_length=200)
    end_reason: str | None = Field(default=None, max_length=200)


class PlanSetting(SQLModel, table=True):
    """One plan's value for one setting (`approval`, `blue_needs`…); absent means the default."""

    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    key: str = Field(max_length=40)
    value: str = Field(max_length=200)
    set_by: str | None = Field(default=None, max_length=200)
    set_at: datetime
