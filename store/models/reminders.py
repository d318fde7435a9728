"""Reminder threads posted to leads.

A `Reminder` row is one of two things. An item's reminder: one row per (item, reason, date),
claimed once, whether it went in a thread of its own (a plan's per-item mode) or in a lead's
thread (then `thread_id` names the lead thread's row, whose fate it follows). A lead's thread:
one row per (person, channel, day) with `reason` "lead", `lead_user_id` set and no item; the
items it lists are its `ReminderLine` rows.
"""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

LEAD_THREAD = "lead"  # the reason of a lead thread's row


class Reminder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=120)  # item + reason + date: posted at most once
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    step_id: int | None = Field(default=None, foreign_key="step.id", index=True)
    reason: str = Field(max_length=16)  # before | due | overdue | cadence | stale | lead
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
    thread_id: int | None = Field(default=None, foreign_key="reminder.id", index=True)
    lead_user_id: str | None = Field(default=None, max_length=32)  # a lead thread's person


class ReminderLine(SQLModel, table=True):
    """One item listed in a lead's thread: the item's reminder row, in the thread's order. An
    item asked of three holders is a line in each of their threads, with one reminder row."""

    __table_args__ = (UniqueConstraint("thread_id", "reminder_id"),)

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="reminder.id", index=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    position: int = 0


class ReminderPreference(SQLModel, table=True):
    """How one person wants their reminder thread: by direct message (`/plan reminders dm on`)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(unique=True, max_length=32)
    by_dm: bool = False
    set_at: datetime
