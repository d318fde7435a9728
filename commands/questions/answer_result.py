"""What an answer to a question about the plan holds: its items, the reading, and what to say."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from commands.questions.question import Question


@dataclass(frozen=True)
class DateChangeNote:
    """An item's latest new date as an answer mentions it."""

    state: str  # requested | approved | rejected | recorded
    previous_due: date | None
    new_due: date
    decided_by: str | None
    decided_on: date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "previous_due": self.previous_due.isoformat() if self.previous_due else None,
            "new_due": self.new_due.isoformat(),
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
        }


@dataclass(frozen=True)
class AnswerItem:
    """One area, action or step as an answer shows it."""

    reference: str
    kind: str  # area | action | step
    title: str
    plan: str
    plan_key: str
    status: str
    rag: str
    rag_reason: str
    declared_rag: str | None
    owners: tuple[str, ...]
    due: date | None
    due_as_written: str | None
    latest_note: str | None
    days_overdue: int = 0
    stale: bool = False
    rebaselined: int = 0
    parent: str | None = None  # a step shown on its own: its action's reference
    parent_title: str | None = None
    steps: tuple[AnswerItem, ...] = ()  # the steps shown under an action
    counts: tuple[tuple[str, int], ...] = ()  # an area: how many of its items have each colour
    date_change: DateChangeNote | None = None  # its latest new date: asked for, or decided
    evidence: str | None = None  # what was given as evidence before Blue
    signed_off_by: str | None = None
    # What the question matched beyond the title: "Success measure: Reduced staff turnover",
    # "Follows up OA4 (The analysis of return home interviews)".
    found_in: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        matched = {"matched": list(self.found_in)} if self.found_in else {}
        return {
            "reference": self.reference,
            "kind": self.kind,
            "title": self.title,
            "plan": self.plan,
            "status": self.status,
            "rag": self.rag,
            "declared_rag": self.declared_rag,
            "owners": list(self.owners),
            "due": self.due.isoformat() if self.due else None,
            "due_as_written": self.due_as_written,
            "latest_note": self.latest_note,
            "date_change": self.date_change.as_json() if self.date_change else None,
            "evidence": self.evidence,
            "signed_off_by": self.signed_off_by,
            **matched,
        }


@dataclass(frozen=True)
class Suggestion:
    reference: str
    title: str


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    understood: str  # the question as understood, in words
    items: tuple[AnswerItem, ...]
    as_of: date
    not_shown: int = 0  # answer lines found but left out of this answer
    filtered_out: int = 0  # items the question named that the status or date filter left out
    suggestions: tuple[Suggestion, ...] = ()
    unknown_refs: tuple[str, ...] = ()
    message: str | None = None  # one calm line when there is nothing to list
    reread: bool = False  # owner or area words were read as topic words on a second reading
    ignored_words: tuple[str, ...] = ()  # typed words that match nothing in the plans, left out
    count: int | None = None  # a count question: the number stated (the items are what it counted)
    verdict: str | None = None  # a yes/no question about one item: "yes" or "no"
    compact: bool = False  # one line per item (a count's items, listed so it can be checked)
    reading: dict[str, Any] | None = None  # the understood query as data, when not `question`'s
    # Two plausible readings: (what it would mean, the question that asks it plainly); the answer
    # is then the question back, with a button for each reading.
    readings: tuple[tuple[str, str], ...] = ()
    counted: tuple[str, ...] = ()  # a count: every reference it counted (`items` holds a page)

    def flat_items(self) -> Iterator[AnswerItem]:
        """Every item shown, steps under an action included, in order."""
        for item in self.items:
            yield item
            yield from item.steps

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question.text,
            "understood": self.understood,
            "query": self.reading if self.reading is not None else self.question.as_json(),
            "count": self.count if self.count is not None else len(self.items) + self.not_shown,
            "verdict": self.verdict,
            "as_of": self.as_of.isoformat(),
            "items": [item.as_json() for item in self.flat_items()],
            "not_shown": self.not_shown,
            "filtered_out": self.filtered_out,
            "suggestions": [s.reference for s in self.suggestions],
            "message": self.message,
            **({"readings": [text for _, text in self.readings]} if self.readings else {}),
            **({"counted": list(self.counted)} if self.count is not None else {}),
        }
