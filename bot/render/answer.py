"""Rendering an answer to a question: Block Kit within Slack's limits, and a plain-text fallback.

Blocks: a header, one line on how the question was read, then per item a section (an action with
the steps shown under it) and a context line (colour, status, owner, due date, plan, latest
note). Slack allows 50 blocks, 3000 characters per section and 150 per header, so a long answer
keeps whole items only and ends by saying how many are not shown and how to narrow the question.
Every text from people or documents goes through `escape`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.render.escape import escape, truncate
from bot.render.item_text import day
from bot.render.rendered import Rendered
from commands.brag import EMOJI
from commands.questions.answer_result import AnswerItem, AnswerResult
from store.models.status import Rag

MAX_BLOCKS = 20  # a message that reads on a phone; Slack itself allows 50
PAGE = 10  # answer lines per message; "Show next 10" brings the rest
MESSAGE_CHARS = 2500  # what reads comfortably on a phone
DETAIL_CHARS = 2200  # a single item shown alone, its steps a line each
SHORT_TITLE = 60
QUESTION_CHARS = 1500  # a button's value holds 2,000 characters
MORE, SHARE, STEPS = "answer:more", "answer:share", "answer:steps"
READING = "answer:reading"  # a reading offered for a question read two ways: answer:reading:0
URGENCY = ("red", "amber", "green", "blue", "grey")
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


def area_colour(item: AnswerItem) -> str:
    """An area's one colour: Unverified when a quarter of its open actions are (never Amber)."""
    return "Unverified" if item.stale else item.rag.capitalize()


# --------------------------------------------------------------------------- plain text


def step_facts(step: AnswerItem) -> str:
    """A step's status, due date and colour: the line under its text (its owner is its action's,
    on the action's own line)."""
    return f"{status_words(step)} · {due_text(step)} · {colour_words(step)}"


def step_lines(step: AnswerItem) -> list[str]:
    """One step under its action, over two lines so the facts stand out on a phone."""
    return [f"  - {step.reference} {truncate(step.title, STEP_TEXT)}", f"    {step_facts(step)}"]


def found_lines(item: AnswerItem) -> list[str]:
    """What the question matched beyond the title: the measure, outcome or link, as written."""
    said = "Expected outcome" if item.kind == "area" else "Success measure"
    return [
        f"  {line}" if line.startswith(("Follow", "Nothing", "Cites")) else f"  {said}: {line}"
        for line in item.found_in
    ]


def compact_item(item: AnswerItem) -> str:
    """One line for an item a count counted, so the count can be checked."""
    return f"{item.reference} {truncate(item.title, SHORT_TITLE)} — {context_words(item)}"


def plain_item(item: AnswerItem) -> list[str]:
    if item.kind == "area":
        return [
            f"{item.reference} {truncate(item.title, TITLE_TEXT)} ({item.plan})",
            f"  {area_colour(item)} overall: {area_counts(item)} · {owner_words(item)}",
            *found_lines(item),
        ]
    lines = [f"{item.reference} {truncate(item.title, TITLE_TEXT)}"]
    if item.parent:
        lines.append(f"  step of {item.parent} {truncate(item.parent_title or '', 120)}")
    lines.append(
        f"  {colour_words(item)} · {status_words(item)} · {owner_words(item)} · "
        f"{due_text(item)} · {item.plan}"
    )
    lines += found_lines(item)
    if item.latest_note and not item.found_in:
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
        lines += [compact_item(item)] if result.compact else plain_item(item)
    lines += footer_lines(result, not_shown)
    if result.readings:
        lines.append("Ask again as " + " or ".join(f"“{t}”" for _, t in result.readings) + ".")
    # Escape everything: the fallback text is what Slack shows in notifications.
    escaped = [escape(line) for line in lines]
    suggestions = suggestion_text(result, bold=False)  # escaped already
    if suggestions:
        escaped.append(suggestions)
    return "\n".join(escaped)


# --------------------------------------------------------------------------- Block Kit


def page_of(result: AnswerResult, first: int) -> tuple[AnswerItem, ...]:
    """The answer lines on the page starting at `first`, the most urgent first. The order
    across pages stays the command's, so "Show next 10" neither repeats nor skips a line."""
    page = result.items[first : first + PAGE]
    return tuple(sorted(page, key=_urgency))


def _urgency(item: AnswerItem) -> tuple[int, int, date]:
    if item.kind == "area":
        return (len(URGENCY), 0, date.max)
    rank = URGENCY.index(item.rag) if item.rag in URGENCY else len(URGENCY)
    return (rank, -item.days_overdue, item.due or date.max)


def item_line(item: AnswerItem, question: AnswerResult) -> str:
    """One answer line: colour, reference, short title, owner, due; its steps as a count."""
    if item.kind == "area":
        return (
            f"{emoji(item)} *{escape(item.reference)}* {escape(truncate(item.title, SHORT_TITLE))}"
            f"\n{escape(area_counts(item))}"
        ) + "".join(f"\n_{escape(truncate(f.strip(), 300))}_" for f in found_lines(item))
    if item.due is None:
        due = due_text(item)
    elif item.days_overdue:
        due = f"{day(item.due)}, {item.days_overdue} days overdue"
    else:
        due = f"due {day(item.due)}"  # the date as written is in the item's own answer
    line = (
        f"{emoji(item)} *{escape(item.reference)}* {escape(truncate(item.title, SHORT_TITLE))}"
        f"\n{escape(owner_words(item))} · {escape(due)} · {escape(status_words(item))}"
    )
    if item.steps:
        line += f"\n{escape(step_count(item, question))}"
    for found in found_lines(item):
        line += f"\n_{escape(truncate(found.strip(), 300))}_"
    return line


