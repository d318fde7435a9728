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
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.table import Table

from bot.render.paper_chart import delivery_chart
from commands.measures.scorecard import ScorecardRow
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
    "Forecast",
)
TRACKER_WIDTHS = (0.8, 1.9, 1.0, 0.8, 0.9, 2.0, 0.8, 0.8)  # inches: 9 across a landscape page
SCORECARD_HEADER = (
    "Measure",
    "Evidences",
    "Latest",
    "Target",
    "Against target",
    "Direction",
    "Variation",
    "Assurance",
    "Commentary",
)
SCORECARD_WIDTHS = (1.3, 0.9, 0.9, 0.7, 0.7, 0.9, 1.3, 0.9, 1.2)
RAG_SHADE = {"Red": "FFC7CE", "Amber": "FFEB9C", "Green": "C6EFCE"}
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
EXCEPTIONS_WITH_ANNEX = 3  # per area in a pack whose Annex A lists the rest: ~4 sides of A4


def shown_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "no date"


def scrutiny_docx(facts: PaperFacts) -> bytes:
    document = Document()
    _title(document, facts, "Progress report")
    _covering_report(document, facts)
    return _saved(document)


def board_docx(facts: PaperFacts, measures: Sequence[ScorecardRow]) -> bytes:
    """The quarterly board pack: the covering report, Annex A (the tracker) and Annex B (the
    success measures' scorecard), the annexes on landscape pages."""
    document = Document()
    _title(document, facts, "Assurance and Ambition Board pack")
    _covering_report(document, facts, annexes=True, audience="Board")
    _landscape(document)
    document.add_heading("Annex A: Action tracker", level=1)
    document.add_paragraph(
        f"Every action, with its steps beneath it, as it stood on {shown_date(facts.as_of)}. "
        "Delivery status is written as words; the shading repeats it."
    )
    tracker_table(document, facts.rows)
    document.add_heading("Annex B: Success measures", level=1)
    if measures:
        document.add_paragraph(
            "Each measure's latest value against its target, its direction of travel, and what "
            "its XmR chart says: variation (is the change real?) and assurance (will the target "
            "be met as things run now?). Fewer than 10 values: direction of travel only."
        )
        scorecard_table(document, measures)
    else:
        document.add_paragraph(
            "No success measure has a value or a target recorded yet "
            "(planbot measures import adds them)."
        )
    return _saved(document)


CHALLENGE_HEADINGS = (
    "Their items",
    "Exceptions",
    "Changes since the last session",
    "Questions to ask",
)


def challenge_docx(facts: PaperFacts) -> bytes:
    """The monthly support-and-challenge pack for one Head of Service: their items, the
    exceptions, what changed since the last session, and questions drawn from the data."""
    document = Document()
    _landscape_first(document)
    document.add_heading(f"Support and challenge: {facts.scope}", level=0)
    document.add_paragraph(f"Data as at {shown_date(facts.as_of)}.")
    document.add_paragraph(
        f"Changes since {shown_date(facts.since)} (the last session). Drafted by planbot from "
        "the dated updates; the chair edits it before the session."
    )
    document.add_heading(CHALLENGE_HEADINGS[0], level=1)
    actions = sum(area.total for area in facts.areas)
    tally: dict[str, int] = {}
    for area in facts.areas:
        for label, n in area.counts:
            tally[label] = tally.get(label, 0) + n
    counts = ", ".join(f"{n} {label}" for label, n in tally.items() if n)
    areas = ", ".join(area.ref for area in facts.areas)
    document.add_paragraph(f"{actions} actions across {areas}: {counts or 'none recorded'}.")
    tracker_table(document, facts.rows)
    document.add_heading(CHALLENGE_HEADINGS[1], level=1)
    exceptions = [e for area in facts.areas for e in area.exceptions]
    if not exceptions:
        document.add_paragraph("No item is overdue or blocked.")
    for exception in exceptions:
        document.add_paragraph(
            f"{exception.ref} {exception.title.rstrip('.')}: {exception.reason}; due "
            f"{shown_date(exception.due)}.",
            style="List Bullet",
        )
    document.add_heading(CHALLENGE_HEADINGS[2], level=1)
    notes = [note for area in facts.areas for note in area.notes]
    done = [ref for area in facts.areas for ref in area.completed_in_period]
    if done:
        document.add_paragraph(f"Completed: {', '.join(done)}.")
    if not notes and not done:
        document.add_paragraph("No change this period: none of these items was updated.")
    for note in sorted(notes, key=lambda n: n.on, reverse=True):
        document.add_paragraph(
            f"{note.ref} ({shown_date(note.on)}): {note.text}", style="List Bullet"
        )
    document.add_heading(CHALLENGE_HEADINGS[3], level=1)
    for question in challenge_questions(facts):
        document.add_paragraph(question, style="List Number")
    return _saved(document)


