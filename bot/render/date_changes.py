"""Rendering date changes: the request under a reply (with Approve / Reject / Ask for more for
the approver), the decision in the thread, and the line that says what a date change was."""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, mention
from bot.render.item_text import day, people
from bot.render.rendered import Rendered
from commands.governance.date_changes import DateChangeDecided, DateChangeProblem, DateChangeView

DECIDE = "date_change:"  # + approve | reject | more; value: the date change id
VERDICT_LABELS = {"approve": "Approve", "reject": "Reject", "more": "Ask for more"}


def _who(label: str | None) -> str:
    return mention(label) if label else "someone"


def baseline(change: DateChangeView) -> str:
    """“due 30 Apr 2023 (re-baselined from 31 Jan 2023, approved by @DoS on 20 Feb 2023)”."""
    was = change.previous_due or change.original_due
    moved = f"re-baselined from {day(was)}" if was else "first date set"
    if change.state == "approved":
        moved += f", approved by {_who(change.decided_by)}"
        if change.decided_on:
            moved += f" on {day(change.decided_on)}"
    elif change.state == "recorded":
        moved += ", recorded without approval"
    return f"due {day(change.new_due)} ({moved})"


def date_change_text(change: DateChangeView) -> str:
    """What the confirmation adds about a new date."""
    flag = f" Flagged for the board: {escape(change.flagged)}." if change.flagged else ""
    if change.state == "requested":
        role = escape(change.approver_role or "the approver")
        reason = "" if change.reason else " Say why in this thread so it can be decided."
        return (
            f"New date {day(change.new_due)} (now {day(change.previous_due)}) asked for: it waits "
            f"for {role}'s approval, and {escape(change.ref)} keeps its date until then."
            f"{reason}{flag}"
        )
    return f"{escape(change.ref)} {baseline(change)}.{flag}"


def approval_blocks(change: DateChangeView) -> list[dict[str, Any]]:
    """The approver's question and buttons, in the thread where the lead asked."""
    who = people(change.approvers) if change.approvers else escape(change.approver_role or "")
    reason = f" Reason: “{escape(change.reason)}”" if change.reason else " No reason given yet."
    ask = (
        f"{who}: {escape(change.ref)} asks to move its date from {day(change.previous_due)} to "
        f"{day(change.new_due)}.{reason}"
    )
    buttons = []
    for verdict, label in VERDICT_LABELS.items():
        button: dict[str, Any] = {
            "type": "button",
            "action_id": f"{DECIDE}{verdict}",
            "text": {"type": "plain_text", "text": label},
            "value": str(change.id),
        }
        if verdict == "approve":
            button["style"] = "primary"
        buttons.append(button)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": ask}},
        {"type": "actions", "block_id": f"date_change_{change.id}", "elements": buttons},
    ]


def render_date_change_decided(result: DateChangeDecided) -> Rendered:
    change = result.change
    by = _who(change.decided_by)
    if result.verdict == "more":
        asker = _who(change.requested_by)
        text = (
            f"{asker}: the approver asks for more before deciding on {escape(change.ref)}'s new "
            f"date ({day(change.new_due)}). Reply here with what has changed and why."
        )
    elif result.verdict == "approve":
        text = f"Approved by {by}: {escape(change.ref)} is now {baseline(change)}."
    else:
        text = (
            f"Not approved by {by}: {escape(change.ref)} keeps its date, "
            f"{day(change.previous_due)}."
        )
    return Rendered(
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        ephemeral=False,
        pings=result.verdict == "more",  # the lead is asked for more: they should hear of it
    )


def render_date_change_problem(result: DateChangeProblem) -> Rendered:
    text = escape(result.message)
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )
