"""A plan written as a council would lay it out in Word: one table, a merged heading row per
area, then Ref / Action / How / Who / When / Status rows with the steps as bullets.

Used to build Word plans from York's own text (tests, bench/bench_council_import.py) so that the
Word reader is tried on a real plan without shipping a binary fixture.
"""

from __future__ import annotations

import io

from docx import Document
from docx.table import _Cell

from store.plan_files.plan_doc import ActionDoc, PlanDoc

HEADER = ("Ref", "Action", "How", "Who", "When", "Status")


def _bullets(cell: _Cell, lines: list[str]) -> None:
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.text = line
        paragraph.style = "List Bullet"


def _cells(action: ActionDoc) -> tuple[str, ...]:
    return (
        action.ref,
        action.text,
        "",
        "\n".join(action.owners),
        "\n".join(action.dates) or (action.timescale or ""),
        (action.status or "").replace("_", " "),
    )


def plan_to_docx(plan: PlanDoc) -> bytes:
    """The Word document's bytes."""
    document = Document()
    document.add_heading(plan.title, 1)
    rows = 1 + sum(1 + len(area.actions) for area in plan.areas)
    table = document.add_table(rows=rows, cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    row = 1
    for area in plan.areas:
        heading = table.cell(row, 0).merge(table.cell(row, len(HEADER) - 1))
        heading.text = f"{area.ref[len(plan.prefix) :]}. {area.title}"
        row += 1
        for action in area.actions:
            for column, text in enumerate(_cells(action)):
                if text:
                    table.cell(row, column).text = text
            if action.steps:
                _bullets(table.cell(row, 2), [step.text for step in action.steps])
            row += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
