"""Measure values files as tables of text cells: reading a CSV or XLSX, writing either.

The same readers as plan sheets (UTF-8 checks, Excel's semicolon CSVs, zip-bomb limits); the
commands layer decides what the columns mean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from store.plan_files.plan_doc import PlanFileError
from store.plan_files.sheet_files import csv_rows, formula_neutralised, xlsx_rows

__all__ = ["PlanFileError", "read_table", "write_csv", "write_xlsx"]


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    """The file's rows of cells (the first is the header); PlanFileError says what is wrong."""
    if not raw.strip():
        raise PlanFileError(filename, "", "the file is empty")
    if filename.lower().endswith(".xlsx"):
        return xlsx_rows(raw, filename)
    return csv_rows(raw, filename)


def write_csv(rows: list[list[str]]) -> str:
    """CSV text; a cell that a spreadsheet would run as a formula is written as plain text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([formula_neutralised(cell) for cell in row])
    return out.getvalue()


def write_xlsx(rows: list[list[str]], *, numeric: Sequence[str] = ()) -> bytes:
    """An .xlsx workbook with one sheet, "values". Cells under the `numeric` headers that read as
    numbers are written as numbers; every other cell is text, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = "values"
    header = rows[0] if rows else []
    numbers = {index for index, name in enumerate(header) if name in numeric}
    for row_number, values in enumerate(rows, 1):
        for index, value in enumerate(values):
            if not value:
                continue
            cell = sheet.cell(row=row_number, column=index + 1)
            if row_number > 1 and index in numbers and _is_number(value):
                cell.value = float(value)
            else:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header):
        width = 40 if name in ("measure", "note") else 14
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
