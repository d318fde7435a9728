"""One thread per lead: the day's reminders grouped by the person asked, most urgent first.

Each person asked about an item (a holder of its role, or the role's cover while there is one)
gets the item in their own thread: a role with three holders puts it in three threads, so each
can answer it where they read it. Items whose roles nobody holds go in one thread per channel
that says so, for an admin to act on. A person who asked for their reminders by direct message
(`reminders dm on`) gets one thread in their DMs for every plan; everyone else one per channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.reminders.policy import DueReminder, ReminderPlan
from store.queries.lead_threads import reminders_by_dm

NOBODY = "nobody"


@dataclass(frozen=True)
class LeadItem:
    """An item in a lead's thread; `covering` names the role when the lead is its cover."""

    reminder: DueReminder
    covering: str | None = None


@dataclass(frozen=True)
class LeadThread:
    """The thread a person gets today: its key (claimed once), where it goes, its items."""

    key: str
    user: str | None  # None: the items' roles have nobody behind them
    channel: str | None  # None: by direct message to `user`
    items: tuple[LeadItem, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(item.reminder.ref for item in self.items)


def _covering(reminder: DueReminder, user: str) -> str | None:
    return next((o.role for o in reminder.owners if o.cover == user), None)


def lead_threads(
    reminders: Sequence[DueReminder], today: date, by_dm: set[str]
) -> tuple[LeadThread, ...]:
    """Group `reminders` (already most urgent first) into one thread per person and channel."""
    groups: dict[tuple[str | None, str | None], list[LeadItem]] = {}
    for reminder in reminders:
        asked = reminder.mentions
        if not asked:
            groups.setdefault((None, reminder.channel), []).append(LeadItem(reminder))
        for user in asked:
            where = None if user in by_dm else reminder.channel
            groups.setdefault((user, where), []).append(
                LeadItem(reminder, _covering(reminder, user))
            )
    return tuple(
        LeadThread(
            key=f"lead:{today}:{user or NOBODY}:{channel or 'dm'}",
            user=user,
            channel=channel,
            items=tuple(items),
        )
        for (user, channel), items in groups.items()
    )


def plan_lead_threads(session: Session, plan: ReminderPlan) -> tuple[LeadThread, ...]:
    """The lead threads for a day's plan: its reminders of plans in per-lead mode."""
    grouped = [reminder for reminder in plan.due if reminder.per_lead]
    return lead_threads(grouped, plan.today, reminders_by_dm(session)) if grouped else ()
