"""A council's own plan table (Word or spreadsheet, its own headers) read into a `PlanDoc`.

Readers (`docx_tables`, `council_sheet`) give `Table`s of cell texts; this module finds each
table's header (`headers.map_columns`), skips tables that are not the plan, joins a table split
across pages, and reads rows: an area heading row or area column starts an area, a row without a
reference or action continues the row before, bullet lines become steps, "Name, Role" owners are
split, statuses go through `status_words`. Every judgement goes into `PlanDoc.reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from store.plan_files.dates import ONGOING, read_date
from store.plan_files.headers import ColumnMap, MappingError, is_plan_header, map_columns
from store.plan_files.owner_cells import owner_entries
from store.plan_files.plan_doc import ActionDoc, AreaDoc, PlanDoc, PlanFileError, StepDoc
from store.plan_files.plan_text import match_key, tidy
from store.plan_files.status_words import StatusReading, read_status

_BULLET = re.compile(r"^\s*(?:[•·▪◦●○\-–*]|o(?=\s)|\(?[a-z]\)|\(?[ivx]+\)|\d+[.)](?!\d))\s*")
_AREA_NUMBER = re.compile(
    r"^(?:area|priority|theme|section|objective)?\s*(\d{1,3})[.):\s-]+\s*", re.I
)
HEADER_SEARCH_ROWS = 3


@dataclass
class Cell:
    text: str
    merged_up: bool = False  # the same (vertically merged) cell as the row above's


@dataclass
class Table:
    name: str  # "table 3" or "sheet 'Plan'"
    rows: list[list[Cell]]


@dataclass
class CouncilOptions:
    key: str
    title: str
    prefix: str
    council: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    status_map: dict[str, StatusReading] = field(default_factory=dict)
    keep_extra: bool = False
    as_of: date | None = None


@dataclass
class _Row:
    where: str
    values: dict[str, str]
    merged: set[str]
    extra: list[tuple[str, str]]


def _where(table: Table, number: int) -> str:
    return f"row {number} of {table.name}"


def _find_header(table: Table, options: CouncilOptions) -> tuple[int, ColumnMap] | None:
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        header = [cell.text for cell in row]
        try:
            mapping = map_columns(
                header, _where(table, index + 1), options.column_map, keep_extra=options.keep_extra
            )
        except MappingError:
            if is_plan_header(map_columns(header, "", {}, keep_extra=False)) or index == 0:
                raise
            continue
        if is_plan_header(mapping):
            return index, mapping
    return None


def plan_rows(
    tables: list[Table], file: str, options: CouncilOptions
) -> tuple[list[_Row], list[str]]:
    """The rows of every plan table, in order, and notes on which tables were read or skipped."""
    notes: list[str] = []
    rows: list[_Row] = []
    previous: tuple[ColumnMap, list[str], int] | None = None
    found: list[str] = []
    for table in tables:
        if not table.rows:
            continue
        try:
            header = _find_header(table, options)
        except MappingError as error:
            raise PlanFileError(file, "", str(error)) from None
        if header is None:
            width = len(table.rows[0])
            # Only straight after a plan table, with its width, and with no header of its own
            # (a first row of column names is some other table): a table split across pages.
            headed = _has_header_words([cell.text for cell in table.rows[0]])
            if previous is not None and width == previous[2] and not headed:
                notes.append(
                    f"{table.name} has no header row; read as the continuation of the table before"
                )
                mapping, start = previous[0], 0
            else:
                found.append(
                    f"{table.name}: " + ", ".join(c.text for c in table.rows[0] if c.text.strip())
                )
                notes.append(f"{table.name} skipped: no column maps to a reference or action")
                previous = None
                continue
        else:
            start, mapping = header[0] + 1, header[1]
            head_texts = [match_key(c.text) for c in table.rows[header[0]]]
            if previous is None or head_texts != previous[1]:
                notes += [f"{table.name}: {note}" for note in mapping.notes]
            else:
                notes.append(
                    f"{table.name} repeats the header of the table before; read as its continuation"
                )
            previous = (mapping, head_texts, len(table.rows[header[0]]))
        for number, cells in enumerate(table.rows[start:], start + 1):
            texts = [match_key(c.text) for c in cells]
            if not any(texts) or (previous and texts == previous[1]):
                continue
            rows.append(_row(table, number, cells, mapping))
    if not rows and not any(n for n in notes if "skipped" not in n):
        shown = "; ".join(found) or "none"
        raise PlanFileError(
            file,
            "",
            f"no table is a plan: no column maps to a reference or action (headers found: {shown})",
        )
    return rows, notes


def _has_header_words(cells: list[str]) -> bool:
    try:
        return bool(map_columns(cells, "", {}, keep_extra=False).fields)
    except MappingError:
        return True


def _row(table: Table, number: int, cells: list[Cell], mapping: ColumnMap) -> _Row:
    values: dict[str, str] = {}
    merged: set[str] = set()
    extra: list[tuple[str, str]] = []
    for index, cell in enumerate(cells):
        text = tidy(cell.text)
        if index in mapping.fields:
            name = mapping.fields[index]
            values[name] = text
            if cell.merged_up:
                merged.add(name)
        elif index in mapping.extra and text:
            extra.append((mapping.extra[index], text))
    distinct = {match_key(t) for t in (tidy(c.text) for c in cells) if t}
    if len(distinct) == 1 and sum(1 for c in cells if c.text.strip()) > 1:
        # One text across the whole row: a merged heading row.
        values = {"heading": next(t for t in (tidy(c.text) for c in cells) if t)}
    return _Row(_where(table, number), values, merged, extra)


def lines_of(text: str) -> list[str]:
    """A cell's lines with bullets and list numbering taken off."""
    return [
        _BULLET.sub("", line).strip() for line in text.split("\n") if _BULLET.sub("", line).strip()
    ]


