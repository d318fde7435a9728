"""Made-up councils' plans, written in the tests with python-docx and openpyxl (no binary
fixtures): each council has its own headers, owners, dates and status words."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.table import Table as DocxTable
from openpyxl import Workbook

TORBAY_HEADER = (
    "No",
    "What",
    "Who",
    "How",
    "When",
    "Success measures",
    "Current status",
    "Outcome",
)


def _fill(table: DocxTable, rows: Sequence[Sequence[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            lines = text.split("\n")
            bullets = [line[2:] for line in lines if line.startswith("- ")]
            if bullets and len(bullets) == len(lines):
                cell.text = ""
                first = True
                for bullet in bullets:
                    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
                    paragraph.text = bullet
                    paragraph.style = "List Bullet"
                    first = False
            else:
                cell.text = text


def docx_table(document: Document, rows: Sequence[Sequence[str]]) -> DocxTable:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    _fill(table, rows)
    return table


def merge_row(table: DocxTable, row: int, text: str) -> None:
    """Make a whole row one merged heading cell."""
    merged = table.cell(row, 0).merge(table.cell(row, len(table.columns) - 1))
    merged.text = text


def merge_down(table: DocxTable, column: int, first: int, last: int, text: str) -> None:
    merged = table.cell(first, column).merge(table.cell(last, column))
    merged.text = text


def torbay_docx(path: Path) -> Path:
    """Torbay-style: area headings as merged rows, bulleted How, "Name, Role" owners, statuses
    1-4, the table split across two pages (header repeated) and a row continuing the row before,
    plus a contents table that is not the plan."""
    document = Document()
    document.add_heading("Improvement Plan 2023/24", 1)
    docx_table(document, [("Section", "Page"), ("Introduction", "2"), ("The plan", "3")])
    first = docx_table(
        document,
        [
            TORBAY_HEADER,
            ("1. Leadership and governance", "", "", "", "", "", "", ""),
            (
                "1.1",
                "Strengthen the improvement board",
                "Jane Smith, Director of Children’s Services",
                "- Refresh terms of reference\n- Add an independent chair",
                "End Oct 03",
                "Board minutes show challenge",
                "1",
                "Leaders know their service",
            ),
            (
                "1.2",
                "Audit practice monthly",
                "“Head of Quality Assurance”",
                "- Agree the audit tool\n- Run moderation",
                "Q3 2023/24",
                "90% of audits graded",
                "2 - Partially achieved",
                "",
            ),
        ],
    )
    merge_row(first, 1, "1. Leadership and governance")
    document.add_page_break()
    second = docx_table(
        document,
        [
            TORBAY_HEADER,
            ("", "", "", "- Report to scrutiny", "", "", "", ""),
            ("2. Children in care", "", "", "", "", "", "", ""),
            (
                "2.1",
                "Review every care plan",
                "Tom Brown, Head of Children in Care",
                "- List the plans\n- Review them",
                "Ongoing",
                "",
                "4",
                "",
            ),
            ("2.2", "Recruit foster carers", "Head of Fostering", "", "Spring 2024", "", "3", ""),
        ],
    )
    merge_row(second, 2, "2. Children in care")
    document.save(str(path))
    return path


def borset_xlsx(path: Path) -> Path:
    """Ref / Action / Lead officer / Target date / Progress / RAG, with a merged Area column,
    curly-quoted owners, RAG letters and a misspelt header."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    rows = [
        ("Area", "Ref", "Action", "Lead officer", "Targt date", "Progress", "RAG", "Budget"),
        (
            "Front door",
            "A1",
            "Review MASH thresholds",
            "“Head of Children in Care”",
            "31/03/2024",
            "Thresholds agreed at board",
            "G",
            "£2k",
        ),
        (
            None,
            "A2",
            "Train call handlers",
            "Head of MASH ",
            "end of Q3",
            "Half of staff trained",
            "A",
            "",
        ),
        (
            "Care leavers",
            "B1",
            "Open a local offer hub",
            "Head of Care Leavers",
            "w/c 12/02/2024",
            "Blocked by premises",
            "R",
            "",
        ),
        (
            None,
            "B2",
            "Publish the local offer",
            "Head of Care Leavers",
            "Sept 2023",
            "Published",
            "Complete",
            "",
        ),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("A4:A5")
    book.save(path)
    return path


def wexham_csv(path: Path) -> Path:
    """Priority / Action No / Key actions / Responsible officer / Deadline / Status / Update /
    Last updated: status words, a status date per row, and steps continuing over rows."""
    rows = [
        (
            "Priority",
            "Action No",
            "Key actions",
            "Responsible officer",
            "Deadline",
            "Status",
            "Update",
            "Last updated",
        ),
        (
            "Early help",
            "EH1",
            "Launch family hubs",
            "Head of Early Help",
            "Q4 2023/24",
            "On track",
            "Two hubs open",
            "01/11/2023",
        ),
        ("", "", "- Open the third hub", "", "", "", "", ""),
        (
            "",
            "EH2",
            "Publish the early help strategy",
            "Head of Early Help",
            "2023/24",
            "Achieved",
            "Signed off by cabinet",
            "01/11/2023",
        ),
        (
            "Workforce",
            "WF1",
            "Cut agency staff",
            "Head of Workforce",
            "Summer 2024",
            "Stalled",
            "Market is tight",
            "15/10/2023",
        ),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def kestrel_docx(path: Path) -> Path:
    """Theme / Ref / Action / Responsible / Timescale / RAG: a merged Theme cell spanning its
    actions, steps as bullets inside the action cell."""
    document = Document()
    table = docx_table(
        document,
        [
            ("Theme", "Ref", "Action", "Responsible", "Target date", "BRAG"),
            (
                "",
                "1",
                "Improve supervision\n- Agree a supervision policy\n- Audit records",
                "Principal Social Worker",
                "30/06/2024",
                "Amber",
            ),
            ("", "2", "Stabilise the workforce", "Head of Workforce", "March 2024", "Red"),
            (
                "",
                "3",
                "Refresh the practice model",
                "Principal Social Worker",
                "Autumn 2024",
                "Green",
            ),
        ],
    )
    merge_down(table, 0, 1, 3, "Practice quality")
    document.save(str(path))
    return path


def xlsx_from_rows(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path
