"""A grouped count as Slack shows it: the reading and the total first, then each group with its
count and the references it counted (a few, then how many more), largest first."""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, truncate
from bot.render.item_text import day
from bot.render.rendered import Rendered
from commands.questions.grouped import SHOWN_REFS, GroupedCount

MOST_GROUPS = 15  # lines in one message: a phone's reading


def _line(name: str, count: int, refs: tuple[str, ...]) -> str:
    listed = ", ".join(refs[:SHOWN_REFS]) + (f" and {len(refs) - SHOWN_REFS} more"
                                             if len(refs) > SHOWN_REFS else "")  # fmt: skip
    return f"{name}: {count} ({listed})"


def render_grouped_count(result: GroupedCount) -> Rendered:
    head = f"{result.reading} (as of {day(result.as_of)})"
    if not result.groups:
        lines = ["None: the question found nothing to count."]
    else:
        lines = [f"{result.total} in all."]
        lines += [_line(g.name, g.count, g.refs) for g in result.groups[:MOST_GROUPS]]
        if len(result.groups) > MOST_GROUPS:
            rest = result.groups[MOST_GROUPS:]
            lines.append(
                f"…and {len(rest)} more groups with {sum(g.count for g in rest)} between them."
            )
    if result.note:
        lines.append(result.note)
    text = "\n".join(escape(line) for line in [head, *lines])
    rich = [f"*{escape(lines[0])}*", *(escape(line) for line in lines[1:])]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(escape(head), 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": truncate("\n".join(rich), 2500)}},
    ]
    return Rendered(text=text, blocks=blocks)