@dataclass
class _Building:
    doc: PlanDoc
    options: CouncilOptions
    file: str
    area: AreaDoc | None = None
    action: ActionDoc | None = None
    last_ref: str = ""
    used_numbers: set[int] = field(default_factory=set)
    ref_areas: bool = False  # areas follow the references' first number
    ref_head: str = ""
    has_refs: bool = False  # the table numbers its actions, so a row without a number continues

    def note(self, text: str) -> None:
        self.doc.reading.append(text)

    def start_area(self, title: str, where: str) -> None:
        match = _AREA_NUMBER.match(title)
        number = int(match.group(1)) if match else 0
        if not number or number in self.used_numbers:
            number = max(self.used_numbers, default=0) + 1
        self.used_numbers.add(number)
        ref = f"{self.options.prefix}{number}"
        title = _AREA_NUMBER.sub("", title.split("\n")[0]).strip() or title.split("\n")[0].strip()
        self.area = AreaDoc(ref=ref, title=title, where=where)
        self.doc.areas.append(self.area)
        self.action = None
        self.ref_areas = False

    def ensure_area(self, where: str, ref_written: str) -> AreaDoc:
        """The area an action goes in; without headings or an area column, the number before
        the dot of the council's reference ("2.3") says it."""
        head = re.match(r"^[A-Za-z]*\s*(\d+)[.]\d", ref_written or "")
        if self.area is None or (self.ref_areas and head and head.group(1) != self.ref_head):
            self.ref_head = head.group(1) if head else ""
            self.start_area(f"{self.ref_head} " if head else "", where)
            self.ref_areas = True
            assert self.area is not None
            self.area.title = f"Area {self.ref_head}" if head else self.options.title
        return self.area


def read_council_tables(tables: list[Table], file: str, options: CouncilOptions) -> PlanDoc:
    """The plan the tables hold; PlanFileError names table, row and column for what is wrong."""
    doc = PlanDoc(
        key=options.key,
        title=options.title,
        prefix=options.prefix,
        council=options.council,
        source=file,
        document_date=options.as_of,
        file=file,
    )
    rows, notes = plan_rows(tables, file, options)
    doc.reading += notes
    build = _Building(doc, options, file)
    for row in rows:
        _read_row(build, row)
    if not doc.areas or not any(a.actions for a in doc.areas):
        raise PlanFileError(file, "", "the plan tables hold no actions")
    doc.areas = [area for area in doc.areas if area.actions or _note_empty(build, area)]
    return doc


def _note_empty(build: _Building, area: AreaDoc) -> bool:
    build.note(f"{area.where}: heading '{area.title[:60]}' has no actions under it; not imported")
    return False


def _read_row(build: _Building, row: _Row) -> None:
    values = row.values
    if "heading" in values:
        build.start_area(values["heading"], row.where)
        return
    area_text = values.get("area", "")
    if (
        area_text
        and (build.area is None or match_key(area_text) != match_key(build.area.title))
        and "area" not in row.merged
    ):
        build.start_area(area_text, row.where)
    ref = values.get("reference", "")
    action_text = values.get("action", "")
    if build.action is not None and _continues(build, build.action, row, ref, action_text):
        build.note(f"{row.where}: no reference of its own; read as more of {build.action.ref}")
        _add_details(build, build.action, row, continuing=True)
        return
    if not action_text:
        if ref and len(values) - sum(1 for v in values.values() if not v) == 1:
            build.start_area(ref, row.where)  # a numbered heading in the reference column
            return
        raise PlanFileError(build.file, row.where, f"reference '{ref}' has no action text")
    if "action" in row.merged and ref and match_key(ref) != match_key(build.last_ref):
        raise PlanFileError(
            build.file,
            f"{row.where}, column action",
            f"a merged action cell "
            f"spans rows with different references ({build.last_ref}, {ref}); "
            "unmerge it or give the rows one reference",
        )
    _new_action(build, row, ref, action_text)


