"""What people see when a lead says someone else owns an item now: a word in the thread, a
private question to each admin with Move / Keep buttons, and the admin's decision."""

from __future__ import annotations

import json
from typing import Any

from bot.render.escape import escape, mention
from bot.render.rendered import Rendered
from commands.updates.outcomes import OwnershipClaimed
from commands.updates.ownership import Reassigned, ReassignProblem

MOVE, KEEP = "ownership:move", "ownership:keep"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _where(result: OwnershipClaimed) -> str:
    return ", ".join(escape(o) for o in result.owners) or "no owner role"


def render_ownership_claimed(result: OwnershipClaimed) -> Rendered:
    """In the thread: the claim is noted, nothing moves until an admin says so."""
    ref = escape(result.item.ref)
    named = f" is now with “{escape(result.named)}”" if result.named else " is no longer yours"
    text = (
        f"Noted: you say {ref}{named}. I have kept that as a note and asked an admin to look "
        f"at it; until then {ref} stays with {_where(result)}."
    )
    return Rendered(text=text, blocks=[_section(text)], ephemeral=False)


def admin_question(result: OwnershipClaimed) -> Rendered:
    """To each admin, privately: who said what, and a button to move the action's ownership."""
    ref = escape(result.item.ref)
    who = mention(result.author) if result.author else "Someone"
    said = f"is now with “{escape(result.named)}”" if result.named else "is no longer theirs"
    text = (
        f"{who} says {ref} ({escape(result.item.title[:120])}) {said}. It is owned by "
        f"{_where(result)}."
    )
    blocks: list[dict[str, Any]] = [_section(text)]
    if result.role is not None:
        value = json.dumps({"ref": result.item.ref.rsplit(".", 1)[0] if result.kind == "step"
                            else result.item.ref, "role": result.role})  # fmt: skip
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    _button(MOVE, f"Move to {result.role}"[:75], value, primary=True),
                    _button(KEEP, "Keep as it is", result.item.ref),
                ],
            }
        )
    else:
        blocks.append(
            _section(
                "I could not match that to a role in the directory: `/plan role list` shows "
                "them, and an import of the plan (or the role file) changes an action's owner."
            )
        )
    return Rendered(text=text, blocks=blocks, pings=False)


def _button(action_id: str, label: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if primary:
        button["style"] = "primary"
    return button


def render_reassigned(result: Reassigned) -> Rendered:
    was = ", ".join(escape(w) for w in result.was) or "no owner role"
    who = f" by {mention(result.by)}" if result.by else ""
    text = f"Moved {escape(result.ref)} to {escape(result.role)}{who} (it was with {was})."
    return Rendered(text=text, blocks=[_section(text)])


def render_reassign_problem(result: ReassignProblem) -> Rendered:
    text = escape(result.message)
    return Rendered(text=text, blocks=[_section(text)])
