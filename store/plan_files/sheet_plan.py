"""The flat spreadsheet plan format (CSV or XLSX, docs/PLAN_FORMAT.md): read into and written from
`PlanDoc`s, one row per area, action or step, so another council can load its plan from Excel.

Files are read, and formula cells neutralised on export, by store.plan_files.sheet_files. Reading
never guesses silently: an unknown or missing column, a duplicate reference, a date that names no
day or a bad status raises `PlanFileError` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet
from rapidfuzz import fuzz, process

from store.plan_files.dates import read_date
from store.plan_files.plan_checks import validate
from store.plan_files.plan_doc import ActionDoc, AreaDoc, PlanDoc, PlanFileError, StepDoc
from store.plan_files.sheet_files import csv_rows, formula_neutralised, read_sheet_bytes, xlsx_rows

COLUMNS = (
    "plan_key",
    "plan_title",
    "council",
    "plan_prefix",
    "plan_source",
    "plan_date",
    "kind",
    "ref",
    "title",
    "text",
    "owners",
    "strategic_lead",
    "timescale",
    "due",
    "status",
    "rag",
    "progress",
    "measures",
)
REQUIRED = ("plan_key", "ref", "title")
PLAN_COLUMNS = ("plan_title", "council", "plan_prefix", "plan_source", "plan_date")
KINDS = ("area", "action", "step")
# Columns that say nothing about a row of that kind: a value there is an error, not dropped.
NOT_FOR = {
    "area": ("text", "owners", "timescale", "due", "status", "rag", "progress"),
    "action": ("strategic_lead",),
    "step": ("owners", "strategic_lead", "timescale", "progress", "measures"),
}
_REF_DEPTH = re.compile(r"^[A-Za-z]+\d+((?:\.\d+){0,2})$")


@dataclass
class _Row:
    number: int  # as a spreadsheet program numbers it: the header is row 1
    cells: dict[str, str]

    @property
    def where(self) -> str:
        return f"row {self.number}"

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def lines(self, column: str) -> list[str]:
        return [line.strip() for line in self.get(column).splitlines() if line.strip()]


@dataclass
class _PlanRows:
    key: str
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # column -> (value, row)
    areas: dict[str, AreaDoc] = field(default_factory=dict)
    actions: dict[str, ActionDoc] = field(default_factory=dict)
    steps: dict[str, list[tuple[int, StepDoc]]] = field(default_factory=dict)
    refs: dict[str, int] = field(default_factory=dict)  # reference -> row that gave it


# ---------------------------------------------------------------------------- reading


def read_sheet_plans(path: Path) -> list[PlanDoc]:
    """Read a .csv or .xlsx plan file into one `PlanDoc` per plan key it holds."""
    return parse_sheet_rows(sheet_rows(path), str(path))


def is_planbot_header(row: Sequence[str]) -> bool:
    """True when a first row is planbot's own format (it has a plan_key column)."""
    return any(re.sub(r"[\s-]+", "_", cell.strip().lower()) == "plan_key" for cell in row)


def sheet_rows(path: Path) -> list[list[str]]:
    """The cell texts of a .csv, or an .xlsx workbook's first sheet, after the safety checks."""
    raw = read_sheet_bytes(path)
    file = str(path)
    return xlsx_rows(raw, file) if path.suffix.lower() == ".xlsx" else csv_rows(raw, file)


def _header(cells: list[str], file: str) -> list[str | None]:
    names: list[str | None] = []
    for index, cell in enumerate(cells):
        name = re.sub(r"[\s-]+", "_", cell.strip().lower())
        if not name:
            names.append(None)
            continue
        if name not in COLUMNS:
            near = process.extractOne(name, COLUMNS, scorer=fuzz.ratio, score_cutoff=60)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise PlanFileError(
                file,
                "row 1",
                f"unknown column '{cell.strip()}' (column {index + 1}); {hint}the columns are "
                + ", ".join(COLUMNS),
            )
        if name in names:
            raise PlanFileError(file, "row 1", f"column '{name}' appears twice")
        names.append(name)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise PlanFileError(file, "row 1", f"required column '{missing[0]}' is missing")
    return names


def _records(rows: Sequence[Sequence[str]], file: str) -> Iterator[_Row]:
    names = _header(list(rows[0]), file)
    for number, cells in enumerate(rows[1:], 2):
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            value = cell.strip()
            if not value:
                continue
            name = names[index] if index < len(names) else None
            if name is None:
                raise PlanFileError(
                    file, f"row {number}", f"column {index + 1} has a value but no header"
                )
            values[name] = value
        if values:
            yield _Row(number, values)