def _continues(build: _Building, action: ActionDoc, row: _Row, ref: str, text: str) -> bool:
    """Whether a row adds to the action before rather than starting one: no reference where
    the table numbers its actions, nothing to name an action, or the same (merged) action."""
    if not ref:
        return not text or build.has_refs or "action" in row.merged
    if match_key(ref) != match_key(build.last_ref):
        return False
    return not text or "action" in row.merged or match_key(text) == match_key(action.text)


def _new_action(build: _Building, row: _Row, ref: str, action_text: str) -> None:
    values = row.values
    area = build.ensure_area(row.where, ref)
    number = len(area.actions) + 1
    action_lines = [line for line in action_text.split("\n") if line.strip()]
    title = action_lines[0].strip()
    action = ActionDoc(ref=f"{area.ref}.{number}", title=title, text=action_text, where=row.where)
    if (
        "step" not in values
        and len(action_lines) > 1
        and any(_BULLET.match(line) for line in action_lines[1:])
    ):
        action.steps += [
            StepDoc(text=line, where=row.where) for line in lines_of("\n".join(action_lines[1:]))
        ]
        action.text = title
        build.note(f"{row.where}: bullets in the action cell read as {len(action.steps)} step(s)")
    if ref and not re.fullmatch(r"[A-Za-z]*\s*\d+\.0*" + str(number), ref.strip()):
        build.note(f"{row.where}: the council's reference '{ref}' is imported as {action.ref}")
    area.actions.append(action)
    build.action = action
    build.last_ref = ref
    build.has_refs = build.has_refs or bool(ref)
    _add_details(build, action, row, continuing=False)


def _add_details(build: _Building, action: ActionDoc, row: _Row, *, continuing: bool) -> None:
    values = row.values
    for field_name in ("step",):
        if values.get(field_name) and not (continuing and field_name in row.merged):
            action.steps += [
                StepDoc(text=line, where=row.where) for line in lines_of(values[field_name])
            ]
    if (
        continuing
        and values.get("action")
        and "action" not in row.merged
        and match_key(values["action"]) != match_key(action.text)
    ):
        action.steps += [StepDoc(text=line, where=row.where) for line in lines_of(values["action"])]
    _owners(build, action, values.get("owner", ""), row, continuing)
    _dates(build, action, values, row, continuing)
    if values.get("progress") and not (continuing and "progress" in row.merged):
        action.progress = "\n".join(filter(None, [action.progress, values["progress"]]))
    for line in lines_of(values.get("measures", "")):
        if line not in action.measures:
            action.measures.append(line)
    area = build.area
    for line in lines_of(values.get("outcomes", "")):
        if area is not None and line not in area.outcomes:
            area.outcomes.append(line)
    _status(build, action, values, row)
    for header, text in row.extra:
        action.text += f"\n{header}: {text}"


def _owners(build: _Building, action: ActionDoc, text: str, row: _Row, continuing: bool) -> None:
    if not text or (continuing and "owner" in row.merged):
        return
    for role, person in owner_entries(text):
        if role not in action.owners:
            action.owners.append(role)
        if person:
            action.holders.append((person, role))
            build.note(f"{row.where}: '{person}, {role}' read as the role {role} held by {person}")


def _dates(
    build: _Building, action: ActionDoc, values: dict[str, str], row: _Row, continuing: bool
) -> None:
    due = values.get("due", "")
    if due and not (continuing and "due" in row.merged):
        for line in lines_of(due) if "\n" in due else [due]:
            if (read_date(line).cadence or ONGOING.match(line)) and not action.timescale:
                action.timescale = line
            else:
                action.dates.append(line)
    if values.get("timescale") and not action.timescale:
        action.timescale = values["timescale"]
    when = values.get("date", "")
    if when:
        reading = read_date(when, build.options.as_of)
        if reading.due is None:
            raise PlanFileError(
                build.file,
                f"{row.where}, column date",
                f"'{when}' is not a date the statuses can be dated at",
            )
        action.status_at = datetime.combine(reading.due, time(12))


def _status(build: _Building, action: ActionDoc, values: dict[str, str], row: _Row) -> None:
    for column in ("status", "rag"):
        text = values.get(column, "")
        if not text:
            continue
        reading, judgement = read_status(text, build.options.status_map)
        if reading is None:
            raise PlanFileError(build.file, f"{row.where}, column {column}", judgement)
        if reading.status and (column == "status" or reading.status == "done"):
            action.status = reading.status
        if reading.rag and (column == "rag" or action.rag is None):
            action.rag = reading.rag
        build.note(f"{row.where}: {judgement}")
