"""Annex A of a committee paper as an Excel workbook, for officers who work the tracker in a
spreadsheet: one row per action and step, dates as dates, every other cell text."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from commands.reports.facts import PaperFacts

HEADER = (
    "Reference",
    "Action",
    "Lead",
    "Original due",
    "Current due",
    "Times moved",
    "Last moved",
    "Latest update on",
    "Latest update",
    "Delivery status",
    "Status",
    "Forecast",
    "Next step",
)
WIDTHS = (10, 60, 30, 13, 13, 8, 36, 13, 60, 14, 14, 24, 40)


def tracker_xlsx(facts: PaperFacts) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = "Annex A"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(facts.rows, start=2):
        values = (
            row.ref,
            row.title,
            row.lead,
            row.original_due,
            row.current_due,
            row.rebaselined,
            row.moved,
            row.latest_on,
            row.latest_note or "",
            row.flag,
            row.status,
            row.forecast,
            row.next_step,
        )
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # "=SUM(…)" in a note stays text
            else:
                cell.value = value
    for letter, width in zip("ABCDEFGHIJKLM", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    for date_column in ("D", "E", "H"):
        for dated in sheet[date_column][1:]:
            dated.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
