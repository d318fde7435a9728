"""Rendering evidence before Blue: the evidence recorded (with the approver's Sign off button
where sign-off is wanted) and the sign-off itself."""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, mention
from bot.render.item_text import people
from bot.render.rendered import Rendered
from commands.governance.evidence import EvidenceRecorded, SignedOff, SignOffProblem

SIGN_OFF = "signoff:confirm"  # value: the item ("action:12")


def awaiting_text(awaiting: str | None, ref: str) -> str:
    """What the confirmation of a "done" adds when Blue needs more."""
    if awaiting == "evidence":
        return (
            f"Complete, awaiting evidence: reply here with a link or a file and {escape(ref)} "
            "turns Blue."
        )
    if awaiting == "signoff":
        return f"Complete, awaiting sign-off before {escape(ref)} turns Blue."
    return ""


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def render_evidence_recorded(result: EvidenceRecorded) -> Rendered:
    what = ", ".join(escape(link) for link in result.links)
    if result.file:
        what = (what + " and " if what else "") + "the file shared here"
    text = f"Evidence recorded for {escape(result.ref)}: {what}."
    if result.unseen:
        text += " (A Slack link to a channel I cannot see: kept as given.)"
    if result.awaiting != "signoff":
        text += f" {escape(result.ref)} is complete and evidenced: Blue."
        return Rendered(text=text, blocks=[_section(text)], ephemeral=False)
    who = people(result.approvers) if result.approvers else escape(result.approver_role)
    ask = f"{who}: please sign off {escape(result.ref)} ({escape(result.approver_role)})."
    button = {
        "type": "button",
        "action_id": SIGN_OFF,
        "text": {"type": "plain_text", "text": "Sign off"},
        "style": "primary",
        "value": result.item_key,
    }
    blocks = [
        _section(text),
        _section(ask),
        {"type": "actions", "block_id": "sign_off", "elements": [button]},
    ]
    return Rendered(text=f"{text}\n{ask}", blocks=blocks, ephemeral=False, pings=True)


def render_signed_off(result: SignedOff) -> Rendered:
    text = (
        f"Signed off by {mention(result.by)}: {escape(result.ref)} is complete and evidenced: Blue."
    )
    return Rendered(text=text, blocks=[_section(text)], ephemeral=False)


def render_sign_off_problem(result: SignOffProblem) -> Rendered:
    text = escape(result.message)
    return Rendered(text=text, blocks=[_section(text)])