def challenge_questions(facts: PaperFacts) -> list[str]:
    """Questions for the session, each from a fact in the data (never invented)."""
    questions: list[str] = []
    for area in facts.areas:
        for exception in area.exceptions:
            if exception.reason == "blocked":
                questions.append(f"{exception.ref} is blocked: what would unblock it, and who?")
            else:
                questions.append(
                    f"{exception.ref} was due {shown_date(exception.due)} ({exception.reason}): "
                    "what is the realistic new date, and what stands in the way?"
                )
    silent = [
        row.ref
        for row in facts.rows
        if row.flag not in ("Complete", "Dropped")
        and (row.latest_on is None or row.latest_on < facts.since)
    ]
    if silent:
        questions.append(
            f"No written update since the last session on {', '.join(silent[:12])}"
            f"{' and others' if len(silent) > 12 else ''}: where do they stand?"
        )
    for ref in facts.date_moves.awaiting:
        questions.append(f"{ref} asks for a new date: is the reason accepted?")
    if not questions:
        questions.append("Nothing is overdue, blocked or silent: what is the next risk?")
    return questions


def _landscape_first(document: DocxDocument) -> None:
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = height, width


def _title(document: DocxDocument, facts: PaperFacts, kind: str) -> None:
    document.add_heading(f"{facts.plan_title}: {kind}", level=0)
    document.add_paragraph(f"Data as at {shown_date(facts.as_of)}.")
    document.add_paragraph(
        f"Progress reported for the period {shown_date(facts.since)} to {shown_date(facts.as_of)}."
    )


def _covering_report(
    document: DocxDocument, facts: PaperFacts, annexes: bool = False, audience: str = "Committee"
) -> None:
    numbered = _Numbered(document)
    document.add_heading("Summary", level=1)
    numbered.add(
        f"The purpose of this paper is to update the {audience} on progress against the "
        f"{facts.plan_title}, with data as at {shown_date(facts.as_of)}."
    )
    document.add_heading("Recommendations and Reason", level=1)
    numbered.add(f"The {audience} is asked to note the progress of the action plan.")
    document.add_paragraph(f"Reason: To keep the {audience} updated on the progress of the plan.")
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
    _chart(document, facts)
    listed = EXCEPTIONS_WITH_ANNEX if annexes else None
    moves = facts.date_moves
    awaiting = f" ({', '.join(moves.awaiting)})" if moves.awaiting else ""
    numbered.add(
        f"Due dates moved in the period: {moves.approved} with approval, {moves.recorded} where "
        f"the plan does not ask for approval; {len(moves.awaiting)} requests await approval"
        f"{awaiting}. Dates moved with approval are re-scheduling, reported apart from slippage."
        + (f" Flagged for the {audience}: {'; '.join(moves.flagged)}." if moves.flagged else "")
    )
    for letter, area in zip(letters(len(facts.areas)), facts.areas, strict=True):
        _area(document, letter, area, listed)
    for heading, what in (
        ("Consultation", "who was consulted"),
        ("Council Plan", "how the plan supports the Council Plan"),
        ("Implications", "financial, human resources, equalities, legal and other implications"),
        ("Contact details", "the author and chief officer responsible"),
    ):
        document.add_heading(heading, level=1)
        document.add_paragraph(PLACEHOLDER.format(what=what))


def _chart(document: DocxDocument, facts: PaperFacts) -> None:
    """Delivery by area, with its alt text on the picture (what a screen reader reads)."""
    png, alt = delivery_chart(facts)
    picture = document.add_picture(io.BytesIO(png), width=Inches(6.0))
    picture._inline.docPr.set("descr", alt)
    picture._inline.docPr.set("title", "Delivery by area")


