"""Weekly summary subscriptions per channel, and the summaries posted (once per week)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class DigestSubscription(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True, max_length=32)
    scope_kind: str = Field(default="all", max_length=16)  # all | plan | area | role
    scope_value: str | None = Field(default=None, max_length=200)
    weekday: int = 0  # Monday = 0
    hour: int = 8
    minute: int = 30
    timezone: str = Field(default="Europe/London", max_length=64)
    created_by: str | None = Field(default=None, max_length=32)
    created_at: datetime | None = None
    active: bool = True


class DigestPost(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("subscription_id", "week"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="digestsubscription.id", index=True)
    week: date  # the Monday of the week the summary is for
    claimed_at: datetime
    claimed_by: str | None = Field(default=None, max_length=64)
    posted_at: datetime | None = None
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
