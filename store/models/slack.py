"""What the Slack runtime must remember across processes: seen events, posts owed, settings."""

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class ProcessedEvent(SQLModel, table=True):
    """An Events API event id seen once; kept for a day so a redelivery is ignored."""

    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(index=True)


class PendingPost(SQLModel, table=True):
    """A Web API call that matters and failed; retried later rather than lost."""

    id: int | None = Field(default=None, primary_key=True)
    method: str = Field(max_length=64)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON))
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime
    next_try_at: datetime = Field(index=True)
    done_at: datetime | None = None


class Setting(SQLModel, table=True):
    """A small key/value setting changed from chat (for example a plan's reminders channel)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(sa_column=Column(Text, nullable=False))
