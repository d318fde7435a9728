"""Checking a plan document before anything of it is written: references well formed and unique,
statuses and colours known (normalised in place), dates readable, fields within their lengths,
history entries well formed, and no child's details.

A problem raises `PlanFileError` naming its place in the file, so an import is all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from store.models.status import DECLARED_RAG_VALUES, STATUS_VALUES
from store.personal_data import redact
from store.plan_files.dates import read_date
from store.plan_files.plan_doc import (
    ActionDoc,
    HistoryDoc,
    PlanDoc,
    PlanFileError,
    at_field,
)

SOURCES = ("document", "chat", "admin", "import", "button")


def _status(value: str | None, file: str, where: str) -> str | None:
    if value is None:
        return None
    normal = re.sub(r"[\s-]+", "_", value.strip().lower())
    if normal not in STATUS_VALUES:
        raise PlanFileError(
            file, where, f"status '{value}' is not one of {', '.join(STATUS_VALUES)}"
        )
    return normal


def _rag(value: str | None, file: str, where: str) -> str | None:
    if value is None:
        return None
    normal = value.strip().lower()
    if normal not in DECLARED_RAG_VALUES:
        raise PlanFileError(file, where, f"rag '{value}' is not one of blue, green, amber, red")
    return normal


# Longest text each column takes (PostgreSQL enforces these; checked before anything is written).
_LIMITS = {"ref": 32, "step_ref": 40, "date": 200, "role": 200, "title": 300}


def _limit(value: str | None, limit: int, file: str, where: str) -> None:
    if value and len(value) > limit:
        raise PlanFileError(file, where, f"is {len(value)} characters long; at most {limit}")


def _check_date(text: str | None, file: str, where: str) -> None:
    """A date written like one but naming no day (31/13/2022, 2023-02-30) stops the import."""
    if not text:
        return
    _limit(text, _LIMITS["date"], file, where)
    reading = read_date(text)
    if reading.malformed:
        raise PlanFileError(file, where, reading.judgement or f"'{text}' is not a date")


def validate(doc: PlanDoc) -> None:
    """Refuse a plan whose references, statuses or sources are wrong, before anything is written."""
    file = doc.file or doc.key
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", doc.key):
        raise PlanFileError(file, "plan.key", f"'{doc.key}' must be lower-case letters, digits, -")
    if not re.fullmatch(r"[A-Za-z]{1,16}", doc.prefix):
        raise PlanFileError(file, "plan.prefix", f"'{doc.prefix}' should be letters, such as OA")
    _limit(doc.title, _LIMITS["title"], file, "plan.title")
    _limit(doc.council, _LIMITS["role"], file, "plan.council")
    seen: dict[str, str] = {}

    def claim(ref: str, where: str) -> None:
        if ref.upper() in seen:
            raise PlanFileError(
                file,
                at_field(where, "ref"),
                f"duplicate reference {ref} (also at {seen[ref.upper()]})",
            )
        seen[ref.upper()] = where

    for area in doc.areas:
        if not re.fullmatch(re.escape(doc.prefix) + r"\d+", area.ref, re.IGNORECASE):
            raise PlanFileError(
                file,
                at_field(area.where, "ref"),
                f"'{area.ref}' should be {doc.prefix} and a number",
            )
        claim(area.ref, area.where)
        # The lead becomes a role, so a role's limit applies.
        _limit(area.strategic_lead, _LIMITS["role"], file, at_field(area.where, "strategic_lead"))
        for action in area.actions:
            if not re.fullmatch(re.escape(area.ref) + r"\.\d+", action.ref, re.IGNORECASE):
                raise PlanFileError(
                    file,
                    at_field(action.where, "ref"),
                    f"'{action.ref}' should be {area.ref}.N (an action of {area.ref})",
                )
            _limit(action.ref, _LIMITS["ref"], file, at_field(action.where, "ref"))
            claim(action.ref, action.where)
            for index, owner in enumerate(action.owners):
                _limit(owner, _LIMITS["role"], file, at_field(action.where, f"owners[{index}]"))
            for index, text in enumerate(action.dates):
                _check_date(text, file, at_field(action.where, f"dates[{index}]"))
            _limit("; ".join(action.dates), _LIMITS["date"], file, at_field(action.where, "dates"))
            action.status = _status(action.status, file, at_field(action.where, "status"))
            action.rag = _rag(action.rag, file, at_field(action.where, "rag"))
            _validate_steps(action, file)
            _check_history(action.history, file, action.where)
    _refuse_personal_data(doc, file)


def _validate_steps(action: ActionDoc, file: str) -> None:
    """Refuse steps out of order or with a wrong date, status or history; statuses and colours
    are normalised in place, as `validate` does for actions."""
    for step_number, step in enumerate(action.steps, 1):
        expected = f"{action.ref}.{step_number}"
        if step.ref and step.ref.upper() != expected.upper():
            raise PlanFileError(
                file,
                at_field(step.where, "ref"),
                f"'{step.ref}' is out of order (expected {expected}; steps are numbered in order)",
            )
        _limit(expected, _LIMITS["step_ref"], file, at_field(step.where, "ref"))
        _check_date(step.due, file, at_field(step.where, "due"))
        step.status = _status(step.status, file, at_field(step.where, "status"))
        step.rag = _rag(step.rag, file, at_field(step.where, "rag"))
        _check_history(step.history, file, step.where)


def _texts(doc: PlanDoc) -> Iterator[tuple[str, str | None]]:
    """(where, text) for every free-text field of a plan a person wrote."""
    yield "plan.title", doc.title
    for area in doc.areas:
        yield at_field(area.where, "title"), area.title
        for index, outcome in enumerate(area.outcomes):
            yield at_field(area.where, f"outcomes[{index}]"), outcome
        for action in area.actions:
            yield at_field(action.where, "title"), action.title
            yield at_field(action.where, "text"), action.text
            yield at_field(action.where, "progress"), action.progress
            for index, measure in enumerate(action.measures):
                yield at_field(action.where, f"measures[{index}]"), measure
            items: list[tuple[str, list[HistoryDoc]]] = [(action.where, action.history)]
            for step in action.steps:
                yield at_field(step.where, "text"), step.text
                items.append((step.where, step.history))
            for where, history in items:
                for index, entry in enumerate(history):
                    yield at_field(where, f"history[{index}]") + ".note", entry.note


def _refuse_personal_data(doc: PlanDoc, file: str) -> None:
    """A plan is about services: a file holding a child's details is refused, naming the field
    and the kind of detail, never the detail itself."""
    for where, text in _texts(doc):
        found = redact(text or "")
        if found.findings:
            kinds = ", ".join(kind.strip("[]") for kind in found.kinds)
            raise PlanFileError(
                file,
                where,
                f"holds what looks like a child's details ({kinds}); planbot must not keep "
                "them: take them out of the file and import it again",
            )


def _check_history(entries: list[HistoryDoc], file: str, where: str) -> None:
    for index, entry in enumerate(entries):
        at = at_field(where, f"history[{index}]")
        entry.status = _status(entry.status, file, f"{at}.status")
        entry.rag = _rag(entry.rag, file, f"{at}.rag")
        if entry.source not in SOURCES:
            raise PlanFileError(
                file, f"{at}.source", f"source '{entry.source}' is not one of {', '.join(SOURCES)}"
            )
        if entry.due and entry.due_date is None and not read_date(entry.due).readable:
            raise PlanFileError(
                file, f"{at}.due", f"'{entry.due}' is not a date (give due_date: YYYY-MM-DD)"
            )
        _limit(entry.due, _LIMITS["date"], file, f"{at}.due")
        _limit(entry.author, _LIMITS["role"], file, f"{at}.author")
        _limit(entry.channel, 32, file, f"{at}.channel")
        _limit(entry.message_ts, 32, file, f"{at}.message_ts")
        if isinstance(entry.corrects, int) and not 0 <= entry.corrects < index:
            raise PlanFileError(
                file, f"{at}.corrects", f"{entry.corrects} is not an earlier entry of this history"
            )
