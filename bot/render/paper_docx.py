"""Writing a committee paper as Word: the seed-001 scrutiny report (and the board pack built on
it) from `commands.reports.facts.PaperFacts`, with python-docx.

Accessibility (PSBAR 2018): real Heading styles, tables with a repeating header row and no merged
cells, and every colour-coded status also written as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from string import ascii_lowercase
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Inches, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.render.paper_chart import delivery_chart, trend_chart
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
    "Next step",
)
# inches: 10.15 across a landscape A4 page with 0.75-inch margins
TRACKER_WIDTHS = (0.9, 1.7, 1.0, 0.8, 1.0, 1.85, 0.85, 0.85, 1.2)
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
# Characters XML 1.0 cannot hold (a pasted control character in a note would break the file).
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TREND_TITLE = "Open, overdue and done since the plan began"
PLACEHOLDER = "[To be completed by the report author: {what}.]"
NOTES_PER_AREA = 3
EXCEPTIONS_WITH_ANNEX = 3  # per area in a pack whose Annex A lists the rest: ~4 sides of A4


def a4_document() -> DocxDocument:
    """A new Word document on A4, as UK councils print (python-docx starts on US Letter)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    return document


def shown_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "no date"


def scrutiny_docx(facts: PaperFacts) -> bytes:
    document = a4_document()
    _title(document, facts, "Progress report")
    _covering_report(document, facts)
    return _saved(document)


def board_docx(facts: PaperFacts, measures: Sequence[ScorecardRow]) -> bytes:
    """The quarterly board pack: the covering report, Annex A (the tracker) and Annex B (the
    success measures' scorecard), the annexes on landscape pages."""
    document = a4_document()
    _title(document, facts, "Assurance and Ambition Board pack")
    _covering_report(document, facts, annexes=True, audience="Board")
    landscape_section(document)
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
    document = a4_document()
    landscape_section(document, first=True)
    document.add_heading(f"Support and challenge: {facts.scope}", level=0)
    document.add_paragraph(f"Data as at {shown_date(facts.as_of)}.")
    document.add_paragraph(
        f"Changes since {shown_date(facts.since)} (the last session). Drafted by planbot from "
        "the dated updates; the chair edits it before the session."
    )
    document.add_heading(CHALLENGE_HEADINGS[0], level=1)
    document.add_paragraph(their_counts(facts))
    tracker_table(document, facts.rows)
    _trend(document, facts)
    document.add_heading(CHALLENGE_HEADINGS[1], level=1)
    for line in their_exceptions(facts) or ["No item is overdue or blocked."]:
        document.add_paragraph(line, style="List Bullet")
    document.add_heading(CHALLENGE_HEADINGS[2], level=1)
    for line in their_changes(facts):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading(CHALLENGE_HEADINGS[3], level=1)
    for question in challenge_questions(facts):
        document.add_paragraph(question, style="List Number")
    return _saved(document)


def their_counts(facts: PaperFacts) -> str:
    """One Head of Service's actions counted by delivery status, and the areas they sit in."""
    actions = sum(area.total for area in facts.areas)
    tally: dict[str, int] = {}
    for area in facts.areas:
        for label, n in area.counts:
            tally[label] = tally.get(label, 0) + n
    counts = ", ".join(f"{n} {label}" for label, n in tally.items() if n)
    areas = ", ".join(area.ref for area in facts.areas)
    return f"{actions} actions across {areas}: {counts or 'none recorded'}."


def their_exceptions(facts: PaperFacts) -> list[str]:
    return [
        f"{e.ref} {e.title.rstrip('.')}: {e.reason}; due {shown_date(e.due)}."
        for area in facts.areas
        for e in area.exceptions
    ]


