"""`history OA4.1`: every dated update of an item, who made it and where it came from."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.clock import DEFAULT_TIMEZONE
from commands.governance.date_changes import DateChangeView
from commands.request import Request
from commands.updates.apply import item_view
from commands.updates.outcomes import ItemView
from store.models import Action, StatusUpdate
from store.queries.governance import date_changes_of
from store.queries.history import find_item, history_of, history_with_steps, normalise_ref


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    author: str | None
    source: str  # document | chat | button | modal | admin | import
    source_ref: str | None  # the document, or the Slack permalink of the reply
    old_status: str | None
    new_status: str | None
    old_rag: str | None
    new_rag: str | None
    old_due: date | None
    new_due: date | None
    note: str | None
    superseded: bool  # replaced by an edit of the same message
    deleted: bool  # its source message was deleted; the update stands
    corrects: bool  # this entry is an edit of an earlier one
    step: str | None = None  # the step's reference, in an action's history
    for_role: str | None = None  # made by the role's cover

    @classmethod
    def of(cls, row: StatusUpdate, step: str | None = None) -> HistoryEntry:
        return cls(
            step=step,
            at=row.at,
            author=row.author,
            for_role=row.for_role,
            source=row.source,
            source_ref=row.source_ref,
            old_status=row.old_status,
            new_status=row.new_status,
            old_rag=row.old_rag,
            new_rag=row.new_rag,
            old_due=row.old_due,
            new_due=row.new_due,
            note=row.note,
            superseded=row.superseded,
            deleted=row.deleted,
            corrects=row.corrects_id is not None,
        )


@dataclass(frozen=True)
class HistoryResult:
    item: ItemView
    entries: tuple[HistoryEntry, ...]
    timezone: str = DEFAULT_TIMEZONE  # the council's (PLANBOT_TIMEZONE), for the times shown
    date_changes: tuple[DateChangeView, ...] = ()  # new dates asked for, and what became of them


@dataclass(frozen=True)
class HistoryProblem:
    message: str


_AREA = re.compile(r"^[A-Za-z]{1,6}\s*\d{1,3}$")
_FILLER = re.compile(r"^(?:(?:of|for|on|about|the)\s+)+", re.IGNORECASE)
_HISTORY_OF = re.compile(r"\bhistory\b\s*(?:(?:of|for|on|about|the)\s+)*(.*)", re.IGNORECASE)


def _at_start(text: str, read: Callable[[str], str | None]) -> str | None:
    """What `read` makes of the first three, two or one words of `text`, if anything."""
    words = text.split()
    for count in (3, 2, 1):
        if found := read(" ".join(words[:count]).rstrip("?.!,")):
            return found
    return None


def ref_at_start(text: str) -> str | None:
    """The item reference `text` starts with ("oa 4.1 please" -> OA4.1), if any."""
    return _at_start(text, normalise_ref)


def _area_at_start(text: str) -> str | None:
    """The area reference `text` starts with ("oa 4" -> OA4), if any."""
    return _at_start(
        text, lambda words: words.upper().replace(" ", "") if _AREA.match(words) else None
    )


def asks_for_history(text: str) -> str | None:
    """The item or area in "show me the history of P7.2", if the text asks for a history."""
    match = _HISTORY_OF.search(text)
    if match is None:
        return None
    return ref_at_start(match.group(1)) or _area_at_start(match.group(1))


def history_command(
    session: Session, request: Request, rest: str
) -> HistoryResult | HistoryProblem:
    text = _FILLER.sub("", rest.strip())
    if not text:
        return HistoryProblem("Say which item, e.g. `history OA4.1` or `history P7.5.3`.")
    ref = ref_at_start(text)
    if ref is None and (area := _area_at_start(text)):
        return HistoryProblem(
            f"History is kept for each action and step, not a whole area: try `history "
            f"{area}.1`, or `what changed under {area}?`."
        )
    if ref is None:  # words, not a reference
        words = " ".join(re.sub(r"[^\w\s'’-]", " ", text).split())[:60]
        hint = f" Asking “{words}” finds their references." if words else ""
        return HistoryProblem(
            "History is kept for each action and step: say which, e.g. `history P7.5`." + hint
        )
    item = find_item(session, ref)
    if item is None:
        return HistoryProblem(f"I can't find {ref} in the plans.")
    if isinstance(item, Action):  # an action's history takes in its steps' updates
        entries = tuple(
            HistoryEntry.of(row, step) for row, step in history_with_steps(session, item)
        )
    else:
        entries = tuple(HistoryEntry.of(row) for row in history_of(session, item))
    zone = request.policy.timezone or DEFAULT_TIMEZONE
    changes = tuple(DateChangeView.of(c) for c in date_changes_of(session, item))
    return HistoryResult(item_view(session, item, request), entries, zone, changes)
