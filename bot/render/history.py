"""Rendering `history OA4.1`: every dated update, who made it and where it came from."""

from __future__ import annotations

from datetime import UTC, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.render.escape import escape, link, mention, truncate
from bot.render.item_text import RAG_EMOJI, day, item_line, status_label
from bot.render.rendered import Rendered
from commands.governance.date_changes import DateChangeView
from commands.questions.history import HistoryEntry, HistoryProblem, HistoryResult

LONDON = ZoneInfo("Europe/London")
DATED_ONLY = ("document", "import")  # sources that date an update by the day
FROM_SLACK = ("chat", "button", "modal")  # sources whose reference is the message's permalink
ENTRY_LIMIT = 40  # newest entries shown in Slack; the store keeps them all
SOURCES = {
    "document": "the plan document",
    "import": "an import",
    "chat": "a reply",
    "button": "a button",
    "modal": "a note",
    "admin": "an admin",
}


def _who(author: str | None) -> str:
    """The author as a mention, which the Slack side turns into a name that pings nobody
    (bot.slack.text.without_pings); the console shows the id."""
    if not author:
        return "the plan"
    if author == "terminal":
        return "the terminal"
    return mention(author)


def _change(entry: HistoryEntry) -> str:
    parts = []
    if entry.new_status:
        if entry.old_status and entry.old_status != entry.new_status:
            parts.append(f"{status_label(entry.old_status)} → {status_label(entry.new_status)}")
        else:
            parts.append(status_label(entry.new_status))
    if entry.new_rag:
        parts.append(
            f"declared {entry.new_rag}" + (f" (was {entry.old_rag})" if entry.old_rag else "")
        )
    if entry.new_due:
        parts.append(
            f"due {day(entry.new_due)}" + (f" (was {day(entry.old_due)})" if entry.old_due else "")
        )
    return ", ".join(parts) or "note"


def _is_slack_permalink(ref: str) -> bool:
    """Whether `ref` is a message's address in Slack (what chat.getPermalink gives for a reply);
    any other address came from a plan file or an import and is shown as text, never linked."""
    parts = urlsplit(ref)
    host = parts.hostname or ""
    return (
        parts.scheme == "https"
        and (host == "slack.com" or host.endswith(".slack.com"))
        and parts.path.startswith("/archives/")
    )


def _where(entry: HistoryEntry, *, plain: bool) -> str:
    source = SOURCES.get(entry.source, entry.source)
    ref = entry.source_ref
    if ref and not plain and entry.source in FROM_SLACK and _is_slack_permalink(ref):
        return link(ref, source)
    if ref:
        return f"{source} ({escape(ref)})"
    return source


def _flags(entry: HistoryEntry) -> str:
    flags = []
    if entry.corrects:
        flags.append("edited")
    if entry.superseded:
        flags.append("replaced by an edit")
    if entry.deleted:
        flags.append("source message deleted")
    return f" [{'; '.join(flags)}]" if flags else ""


def entry_line(entry: HistoryEntry, *, plain: bool, zone: ZoneInfo = LONDON) -> str:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    when = at.astimezone(zone)
    if entry.source in DATED_ONLY and at.astimezone(UTC).time() == time(0):
        stamp = day(at.astimezone(UTC).date())  # a plan document gives a date, not an hour
    else:
        stamp = (
            f"{when.day} {when:%b %Y %H:%M}"
            if (when.hour, when.minute) != (0, 0)
            else day(when.date())
        )
    note = f" — “{escape(truncate(entry.note, 240))}”" if entry.note else ""
    change = _change(entry)
    if entry.step:  # an action's history names the step each of its steps' updates is on
        change = f"{escape(entry.step)} {change}"
    if entry.superseded and not plain:
        change = f"~{change}~"
    where = _where(entry, plain=plain)
    if not entry.author and entry.source in DATED_ONLY:
        return f"{stamp}: {change}, from {where}{_flags(entry)}{note}"
    by = _who(entry.author) + (f" for {escape(entry.for_role)}" if entry.for_role else "")
    return f"{stamp}: {change}, by {by} via {where}{_flags(entry)}{note}"


def sections(lines: list[str]) -> list[dict[str, object]]:
    """Lines packed into as few mrkdwn sections as Slack's 3000-character limit allows."""
    blocks: list[dict[str, object]] = []
    chunk = ""
    for line in lines:
        if chunk and len(chunk) + len(line) > 2900:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:2900]
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return blocks


def render_history(result: HistoryResult) -> Rendered:
    item = result.item
    mrkdwn, plain = item_line(item.ref, item.title, item.status, item.owner, item.due, item.rag)
    count = len(result.entries)
    summary = f"{count} dated update{'s' if count != 1 else ''}, oldest first"
    if not count:
        summary = "No dated updates yet: its status is as the plan set it"
    if item.declared_rag:
        summary += f" · lead's colour {RAG_EMOJI.get(item.declared_rag, '')} {item.declared_rag}"
    shown = result.entries[-ENTRY_LIMIT:]
    zone = ZoneInfo(result.timezone)
    lines = [entry_line(e, plain=False, zone=zone) for e in shown]
    if count > len(shown):
        lines.insert(0, f"… {count - len(shown)} older updates not shown")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:3000]}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": summary}]},
    ]
    moves = [date_change_line(change) for change in result.date_changes]
    if moves:
        lines += ["*New dates asked for*", *moves]
    blocks += sections(lines)
    plain_lines = [entry_line(e, plain=True, zone=zone) for e in shown]
    if count > len(shown):
        plain_lines.insert(0, f"… {count - len(shown)} older updates not shown")
    if moves:
        plain_lines += ["New dates asked for:", *moves]
    text = "\n".join([plain, summary, *plain_lines])
    return Rendered(text=text, blocks=blocks[:50])


def date_change_line(change: DateChangeView) -> str:
    """“31 Jan 2023 → 31 Mar 2023, asked by @lead: approved by @dos on 15 Feb 2023”."""
    line = (
        f"{day(change.previous_due)} → {day(change.new_due)}, asked by {_who(change.requested_by)}"
    )
    if change.state == "requested":
        line += f": awaiting approval by {escape(change.approver_role or 'the approver')}"
    elif change.state == "recorded":
        line += ": recorded (the plan does not ask for approval)"
    elif change.state == "withdrawn":
        line += ": replaced by a later request"
    else:
        line += f": {change.state} by {_who(change.decided_by)}"
        if change.decided_on:
            line += f" on {day(change.decided_on)}"
    if change.reason:
        line += f" — “{escape(truncate(change.reason, 160))}”"
    if change.flagged:
        line += f" (flagged for the board: {escape(change.flagged)})"
    return line


def render_history_problem(result: HistoryProblem) -> Rendered:
    text = escape(result.message)
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )
