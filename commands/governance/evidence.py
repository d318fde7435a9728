"""Evidence and sign-off before Blue, where a plan's `blue_needs` is `evidence` or `signoff`.

A lead's "done" then marks the item complete, awaiting evidence (Green, counted apart from Blue);
a reply in its reminder thread carrying a link or a file is recorded as the evidence (an update
from source `evidence`, with the message's permalink); where sign-off is needed, the plan's
approver confirms with a button (an update from source `signoff`) and the item turns Blue.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.governance.date_changes import approvers, may_decide, plan_id_of
from commands.governance.plan_settings import policy_for
from commands.request import Request
from store.models import Action, Step
from store.queries.history import record_once
from store.queries.state import record_update

log = logging.getLogger(__name__)

_LINK = re.compile(r"(?:https?://|www\.)[^\s<>|]+", re.IGNORECASE)
_SLACK_MESSAGE = re.compile(r"slack\.com/archives/([CG][A-Z0-9]+)/", re.IGNORECASE)


@dataclass(frozen=True)
class EvidenceRecorded:
    ref: str
    item_key: str  # "action:12" or "step:7", for the sign-off button
    links: tuple[str, ...]
    file: bool
    awaiting: str | None  # "signoff" when the approver must still confirm; None: Blue
    approver_role: str
    approvers: tuple[str, ...]
    unseen: tuple[str, ...] = ()  # Slack links to channels the bot is not in: kept as given


@dataclass(frozen=True)
class SignedOff:
    ref: str
    by: str


@dataclass(frozen=True)
class SignOffProblem:
    message: str


def needs_for_done(session: Session, item: Action | Step) -> str | None:
    """What a "done" on this item must be followed by before Blue (None: nothing)."""
    needs = policy_for(session, plan_id_of(session, item)).blue_needs
    return None if needs == "none" else needs


def item_key(item: Action | Step) -> str:
    return f"{'action' if isinstance(item, Action) else 'step'}:{item.id}"


def offered_evidence(text: str, has_files: bool) -> tuple[tuple[str, ...], bool] | None:
    """The links in a reply and whether it carried a file; None when it offers neither."""
    links = tuple(match.group(0).rstrip(".,;)") for match in _LINK.finditer(text))
    return (links, has_files) if links or has_files else None


def record_evidence(
    session: Session,
    request: Request,
    item: Action | Step,
    offered: tuple[tuple[str, ...], bool],
    *,
    channel: str | None,
    message_ts: str,
    permalink: str | None,
    visible_channels: frozenset[str] = frozenset(),
) -> EvidenceRecorded | None:
    """Record a reply's links or file as the item's evidence (None if already recorded)."""
    links, has_file = offered
    unseen = tuple(
        link
        for link in links
        if (found := _SLACK_MESSAGE.search(link))
        and found.group(1) != channel
        and found.group(1) not in visible_channels
    )
    parts = list(links) + (["a file shared in the thread"] if has_file else [])
    note = "Evidence: " + "; ".join(parts)
    if unseen:
        note += " (a Slack link to a channel planbot cannot see: kept as given)"
    update = record_once(
        session,
        item,
        at=request.clock.utcnow(),
        source="evidence",
        author=request.caller.label,
        source_ref=permalink,
        note=note,
        channel=channel,
        message_ts=message_ts,
    )
    if update is None:
        return None
    policy = policy_for(session, plan_id_of(session, item))
    log.info("evidence for %s from %s: %d links, file=%s", item.ref, request.caller.label,
             len(links), has_file)  # fmt: skip
    return EvidenceRecorded(
        item.ref,
        item_key(item),
        links,
        has_file,
        item.awaiting,
        policy.approver,
        approvers(session, policy)[1],
        unseen,
    )


def sign_off(session: Session, request: Request, key: str) -> SignedOff | SignOffProblem:
    """The approver's Sign off: the item, evidenced, turns Blue."""
    kind, _, number = key.partition(":")
    item: Action | Step | None = None
    if number.isdigit():
        if kind == "action":
            item = session.get(Action, int(number))
        elif kind == "step":
            item = session.get(Step, int(number))
    if item is None:
        return SignOffProblem("That item is no longer in the plan.")
    policy = policy_for(session, plan_id_of(session, item))
    if not may_decide(session, request, policy):
        return SignOffProblem(f"Only the approver ({policy.approver}) or an admin can sign off.")
    if item.awaiting == "evidence":
        return SignOffProblem(f"{item.ref} has no evidence yet: it is signed off after that.")
    if item.awaiting != "signoff":
        return SignOffProblem(f"{item.ref} needs no sign-off now (it is {item.status}).")
    record_update(
        session,
        item,
        at=request.clock.utcnow(),
        source="signoff",
        author=request.caller.label,
        note="Signed off",
    )
    log.info("%s signed off by %s", item.ref, request.caller.label)
    return SignedOff(item.ref, request.caller.label)
