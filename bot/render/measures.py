"""Rendering success measures: a recorded value, the scorecard, a measure's chart, and the
problems, choices and refusals on the way. Every name and note is escaped before it is echoed.
"""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, truncate
from bot.render.item_text import people
from bot.render.rendered import Rendered, RenderedFile
from commands.measures.questions import MeasureAnswer
from commands.measures.record import (
    MeasureChart,
    MeasureChoice,
    MeasureProblem,
    MeasureRecorded,
    MeasureRefused,
)
from commands.measures.scorecard import ScorecardProblem, ScorecardResult, ScorecardRow

SECTION_LIMIT = 2900
MAX_BLOCKS = 45
RAG_ICON = {
    "Green": ":large_green_circle:",
    "Amber": ":large_orange_circle:",
    "Red": ":red_circle:",
}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _plain(text: str) -> Rendered:
    return Rendered(text, [_section(escape(text))])


def render_measure_recorded(result: MeasureRecorded) -> Rendered:
    line = f"Recorded {result.value} for {result.name}, {result.period}."
    if result.previous is not None:
        line += f" It replaces {result.previous}, which stays in the history."
    if result.note:
        line += f" Note: {result.note}"
    return _plain(line)


def render_measure_problem(result: MeasureProblem | ScorecardProblem) -> Rendered:
    return _plain(result.message)


def render_measure_choice(result: MeasureChoice) -> Rendered:
    names = "\n".join(f"• {name}" for name in result.choices)
    return _plain(f"'{result.asked}' could be more than one measure; which did you mean?\n{names}")


def render_measure_refused(result: MeasureRefused) -> Rendered:
    if result.owner is None:
        who = "an admin (the measure has no owner role)"
    else:
        who = f"the {escape(result.owner)} ({people(result.holders)}) or an admin"
    text = f"Nothing recorded: only {who} records values for {escape(result.name)}."
    return Rendered(text, [_section(text)])


def render_measure_chart(result: MeasureChart) -> Rendered:
    from bot.render.measure_chart import alt_text, chart_png  # matplotlib on first chart only

    series = result.series
    described = alt_text(series, result.small_count)
    png = chart_png(series, result.small_count)
    name = "".join(c if c.isalnum() else "-" for c in series.name.lower())[:40].strip("-")
    file = RenderedFile(f"planbot-measure-{name}.png", png, f"XmR chart: {series.name}", described)
    return Rendered(described, [_section(escape(described))], files=(file,))


def row_text(row: ScorecardRow) -> str:
    """One measure on the scorecard, in words that read alone."""
    parts = [f"{row.name}: {row.latest}" + (f" ({row.period})" if row.period else "")]
    parts.append(f"target {row.target}" if row.target else "no target")
    if row.rag not in ("no target", "no data"):
        parts.append(row.rag)
    parts.append(f"direction {row.direction}")
    if row.spc_note:
        parts.append(row.spc_note)
    else:
        parts.append(row.variation)
        parts.append(f"assurance: {row.assurance}")
    if row.signals:
        parts.append("signals: " + ", ".join(row.signals))
    line = " · ".join(parts)
    if row.benchmarks:
        line += f" · {row.benchmarks}"
    if row.owner:
        line += f" · owner {row.owner}"
    if row.commentary:
        line += f"\n    “{truncate(row.commentary, 200)}”"
    return line


def _row_mrkdwn(row: ScorecardRow) -> str:
    icon = RAG_ICON.get(row.rag, ":white_circle:")
    text = escape(row_text(row))
    name = escape(row.name)
    return f"{icon} *{name}*" + text[len(name) :]


def render_scorecard(result: ScorecardResult) -> Rendered:
    scope = f" · {result.scope}" if result.scope else ""
    head = f"Scorecard{scope} · as of {result.as_of:%d %b %Y} · {len(result.rows)} measures"
    lines = [row_text(row) for row in result.rows]
    tail = ""
    if result.without_values:
        tail = (
            f"{result.without_values} more measures have no values or target yet "
            "(`measures` lists them all)."
        )
    if not result.rows:
        lines = ["No measure in scope has a value or a target yet."]
    text = "\n".join([head, *lines, tail]).strip()
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(head, 150)}}
    ]
    current = ""
    for line in [_row_mrkdwn(row) for row in result.rows] or [escape(lines[0])]:
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(_section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(_section(current))
    blocks = blocks[:MAX_BLOCKS]
    if tail:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(tail)}]})
    return Rendered(text, blocks)


def render_measure_answer(result: MeasureAnswer) -> Rendered:
    """An answer about measures: the rows that fit, or one line saying none does."""
    card = ScorecardResult(None, result.as_of, result.rows, 0)
    if not result.rows:
        return _plain(f"{result.title}: {result.empty}")
    rendered = render_scorecard(card)
    head = f"{result.title} · as of {result.as_of:%d %b %Y} · {len(result.rows)} measures"
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(head, 150)}},
        *rendered.blocks[1:],
    ]
    return Rendered(head + rendered.text[rendered.text.index("\n") :], blocks)
