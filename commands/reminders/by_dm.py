"""`reminders dm on|off`: a person chooses to get their reminder thread by direct message."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import Session

from commands.questions.ask import QuestionOutcome, ask_command
from commands.request import Request
from store.queries.lead_threads import reminders_by_dm, set_by_dm

log = logging.getLogger(__name__)

USAGE = (
    "I understand `reminders dm on` (your reminder thread comes to you by direct message), "
    "`reminders dm off` (in the plan's reminders channel) and `reminders` (which it is now)."
)


@dataclass(frozen=True)
class ReminderDelivery:
    """Where the caller's reminder thread goes; `changed` when they just chose it."""

    by_dm: bool
    changed: bool = False


@dataclass(frozen=True)
class ReminderDeliveryProblem:
    message: str


def reminders_command(
    session: Session, request: Request, rest: str
) -> ReminderDelivery | ReminderDeliveryProblem | QuestionOutcome:
    """`reminders` shows the caller's choice; `reminders dm on|off` makes it. Anything else
    ("reminders due this week?") is a question."""
    words = rest.lower().split()
    if words and words[0] not in ("dm", "dms"):
        return ask_command(session, request, f"reminders {rest}")
    user = request.caller.user_id
    if user is None:
        return ReminderDeliveryProblem("This is a choice for a person in Slack, not the terminal.")
    if not words or words == ["dm"]:
        return ReminderDelivery(user in reminders_by_dm(session))
    if len(words) != 2 or words[0] not in ("dm", "dms") or words[1] not in ("on", "off"):
        return ReminderDeliveryProblem(USAGE)
    on = words[1] == "on"
    before = set_by_dm(session, user, on, at=request.clock.utcnow())
    log.info("reminders by DM %s for %s", "on" if on else "off", request.caller.label)
    return ReminderDelivery(on, changed=before != on)
