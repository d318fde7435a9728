"""Rendering an answer to a question: Block Kit within Slack's limits, and a plain-text fallback.

Blocks: a header, one line on how the question was read, then per item a section (an action with
the steps shown under it) and a context line (colour, status, owner, due date, plan, latest
note). Slack allows 50 blocks, 3000 characters per section and 150 per header, so a long answer
keeps whole items only and ends by saying how many are not shown and how to narrow the question.
Every text from people or documents goes through `escape`.
"""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, truncate
from bot.render.item_text import day
from bot.render.rendered import Rendered
from commands.brag import EMOJI
from commands.questions.answer_result import AnswerItem, AnswerResult
from store.models.status import Rag

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT = 2000
STEP_TEXT = 300  # a step's text is shortened to this in a list; its reference leads to the rest
TITLE_TEXT = 600
NARROW_HINT = (
    "Narrow the question with a reference (P7.5), an owner (for Head of MASH), "
    "a status (overdue) or a month (in March)."
)


def due_text(item: AnswerItem) -> str:
    if item.due is None:
        return f"due: {item.due_as_written}" if item.due_as_written else "no due date"
    text = f"due {day(item.due)}"
    written = item.due_as_written
    if written and written not in (item.due.strftime("%d/%m/%Y"), item.due.isoformat()):
        text += f" (as written: {written})"
    return text


def colour_words(item: AnswerItem) -> str:
    words = item.rag.capitalize()
    if item.days_overdue:
        words += f", {item.days_overdue} day{'s' if item.days_overdue != 1 else ''} overdue"
    elif item.rag_reason and item.kind != "area" and item.rag not in ("blue", "grey"):
        words += f": {item.rag_reason}"
    if item.declared_rag and item.declared_rag != item.rag:
        words += f"; lead says {item.declared_rag}"
    if item.rebaselined:
        words += "; re-baselined"
    change = item.date_change
    if change is not None and change.state == "requested":
        words += f"; new date {day(change.new_due)} awaiting approval"
    elif change is not None and change.state == "approved":
        words += f"; moved from {day(change.previous_due)}, approved"
        if change.decided_on:
            words += f" {day(change.decided_on)}"
    return words


def emoji(item: AnswerItem) -> str:
    try:
        return EMOJI[Rag(item.rag)]
    except ValueError:
        return ""


def status_words(item: AnswerItem) -> str:
    return item.status.replace("_", " ")


def owner_words(item: AnswerItem) -> str:
    if item.kind == "area":
        return "lead: " + ", ".join(item.owners) if item.owners else "no lead named"
    return ", ".join(item.owners) if item.owners else "no owner named"


def area_counts(item: AnswerItem) -> str:
    return ", ".join(f"{n} {rag}" for rag, n in item.counts) or "no actions"


# --------------------------------------------------------------------------- plain text


def step_facts(step: AnswerItem) -> str:
    """A step's status, due date and colour: the line under its text (its owner is its action's,
    on the action's own line)."""
    return f"{status_words(step)} · {due_text(step)} · {colour_words(step)}"


def step_lines(step: AnswerItem) -> list[str]:
    """One step under its action, over two lines so the facts stand out on a phone."""
    return [f"  - {step.reference} {truncate(step.title, STEP_TEXT)}", f"    {step_facts(step)}"]


def plain_item(item: AnswerItem) -> list[str]:
    if item.kind == "area":
        return [
            f"{item.reference} {truncate(item.title, TITLE_TEXT)} ({item.plan})",
            f"  {item.rag.capitalize()} overall: {area_counts(item)} · {owner_words(item)}",
        ]
    lines = [f"{item.reference} {truncate(item.title, TITLE_TEXT)}"]
    if item.parent:
        lines.append(f"  step of {item.parent} {truncate(item.parent_title or '', 120)}")
    lines.append(
        f"  {colour_words(item)} · {status_words(item)} · {owner_words(item)} · "
        f"{due_text(item)} · {item.plan}"
    )
    if item.latest_note:
        lines.append(f"  Latest: {truncate(item.latest_note, 300)}")
    for step in item.steps:
        lines += step_lines(step)
    return lines


def headline(result: AnswerResult) -> str:
    understood = result.understood or "Your question"
    return understood[0].upper() + understood[1:]


def footer_lines(result: AnswerResult, not_shown: int) -> list[str]:
    lines: list[str] = []
    if not_shown:
        lines.append(f"{not_shown} more not shown. {NARROW_HINT}")
    if result.items and result.filtered_out and result.question.status:
        status = result.question.status.replace("_", " ")
        noun = "item matches" if result.filtered_out == 1 else "items match"
        lines.append(
            f"{result.filtered_out} more {noun} but {'is' if result.filtered_out == 1 else 'are'}"
            f" not {status}" + (" (or not in that window)." if result.question.window else ".")
        )
    if result.reread:
        lines.append("Read the role and area words as topic words, as nothing matched otherwise.")
    if result.ignored_words:
        words = " ".join(result.ignored_words)
        lines.append(f"Left out “{truncate(words, 60)}”: nothing in the plans matches it.")
    return lines


