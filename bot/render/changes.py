"""Rendering `what changed this week?`: the updates recorded in a window, newest first, each under
the item it changed."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.render.escape import escape, truncate
from bot.render.history import entry_line, sections
from bot.render.item_text import day
from bot.render.rendered import Rendered
from commands.questions.changes import ChangesResult

TITLE_TEXT = 90


def render_changes(result: ChangesResult) -> Rendered:
    zone = ZoneInfo(result.timezone)
    understood = result.understood[0].upper() + result.understood[1:]
    span = (
        day(result.start)
        if result.start == result.end
        else f"{day(result.start)} to {day(result.end)}"
    )
    head = f"{understood} ({span})"
    count = len(result.lines) + result.not_shown
    summary = f"{count} update{'s' if count != 1 else ''}, newest first" if count else ""
    if result.not_shown:
        summary += (
            f"; the {len(result.lines)} newest shown. Name an area, owner or item to narrow it."
        )
    mrkdwn = [
        f"*{escape(line.reference)}* {escape(truncate(line.title, TITLE_TEXT))}\n"
        f"{entry_line(line.entry, plain=False, zone=zone)}"
        for line in result.lines
    ]
    plain = [
        f"{escape(line.reference)} {escape(truncate(line.title, TITLE_TEXT))}\n"
        f"  {entry_line(line.entry, plain=True, zone=zone)}"
        for line in result.lines
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(head)[:3000]}}
    ]
    if summary:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": summary}]})
    blocks += sections(mrkdwn)
    if result.message:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": escape(result.message)}}
        )
    message = escape(result.message or "")
    text = "\n".join(part for part in (escape(head), summary, *plain, message) if part)
    return Rendered(text=text, blocks=blocks[:50])
