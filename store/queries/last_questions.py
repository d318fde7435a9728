"""Each person's last question in a conversation, for a follow-up: one row per (person,
conversation), replaced by the next question, read only while it is fresh, and removed once old.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from store.models import LastQuestion


def last_question(
    session: Session, person: str, conversation: str, *, since: datetime
) -> str | None:
    """The text of `person`'s last question in `conversation`, unless it was asked before
    `since`."""
    row = session.get(LastQuestion, (person, conversation))
    if row is None or row.asked_at < since:
        return None
    return row.text


def remember_question(
    session: Session, person: str, conversation: str, text: str, *, at: datetime, since: datetime
) -> None:
    """Keep `text` as `person`'s last question in `conversation` (the one before is replaced,
    even by another process at the same moment), and remove every question asked before
    `since`."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LastQuestion).values(
        person=person, conversation=conversation, text=text, asked_at=at
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["person", "conversation"],
            set_={"text": statement.excluded.text, "asked_at": statement.excluded.asked_at},
        )
    )
    session.execute(delete(LastQuestion).where(col(LastQuestion.asked_at) < since))


def forget_question(session: Session, person: str, conversation: str) -> None:
    """No last question for `person` in `conversation` (their latest was not about the plan)."""
    session.execute(
        delete(LastQuestion).where(
            col(LastQuestion.person) == person, col(LastQuestion.conversation) == conversation
        )
    )
