"""A lead's reminder thread: their due and overdue items, a line each with its buttons, paged so
that every message reads on a phone (≤ MAX_BLOCKS blocks and ≤ MAX_CHARS characters).

The first page starts the thread and mentions the lead; the other pages follow in the thread.
Every item is on some page: nothing is dropped however many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.render.escape import escape, mention, truncate
from bot.render.item_text import RAG_EMOJI, day, status_label
from bot.render.reminders import why
from bot.render.rendered import Rendered
from bot.render.updates import ADD_NOTE, SNOOZE, status_button
from commands.reminders.leads import LeadItem, LeadThread

MAX_BLOCKS = 20  # Slack allows 50; the aim is a message that reads on a phone
MAX_CHARS = 2500
HEADER_ROOM = 400  # characters kept for a page's first line
TITLE_LIMIT = 70
LEAD_REPLY_HINT = (
    "Reply in this thread starting with the reference, e.g. “{ref} in progress, due 31/3” or "
    "“{ref} blocked: waiting on police data”, or use the buttons."
)


@dataclass(frozen=True)
class _Line:
    """One item as it shows: its blocks and its line of the plain-text fallback."""

    blocks: tuple[dict[str, Any], ...]
    text: str

    @property
    def block_chars(self) -> int:
        return sum(len(_block_text(b)) for b in self.blocks)


def _block_text(block: dict[str, Any]) -> str:
    text = block.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    parts = [e.get("text", "") for e in block.get("elements", [])]
    return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in parts)


def message_chars(rendered: Rendered) -> int:
    """What a message asks a person to read: its blocks' text, or the fallback when larger."""
    return max(len(rendered.text), sum(len(_block_text(b)) for b in rendered.blocks))


def _owner(item: LeadItem) -> str:
    if item.covering:
        return f" · covering {escape(item.covering)}"
    if not item.reminder.owners:
        return " · no owner recorded"
    empty = [o.role for o in item.reminder.owners if o.unfilled]
    return f" · {escape('; '.join(empty))}: nobody assigned" if empty else ""


def _line(item: LeadItem, reminder_id: int, today: date) -> _Line:
    reminder = item.reminder
    ref, title = escape(reminder.ref), escape(truncate(reminder.title, TITLE_LIMIT))
    rag = reminder.colour.rag.value
    emoji = RAG_EMOJI.get(rag, "")
    reason = why(reminder, today)
    if reminder.reason in ("cadence", "stale") and reminder.due:
        reason += f", due {day(reminder.due)}"
    facts = f"{reason} · {status_label(reminder.status)} · {rag.capitalize()}{_owner(item)}"
    section = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"{emoji} *{ref}* {title}\n{facts}"},
    }
    buttons = [
        status_button("done", reminder_id),
        status_button("in_progress", reminder_id),
        status_button("blocked", reminder_id),
        {
            "type": "button",
            "action_id": SNOOZE,
            "text": {"type": "plain_text", "text": "Snooze a week"},
            "value": str(reminder_id),
        },
        {
            "type": "button",
            "action_id": ADD_NOTE,
            "text": {"type": "plain_text", "text": "Add note"},
            "value": str(reminder_id),
        },
    ]
    actions = {"type": "actions", "block_id": f"reminder_{reminder_id}", "elements": buttons}
    return _Line((section, actions), f"• {ref} {title} — {facts}")


def _pages(lines: list[_Line]) -> list[list[_Line]]:
    """Lines in pages of at most MAX_BLOCKS - 1 blocks, and MAX_CHARS - HEADER_ROOM characters
    in the blocks and in the fallback text each (room is kept for a page's first line)."""
    room = MAX_CHARS - HEADER_ROOM
    pages: list[list[_Line]] = [[]]
    blocks = block_chars = text_chars = 0
    for line in lines:
        if pages[-1] and (
            blocks + len(line.blocks) > MAX_BLOCKS - 1
            or block_chars + line.block_chars > room
            or text_chars + len(line.text) + 1 > room
        ):
            pages.append([])
            blocks = block_chars = text_chars = 0
        pages[-1].append(line)
        blocks += len(line.blocks)
        block_chars += line.block_chars
        text_chars += len(line.text) + 1
    return pages


def _header(thread: LeadThread, page: int, pages: int) -> str:
    count = len(thread.items)
    items = f"{count} item{'s' if count != 1 else ''}"
    of = f" (page {page} of {pages})" if pages > 1 else ""
    if page > 1:
        return f"Reminders, page {page} of {pages}"
    hint = LEAD_REPLY_HINT.format(ref=escape(thread.items[0].reminder.ref))
    if thread.user is None:
        return (
            f"Nobody holds the roles of these {items}{of}: an admin can give each a holder "
            f"(`role assign`) or a cover (`cover`). {hint}"
        )
    verb = "is" if count == 1 else "are"
    return f"{mention(thread.user)}, {items} of yours {verb} due or overdue{of}. {hint}"


def lead_thread_pages(
    thread: LeadThread, reminder_ids: Sequence[int], today: date
) -> list[Rendered]:
    """The thread's messages: the first starts it, the rest are replies in it."""
    lines = [_line(item, rid, today) for item, rid in zip(thread.items, reminder_ids, strict=True)]
    pages = _pages(lines)
    rendered: list[Rendered] = []
    for number, page in enumerate(pages, start=1):
        head = _header(thread, number, len(pages))
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": head}}
        ]
        for line in page:
            blocks.extend(line.blocks)
        text = "\n".join([head, *(line.text for line in page)])
        rendered.append(Rendered(text=text, blocks=blocks, ephemeral=False, pings=True))
    return rendered
