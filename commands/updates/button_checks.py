"""Before a button changes an item: a second click of the same button is one click, and a press
on what a reminder showed does not overwrite, unseen, what someone else has recorded since."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from commands.request import Request
from store.models import Action, Reminder, StatusUpdate, Step
from store.queries.history import latest_update_since

REPEAT_CLICK = timedelta(seconds=60)  # the same button again within this is one click


def changed_meanwhile(
    session: Session, request: Request, reminder: Reminder, item: Action | Step
) -> StatusUpdate | None:
    """The latest update someone else made to the item since its reminder was posted, if any: a
    button pressed on what the reminder showed should not overwrite it unseen."""
    posted = reminder.posted_at or reminder.claimed_at
    latest = latest_update_since(session, item, since=posted)
    if latest is None or latest.author == request.caller.user_id or latest.source == "document":
        return None
    return latest


def clicked_again(
    session: Session, request: Request, item: Action | Step, status: str | None
) -> bool:
    """True when the same person set the same status by button moments ago: a double click, or
    Slack's client sending the click twice, which would otherwise post "still done" twice."""
    latest = latest_update_since(session, item, since=request.clock.utcnow() - REPEAT_CLICK)
    return (
        latest is not None
        and latest.source == "button"
        and latest.author == request.caller.user_id
        and latest.new_status == status
    )
