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


class DateChange(SQLModel, table=True):
    """A lead's new due date for an item, and what became of it: the baseline record.

    `state` is `requested` (waiting for the plan's approver), `approved`, `rejected`,
    `recorded` (the plan does not need approval: applied at once, kept for the count) or
    `withdrawn` (a later request replaced it). Once decided, a row is never changed."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    step_id: int | None = Field(default=None, foreign_key="step.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    ref: str = Field(max_length=40)
    original_due: date | None = None  # as the plan first gave it
    previous_due: date | None = None  # the due date when asked
    new_due: date
    new_due_as_written: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)  # screened for a child's details
    requested_by: str | None = Field(default=None, max_length=200)
    requested_at: datetime
    update_id: int | None = Field(default=None, foreign_key="statusupdate.id", unique=True)
    state: str = Field(max_length=16, index=True)
    approver_role: str | None = Field(default=None, max_length=200)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = None
    flagged: str | None = Field(default=None, max_length=200)  # why the board should see it
    more_asked_at: datetime | None = None  # the approver asked for more before deciding
    channel: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)


class PaperIssued(SQLModel, table=True):
    """A committee paper planbot wrote: the next paper of its kind and scope reports from here."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # scrutiny | board | challenge
    scope: str = Field(max_length=200)
    as_of: date
    written_at: datetime
    written_by: str | None = Field(default=None, max_length=200)