def suggestion_text(result: AnswerResult, bold: bool) -> str:
    if not result.suggestions:
        return ""
    mark = "*" if bold else ""
    offered = [
        f"{mark}{escape(s.reference)}{mark} ({escape(truncate(s.title, 80))})"
        for s in result.suggestions
    ]
    return "Did you mean " + " or ".join(offered) + "?"


def plain_text(result: AnswerResult, items: tuple[AnswerItem, ...], not_shown: int) -> str:
    lines: list[str] = []
    if result.understood:
        lines.append(f"{headline(result)} (as of {day(result.as_of)})")
    if result.message:
        lines.append(result.message)
    for item in items:
        lines += plain_item(item)
    lines += footer_lines(result, not_shown)
    # Escape everything: the fallback text is what Slack shows in notifications.
    escaped = [escape(line) for line in lines]
    suggestions = suggestion_text(result, bold=False)  # escaped already
    if suggestions:
        escaped.append(suggestions)
    return "\n".join(escaped)


# --------------------------------------------------------------------------- Block Kit


def section_for(item: AnswerItem) -> tuple[str, int]:
    """An item's section text within the section limit, and how many of its steps are left out."""
    if item.kind == "area":
        head = (
            f"*{escape(item.reference)}* {escape(truncate(item.title, TITLE_TEXT))}\n"
            f"{escape(area_counts(item))}"
        )
        return head, 0
    head = f"*{escape(item.reference)}* {escape(truncate(item.title, TITLE_TEXT))}"
    if item.parent:
        head += (
            f"\n_step of {escape(item.parent)}: {escape(truncate(item.parent_title or '', 150))}_"
        )
    lines = [head]
    size = len(head)
    left_out = 0
    for position, step in enumerate(item.steps):
        line = (
            f"• *{escape(step.reference)}* {escape(truncate(step.title, STEP_TEXT))}\n"
            f"      {emoji(step)} {escape(step_facts(step))}"
        )
        remaining = len(item.steps) - position - 1
        reserve = 80 if remaining else 0  # room for the "more steps" line
        if size + 1 + len(line) + reserve > MAX_SECTION:
            left_out = len(item.steps) - position
            break
        lines.append(line)
        size += 1 + len(line)
    if left_out:
        lines.append(f"_…and {left_out} more steps; ask for {escape(item.reference)} alone._")
    return "\n".join(lines), left_out


def context_for(item: AnswerItem) -> str:
    if item.kind == "area":
        parts = [
            f"{emoji(item)} {item.rag.capitalize()} overall",
            escape(owner_words(item)),
            escape(item.plan),
        ]
    else:
        parts = [
            f"{emoji(item)} {escape(colour_words(item))}",
            escape(status_words(item)),
            escape(owner_words(item)),
            escape(due_text(item)),
            escape(item.plan),
        ]
        if item.latest_note:
            parts.append("latest: " + escape(truncate(item.latest_note, 300)))
    return truncate(" · ".join(parts), MAX_CONTEXT)


def blocks_for(
    result: AnswerResult, items: tuple[AnswerItem, ...], not_shown: int
) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": truncate(escape(truncate(headline(result), MAX_HEADER - 10)), MAX_HEADER),
            },
        }
    ]
    notes = [f"As of {day(result.as_of)}"]
    if result.question.text:
        notes.append("you asked: " + escape(truncate(result.question.text, 200)))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(notes)}]})
    message = " ".join(
        part for part in (escape(result.message or ""), suggestion_text(result, bold=True)) if part
    )
    if message:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": truncate(message, MAX_SECTION)}}
        )
    for item in items:
        text, _ = section_for(item)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
        context = {"type": "mrkdwn", "text": context_for(item)}
        blocks.append({"type": "context", "elements": [context]})
    footer = footer_lines(result, not_shown)
    if footer:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": truncate(escape(" ".join(footer)), 2000)}],
            }
        )
    return blocks


def fit(result: AnswerResult) -> tuple[tuple[AnswerItem, ...], int]:
    """The items that fit in one message (two blocks each), and how many more are not shown."""
    fixed = 5  # header, context, message, footer, and one spare
    room = (MAX_BLOCKS - fixed) // 2
    items = result.items[:room]
    return items, result.not_shown + len(result.items) - len(items)


def render_answer(result: AnswerResult) -> Rendered:
    items, not_shown = fit(result)
    return Rendered(
        text=plain_text(result, items, not_shown), blocks=blocks_for(result, items, not_shown)
    )