def parse_sheet_rows(rows: Sequence[Sequence[str]], file: str = "<sheet>") -> list[PlanDoc]:
    """Turn a sheet's rows (header first) into plans; see docs/PLAN_FORMAT.md for the columns."""
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise PlanFileError(file, "", "the file is empty (row 1 should be the header)")
    plans: dict[str, _PlanRows] = {}
    plan_key = ""
    last_action: ActionDoc | None = None
    for row in _records(rows, file):
        plan_key = row.get("plan_key") or plan_key
        if not plan_key:
            raise PlanFileError(file, f"{row.where}, plan_key", "is required")
        plan = plans.setdefault(plan_key, _PlanRows(plan_key))
        for column in PLAN_COLUMNS:
            value = row.get(column)
            if not value:
                continue
            if column in plan.fields and plan.fields[column][0] != value:
                first, at = plan.fields[column]
                raise PlanFileError(
                    file, f"{row.where}, {column}", f"'{value}' differs from '{first}' on row {at}"
                )
            plan.fields.setdefault(column, (value, row.number))
        kind = _kind(row, file)
        if kind == "area":
            _area(plan, row, file)
        elif kind == "action":
            last_action = _action(plan, row, file)
        else:
            _step(plan, row, file, last_action)
    if not plans:
        raise PlanFileError(file, "", "has a header but no rows")
    return [_plan(plan, file) for plan in plans.values()]


def _kind(row: _Row, file: str) -> str:
    written = row.get("kind").lower()
    if written and written not in KINDS:
        raise PlanFileError(
            file, f"{row.where}, kind", f"'{row.get('kind')}' is not one of area, action, step"
        )
    ref = row.get("ref")
    if not ref:
        if written == "step":
            return written
        raise PlanFileError(file, f"{row.where}, ref", "is required")
    match = _REF_DEPTH.match(ref)
    if not match:
        raise PlanFileError(
            file, f"{row.where}, ref", f"'{ref}' is not a reference such as P7, P7.5 or P7.5.3"
        )
    inferred = KINDS[match.group(1).count(".")]
    if written and written != inferred:
        raise PlanFileError(
            file, f"{row.where}, kind", f"'{written}' but {ref} is {_article(inferred)}"
        )
    for column in NOT_FOR[inferred]:
        if row.get(column):
            raise PlanFileError(
                file,
                f"{row.where}, {column}",
                f"{_article(inferred)} row has no {column.replace('_', ' ')}",
            )
    return inferred


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _claim(plan: _PlanRows, ref: str, row: _Row, file: str) -> None:
    key = ref.upper()
    if key in plan.refs:
        raise PlanFileError(
            file, f"{row.where}, ref", f"duplicate reference {ref} (also on row {plan.refs[key]})"
        )
    plan.refs[key] = row.number


def _one_text(row: _Row, file: str, what: str) -> str:
    """A step's or area's text: the `title` or `text` cell (both only when they agree)."""
    title, text = row.get("title"), row.get("text")
    if title and text and title != text:
        raise PlanFileError(file, f"{row.where}, text", f"a {what} has one text; use title or text")
    value = title or text
    if not value:
        raise PlanFileError(file, f"{row.where}, title", "is required")
    return value


def _check_due(text: str, row: _Row, file: str) -> None:
    reading = read_date(text)
    if reading.malformed:
        raise PlanFileError(file, f"{row.where}, due", reading.judgement or f"'{text}' no date")


def _area(plan: _PlanRows, row: _Row, file: str) -> None:
    ref = row.get("ref").upper()
    _claim(plan, ref, row, file)
    plan.areas[ref] = AreaDoc(
        ref=ref,
        title=_one_text(row, file, "area"),
        strategic_lead=row.get("strategic_lead") or None,
        outcomes=row.lines("measures"),
        where=row.where,
    )


def _action(plan: _PlanRows, row: _Row, file: str) -> ActionDoc:
    ref = row.get("ref").upper()
    _claim(plan, ref, row, file)
    title = row.get("title") or row.get("text")
    if not title:
        raise PlanFileError(file, f"{row.where}, title", "is required")
    dates = row.lines("due")
    for text in dates:
        _check_due(text, row, file)
    if len("; ".join(dates)) > 200:
        raise PlanFileError(file, f"{row.where}, due", "the dates come to over 200 characters")
    owners = [name.strip() for name in re.split(r"[;\n]", row.get("owners")) if name.strip()]
    action = ActionDoc(
        ref=ref,
        title=title,
        text=row.get("text") or title,
        owners=owners,
        timescale=row.get("timescale") or None,
        dates=dates,
        progress=row.get("progress") or None,
        measures=row.lines("measures"),
        status=row.get("status") or None,
        rag=row.get("rag") or None,
        where=row.where,
    )
    plan.actions[ref] = action
    plan.steps.setdefault(ref, [])
    return action


def _step(plan: _PlanRows, row: _Row, file: str, last_action: ActionDoc | None) -> None:
    ref = row.get("ref").upper()
    if ref:
        action_ref, _, number_text = ref.rpartition(".")
        number = int(number_text)
    else:
        if last_action is None:
            raise PlanFileError(file, f"{row.where}, ref", "a step row needs its reference")
        action_ref = last_action.ref
        taken = [n for n, _ in plan.steps.get(action_ref, [])]
        number = max(taken, default=0) + 1
        ref = f"{action_ref}.{number}"
    _claim(plan, ref, row, file)
    due = row.get("due") or None
    if due and len(row.lines("due")) > 1:
        raise PlanFileError(file, f"{row.where}, due", "a step has one due date")
    if due:
        _check_due(due, row, file)
    step = StepDoc(
        text=_one_text(row, file, "step"),
        due=due,
        status=row.get("status") or None,
        rag=row.get("rag") or None,
        ref=ref,
        where=row.where,
    )
    plan.steps.setdefault(action_ref, []).append((number, step))


