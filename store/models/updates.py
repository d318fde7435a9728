"""The dated, attributed history of every status: an item's state is the sum of these rows."""

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel


class StatusUpdate(SQLModel, table=True):
    # A chat message makes at most one original update on each item it names, and an update is
    # corrected at most once, so a redelivered reply or edit handled by two processes at once
    # changes nothing twice.
    __table_args__ = (
        Index(
            "ux_statusupdate_message",
            "channel",
            "message_ts",
            text("coalesce(action_id, 0)"),
            text("coalesce(step_id, 0)"),
            unique=True,
            sqlite_where=text("corrects_id IS NULL AND message_ts IS NOT NULL"),
            postgresql_where=text("corrects_id IS NULL AND message_ts IS NOT NULL"),
        ),
        Index("ux_statusupdate_corrects", "corrects_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    action_id: int | None = Field(default=None, foreign_key="action.id", index=True)
    step_id: int | None = Field(default=None, foreign_key="step.id", index=True)
    at: datetime = Field(index=True)  # UTC
    author: str | None = Field(default=None, max_length=200)  # chat user id or a name
    for_role: str | None = Field(default=None, max_length=200)  # made by the role's cover
    # On a "done" in a plan whose Blue needs more: evidence | signoff (evidence, then sign-off)
    needs: str | None = Field(default=None, max_length=16)
    source: str = Field(max_length=16)  # document | chat | admin | import | button
    source_ref: str | None = Field(default=None, sa_column=Column(Text))  # document or permalink
    channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32, index=True)
    old_status: str | None = Field(default=None, max_length=16)
    new_status: str | None = Field(default=None, max_length=16)
    old_rag: str | None = Field(default=None, max_length=8)
    new_rag: str | None = Field(default=None, max_length=8)
    old_due: date | None = None
    new_due: date | None = None
    new_due_as_written: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_column=Column(Text))
    corrects_id: int | None = Field(default=None, foreign_key="statusupdate.id")
    superseded: bool = False  # true once an edit of the same message replaced it
    deleted: bool = False  # the source message was deleted; the row is kept
