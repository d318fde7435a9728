"""`planbot measures import FILE [--create]`: one row per measure and period, checked whole
before anything is written, so a file with a problem changes nothing.

The header `measure,period_start,period_end,value` (optional `note,target,unit,polarity`) always
works; the other column names the performance team's sheets use are read too (see HEADERS).
A `period` column ("Jan 2023", "Q3 2022-23") may stand in for the two dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from commands.measures.names import find_measure
from commands.measures.notes import NoteRefused, clean_note
from commands.measures.numbers import (
    Period,
    ValueProblem,
    polarity_of,
    read_period,
    read_value,
    unit_of,
)
from commands.request import Request
from store.models import MeasureValue, SuccessMeasure
from store.plan_files.measure_values import PlanFileError, read_table
from store.queries.measures import all_measures, current_values, measure_key

HEADERS = {
    "measure": "measure", "measure_name": "measure", "indicator": "measure", "name": "measure",
    "kpi": "measure", "period_start": "period_start", "start": "period_start",
    "from": "period_start", "start_date": "period_start", "period_end": "period_end",
    "end": "period_end", "to": "period_end", "end_date": "period_end", "period": "period",
    "month": "period", "value": "value", "actual": "value", "result": "value", "figure": "value",
    "note": "note", "notes": "note", "comment": "note", "commentary": "note", "target": "target",
    "unit": "unit", "units": "unit", "polarity": "polarity", "good_is": "polarity",
    "tolerance": "tolerance", "source": "source",
}  # fmt: skip
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class MeasuresImported:
    file: str
    recorded: int
    replaced: int
    unchanged: int
    created: tuple[str, ...]


@dataclass(frozen=True)
class MeasuresImportProblems:
    file: str
    problems: tuple[str, ...]
    more: int = 0


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    measure: SuccessMeasure | None = None
    new_name: str | None = None
    period: Period | None = None
    value: float = 0.0
    note: str | None = None


@dataclass
class _Check:
    file: str
    today: date
    create: bool
    problems: list[str] = field(default_factory=list)
    by_key: dict[str, SuccessMeasure] = field(default_factory=dict)

    def add(self, row: int, column: str, problem: str) -> None:
        self.problems.append(f"row {row}, {column}: {problem}")


def _columns(header: list[str], check: _Check) -> list[str | None]:
    names = [HEADERS.get(re.sub(r"[\s-]+", "_", h.strip().lower())) for h in header]
    has = set(names)
    missing = [n for n in ("measure", "value") if n not in has]
    if "period" not in has and not {"period_start", "period_end"} <= has:
        missing.append("period_start and period_end (or period)")
    if missing:
        check.problems.append(
            "the header needs " + ", ".join(missing) + ": use measure,period_start,period_end,value"
        )
    return names


def _period(row: _Row, check: _Check) -> Period | None:
    cells = row.cells
    if cells.get("period_start") or cells.get("period_end"):
        try:
            start = date.fromisoformat(cells.get("period_start", "").strip()[:10])
            end = date.fromisoformat(cells.get("period_end", "").strip()[:10])
        except ValueError:
            check.add(row.number, "period", "dates are written 2023-01-01")
            return None
        if end < start:
            check.add(row.number, "period_end", f"{end} is before the period starts ({start})")
            return None
        return Period(start, end)
    period = read_period(cells.get("period", ""))
    if period is None:
        check.add(row.number, "period", f"'{cells.get('period', '')}' is not a month or quarter")
    return period


def _measure(row: _Row, pool: list[SuccessMeasure], session: Session, check: _Check) -> None:
    name = row.cells.get("measure", "").strip()
    if not name:
        check.add(row.number, "measure", "is empty")
        return
    exact = check.by_key.get(measure_key(name))
    if exact is not None:
        row.measure = exact
    elif check.create:
        row.new_name = " ".join(name.split())[:300]
    else:
        # A file names measures exactly: a close name is offered, never taken silently.
        found = find_measure(session, name, pool)
        close = found.choices or ((found.measure.name,) if found.measure else ())
        hint = (" — did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else ""
        check.add(row.number, "measure", f"no measure is called '{name}'{hint} (--create adds it)")


def _check_row(row: _Row, pool: list[SuccessMeasure], session: Session, check: _Check) -> None:
    _measure(row, pool, session, check)
    row.period = _period(row, check)
    if row.period is not None and row.period.start > check.today:
        check.add(row.number, "period", f"{row.period.label} is in the future")
    unit = unit_of(row.cells.get("unit"))
    if row.cells.get("unit", "").strip() and unit is None:
        check.add(row.number, "unit", f"'{row.cells['unit']}' is not count, %, rate or days")
    if row.cells.get("polarity", "").strip() and polarity_of(row.cells["polarity"]) is None:
        check.add(row.number, "polarity", "use higher, lower or near")
    unit = unit or (row.measure.unit if row.measure else None)
    name = row.measure.name if row.measure else row.new_name or ""
    for column in ("target", "tolerance"):
        if row.cells.get(column, "").strip():
            try:
                read_value(row.cells[column], unit, name)
            except ValueProblem as problem:
                check.add(row.number, column, str(problem))
    try:
        row.value = read_value(row.cells.get("value", ""), unit, name)
    except ValueProblem as problem:
        check.add(row.number, "value", str(problem))
    try:
        row.note = clean_note(row.cells.get("note"))
    except NoteRefused as problem:
        check.add(row.number, "note", str(problem))


def import_values(
    session: Session, request: Request, filename: str, raw: bytes, *, create: bool = False
) -> MeasuresImported | MeasuresImportProblems:
    check = _Check(filename, request.clock.today(), create)
    try:
        table = read_table(raw, filename)
    except PlanFileError as error:
        return MeasuresImportProblems(filename, (error.problem,))
    names = _columns(table[0], check) if table else []
    if check.problems:
        return MeasuresImportProblems(filename, tuple(check.problems))
    pool = all_measures(session)
    check.by_key = {m.key: m for m in pool}
    rows: list[_Row] = []
    seen: dict[tuple[str, date], int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = _Row(number, {n: c for n, c in zip(names, cells, strict=False) if n})
        _check_row(row, pool, session, check)
        key = measure_key(row.measure.name if row.measure else row.new_name or "")
        if row.period is not None and key:
            first = seen.setdefault((key, row.period.start), number)
            if first != number:
                check.add(number, "period", f"{row.period.label} is already on row {first}")
        rows.append(row)
    if check.problems:
        shown = tuple(check.problems[:MAX_PROBLEMS])
        return MeasuresImportProblems(filename, shown, len(check.problems) - len(shown))
    return _write(session, request, filename, rows)


def _apply_settings(measure: SuccessMeasure, cells: dict[str, str]) -> None:
    unit = unit_of(cells.get("unit"))
    polarity = polarity_of(cells.get("polarity"))
    measure.unit = unit or measure.unit
    measure.polarity = polarity or measure.polarity
    if cells.get("target", "").strip():
        measure.target = read_value(cells["target"], measure.unit, measure.name)
    if cells.get("tolerance", "").strip():
        measure.tolerance = read_value(cells["tolerance"], measure.unit, measure.name)


def _write(session: Session, request: Request, filename: str, rows: list[_Row]) -> MeasuresImported:
    now = request.clock.utcnow()
    created: dict[str, SuccessMeasure] = {}
    counts = {"recorded": 0, "replaced": 0, "unchanged": 0}
    ids = list({row.measure.id for row in rows if row.measure and row.measure.id})
    current = {
        (v.measure_id, v.period_start): v
        for values in current_values(session, ids).values()
        for v in values
    }
    for row in rows:
        measure = row.measure
        if measure is None:
            key = measure_key(row.new_name or "")
            if key not in created:
                created[key] = SuccessMeasure(key=key, name=row.new_name or key, created_at=now)
                session.add(created[key])
                session.flush()
            measure = created[key]
        _apply_settings(measure, row.cells)
        assert measure.id is not None and row.period is not None
        existing = current.get((measure.id, row.period.start))
        if existing is not None and existing.value == row.value and existing.note == row.note:
            counts["unchanged"] += 1
            continue
        if existing is not None:
            existing.superseded_at = now
            session.add(existing)
        value = MeasureValue(
            measure_id=measure.id,
            period_start=row.period.start,
            period_end=row.period.end,
            value=row.value,
            note=row.note,
            source=(row.cells.get("source") or filename)[:300],
            recorded_by=request.caller.user_id or request.caller.label,
            recorded_at=now,
        )
        session.add(value)
        current[(measure.id, row.period.start)] = value
        counts["replaced" if existing is not None else "recorded"] += 1
    for measure in {id(r.measure): r.measure for r in rows if r.measure}.values():
        session.add(measure)
    session.flush()
    return MeasuresImported(
        filename,
        counts["recorded"],
        counts["replaced"],
        counts["unchanged"],
        tuple(m.name for m in created.values()),
    )