def step_count(item: AnswerItem, result: AnswerResult) -> str:
    """How many steps the answer holds under an action: "3 steps overdue", or "3 steps"."""
    count = len(item.steps)
    noun = "step" if count == 1 else "steps"
    status = result.question.status
    return f"{count} {noun} {status.replace('_', ' ')}" if status else f"{count} {noun}"


def detail_section(item: AnswerItem) -> str:
    """A single item as an answer shows it alone: everything, its steps a line each."""
    lines = [f"{emoji(item)} *{escape(item.reference)}* {escape(truncate(item.title, TITLE_TEXT))}"]
    if item.parent:
        lines.append(
            f"_step of {escape(item.parent)}: {escape(truncate(item.parent_title or '', 150))}_"
        )
    lines.append(escape(context_words(item)))
    lines += [f"_{escape(truncate(found.strip(), 300))}_" for found in found_lines(item)]
    if item.latest_note:
        lines.append("Latest: " + escape(truncate(item.latest_note, 300)))
    size = sum(len(line) + 1 for line in lines)
    for position, step in enumerate(item.steps):
        line = (
            f"{emoji(step)} *{escape(step.reference)}* {escape(truncate(step.title, SHORT_TITLE))}"
            f" · {escape(due_text(step))} · {escape(status_words(step))}"
        )
        if size + len(line) + 80 > DETAIL_CHARS:
            lines.append(f"_…and {len(item.steps) - position} more steps._")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def context_words(item: AnswerItem) -> str:
    if item.kind == "area":
        return f"{area_colour(item)} overall · {owner_words(item)} · {item.plan}"
    return " · ".join(
        (colour_words(item), status_words(item), owner_words(item), due_text(item), item.plan)
    )


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 2000)}]}


def _button(action_id: str, label: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }


def page_value(result: AnswerResult, first: int) -> str:
    """What a page's buttons carry: the question as asked, where the page starts, and the day
    it was answered, so a press re-runs the question (and says so when the day has moved on)."""
    return json.dumps(
        {"q": result.question.text[:QUESTION_CHARS], "f": first, "d": result.as_of.isoformat()}
    )


def _reading_value(result: AnswerResult, text: str) -> str:
    return json.dumps({"q": text[:QUESTION_CHARS], "f": 0, "d": result.as_of.isoformat()})


def count_words(result: AnswerResult, first: int, shown: int) -> str:
    total = len(result.items) + result.not_shown
    if total <= 1:
        return ""
    where = f"{first + 1}–{first + shown}" if shown > 1 else f"{first + 1}"
    return f"*{total} {'item' if total == 1 else 'items'}*; {where} below, the most urgent first."


def answer_page(result: AnswerResult, first: int = 0, *, note: str | None = None) -> Rendered:
    """One message of an answer: at most PAGE lines, with Show next 10 and Share in channel."""
    items = page_of(result, first)
    alone = len(items) == 1 and first == 0 and not result.not_shown and len(result.items) == 1
    notes = [f"As of {day(result.as_of)}"]
    if result.question.text:
        notes.append("you asked: " + escape(truncate(result.question.text, 200)))
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": truncate(escape(truncate(headline(result), MAX_HEADER - 10)), MAX_HEADER),
            },
        },
        _context(" · ".join(notes)),
    ]
    if note:
        blocks.append(_context(escape(note)))
    said = [escape(result.message or ""), suggestion_text(result, bold=True)]
    if not alone:
        said.append(count_words(result, first, len(items)))
    message = " ".join(part for part in said if part)
    if message:
        blocks.append(_section(message))
    for item in items:
        section = _section(detail_section(item) if alone else item_line(item, result))
        if item.steps and not alone:
            section["accessory"] = _button(STEPS, "Steps", item.reference)
        blocks.append(section)
    footer = footer_lines(result, 0)
    if footer:
        blocks.append(_context(escape(" ".join(footer))))
    buttons = [
        _button(f"{READING}:{n}", truncate(label, 70), _reading_value(result, text))
        for n, (label, text) in enumerate(result.readings)
    ]
    following = first + PAGE
    if following < len(result.items) + result.not_shown:
        buttons.append(_button(MORE, f"Show next {PAGE}", page_value(result, following)))
    if items:
        buttons.append(_button(SHARE, "Share in channel", page_value(result, first)))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    text = page_text(result, items, first, note)
    return Rendered(
        text=text, blocks=blocks, whole_text=plain_text(result, result.items, result.not_shown)
    )


def page_text(
    result: AnswerResult, items: tuple[AnswerItem, ...], first: int, note: str | None
) -> str:
    """The page as plain text (notifications, screen readers): enough to act on."""
    lines = []
    if result.understood:
        lines.append(f"{headline(result)} (as of {day(result.as_of)})")
    if note:
        lines.append(note)
    if result.message:
        lines.append(result.message)
    total = len(result.items) + result.not_shown
    if total > 1:
        lines.append(f"{total} items; {first + 1}–{first + len(items)} here.")
    for item in items:
        lines.append(
            f"{item.reference} {truncate(item.title, SHORT_TITLE)} — {context_words(item)}"
        )
    escaped = [escape(line) for line in lines]
    if suggestions := suggestion_text(result, bold=False):
        escaped.append(suggestions)
    return "\n".join(escaped)


def render_answer(result: AnswerResult) -> Rendered:
    return answer_page(result)
