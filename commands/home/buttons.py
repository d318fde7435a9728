"""What a choice on the Home tab does: Done, In progress or Blocked on one of the person's items,
or Snooze its reminder a week, by the same rules as a reply in its thread. The choice carries
the item's last update as the tab showed it; if someone has changed the item since, nothing is
changed and the person is shown where it stands now."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import Session

from commands.home.my_items import seen_token
from commands.request import Request
from commands.updates.apply import item_view
from commands.updates.buttons import press_update, snooze_latest
from commands.updates.outcomes import ItemView, ReplyIgnored, ReplyOutcome, Snoozed
from store.models import Action, Step

log = logging.getLogger(__name__)

SNOOZE = "snooze"
CHOICES = ("done", "in_progress", "blocked", SNOOZE)
KINDS = ("action", "step")


@dataclass(frozen=True)
class HomeChoice:
    choice: str  # one of CHOICES
    kind: str  # action | step
    item_id: int
    seen: str  # seen_token of the item's last update when the tab was drawn

    @property
    def value(self) -> str:
        return f"{self.choice}|{self.kind}|{self.item_id}|{self.seen}"

    @classmethod
    def parse(cls, value: str | None) -> HomeChoice | None:
        parts = (value or "").split("|")
        if len(parts) != 4 or parts[0] not in CHOICES or parts[1] not in KINDS:
            return None
        if not parts[2].isdigit():
            return None
        return cls(parts[0], parts[1], int(parts[2]), parts[3])


@dataclass(frozen=True)
class ChangedSince:
    """The item was updated after the tab was drawn: nothing changed, here is how it stands."""

    item: ItemView


HomeOutcome = ReplyOutcome | Snoozed | ChangedSince


def home_press(session: Session, request: Request, value: str | None) -> HomeOutcome:
    choice = HomeChoice.parse(value)
    item: Action | Step | None = None
    if choice is not None:
        if choice.kind == "action":
            item = session.get(Action, choice.item_id)
        else:
            item = session.get(Step, choice.item_id)
    if choice is None or item is None:
        log.info("home choice %r not understood or its item is gone", value)
        return ReplyIgnored("stale home", hint="That item is no longer in the plan.")
    if seen_token(item.last_update_at) != choice.seen:
        log.info("home choice on %s refused: changed since drawn", item.ref)
        return ChangedSince(item_view(session, item, request))
    if choice.choice == SNOOZE:
        return snooze_latest(session, request, item)
    return press_update(session, request, item, status=choice.choice, source="home")
