"""`planbot measures export`: every current value as the import reads it (CSV or XLSX), so a
file exported, edited in Excel and imported again round-trips. Counts below the small-number
threshold are written as "fewer than 5" unless `exact` (the performance team's working copy)."""

from __future__ import annotations

from sqlmodel import Session

from commands.measures.numbers import show_value, suppressed
from commands.measures.settings import MeasureSettings
from store.plan_files.measure_values import write_csv, write_xlsx
from store.queries.measures import all_measures, current_values

HEADER = ["measure", "period_start", "period_end", "value", "note", "target", "unit", "polarity"]
POLARITY_WORDS = {"up": "higher", "down": "lower", "near": "near"}


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.12g}"


def export_values(session: Session, settings: MeasureSettings, *, exact: bool = False) -> str:
    """The values as CSV text."""
    return write_csv(export_rows(session, settings, exact=exact))


def as_workbook(rows: list[list[str]]) -> bytes:
    """Exported rows as an .xlsx workbook: values and targets as numbers, the rest as text."""
    return write_xlsx(rows, numeric=("value", "target"))


def export_rows(
    session: Session, settings: MeasureSettings, *, exact: bool = False
) -> list[list[str]]:
    """The header and one row per measure and period, as text cells."""
    rows = [HEADER]
    values = current_values(session)
    for measure in all_measures(session):
        for value in values.get(measure.id or 0, []):
            hidden = not exact and suppressed(value.value, measure.unit, settings.small_count)
            rows.append(
                [
                    measure.name,
                    value.period_start.isoformat(),
                    value.period_end.isoformat(),
                    show_value(value.value, measure.unit, settings.small_count)
                    if hidden
                    else _number(value.value),
                    value.note or "",
                    _number(measure.target),
                    measure.unit or "",
                    POLARITY_WORDS.get(measure.polarity or "", ""),
                ]
            )
    return rows
