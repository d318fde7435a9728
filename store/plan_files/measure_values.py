"""Measure values files as tables of text cells: reading a CSV or XLSX, writing a CSV.

The same readers as plan sheets (UTF-8 checks, Excel's semicolon CSVs, zip-bomb limits); the
commands layer decides what the columns mean.
"""

from __future__ import annotations

import csv
import io

from store.plan_files.plan_doc import PlanFileError
from store.plan_files.sheet_plan import _csv_rows, _xlsx_rows, formula_neutralised

__all__ = ["PlanFileError", "read_table", "write_csv"]


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    """The file's rows of cells (the first is the header); PlanFileError says what is wrong."""
    if not raw.strip():
        raise PlanFileError(filename, "", "the file is empty")
    if filename.lower().endswith(".xlsx"):
        return _xlsx_rows(raw, filename)
    return _csv_rows(raw, filename)


def write_csv(rows: list[list[str]]) -> str:
    """CSV text; a cell that a spreadsheet would run as a formula is written as plain text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([formula_neutralised(cell) for cell in row])
    return out.getvalue()