def letters(count: int) -> list[str]:
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
    if area.evidenced or area.awaiting_evidence:  # impact beside delivery, labelled apart
        sentences.append(
            f"Evidence of completion: {area.evidenced} done with evidence recorded, "
            f"{area.awaiting_evidence} done and awaiting evidence or sign-off."
        )
    if area.completed_in_period:
        sentences.append(f"Completed this period: {', '.join(area.completed_in_period)}.")
    if area.updated_in_period:
        updated = area.updated_in_period
        sentences.append(
            f"{updated} {'item was' if updated == 1 else 'items were'} updated this period."
        )
    else:
        sentences.append("No change this period: no item in this area was updated.")
    if area.forecast:
        sentences.append(f"Due before the next meeting: {'; '.join(area.forecast)}.")
    if area.exceptions:
        sentences.append(
            f"{len(area.exceptions)} exception{'' if len(area.exceptions) == 1 else 's'} "
            f"({area.overdue} overdue, "
            f"{len(area.exceptions) - area.overdue} blocked)."
        )
    else:
        sentences.append("No item is overdue or blocked.")
    return sentences


def _area(document: DocxDocument, letter: str, area: AreaFacts, listed: int | None) -> None:
    """One lettered area; `listed` caps the exceptions named (the rest are in Annex A)."""
    heading = document.add_paragraph(style="List Paragraph")
    heading.add_run(f"{letter}.\t{area.ref}: {area.title}").bold = True
    document.add_paragraph(" ".join(area_sentences(area)))
    named = area.exceptions if listed is None else area.exceptions[:listed]
    for exception in named:
        document.add_paragraph(
            f"Exception – {exception.ref} {exception.title.rstrip('.')}: {exception.reason}; "
            f"owner {exception.owner}; due {shown_date(exception.due)}.",
            style="List Bullet",
        )
    if len(named) < len(area.exceptions):
        document.add_paragraph(
            f"…and {len(area.exceptions) - len(named)} more, listed in Annex A.",
            style="List Bullet",
        )
    for note in area.notes[:NOTES_PER_AREA]:
        document.add_paragraph(
            f"Latest note, {note.ref} ({shown_date(note.on)}): {note.text}", style="List Bullet"
        )


def tracker_table(document: DocxDocument, rows: Sequence[TrackerRow]) -> Table:
    """Annex A: one row per action, steps beneath it; header row repeats, no merged cells."""
    table = _header_table(document, TRACKER_HEADER, TRACKER_WIDTHS)
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
            row.forecast or "—",
        )
        _fill(cells, values, TRACKER_WIDTHS)
        _shade(cells[6]._tc, FLAG_SHADE.get(row.flag, "FFFFFF"))
    return table


def scorecard_table(document: DocxDocument, rows: Sequence[ScorecardRow]) -> Table:
    """Annex B: one row per measure; header row repeats, no merged cells, RAG as words."""
    table = _header_table(document, SCORECARD_HEADER, SCORECARD_WIDTHS)
    for row in rows:
        cells = table.add_row().cells
        latest = f"{row.latest} ({row.period})" if row.period else row.latest
        variation = row.variation if not row.spc_note else f"{row.variation} — {row.spc_note}"
        values = (
            row.name,
            ", ".join(row.refs) or "—",
            latest,
            row.target or "no target",
            row.rag,
            row.direction,
            variation,
            row.assurance,
            row.commentary or "—",
        )
        _fill(cells, values, SCORECARD_WIDTHS)
        _shade(cells[4]._tc, RAG_SHADE.get(row.rag, "FFFFFF"))
    return table


def _header_table(document: DocxDocument, header: Sequence[str], widths: Sequence[float]) -> Table:
    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Inches(width)
    first = table.rows[0]
    _repeat_header(first._tr)
    for cell, text, width in zip(first.cells, header, widths, strict=True):
        cell.text = ""
        cell.width = Inches(width)
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
    return table


def _fill(cells: Sequence[object], values: Sequence[str], widths: Sequence[float]) -> None:
    for cell, text, width in zip(cells, values, widths, strict=True):
        cell.text = text  # type: ignore[attr-defined]
        cell.width = Inches(width)  # type: ignore[attr-defined]
        for run in cell.paragraphs[0].runs:  # type: ignore[attr-defined]
            run.font.size = Pt(8)


def _landscape(document: DocxDocument) -> None:
    """Start a new landscape page for the wide annex tables."""
    portrait = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = portrait.page_height, portrait.page_width


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
