"""A reply that says someone else owns the item now ("this sits with Head of QA now", "not mine
any more", "handed over to <@U…>") is not a status change: it is kept as a note, the author is
told an admin will look at it, and each admin is asked privately, with a button to move the
item to the role named. Nothing is reassigned until an admin presses it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.request import Request
from commands.roles.directory import is_admin, match_role, parse_users
from commands.updates.outcomes import ItemView, OwnershipClaimed
from store.models import Action, Role, Step
from store.queries.history import find_item
from store.queries.ownership import reassign
from store.queries.roles import ADMIN_ROLE, find_role, holders, owner_roles, roles_held_by

log = logging.getLogger(__name__)

_TO = r"(?:to|over\s+to|across\s+to|with)"
# "<who> owns/leads/has taken it over" (not "I've taken it over": that is the author's news)
_BY_WHO = re.compile(
    r"^(?P<who>.+?)\s+(?:owns?|leads?|is\s+leading(?:\s+on)?|has\s+taken|took|is\s+taking|"
    r"has\s+picked\s+up|is\s+picking\s+up|is\s+responsible\s+for)\s+"
    r"(?:it|this|that|the\s+action)(?:\s+over)?(?:\s+now)?\b",
    re.I,
)
# "passed/handed/moved (it) to <who>"; "(it) sits with/belongs to/is owned by <who> (now)";
# "it's now with <who>"; "<who> owns it"; "not mine any more (- it's <who>'s)"; "wrong person".
_CLAIMS = (
    re.compile(  # handed/passed need no object: "handed over to …", "passed to …"
        r"\b(?:passed|handed|transferred|reassigned)\s+(?:it\s+|this\s+|the\s+action\s+)?"
        r"(?:over\s+|across\s+)?" + _TO + r"\s+(?P<who>(?!bau\b|business\s+as\s+usual).+)",
        re.I,
    ),
    re.compile(  # moved/given/gone need one or "over": "moved to March" is no hand-over
        r"\b(?:moved|given|gone)\s+(?:(?:it|this|the\s+action|ownership)\s+(?:over\s+|across\s+)?"
        r"|over\s+|across\s+)" + _TO + r"\s+(?P<who>(?!bau\b|business\s+as\s+usual).+)",
        re.I,
    ),
    re.compile(
        r"\b(?:it|this|that|the\s+action)(?:'s|\s+is)?(?:\s+now)?\s+(?:(?:is\s+)?owned\s+by|"
        r"led\s+by|sitting\s+with|sits\s+with|belongs\s+to)\s+(?P<who>.+?)(?:\s+now)?\s*[.!]?$",
        re.I,
    ),
    re.compile(
        r"\b(?:it|this|that|the\s+action)(?:'s|\s+is)\s+now\s+(?:with|under)\s+(?P<who>.+?)\s*[.!]?$",
        re.I,
    ),
    _BY_WHO,
    re.compile(
        r"\b(?:not|no\s+longer)\s+(?:mine|my\s+action|my\s+responsibility|with\s+me|my\s+area)"
        r"(?:\s+any\s*more)?(?:\s*[,;:.!-]+\s*(?:it'?s|ask|try|it\s+is)\s+(?P<who>.+))?",
        re.I,
    ),
    re.compile(
        r"\bwrong\s+(?:person|lead|owner)\b(?:\s*[,;:.!-]+\s*(?:ask|try)\s+(?P<who>.+))?", re.I
    ),
)
_TRAILING = re.compile(r"[\s,;:.!?-]*(?:now|these\s+days|from\s+now\s+on|thanks?|cheers|ta)?"
                       r"[\s,;:.!?]*$", re.I)  # fmt: skip
_WHO_LIMIT = 80
_SELF = re.compile(r"(?:i|we|i'?ve|we'?ve|nobody|no\s*one)", re.I)


@dataclass(frozen=True)
class OwnershipClaim:
    """What a reply says about who owns its item now; `named` is the words that name them
    ("" for "not mine any more")."""

    named: str
    users: tuple[str, ...] = ()  # people mentioned (<@U…>)


@dataclass(frozen=True)
class Reassigned:
    ref: str
    role: str
    was: tuple[str, ...]
    by: str | None


@dataclass(frozen=True)
class ReassignProblem:
    message: str


def read_claim(text: str) -> OwnershipClaim | None:
    """The ownership claim in a reply, or None when it makes none."""
    users, _ = parse_users(text)
    flat = " ".join(text.split())
    for pattern in _CLAIMS:
        found = pattern.search(flat)
        if found is None:
            continue
        who = found.groupdict().get("who") or ""
        who = _TRAILING.sub("", re.split(r"[.;\n]| but | as | so ", who, maxsplit=1)[0])
        if pattern is _CLAIMS[2] and re.fullmatch(
            r"(?:i|we|i'?ve|we'?ve|nobody|no\s*one)", who, re.I
        ):
            continue  # "I've taken it over" is the author's own news, not a hand-over
        return OwnershipClaim(who.strip(" '\"“”")[:_WHO_LIMIT], tuple(users))
    return None


def claim_ownership(
    session: Session,
    request: Request,
    item: Action | Step,
    view: ItemView,
    claim: OwnershipClaim,
) -> OwnershipClaimed:
    """The claim, with the role its words name (or the role a mentioned person holds)."""
    role: Role | None = None
    if claim.named:
        role, _ = match_role(session, claim.named)
    if role is None and claim.users:
        held = [r for r in roles_held_by(session, claim.users[0]) if not r.group]
        role = held[0] if len(held) == 1 else None
    action = item if isinstance(item, Action) else session.get(Action, item.action_id)
    owners = tuple(r.name for r in owner_roles(session, action.id or 0)) if action else ()
    log.info(
        "ownership of %s claimed by %s for %s", view.ref, request.caller.label,
        role.name if role else "an unrecognised owner",
    )  # fmt: skip
    return OwnershipClaimed(
        item=view,
        kind="action" if isinstance(item, Action) else "step",
        item_id=item.id or 0,
        author=request.caller.user_id,
        named=claim.named,
        role=role.name if role is not None and role.name not in owners else None,
        owners=owners,
        admins=_admins(session, request),
    )


def _admins(session: Session, request: Request) -> tuple[str, ...]:
    """PLANBOT_ADMINS and the holders of the "planbot admin" role."""
    role = find_role(session, ADMIN_ROLE)
    held = tuple(holders(session, role)) if role is not None else ()
    return tuple(dict.fromkeys((*request.policy.admins, *held)))


def decide_reassign(
    session: Session, request: Request, action_ref: str, role_name: str
) -> Reassigned | ReassignProblem:
    """An admin's press of "Move to <role>": the action's owners become that role alone."""
    if not is_admin(session, request):
        return ReassignProblem("Only a planbot admin can move an action to another owner.")
    role = find_role(session, role_name)
    item = find_item(session, action_ref)
    action = session.get(Action, item.action_id) if isinstance(item, Step) else item
    if role is None or action is None:
        return ReassignProblem(f"{action_ref} or {role_name} is no longer in the plan directory.")
    was = tuple(r.name for r in owner_roles(session, action.id or 0))
    if was == (role.name,):
        return ReassignProblem(f"{action.ref} is already owned by {role.name}.")
    reassign(session, action, role)
    log.info("%s moved from %s to %s by %s", action.ref, was, role.name, request.caller.label)
    return Reassigned(action.ref, role.name, was, request.caller.user_id)
