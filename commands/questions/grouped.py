"""Counts grouped by owner, area or colour: "which heads of service have the most overdue", "who
has the most open actions", "overdue by area", "how many red by lead". The grouping words are
taken off, the rest is asked as an ordinary question, and what it finds is counted per group,
the largest first, each group with the references it counted so a person can check it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from commands.questions.answer import answer
from commands.questions.answer_result import AnswerItem, AnswerResult
from commands.questions.question import Question
from commands.request import Request
from store.queries.roles import all_roles

_BY = r"(?P<by>owners?|leads?|roles?|heads?\s+of\s+service|hos|people|person|areas?|colou?rs?|rag)"
# "which <group> has/have the most …", "who has the most …", "… by <group>", "… per <group>"
_MOST = re.compile(
    r"^\s*(?:which|what|who)\s+(?:" + _BY + r"\s+)?(?:has|have|owns?|holds?|got|with)\s+(?:got\s+)?"
    r"(?:the\s+)?(?:most|fewest|least|more|highest\s+number\s+of)\s+(?P<rest>.*)$",
    re.I,
)
# "how many actions does each head of service have"
_EACH = re.compile(r"^(?P<rest>.*?)\s+(?:does|do|has|have|for)\s+each\s+" + _BY + r"\b.*$", re.I)
_PER = re.compile(r"^(?P<rest>.*?)\s+(?:by|per|for\s+each|grouped\s+by)\s+" + _BY + r"\s*\??\s*$",
                  re.I)  # fmt: skip
_COUNTING = re.compile(r"^\s*(?:how\s+many|(?:the\s+)?(?:number|count|total)\s+of)\s+", re.I)
ALL_OF = 10_000  # a grouped count counts everything the question finds, not a page of it
SHOWN_REFS = 12


@dataclass(frozen=True)
class CountGroup:
    name: str
    count: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class GroupedCount:
    """How many items the question found in each group, largest first."""

    question: str
    reading: str  # "Overdue items, counted by Head of Service"
    groups: tuple[CountGroup, ...]
    total: int
    as_of: date
    note: str | None = None  # what was not counted in any group, said plainly
    query: dict[str, Any] | None = None  # the understood question as data

    @property
    def counted(self) -> tuple[str, ...]:
        """Every reference counted, once each, largest group first."""
        return tuple(dict.fromkeys(ref for g in self.groups for ref in g.refs))

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "understood": self.reading,
            "as_of": self.as_of.isoformat(),
            "count": self.total,
            "groups": [
                {"name": g.name, "count": g.count, "items": list(g.refs)} for g in self.groups
            ],
            "note": self.note,
            "query": self.query,
            "items": [{"reference": ref} for ref in self.counted],
        }


def grouping(text: str) -> tuple[str, str] | None:
    """(what to group by: owner, head, area or colour; the question without the grouping words)
    when `text` asks for a grouped count, else None."""
    flat = " ".join(text.replace("’", "'").split())
    found = _MOST.match(flat) or _PER.match(flat) or _EACH.match(flat)
    if found is None:
        return None
    by = (found.group("by") or ("head" if re.search(r"\bheads?\s+of\s+service|\bhos\b", flat,
                                                      re.I) else "owner")).lower()  # fmt: skip
    if re.match(r"heads?\s+of\s+service|hos", by):
        kind = "head"
    elif by.startswith("area"):
        kind = "area"
    elif by.startswith(("colo", "rag")):
        kind = "colour"
    else:
        kind = "owner"
    rest = found.group("rest").strip(" ?.!") or "open"
    return kind, rest


def grouped_count(session: Session, request: Request, kind: str, rest: str) -> GroupedCount:
    """Count what `rest` finds, per owner role (heads of service only for "head"), area or colour;
    steps count with their action's owners and area."""
    rest = _COUNTING.sub("", rest) or "open"  # "count of red items": the counting is ours
    if re.fullmatch(r"(?:the\s+)?(?:actions?|items?|things?|work)", rest, re.I):
        rest = "open"  # "how many actions does each head of service have": what is open
    found = answer(session, rest, request.clock, request.policy, asker=request.caller.user_id,
                   limit=ALL_OF)  # fmt: skip
    heads = {role.name for role in all_roles(session) if role.head_of_service and not role.group}
    counted: dict[str, list[str]] = defaultdict(list)
    loose = Counter[str]()
    items = found.items if isinstance(found, AnswerResult) else ()
    question = found.question if isinstance(found, AnswerResult) else None
    seen: set[str] = set()  # an item owned by two roles is counted in each, once in the total
    for item in items:
        for entry in (item, *item.steps):
            if entry.kind == "area" or (
                entry is item and item.steps and not _itself(item, question)
            ):
                continue  # an action shown only to hold its matching steps is not counted
            for group in _groups_of(entry, item, kind):
                if kind == "head" and group not in heads:
                    loose[group] += 1
                    continue
                counted[group].append(entry.reference)
                seen.add(entry.reference)
    groups = sorted(
        (CountGroup(name, len(refs), tuple(refs)) for name, refs in counted.items()),
        key=lambda g: (-g.count, g.name),
    )
    what = found.understood if isinstance(found, AnswerResult) and found.understood else rest
    by = {"head": "Head of Service", "owner": "owner", "area": "area", "colour": "colour"}[kind]
    note = None
    if loose:
        others = ", ".join(f"{name} {n}" for name, n in loose.most_common(4))
        note = f"Also found, owned by roles that are not a Head of Service: {others}."
    return GroupedCount(
        question=request.text or rest,
        reading=f"{what[0].upper()}{what[1:]}, counted by {by}",
        groups=tuple(groups),
        total=len(seen),
        as_of=request.clock.today(),
        note=note,
        query={**question.as_json(), "group_by": kind} if question else None,
    )


def _itself(item: AnswerItem, question: Question | None) -> bool:
    """Whether an action listed with its steps matches the question itself (an action that is
    not overdue, listed for its overdue steps, is not one of the overdue)."""
    if question is None:
        return True
    if question.rag is not None and item.rag != question.rag:
        return False
    if question.status == "overdue":
        return item.days_overdue > 0
    if question.status and question.status not in ("open", "overdue"):
        return item.status == question.status
    return True


def _groups_of(entry: AnswerItem, action: AnswerItem, kind: str) -> tuple[str, ...]:
    if kind == "colour":
        return ("Unverified" if entry.stale and entry.rag == "green" else entry.rag.capitalize(),)
    if kind == "area":
        return (action.reference.rsplit(".", 1)[0] if action.kind == "action" else
                entry.reference.split(".")[0],)  # fmt: skip
    return action.owners or entry.owners or ("no owner named",)
