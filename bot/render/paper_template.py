"""A committee paper written into the council's own Word template (docxtpl tags), so a clerk
gets the house layout with its headings unchanged: the scrutiny report, the board pack and the
support-and-challenge pack all fill the same names, listed in `TAGS` and in docs/reports.md.

Lists of paragraphs go in with `{%p for p in summary %}{{ p }}{%p endfor %}`; table rows with
`{%tr for r in annex_a %}…{%tr endfor %}`; charts with `{{ delivery_chart }}` and
`{{ trend_chart }}`, each given its alt text once the template is filled. Standing text the data
cannot give (committee, implications, contact) comes from a small YAML file of the council's
(`--settings`), else a marked placeholder.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from docx.document import Document as DocxDocument
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from bot.render.paper_docx import (
    CHALLENGE_HEADINGS,
    EXCEPTIONS_WITH_ANNEX,
    FLAG_SHADE,
    PLACEHOLDER,
    RAG_SHADE,
    SCORECARD_HEADER,
    SCORECARD_WIDTHS,
    SCRUTINY_HEADINGS,
    TRACKER_HEADER,
    TRACKER_WIDTHS,
    a4_document,
    area_sentences,
    challenge_questions,
    charts,
    fill_cells,
    header_table,
    landscape_section,
    letters,
    moves_sentence,
    scorecard_cells,
    shown_date,
    their_changes,
    their_counts,
    their_exceptions,
    tracker_cells,
)
from commands.measures.scorecard import ScorecardRow
from commands.reports.facts import AreaFacts, PaperFacts, TrackerRow

# The names a template's table rows use, in the order of the tables' headers.
ROW_FIELDS = (
    "ref",
    "action",
    "lead",
    "original_due",
    "current_due",
    "latest",
    "status",
    "forecast",
    "next_step",
)
MEASURE_FIELDS = (
    "measure",
    "evidences",
    "latest",
    "target",
    "rag",
    "direction",
    "variation",
    "assurance",
    "commentary",
)

# The paper's sections, in the order of seed 001's headings, each a list of paragraphs.
SECTIONS = dict(
    zip(
        SCRUTINY_HEADINGS,
        (
            "summary",
            "recommendations",
            "background",
            "progress",
            "consultation",
            "council_plan",
            "implications",
            "contact",
        ),
        strict=True,
    )
)
CHARTS = ("delivery_chart", "trend_chart")  # pictures, given their alt text after filling
KNOWN = frozenset(
    {"title", "committee", "report_of", "meeting_date", "data_as_at", "period", "areas"}
    | set(SECTIONS.values())
    | {"annex_a", "annex_b", "counts", "exceptions", "changes", "questions"}
    | {f"{chart}{alt}" for chart in CHARTS for alt in ("", "_alt")}
)
# Tags without which a kind of paper would lose a part of itself ("a or b": either will do).
NEEDED = {
    "scrutiny": ("summary", "progress or areas"),
    "board": ("summary", "progress or areas", "annex_a", "annex_b"),
    "challenge": ("annex_a", "exceptions", "changes", "questions"),
}
STANDING = {
    "committee": "the committee",
    "report_of": "the report's author",
    "meeting_date": "the meeting date",
    "consultation": "who was consulted",
    "council_plan": "how the plan supports the Council Plan",
    "implications": "financial, human resources, equalities, legal and other implications",
    "contact": "the author and chief officer responsible",
}


class TemplateProblem(ValueError):
    """A template or settings file planbot cannot use; the message says what to change."""


@dataclass(frozen=True)
class StandingText:
    """The council's own words for what the data cannot say (`--settings FILE.yaml`)."""

    values: dict[str, str | list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> StandingText:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise TemplateProblem(f"{path.name}: not a readable YAML file ({error}).") from error
        if not isinstance(loaded, dict):
            raise TemplateProblem(f"{path.name}: expected keys such as committee: and contact:.")
        unknown = sorted(set(loaded) - set(STANDING))
        if unknown:
            raise TemplateProblem(
                f"{path.name}: unknown keys {', '.join(unknown)}; known: {', '.join(STANDING)}."
            )
        values: dict[str, str | list[str]] = {}
        for key, value in loaded.items():
            if isinstance(value, list):
                values[key] = [str(v) for v in value]
            else:
                values[key] = str(value)
        return cls(values)

    def paragraphs(self, key: str) -> list[str]:
        value = self.values.get(key)
        if value is None:
            return [PLACEHOLDER.format(what=STANDING[key])]
        return value if isinstance(value, list) else [value]

    def line(self, key: str) -> str:
        return " ".join(self.paragraphs(key))


def template_context(
    kind: str,
    facts: PaperFacts,
    standing: StandingText,
    measures: Sequence[ScorecardRow] = (),
) -> dict[str, Any]:
    """Everything a template can use, from the same facts as planbot's own layout."""
    audience = "Board" if kind == "board" else "Committee"
    cap = EXCEPTIONS_WITH_ANNEX if kind == "board" else None
    areas = [
        _area(letter, area, cap)
        for letter, area in zip(letters(len(facts.areas)), facts.areas, strict=True)
    ]
    progress = [
        f"The plan sets out {len(facts.areas)} areas; the progress against each:",
        moves_sentence(facts, audience),
    ]
    for area in areas:
        title = str(area["title"]).rstrip(".")
        progress.append(f"{area['letter']}. {area['ref']}: {title}. {area['sentences']}")
        progress += [f"Exception – {line}" for line in area["exceptions"]]
    total = sum(area.total for area in facts.areas)
    title = {
        "board": f"{facts.plan_title}: Assurance and Ambition Board pack",
        "challenge": f"Support and challenge: {facts.scope}",
    }.get(kind, f"{facts.plan_title}: progress report")
    return {
        "title": title,
        "committee": standing.line("committee"),
        "report_of": standing.line("report_of"),
        "meeting_date": standing.line("meeting_date"),
        "data_as_at": shown_date(facts.as_of),
        "period": f"{shown_date(facts.since)} to {shown_date(facts.as_of)}",
        "summary": [
            f"The purpose of this paper is to update the {audience} on progress against the "
            f"{facts.plan_title}, with data as at {shown_date(facts.as_of)}."
        ],
        "recommendations": [f"The {audience} is asked to note the progress of the action plan."],
        "background": [
            f"The {facts.plan_title} has {len(facts.areas)} areas and {total} actions. This "
            "paper was drafted by planbot from the dated updates held for each action; officers "
            "review and edit it before it is issued."
        ],
        "progress": progress,
        "consultation": standing.paragraphs("consultation"),
        "council_plan": standing.paragraphs("council_plan"),
        "implications": standing.paragraphs("implications"),
        "contact": standing.paragraphs("contact"),
        "areas": areas,
        "annex_a": [_tracker_row(row) for row in facts.rows],
        "annex_b": [_scorecard_row(row) for row in measures],
        "counts": their_counts(facts),
        "exceptions": their_exceptions(facts),
        "changes": their_changes(facts),
        "questions": challenge_questions(facts),
    }


def _area(letter: str, area: AreaFacts, cap: int | None) -> dict[str, Any]:
    named = area.exceptions if cap is None else area.exceptions[:cap]
    exceptions = [
        f"{e.ref} {e.title.rstrip('.')}: {e.reason}; owner {e.owner}; due {shown_date(e.due)}."
        for e in named
    ]
    if len(named) < len(area.exceptions):
        exceptions.append(f"…and {len(area.exceptions) - len(named)} more, listed in Annex A.")
    return {
        "letter": letter,
        "ref": area.ref,
        "title": area.title,
        "sentences": " ".join(area_sentences(area)),
        "exceptions": exceptions,
        "notes": [f"{n.ref} ({shown_date(n.on)}): {n.text}" for n in area.notes[:3]],
    }


def _tracker_row(row: TrackerRow) -> dict[str, str]:
    cells = dict(zip(ROW_FIELDS, tracker_cells(row), strict=True))
    return {**cells, "shade": FLAG_SHADE.get(row.flag, "FFFFFF")}


def _scorecard_row(row: ScorecardRow) -> dict[str, str]:
    cells = dict(zip(MEASURE_FIELDS, scorecard_cells(row), strict=True))
    return {**cells, "shade": RAG_SHADE.get(row.rag, "FFFFFF")}


def fill_template(
    kind: str,
    template: bytes,
    facts: PaperFacts,
    standing: StandingText,
    measures: Sequence[ScorecardRow] = (),
) -> bytes:
    """The paper written into the council's template; TemplateProblem when it cannot be."""
    if not zipfile.is_zipfile(io.BytesIO(template)):
        raise TemplateProblem("the template is not a Word .docx file.")
    try:
        document = DocxTemplate(io.BytesIO(template))
        used = document.get_undeclared_template_variables()
    except Exception as error:  # docxtpl reports a broken tag as any of several errors
        raise TemplateProblem(f"the template's tags could not be read ({error}).") from error
    needed = NEEDED[kind]
    missing = [name for name in needed if not any(part in used for part in name.split(" or "))]
    if missing:
        first = missing[0].split(" or ")[0]
        example = (
            f"{{%tr for r in {first} %}}…{{%tr endfor %}} in a table row"
            if first.startswith("annex")
            else f"{{%p for p in {first} %}}{{{{ p }}}}{{%p endfor %}}"
        )
        raise TemplateProblem(
            f"the template has no {' and no '.join(missing)} tag: planbot would leave that part "
            f"of the {kind} paper out. Add e.g. {example}."
        )
    unknown = sorted(used - KNOWN)
    if unknown:
        raise TemplateProblem(
            f"the template uses {', '.join(unknown)}, which planbot does not fill; it fills "
            f"{', '.join(sorted(KNOWN))}."
        )
    context = template_context(kind, facts, standing, measures)
    pictures = {
        name: (png, alt)
        for (png, alt, _), name in zip(
            charts(facts) if used & set(CHARTS) else (), CHARTS, strict=False
        )
    }
    for name, (png, alt) in pictures.items():
        context[name] = InlineImage(document, io.BytesIO(png), width=Mm(160))
        context[f"{name}_alt"] = alt
    document.render(context, autoescape=True)
    _describe_pictures(document, pictures.values())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _describe_pictures(document: DocxTemplate, pictures: Iterable[tuple[bytes, str]]) -> None:
    """Put each chart's alt text on its picture, found by its image bytes (a logo the council's
    template carries keeps its own)."""
    alt_of = {png: alt for png, alt in pictures}
    if not alt_of:
        return
    body = document.docx
    for shape in body.inline_shapes:
        inline = shape._inline
        blip = inline.graphic.graphicData.pic.blipFill.blip
        part = body.part.related_parts.get(blip.embed) if blip is not None else None
        alt = alt_of.get(getattr(part, "blob", b""))
        if alt is not None:
            inline.docPr.set("descr", alt)


def default_template(kind: str = "scrutiny") -> bytes:
    """planbot's starting template for a kind of paper, for a council to restyle in Word:
    `planbot report template --paper board --out council.docx`."""
    document = a4_document()
    if kind == "challenge":
        _challenge_template(document)
    else:
        _covering_template(document, annexes=kind == "board")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _covering_template(document: DocxDocument, *, annexes: bool) -> None:
    document.add_paragraph("{{ committee }}")
    document.add_paragraph("{{ meeting_date }}")
    document.add_paragraph("Report of {{ report_of }}")
    document.add_heading("{{ title }}", level=0)
    document.add_paragraph("Data as at {{ data_as_at }}; period {{ period }}.")
    for heading, name in SECTIONS.items():
        document.add_heading(heading, level=1)
        if name == "progress":
            document.add_paragraph("{{ delivery_chart }}")
            document.add_paragraph("{{ trend_chart }}")
        _paragraph_loop(document, name)
    if annexes:
        landscape_section(document)
        document.add_heading("Annex A: Action tracker", level=1)
        _row_loop(document, TRACKER_HEADER, TRACKER_WIDTHS, "annex_a", ROW_FIELDS, "status")
        document.add_heading("Annex B: Success measures", level=1)
        document.add_paragraph("{%p if not annex_b %}")
        document.add_paragraph(
            "No success measure has a value or a target recorded yet "
            "(planbot measures import adds them)."
        )
        document.add_paragraph("{%p endif %}")
        _row_loop(document, SCORECARD_HEADER, SCORECARD_WIDTHS, "annex_b", MEASURE_FIELDS, "rag")


def _challenge_template(document: DocxDocument) -> None:
    landscape_section(document, first=True)
    document.add_heading("{{ title }}", level=0)
    document.add_paragraph("Data as at {{ data_as_at }}; changes over {{ period }}.")
    document.add_heading(CHALLENGE_HEADINGS[0], level=1)
    document.add_paragraph("{{ counts }}")
    _row_loop(document, TRACKER_HEADER, TRACKER_WIDTHS, "annex_a", ROW_FIELDS, "status")
    document.add_paragraph("{{ trend_chart }}")
    for heading, name in zip(
        CHALLENGE_HEADINGS[1:], ("exceptions", "changes", "questions"), strict=True
    ):
        document.add_heading(heading, level=1)
        _paragraph_loop(document, name)


def _paragraph_loop(document: DocxDocument, name: str) -> None:
    document.add_paragraph(f"{{%p for p in {name} %}}")
    document.add_paragraph("{{ p }}")
    document.add_paragraph("{%p endfor %}")


def _row_loop(
    document: DocxDocument,
    header: Sequence[str],
    widths: Sequence[float],
    name: str,
    fields: Sequence[str],
    shaded: str,
) -> None:
    """A table whose rows repeat for each entry of `name`; the `shaded` cell takes the row's
    colour, always beside its words."""
    table = header_table(document, header, widths)
    table.add_row().cells[0].text = f"{{%tr for r in {name} %}}"
    values = [
        ("{% cellbg r.shade %}" if field == shaded else "") + f"{{{{ r.{field} }}}}"
        for field in fields
    ]
    fill_cells(table.add_row().cells, values, widths)
    table.add_row().cells[0].text = "{%tr endfor %}"
