"""Rendering a committee paper drafted in Slack: the Word file, sent privately, with one line
saying what it holds."""

from __future__ import annotations

from bot.render.escape import escape
from bot.render.paper_docx import board_docx, challenge_docx, scrutiny_docx
from bot.render.rendered import Rendered, RenderedFile
from commands.reports.command import PaperDrafted, PaperRefused

TITLES = {
    "board": "Assurance and Ambition Board pack",
    "scrutiny": "Scrutiny progress report",
    "challenge": "Support and challenge pack",
}


def render_paper_drafted(result: PaperDrafted) -> Rendered:
    facts = result.facts
    if result.kind == "challenge":
        content = challenge_docx(facts)
    elif result.kind == "scrutiny":
        content = scrutiny_docx(facts)
    else:
        content = board_docx(facts, result.measures)
    title = TITLES[result.kind]
    about = f" for {facts.scope}" if result.kind == "challenge" else ""
    exceptions = sum(len(area.exceptions) for area in facts.areas)
    text = (
        f"{title}{escape(about)}, data as at {facts.as_of:%-d %b %Y}: {len(facts.areas)} areas, "
        f"{len(facts.rows)} items, {exceptions} exceptions. The Word file is in your direct "
        "messages with me, to edit before it is issued."
    )
    name = f"{result.kind}-{facts.as_of.isoformat()}.docx"
    file = RenderedFile(name, content, f"{title}{about}", f"{title}{about} (Word)", private=True)
    return Rendered(
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        files=(file,),
    )


def render_paper_refused(result: PaperRefused) -> Rendered:
    text = escape(result.message)
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )
