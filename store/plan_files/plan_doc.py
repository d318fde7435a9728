"""A plan as read from a file, before it touches the database: the shape every format shares.

Readers (`yaml_plan`, `sheet_plan`) produce a `PlanDoc`; `importer.apply_plan` writes one to the
store; `exporter` builds one back from the store. Problems found while reading are `PlanFileError`s
naming the file, the row or path, and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

FORMATS = ("yaml", "csv", "xlsx")  # the formats planbot writes plans in (and reads)


def at_field(where: str, name: str) -> str:
    """Where a field is, for messages: "row 14, due" in a spreadsheet, "areas[0].title" in YAML."""
    if not where:
        return name
    return f"{where}, {name}" if where.startswith("row ") else f"{where}.{name}"


class PlanFileError(ValueError):
    """A plan file that cannot be imported; the message names file, row and field."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        self.problem = problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")


@dataclass
class HistoryDoc:
    at: datetime
    status: str | None = None
    rag: str | None = None
    due: str | None = None  # a new due date as written ("end of Feb" in a chat reply)
    due_date: date | None = None  # the day read from it, when `due` alone does not say it
    author: str | None = None
    source: str = "document"
    source_ref: str | None = None
    note: str | None = None
    channel: str | None = None
    message_ts: str | None = None
    superseded: bool = False  # replaced by a later edit of the same message; kept, not replayed
    deleted: bool = False  # its chat message was deleted; kept
    corrects: int | str | None = None  # entry it edits: index in this list, or "P7.5#0"


@dataclass
class StepDoc:
    text: str
    due: str | None = None  # as written; set explicitly, or matched from the action's dates
    status: str | None = None  # spreadsheets only: a status column
    rag: str | None = None
    history: list[HistoryDoc] = field(default_factory=list)
    ref: str | None = None
    where: str = ""  # for messages: "row 14" or "areas[3].actions[2].steps[0]"


@dataclass
class ActionDoc:
    ref: str
    title: str
    text: str
    owners: list[str] = field(default_factory=list)
    timescale: str | None = None
    dates: list[str] = field(default_factory=list)
    progress: str | None = None
    measures: list[str] = field(default_factory=list)
    steps: list[StepDoc] = field(default_factory=list)
    history: list[HistoryDoc] = field(default_factory=list)
    status: str | None = None  # spreadsheets only
    rag: str | None = None
    where: str = ""
    status_at: datetime | None = None  # when the file says its status and progress were true
    holders: list[tuple[str, str]] = field(default_factory=list)  # (person, role) from "Name, Role"


@dataclass
class AreaDoc:
    ref: str
    title: str
    strategic_lead: str | None = None
    outcomes: list[str] = field(default_factory=list)
    actions: list[ActionDoc] = field(default_factory=list)
    where: str = ""


@dataclass
class PlanDoc:
    key: str
    title: str
    prefix: str
    council: str | None = None
    source: str | None = None
    document_date: date | None = None
    areas: list[AreaDoc] = field(default_factory=list)
    file: str = ""
    reading: list[str] = field(default_factory=list)  # how a council's layout was read