def their_changes(facts: PaperFacts) -> list[str]:
    """Completions and the dated notes of the period, newest first; says so when there were
    none."""
    notes = [note for area in facts.areas for note in area.notes]
    done = [ref for area in facts.areas for ref in area.completed_in_period]
    lines = [f"Completed: {', '.join(done)}."] if done else []
    if not notes and not done:
        lines.append("No change this period: none of these items was updated.")
    lines += [
        f"{note.ref} ({shown_date(note.on)}): {note.text}"
        for note in sorted(notes, key=lambda n: n.on, reverse=True)
    ]
    return lines


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
    numbered.add(moves_sentence(facts, audience))
    styles = _Styles.of(document)
    for letter, area in zip(letters(len(facts.areas)), facts.areas, strict=True):
        _area(document, styles, letter, area, listed)
    for heading, what in (
        ("Consultation", "who was consulted"),
        ("Council Plan", "how the plan supports the Council Plan"),
        ("Implications", "financial, human resources, equalities, legal and other implications"),
        ("Contact details", "the author and chief officer responsible"),
    ):
        document.add_heading(heading, level=1)
        document.add_paragraph(PLACEHOLDER.format(what=what))


def moves_sentence(facts: PaperFacts, audience: str) -> str:
    """The period's date moves: re-scheduling with approval, counted apart from slippage."""
    moves = facts.date_moves
    awaiting = f" ({', '.join(moves.awaiting)})" if moves.awaiting else ""
    return (
        f"Due dates moved in the period: {moves.approved} with approval, {moves.recorded} where "
        f"the plan does not ask for approval; {len(moves.awaiting)} requests await approval"
        f"{awaiting}. Dates moved with approval are re-scheduling, reported apart from slippage."
        + (f" Flagged for the {audience}: {'; '.join(moves.flagged)}." if moves.flagged else "")
    )


def charts(facts: PaperFacts) -> tuple[tuple[bytes, str, str], ...]:
    """The paper's charts: (PNG, alt text, title) for delivery by area and the trend."""
    delivery, trend = delivery_chart(facts), trend_chart(facts)
    return (
        (*delivery, "Delivery by area"),
        (*trend, TREND_TITLE),
    )


def _chart(document: DocxDocument, facts: PaperFacts) -> None:
    _pictures(document, charts(facts))


def _trend(document: DocxDocument, facts: PaperFacts) -> None:
    _pictures(document, [(*trend_chart(facts), TREND_TITLE)])


def _pictures(document: DocxDocument, pictures: Sequence[tuple[bytes, str, str]]) -> None:
    """Charts, each with its alt text on the picture (what a screen reader reads)."""
    for png, alt, title in pictures:
        picture = document.add_picture(io.BytesIO(png), width=Inches(6.0))
        picture._inline.docPr.set("descr", alt)
        picture._inline.docPr.set("title", title)


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


def _styled(document: DocxDocument, text: str, style_id: str) -> Paragraph:
    """A paragraph whose style id is written straight into it: python-docx's own `style=`
    looks the document's default style up again for every paragraph, which took 3.6 s of a
    4,400-action board pack's 21 s."""
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    return paragraph


@dataclass(frozen=True)
class _Styles:
    """The style ids an area's paragraphs use, looked up once a document."""

    heading: str
    bullet: str

    @classmethod
    def of(cls, document: DocxDocument) -> _Styles:
        styles = document.styles
        return cls(styles["List Paragraph"].style_id, styles["List Bullet"].style_id)


def _area(
    document: DocxDocument, styles: _Styles, letter: str, area: AreaFacts, listed: int | None
) -> None:
    """One lettered area; `listed` caps the exceptions named (the rest are in Annex A)."""
    heading = _styled(document, "", styles.heading)
    heading.add_run(f"{letter}.\t{area.ref}: {area.title}").bold = True
    document.add_paragraph(" ".join(area_sentences(area)))
    named = area.exceptions if listed is None else area.exceptions[:listed]
    for exception in named:
        _styled(
            document,
            f"Exception – {exception.ref} {exception.title.rstrip('.')}: {exception.reason}; "
            f"owner {exception.owner}; due {shown_date(exception.due)}.",
            styles.bullet,
        )
    if len(named) < len(area.exceptions):
        _styled(
            document,
            f"…and {len(area.exceptions) - len(named)} more, listed in Annex A.",
            styles.bullet,
        )
    for note in area.notes[:NOTES_PER_AREA]:
        _styled(
            document,
            f"Latest note, {note.ref} ({shown_date(note.on)}): {note.text}",
            styles.bullet,
        )


