"""A committee paper written into the council's own Word template (docxtpl tags), so a clerk
gets the house layout with its headings unchanged.

The template holds its own headings and text; planbot fills these names (Jinja, as docxtpl reads
them). Single values: `title`, `committee`, `report_of`, `meeting_date`, `data_as_at`,
`period`. Lists of paragraphs, each written with `{%p for p in summary %}{{ p }}{%p endfor %}`:
`summary`, `recommendations`, `background`, `progress`, `consultation`, `council_plan`,
`implications`, `contact`. The areas, for a template that lays them out itself: `areas`, each
with `letter`, `ref`, `title`, `sentences` (one paragraph), `exceptions` and `notes` (lists).
Standing text the data cannot give (committee, implications, contact) comes from a small YAML
file of the council's (`--settings`), else a marked placeholder.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docxtpl import DocxTemplate

from bot.render.paper_docx import (
    PLACEHOLDER,
    SCRUTINY_HEADINGS,
    area_sentences,
    letters,
    shown_date,
)
from commands.reports.facts import PaperFacts

NEEDED = ("summary", "progress or areas")  # a template without these would drop the paper
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
KNOWN = frozenset(
    {"title", "committee", "report_of", "meeting_date", "data_as_at", "period", "areas"}
    | set(SECTIONS.values())
)
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


def template_context(facts: PaperFacts, standing: StandingText) -> dict[str, Any]:
    """Everything a template can use, from the same facts as planbot's own layout."""
    total = sum(area.total for area in facts.areas)
    areas = [
        {
            "letter": letter,
            "ref": area.ref,
            "title": area.title,
            "sentences": " ".join(area_sentences(area)),
            "exceptions": [
                f"{e.ref} {e.title.rstrip('.')}: {e.reason}; owner {e.owner}; due "
                f"{shown_date(e.due)}."
                for e in area.exceptions
            ],
            "notes": [f"{n.ref} ({shown_date(n.on)}): {n.text}" for n in area.notes[:3]],
        }
        for letter, area in zip(letters(len(facts.areas)), facts.areas, strict=True)
    ]
    progress = [f"The plan sets out {len(facts.areas)} areas; the progress against each:"]
    for area in areas:
        title = str(area["title"]).rstrip(".")
        progress.append(f"{area['letter']}. {area['ref']}: {title}. {area['sentences']}")
        progress += [f"Exception – {line}" for line in area["exceptions"]]
    return {
        "title": f"{facts.plan_title}: progress report",
        "committee": standing.line("committee"),
        "report_of": standing.line("report_of"),
        "meeting_date": standing.line("meeting_date"),
        "data_as_at": shown_date(facts.as_of),
        "period": f"{shown_date(facts.since)} to {shown_date(facts.as_of)}",
        "summary": [
            f"The purpose of this paper is to update the Committee on progress against the "
            f"{facts.plan_title}, with data as at {shown_date(facts.as_of)}."
        ],
        "recommendations": ["The Committee is asked to note the progress of the action plan."],
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
    }


def fill_template(template: bytes, facts: PaperFacts, standing: StandingText) -> bytes:
    """The paper written into the council's template; TemplateProblem when it cannot be."""
    if not zipfile.is_zipfile(io.BytesIO(template)):
        raise TemplateProblem("the template is not a Word .docx file.")
    try:
        document = DocxTemplate(io.BytesIO(template))
        used = document.get_undeclared_template_variables()
    except Exception as error:  # docxtpl reports a broken tag as any of several errors
        raise TemplateProblem(f"the template's tags could not be read ({error}).") from error
    missing = [name for name in NEEDED if not any(part in used for part in name.split(" or "))]
    if missing:
        first = missing[0].split(" or ")[0]
        raise TemplateProblem(
            f"the template has no {' and no '.join(missing)} tag: planbot would leave that part "
            f"of the paper out. Add e.g. {{%p for p in {first} %}}{{{{ p }}}}{{%p endfor %}}."
        )
    unknown = sorted(used - KNOWN)
    if unknown:
        raise TemplateProblem(
            f"the template uses {', '.join(unknown)}, which planbot does not fill; it fills "
            f"{', '.join(sorted(KNOWN))}."
        )
    document.render(template_context(facts, standing), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def default_template() -> bytes:
    """planbot's starting template, with the scrutiny report's headings (seed 001), for a
    council to restyle in Word: `planbot report template --out council.docx`."""
    document = Document()
    document.add_paragraph("{{ committee }}")
    document.add_paragraph("{{ meeting_date }}")
    document.add_paragraph("Report of {{ report_of }}")
    document.add_heading("{{ title }}", level=0)
    document.add_paragraph("Data as at {{ data_as_at }}; period {{ period }}.")
    for heading, name in SECTIONS.items():
        document.add_heading(heading, level=1)
        document.add_paragraph(f"{{%p for p in {name} %}}")
        document.add_paragraph("{{ p }}")
        document.add_paragraph("{%p endfor %}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
