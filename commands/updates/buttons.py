"""Buttons on an item, away from what a reply says: a reminder's Done / In progress / Blocked,
Snooze a week and the Add-note modal, and the Home tab's choices; each by the same rules as a
reply (commands.updates.apply), the press recorded once."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlmodel import Session

from commands.request import Request
from commands.updates.apply import (
    apply_update,
    item_view,
    refused,
    screened_text,
    with_item,
    with_notice,
)
from commands.updates.authority import may_update
from commands.updates.button_checks import changed_meanwhile, clicked_again
from commands.updates.outcomes import (
    ChangedMeanwhile,
    ReplyIgnored,
    ReplyOutcome,
    Snoozed,
    ThreadTarget,
    UpdateApplied,
    UpdateRefused,
)
from store.models import Action, Reminder, Step
from store.models.status import STATUS_VALUES
from store.queries.reminders import get_reminder, mark_answered, reminders_about, snooze

log = logging.getLogger(__name__)

SNOOZE_DAYS = 7


def _reminder_target(session: Session, reminder_id: int) -> tuple[Reminder, Action | Step] | None:
    return with_item(session, get_reminder(session, reminder_id))


def button_update(
    session: Session,
    request: Request,
    *,
    reminder_id: int,
    status: str | None = None,
    note: str | None = None,
    due: date | None = None,
    source: str = "button",
    permalink: str | None = None,
) -> ReplyOutcome | ChangedMeanwhile:
    """A click (Done, In progress, Blocked, a status offered after an ambiguous reply) or the
    Add-note modal: the same rules as a reply."""
    found = _reminder_target(session, reminder_id)
    if found is None:
        log.info("%s for unknown reminder %s ignored", source, reminder_id)
        return ReplyIgnored("unknown reminder", hint="That reminder is no longer in my records.")
    reminder, item = found
    if status is not None and status not in STATUS_VALUES:
        return ReplyIgnored("unknown status", hint=f"“{status}” is not a status I know.")
    screened = screened_text(request, (note or "").strip(), f"a note on {item.ref}")
    note = screened.text or None
    if status is None and note is None and due is None:
        return ReplyIgnored("empty note", hint="The note was empty, so nothing changed.")
    if not may_update(session, request, item):
        return with_notice(refused(session, request, item), screened)
    if (
        source == "button"
        and note is None
        and due is None
        and clicked_again(session, request, item, status)
    ):
        log.info("%s clicked %s again on %s; ignored", request.caller.label, status, item.ref)
        return ReplyIgnored("clicked again")
    meanwhile = changed_meanwhile(session, request, reminder, item) if source == "button" else None
    if meanwhile is not None and status is not None:
        log.info(
            "%s pressed %s on %s, changed since by %s",
            request.caller.label,
            status,
            item.ref,
            meanwhile.author,
        )
        return ChangedMeanwhile(
            item_view(session, item, request), status, meanwhile.author, meanwhile.at
        )
    applied = apply_update(
        session,
        request,
        item,
        status=status,
        rag=None,
        due=due,
        due_text=due.strftime("%d/%m/%Y") if due else None,
        note=note[:4000] if note else None,
        source=source,
        permalink=permalink,
    )
    if isinstance(applied, ReplyIgnored):
        return applied
    mark_answered(session, reminder, at=request.clock.utcnow())
    return with_notice(applied, screened)


def _allowed_target(
    session: Session, request: Request, reminder_id: int
) -> tuple[Reminder, Action | Step] | ReplyIgnored | UpdateRefused:
    """The reminder and its item, when the reminder is known and the caller may update it."""
    found = _reminder_target(session, reminder_id)
    if found is None:
        return ReplyIgnored("unknown reminder", hint="That reminder is no longer in my records.")
    if not may_update(session, request, found[1]):
        return refused(session, request, found[1])
    return found


def snooze_item(
    session: Session, request: Request, *, reminder_id: int
) -> Snoozed | ReplyIgnored | UpdateRefused:
    """Snooze a week: no reminder for this item until then."""
    found = _allowed_target(session, request, reminder_id)
    if not isinstance(found, tuple):
        return found
    reminder, item = found
    until = request.clock.today() + timedelta(days=SNOOZE_DAYS)
    snooze(session, reminder, until=until)
    log.info("reminders for %s snoozed until %s by %s", item.ref, until, request.caller.label)
    return Snoozed(item_view(session, item, request), until)


def reminder_target(
    session: Session, request: Request, *, reminder_id: int
) -> ThreadTarget | ReplyIgnored | UpdateRefused:
    """The item behind a reminder (for opening the Add-note modal), if the caller may update it."""
    found = _allowed_target(session, request, reminder_id)
    if not isinstance(found, tuple):
        return found
    reminder, item = found
    return ThreadTarget(reminder.id or 0, item_view(session, item, request))


def press_update(
    session: Session, request: Request, item: Action | Step, *, status: str, source: str
) -> ReplyOutcome:
    """A status chosen on a button away from any reminder thread (the Home tab): the same rules
    as a reply; the caller has already checked that the item is as the person last saw it."""
    if status not in STATUS_VALUES:
        return ReplyIgnored("unknown status", hint=f"“{status}” is not a status I know.")
    if not may_update(session, request, item):
        return refused(session, request, item)
    applied = apply_update(
        session, request, item, status=status, rag=None, due=None, due_text=None, note=None,
        source=source,
    )  # fmt: skip
    if isinstance(applied, UpdateApplied):
        for reminder in reminders_about(session, item):
            mark_answered(session, reminder, at=request.clock.utcnow())
    return applied


def snooze_latest(
    session: Session, request: Request, item: Action | Step
) -> Snoozed | ReplyIgnored | UpdateRefused:
    """Snooze a week the latest reminder about `item`, wherever it was asked."""
    reminder = next(iter(reminders_about(session, item)), None)
    if reminder is None or reminder.id is None:
        return ReplyIgnored(
            "nothing to snooze",
            hint=f"No reminder about {item.ref} is waiting, so nothing to snooze.",
        )
    return snooze_item(session, request, reminder_id=reminder.id)