def tracker_table(document: DocxDocument, rows: Sequence[TrackerRow]) -> Table:
    """Annex A: one row per action, steps beneath it; header row repeats, no merged cells."""
    table = header_table(document, TRACKER_HEADER, TRACKER_WIDTHS)
    for row in rows:
        add_row(table, tracker_cells(row), TRACKER_WIDTHS, shade=(6, FLAG_SHADE.get(row.flag)))
    return table


def tracker_cells(row: TrackerRow) -> tuple[str, ...]:
    """One tracker row as the reader sees it, in TRACKER_HEADER's order."""
    latest = f"{shown_date(row.latest_on)}: {row.latest_note}" if row.latest_on else "no update"
    current = shown_date(row.current_due)
    if row.rebaselined:
        current += f" (moved {row.rebaselined}×{'; ' + row.moved if row.moved else ''})"
    return (
        row.ref,
        row.title,
        row.lead,
        shown_date(row.original_due),
        current,
        latest,
        f"{row.flag} ({row.status})",
        row.forecast or "—",
        row.next_step or "—",
    )


def scorecard_table(document: DocxDocument, rows: Sequence[ScorecardRow]) -> Table:
    """Annex B: one row per measure; header row repeats, no merged cells, RAG as words."""
    table = header_table(document, SCORECARD_HEADER, SCORECARD_WIDTHS)
    for row in rows:
        add_row(table, scorecard_cells(row), SCORECARD_WIDTHS, shade=(4, RAG_SHADE.get(row.rag)))
    return table


def scorecard_cells(row: ScorecardRow) -> tuple[str, ...]:
    """One measure as the reader sees it, in SCORECARD_HEADER's order."""
    latest = f"{row.latest} ({row.period})" if row.period else row.latest
    variation = row.variation if not row.spc_note else f"{row.variation} — {row.spc_note}"
    return (
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


def header_table(document: DocxDocument, header: Sequence[str], widths: Sequence[float]) -> Table:
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


def add_row(
    table: Table,
    values: Sequence[str],
    widths: Sequence[float],
    *,
    shade: tuple[int, str | None] | None = None,
) -> None:
    """One data row of small text, kept whole on one page, the `shade` cell (column, colour)
    shaded. Written as WordprocessingML directly: python-docx's cell by cell setting costs 2 ms a
    row, which made a 1,200-row Annex A take four seconds."""
    cells = []
    for column, (text, width) in enumerate(zip(values, widths, strict=True)):
        fill = shade[1] if shade is not None and column == shade[0] else None
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        lines = _XML_UNSAFE.sub("", text).split("\n")
        runs = "<w:br/>".join(
            f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in lines
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{round(width * 1440)}" w:type="dxa"/>{shading}</w:tcPr>'
            f'<w:p><w:r><w:rPr><w:sz w:val="16"/></w:rPr>{runs}</w:r></w:p></w:tc>'
        )
    row = (
        f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit w:val="true"/></w:trPr>{"".join(cells)}</w:tr>'
    )
    table._tbl.append(parse_xml(row))


def fill_cells(cells: Sequence[object], values: Sequence[str], widths: Sequence[float]) -> None:
    """One table row's text, small; the row is kept whole on one page."""
    row = cells[0]._tc.getparent()  # type: ignore[attr-defined]
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    row.get_or_add_trPr().append(keep)
    for cell, text, width in zip(cells, values, widths, strict=True):
        cell.text = text  # type: ignore[attr-defined]
        cell.width = Inches(width)  # type: ignore[attr-defined]
        for run in cell.paragraphs[0].runs:  # type: ignore[attr-defined]
            run.font.size = Pt(8)


def landscape_section(document: DocxDocument, *, first: bool = False) -> None:
    """Start a new landscape page for the wide annex tables (or turn the first page)."""
    _turn(document.sections[0] if first else document.add_section(WD_SECTION.NEW_PAGE))


def _turn(section: Section) -> None:
    """Make a section landscape, with margins narrow enough for the annex tables."""
    width, height = section.page_width or Mm(210), section.page_height or Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = max(width, height), min(width, height)
    section.left_margin = section.right_margin = Inches(0.75)


def _repeat_header(tr: object) -> None:
    properties = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _saved(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
