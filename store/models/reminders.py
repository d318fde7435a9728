"""Reminder threads posted to leads: one row per (item, reason, date), claimed once."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class Reminder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=120)  # item + reason + date: posted at most once
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    step_id: int | None = Field(default=None, foreign_key="step.id", index=True)
    reason: str = Field(max_length=16)  # before | due | overdue | cadence | stale
    for_date: date
    channel: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32, index=True)
    claimed_at: datetime
    claimed_by: str | None = Field(default=None, max_length=64)  # None unposted: in doubt
    tried_at: datetime | None = None  # real time of the last post try, to look in the channel
    unsettled_checks: int = 0  # runs that could not read the channel to settle a doubt
    posted_at: datetime | None = None
    answered_at: datetime | None = None
    snoozed_until: date | None = None
