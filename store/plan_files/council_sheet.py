"""A council's own spreadsheet (.xlsx sheets or a .csv) as `council_table.Table`s.

Merged cells are filled from their top-left cell and marked `merged_up` below it, as in Word; a
workbook gets the same size and zip-bomb checks as planbot's own spreadsheet format.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from store.plan_files.council_table import Cell, Table
from store.plan_files.plan_doc import PlanFileError
from store.plan_files.sheet_files import cell_text, check_unpacked_size, refuse_locked


def xlsx_tables(raw: bytes, file: str) -> list[Table]:
    refuse_locked(raw, file)
    check_unpacked_size(raw, file)
    try:
        workbook = load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise PlanFileError(
            file, "", f"is not an Excel .xlsx workbook ({type(error).__name__}); save it as .xlsx"
        ) from None
    tables = []
    for sheet in workbook.worksheets:
        grid = [
            [Cell(cell_text(value)) for value in row] for row in sheet.iter_rows(values_only=True)
        ]
        for merged in sheet.merged_cells.ranges:
            top = merged.min_row - 1
            left = merged.min_col - 1
            if top >= len(grid) or left >= len(grid[top]):
                continue
            text = grid[top][left].text
            for r in range(top, min(merged.max_row, len(grid))):
                for c in range(left, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = Cell(text, merged_up=r > top)
        tables.append(Table(f"sheet '{sheet.title}'", grid))
    workbook.close()
    return tables


def csv_table(rows: list[list[str]]) -> list[Table]:
    return [Table("the sheet", [[Cell(text) for text in row] for row in rows])]
