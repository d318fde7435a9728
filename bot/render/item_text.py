"""Small shared pieces of how an item reads in the reminders, updates, roles and history views."""

from __future__ import annotations

from datetime import date

from bot.render.escape import escape, mention, truncate
from commands.brag import EMOJI

RAG_EMOJI = {rag.value: emoji for rag, emoji in EMOJI.items()}  # keyed by the stored text


def day(value: date | None) -> str:
    """31 Mar 2023."""
    return f"{value.day} {value:%b %Y}" if value else "no due date"


def status_label(status: str | None) -> str:
    return (status or "not set").replace("_", " ")


def people(user_ids: tuple[str, ...] | list[str]) -> str:
    """Holders as mentions (ids come from the role directory, never from message text); they go
    in the fallback text too, since that is what notifications are made from."""
    if not user_ids:
        return "nobody assigned"
    return ", ".join(mention(uid) for uid in user_ids)


def item_line(
    ref: str,
    title: str,
    status: str,
    owner: str,
    due: date | None,
    rag: str | None,
    *,
    limit: int = 90,
) -> tuple[str, str]:
    """One item as (mrkdwn, plain text): reference, title, status, owner, due date, colour."""
    short = truncate(title, limit)
    colour = f"{RAG_EMOJI.get(rag or '', '')} " if rag else ""
    mrkdwn = (
        f"{colour}*{escape(ref)}* {escape(short)}\n"
        f"Status: {status_label(status)} · Owner: {escape(owner)} · Due: {day(due)}"
    )
    due_text = f"due {day(due)}" if due else "no due date"
    whose = "no owner" if owner == "no owner" else f"owner {escape(owner)}"
    plain = f"{escape(ref)} {escape(short)} — {status_label(status)}, {whose}, "
    plain += due_text + (f", {rag}" if rag else "")
    return mrkdwn, plain
