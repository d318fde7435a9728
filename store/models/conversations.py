"""What planbot remembers of a conversation: the last question a person asked in it, for a
follow-up ("and for P7?"). One row per (person, conversation), kept for an hour at most.

A planbot installation serves one Slack workspace (one bot token), whose user and channel ids
are its own, so the person and the conversation name the workspace too.
"""

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class LastQuestion(SQLModel, table=True):
    """The last question `person` asked in `conversation` (a DM, a channel's thread, a console
    session), as the text it was answered as, child's details already taken out."""

    person: str = Field(primary_key=True, max_length=64)
    conversation: str = Field(primary_key=True, max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    asked_at: datetime = Field(index=True)
