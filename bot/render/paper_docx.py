"""Writing a committee paper as Word: the seed-001 scrutiny report (and the board pack built on
it) from `commands.reports.facts.PaperFacts`, with python-docx.

Accessibility (PSBAR 2018): real Heading styles, tables with a repeating header row and no merged
cells, and every colour-coded status also written as text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from string import ascii_lowercase

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

from commands.reports.facts import AreaFacts, PaperFacts, TrackerRow

SCRUTINY_HEADINGS = (
    "Summary",
    "Recommendations and Reason",
    "Background",
    "Progress",
    "Consultation",
    "Council Plan",
    "Implications",
    "Contact details",
)
TRACKER_HEADER = (
    "Reference",
    "Action",
    "Lead",
    "Original due",
    "Current due",
    "Latest update",
    "Delivery status",
)
FLAG_SHADE = {
    "Complete": "BDD7EE",
    "On track": "C6EFCE",
    "No update": "FFEB9C",
    "Overdue": "FFC7CE",
    "Blocked": "FFC7CE",
    "Dropped": "D9D9D9",
}
PLACEHOLDER = "[To be completed by the report author: {what}.]"
NOTES_PER_AREA = 3


def shown_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "no date"


def scrutiny_docx(facts: PaperFacts) -> bytes:
    document = Document()
    _title(document, facts, "Progress report")
    _covering_report(document, facts)
    return _saved(document)


def _title(document: DocxDocument, facts: PaperFacts, kind: str) -> None:
    document.add_heading(f"{facts.plan_title}: {kind}", level=0)
    document.add_paragraph(f"Data as at {shown_date(facts.as_of)}.")
    document.add_paragraph(
        f"Progress reported for the period {shown_date(facts.since)} to {shown_date(facts.as_of)}."
    )


def covering_report(document: DocxDocument, facts: PaperFacts, annexes: bool = False) -> None:
    _covering_report(document, facts, annexes)


def _covering_report(document: DocxDocument, facts: PaperFacts, annexes: bool = False) -> None:
    numbered = _Numbered(document)
    document.add_heading("Summary", level=1)
    numbered.add(
        f"The purpose of this paper is to update the Committee on progress against the "
        f"{facts.plan_title}, with data as at {shown_date(facts.as_of)}."
    )
    document.add_heading("Recommendations and Reason", level=1)
    numbered.add("The Committee is asked to note the progress of the action plan.")
    document.add_paragraph("Reason: To keep the Committee updated on the progress of the plan.")
    document.add_heading("Background", level=1)
    total = sum(area.total for area in facts.areas)
    numbered.add(
        f"The {facts.plan_title} has {len(facts.areas)} areas and {total} actions. This paper was "
        f"drafted by planbot from the dated updates held for each action; officers review and "
        f"edit it before it is issued."
    )
    document.add_heading("Progress", level=1)
    numbered.add(
        f"The plan sets out {len(facts.areas)} areas. Below are the areas and the progress "
        f"against each one{' (Annex A lists every action)' if annexes else ''}:"
    )
    for letter, area in zip(_letters(len(facts.areas)), facts.areas, strict=True):
        _area(document, letter, area)
    for heading, what in (
        ("Consultation", "who was consulted"),
        ("Council Plan", "how the plan supports the Council Plan"),
        ("Implications", "financial, human resources, equalities, legal and other implications"),
        ("Contact details", "the author and chief officer responsible"),
    ):
        document.add_heading(heading, level=1)
        document.add_paragraph(PLACEHOLDER.format(what=what))


def _letters(count: int) -> list[str]:
    letters = list(ascii_lowercase)
    return [letters[i % 26] * (i // 26 + 1) for i in range(count)]


class _Numbered:
    """The paper's numbered paragraphs (1., 2., …), written as text so any template keeps them."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.number = 0

    def add(self, text: str) -> None:
        self.number += 1
        self.document.add_paragraph(f"{self.number}.\t{text}")


def area_sentences(area: AreaFacts) -> list[str]:
    """The plain-English progress of one area, each sentence from a template over the data."""
    counts = ", ".join(f"{n} {label}" for label, n in area.counts if n)
    sentences = [f"Of its {area.total} actions: {counts or 'none recorded'}."]
    if area.completed_in_period:
        sentences.append(f"Completed this period: {', '.join(area.completed_in_period)}.")
    if area.updated_in_period:
        sentences.append(f"{area.updated_in_period} items were updated this period.")
    else:
        sentences.append("No change this period: no item in this area was updated.")
    if area.exceptions:
        sentences.append(
            f"{len(area.exceptions)} exceptions ({area.overdue} overdue, "
            f"{len(area.exceptions) - area.overdue} blocked)."
        )
    else:
        sentences.append("No item is overdue or blocked.")
    return sentences


def _area(document: DocxDocument, letter: str, area: AreaFacts) -> None:
    heading = document.add_paragraph(style="List Paragraph")
    heading.add_run(f"{letter}.\t{area.ref}: {area.title}").bold = True
    document.add_paragraph(" ".join(area_sentences(area)))
    for exception in area.exceptions:
        document.add_paragraph(
            f"Exception – {exception.ref} {exception.title}: {exception.reason}; "
            f"owner {exception.owner}; due {shown_date(exception.due)}.",
            style="List Bullet",
        )
    for note in area.notes[:NOTES_PER_AREA]:
        document.add_paragraph(
            f"Latest note, {note.ref} ({shown_date(note.on)}): {note.text}", style="List Bullet"
        )


def tracker_table(document: DocxDocument, rows: Sequence[TrackerRow]) -> Table:
    """Annex A: one row per action, steps beneath it; header row repeats, no merged cells."""
    table = document.add_table(rows=1, cols=len(TRACKER_HEADER))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header._tr)
    for cell, text in zip(header.cells, TRACKER_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        latest = f"{shown_date(row.latest_on)}: {row.latest_note}" if row.latest_on else "no update"
        current = shown_date(row.current_due)
        if row.rebaselined:
            current += f" (moved {row.rebaselined}×)"
        values = (
            row.ref,
            row.title,
            row.lead,
            shown_date(row.original_due),
            current,
            latest,
            f"{row.flag} ({row.status})",
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
        _shade(cells[-1]._tc, FLAG_SHADE.get(row.flag, "FFFFFF"))
    return table  # type: ignore[no-any-return]


def _repeat_header(tr: object) -> None:
    properties = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _shade(tc: object, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _saved(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
