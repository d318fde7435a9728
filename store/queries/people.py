"""What Slack calls people: their display names as last seen (a mention's label in a command,
users.info in the Slack app), so the terminal can name a role holder instead of printing an id."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from store.models import PersonName


def remember_name(session: Session, user_id: str, name: str, *, at: datetime) -> None:
    """Keep `name` for `user_id` (the latest wins); blank names and ids as names are ignored."""
    name = " ".join(name.split())[:200]
    if not name or name == user_id:
        return
    known = session.get(PersonName, user_id)
    if known is None:
        session.add(PersonName(user_id=user_id, name=name, seen_at=at))
    elif known.name != name:
        known.name, known.seen_at = name, at
        session.add(known)


def names(session: Session) -> dict[str, str]:
    """Every known user id's name."""
    return {row.user_id: row.name for row in session.exec(select(PersonName))}
