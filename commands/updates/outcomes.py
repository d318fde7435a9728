"""What became of a reply, an edit, a deletion, a click or a note: the results the updates
journey hands to the renderers (commands.updates.apply makes them)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from commands.governance.date_changes import DateChangeView
from commands.governance.evidence import EvidenceRecorded


@dataclass(frozen=True)
class ItemView:
    """An item as every answer shows it: reference, status, owner, due date, colour."""

    ref: str
    title: str
    status: str
    owner: str
    due: date | None
    due_as_written: str | None
    rag: str
    declared_rag: str | None


@dataclass(frozen=True)
class UpdateApplied:
    item: ItemView
    old_status: str | None
    new_status: str | None
    old_rag: str | None
    new_rag: str | None
    old_due: date | None
    new_due: date | None
    note_saved: bool
    source: str  # chat | button | modal
    corrected: bool = False
    update_id: int | None = None
    removed: tuple[str, ...] = ()  # kinds of a child's details taken out of the note
    for_role: str | None = None  # made by the role's cover
    date_change: DateChangeView | None = None  # a new date: held for approval, or recorded
    awaiting: str | None = None  # done, but evidence (or sign-off) is wanted before Blue
    board_unknown: str | None = None  # "by the next board" in a plan (key) with no board date
    withdrawn: bool = False  # an edit took the update out of its message: taken back


@dataclass(frozen=True)
class StatusQuestion:
    """An ambiguous reply: its text was saved as a note; which status fits now?"""

    item: ItemView
    reminder_id: int
    choices: tuple[str, ...]
    removed: tuple[str, ...] = ()  # kinds of a child's details taken out of the note


@dataclass(frozen=True)
class UpdateRefused:
    item: ItemView
    who_can: tuple[tuple[str, tuple[str, ...]], ...]  # (role, holder ids) for each owner role
    reason: str = "not an owner"
    removed: tuple[str, ...] = ()  # kinds of a child's details taken out of the note


NOT_A_REMINDER_THREAD = "not a reminder thread"


@dataclass(frozen=True)
class ReplyIgnored:
    """Nothing to do; `hint` is a private line for the author when they deserve one."""

    reason: str
    hint: str | None = None


@dataclass(frozen=True)
class ReplyDeleted:
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Snoozed:
    item: ItemView
    until: date


@dataclass(frozen=True)
class ChangedMeanwhile:
    """A button pressed on a reminder whose item someone else has updated since it was posted:
    nothing is changed, and the presser sees the item as it stands now."""

    item: ItemView
    pressed: str  # the status the button would have set
    by: str | None  # who changed it (a Slack user id, or a name)
    at: datetime


@dataclass(frozen=True)
class ThreadTarget:
    """Where a reminder's item lives, for modals and buttons."""

    reminder_id: int
    item: ItemView


@dataclass(frozen=True)
class OwnershipClaimed:
    """Kept as a note; the admins are asked, each with a button when a role was recognised."""

    item: ItemView
    kind: str  # action | step
    item_id: int
    author: str | None
    named: str
    role: str | None  # the role the words name, if planbot knows it
    owners: tuple[str, ...]  # the item's owner roles now
    admins: tuple[str, ...]  # who is asked
    note_saved: bool = True


@dataclass(frozen=True)
class PendingUpdate:
    """What a reply said about a step it described but did not name for certain: applied when
    the person presses the step's button."""

    reminder_id: int
    channel: str | None
    message_ts: str
    status: str | None
    rag: str | None
    due: str | None  # ISO date
    due_text: str | None
    note: str | None

    NOTE_KEPT = 1200  # a button's value holds at most 2,000 characters

    def as_value(self) -> str:
        fields = asdict(self) | {"note": (self.note or "")[: self.NOTE_KEPT] or None}
        return json.dumps(fields, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str) -> PendingUpdate | None:
        try:
            fields = json.loads(value)
            return cls(**fields) if isinstance(fields, dict) else None
        except (ValueError, TypeError):
            return None


@dataclass(frozen=True)
class StepsToChoose:
    """ "the supervision one is done" could mean more than one step: a button for each; nothing
    is written until one is pressed."""

    phrase: str  # the description as written
    steps: tuple[tuple[int, str, str], ...]  # (step id, reference, text) of each candidate
    pending: PendingUpdate
    removed: tuple[str, ...] = ()  # kinds of a child's details taken out of the note


@dataclass(frozen=True)
class SeveralItems:
    """A reply that named several items: what became of each part, in the order written."""

    outcomes: tuple[
        UpdateApplied
        | StatusQuestion
        | UpdateRefused
        | ReplyIgnored
        | EvidenceRecorded
        | OwnershipClaimed
        | ReplyDeleted
        | StepsToChoose
        | SeveralItems,
        ...,
    ]


ReplyOutcome = (
    UpdateApplied
    | StatusQuestion
    | UpdateRefused
    | ReplyIgnored
    | ReplyDeleted
    | EvidenceRecorded
    | OwnershipClaimed
    | StepsToChoose
    | SeveralItems
)
"""What became of a reply, an edit, a deletion, a click or a note."""


@dataclass(frozen=True)
class DetailsRemoved:
    """What the author of a message is told, privately, when a child's details were taken out."""

    ref: str | None
    kinds: tuple[str, ...]
    kept: bool  # whether the rest of the message still made an update


def details_removed(outcome: ReplyOutcome) -> DetailsRemoved | None:
    """The private notice an outcome calls for, if a child's details were taken out."""
    if isinstance(outcome, UpdateApplied | StatusQuestion | UpdateRefused) and outcome.removed:
        kept = isinstance(outcome, UpdateApplied | StatusQuestion)
        return DetailsRemoved(outcome.item.ref, outcome.removed, kept)
    if isinstance(outcome, StepsToChoose) and outcome.removed:
        return DetailsRemoved(None, outcome.removed, False)  # nothing recorded yet
    return None