def _plan(rows: _PlanRows, file: str) -> PlanDoc:
    fields = {column: value for column, (value, _) in rows.fields.items()}
    title = fields.get("plan_title")
    if not title:
        raise PlanFileError(file, "plan_title", f"no row of plan '{rows.key}' gives its title")
    if not rows.areas:
        raise PlanFileError(file, "kind", f"plan '{rows.key}' has no area rows (P1, OA1, ...)")
    prefix = fields.get("plan_prefix") or re.match(r"[A-Za-z]+", next(iter(rows.areas))).group(0)  # type: ignore[union-attr]
    document_date = None
    if "plan_date" in fields:
        text, at = rows.fields["plan_date"]
        reading = read_date(text)
        if reading.due is None or reading.judgement:
            raise PlanFileError(file, f"row {at}, plan_date", f"'{text}' is not a day (2022-07-28)")
        document_date = reading.due
    for ref, action in rows.actions.items():
        area_ref = ref.rsplit(".", 1)[0]
        if area_ref not in rows.areas:
            raise PlanFileError(file, f"{action.where}, ref", f"{ref} has no area row {area_ref}")
        rows.areas[area_ref].actions.append(action)
    for action_ref, steps in rows.steps.items():
        if action_ref not in rows.actions:
            _number, step = steps[0]
            raise PlanFileError(
                file, f"{step.where}, ref", f"{step.ref} has no action row {action_ref}"
            )
        rows.actions[action_ref].steps = [step for _, step in sorted(steps, key=lambda s: s[0])]
    plan = PlanDoc(
        key=rows.key,
        title=title,
        prefix=prefix.upper(),
        council=fields.get("council"),
        source=fields.get("plan_source"),
        document_date=document_date,
        areas=list(rows.areas.values()),
        file=file,
    )
    validate(plan)
    return plan


# ---------------------------------------------------------------------------- writing


def plans_to_rows(plans: Sequence[PlanDoc]) -> list[list[str]]:
    """The sheet for `plans`: the header, then each plan's areas, actions and steps in order."""
    rows: list[list[str]] = [list(COLUMNS)]

    def add(**cells: str | None) -> None:
        rows.append([cells.get(column) or "" for column in COLUMNS])

    for plan in plans:
        first = True
        for area in plan.areas:
            plan_cells: dict[str, str | None] = {"plan_key": plan.key}
            if first:
                plan_cells |= {
                    "plan_title": plan.title,
                    "council": plan.council,
                    "plan_prefix": plan.prefix,
                    "plan_source": plan.source,
                    "plan_date": plan.document_date.isoformat() if plan.document_date else None,
                }
                first = False
            add(
                **plan_cells,
                kind="area",
                ref=area.ref,
                title=area.title,
                strategic_lead=area.strategic_lead,
                measures="\n".join(area.outcomes),
            )
            for action in area.actions:
                add(
                    plan_key=plan.key,
                    kind="action",
                    ref=action.ref,
                    title=action.title,
                    text=action.text,
                    owners="; ".join(action.owners),
                    timescale=action.timescale,
                    due="\n".join(action.dates),
                    status=action.status,
                    rag=action.rag,
                    progress=action.progress,
                    measures="\n".join(action.measures),
                )
                matched = len(action.dates) == len(action.steps)
                for number, step in enumerate(action.steps, 1):
                    due = step.due or (action.dates[number - 1] if matched else None)
                    add(
                        plan_key=plan.key,
                        kind="step",
                        ref=step.ref or f"{action.ref}.{number}",
                        text=step.text,
                        due=due,
                        status=step.status,
                        rag=step.rag,
                    )
    return rows


def plans_to_csv(plans: Sequence[PlanDoc]) -> str:
    """CSV text (no byte-order mark; `write_sheet` adds one for files, as Excel expects), with
    every cell that could run as a formula neutralised."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [formula_neutralised(cell) for cell in row] for row in plans_to_rows(plans)
    )
    return out.getvalue()


def plans_to_xlsx(plans: Sequence[PlanDoc]) -> bytes:
    """An .xlsx workbook with one sheet, "plan"; every cell is text, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = "plan"
    for row_number, values in enumerate(plans_to_rows(plans), 1):
        for column_number, value in enumerate(values, 1):
            if not value:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # "=SUM(...)" in a note stays text
    sheet.freeze_panes = "A2"
    for letter, width in {"H": 10, "I": 50, "J": 50, "K": 30, "N": 14, "O": 12}.items():
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_sheet(plans: Sequence[PlanDoc], path: Path) -> None:
    """Write `plans` to a .csv (UTF-8 with a byte-order mark, for Excel) or .xlsx file."""
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(plans_to_xlsx(plans))
    else:
        path.write_text(plans_to_csv(plans), encoding="utf-8-sig", newline="")
