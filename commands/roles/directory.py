"""The role directory from chat and the terminal: `role list|assign|remove` and `whoami`.

Owners in the plans are roles ("Head of MASH"); this is where people are put behind them. Role
names are matched loosely (aliases, then close spellings). Only admins change the directory:
PLANBOT_ADMINS, holders of the role "planbot admin", and the terminal operator.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from sqlmodel import Session

from commands.request import Request
from store.models import Action, Role
from store.queries import role_queries
from store.queries.roles import (
    ADMIN_ROLE,
    ALL_HOS,
    aliases_of,
    all_roles,
    assign,
    find_role,
    holders,
    role_key,
    roles_held_by,
    unassign,
)

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|(?<![\w<])@?\b([UW][A-Z0-9]{6,})\b")
QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|‘([^’]+)’|”([^”]+)”')
ROLE_MATCH_CUTOFF = 75  # a close spelling is taken when it clearly beats the next role
ROLE_MATCH_GAP = 5
ROLE_SUGGEST_CUTOFF = 70


@dataclass(frozen=True)
class OwnedItem:
    ref: str
    title: str
    status: str
    owner: str
    due: date | None
    due_as_written: str | None


@dataclass(frozen=True)
class RoleRow:
    name: str
    aliases: tuple[str, ...]
    holders: tuple[str, ...]
    deactivated: tuple[str, ...]
    open_actions: tuple[str, ...]
    head_of_service: bool
    group: bool

    @property
    def unfilled(self) -> bool:
        return bool(self.open_actions) and not self.holders


@dataclass(frozen=True)
class RoleListResult:
    rows: tuple[RoleRow, ...]

    @property
    def unfilled(self) -> tuple[RoleRow, ...]:
        return tuple(row for row in self.rows if row.unfilled)


@dataclass(frozen=True)
class RoleChangeResult:
    verb: str  # assign | remove
    role: str
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    deactivated: tuple[str, ...] = ()  # Slack reports these users deactivated: flagged, not used


@dataclass(frozen=True)
class RoleProblem:
    """A role command that could not be carried out, and why, in one calm line."""

    message: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RolesTransferred:
    leaver: str
    successor: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class WhoAmIResult:
    user_id: str | None
    roles: tuple[str, ...]
    items: tuple[OwnedItem, ...]
    is_admin: bool


def parse_users(text: str) -> tuple[list[str], str]:
    """User ids mentioned in `text` (`<@U123|name>`, `<@U123>`, `@U123`, `U123`) and the rest."""
    users: list[str] = []
    for match in _MENTION.finditer(text):
        user = match.group(1) or match.group(2)
        if user not in users:
            users.append(user)
    rest = _MENTION.sub(" ", text)
    return users, re.sub(r"\s+", " ", rest).strip()


_GENERIC_WORDS = frozenset({"head", "of", "and", "the", "for", "service", "&"})


def _distinctive(key: str) -> str:
    """The words of a role that tell it apart: "head of mash" -> "mash"."""
    return " ".join(w for w in key.split() if w not in _GENERIC_WORDS) or key


def match_role(session: Session, text: str) -> tuple[Role | None, tuple[str, ...]]:
    """The role `text` names (exactly, by alias, or by a close spelling) or suggestions."""
    cleaned = text.strip().strip("\"“”‘’'").strip()
    if not cleaned:
        return None, ()
    role = find_role(session, cleaned)
    if role is not None:
        return role, ()
    names = role_queries.role_names(session)
    choices = {i: role_key(name) for i, (name, _) in enumerate(names)}
    wanted = role_key(cleaned)
    found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=12)
    best: dict[int, float] = {}  # role id -> its best score, in rank order
    for _, score, index in found:
        # "Head of Nothing" shares "head of" with half the roles: the other words must match too.
        if fuzz.token_set_ratio(_distinctive(wanted), _distinctive(choices[index])) < 60:
            continue
        best.setdefault(names[index][1], score)
    ranked = list(best.items())
    if not ranked or ranked[0][1] < ROLE_SUGGEST_CUTOFF:
        return None, ()
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if ranked[0][1] >= ROLE_MATCH_CUTOFF and ranked[0][1] - runner_up >= ROLE_MATCH_GAP:
        return role_queries.get_role(session, ranked[0][0]), ()
    close = [rid for rid, score in ranked if score >= ROLE_SUGGEST_CUTOFF][:4]
    roles = [r for r in (role_queries.get_role(session, rid) for rid in close) if r]
    return None, tuple(r.name for r in roles)


def is_admin(session: Session, request: Request) -> bool:
    """The terminal, PLANBOT_ADMINS, and holders of the role "planbot admin"."""
    caller = request.caller
    if caller.is_terminal or caller.is_admin:
        return True
    if caller.user_id is None:  # nobody
        return False
    if caller.user_id in request.policy.admins:
        return True
    return any(role.key == role_key(ADMIN_ROLE) for role in roles_held_by(session, caller.user_id))


def _who_can_change(request: Request) -> str:
    if request.policy.admins:
        return 'an admin (PLANBOT_ADMINS or the role "planbot admin")'
    return 'someone holding the role "planbot admin"'


def owner_label(session: Session, action: Action, owned: dict[int, list[str]]) -> str:
    return "; ".join(owned.get(action.id or 0, [])) or (action.owners_as_written or "no owner")


def role_list(session: Session, request: Request, query: str = "") -> RoleListResult | RoleProblem:
    owned = role_queries.actions_owned(session)
    inactive = role_queries.inactive_members(session)
    roles = all_roles(session)
    if query:
        role, suggestions = match_role(session, query)
        if role is None:
            return _unknown_role(query, suggestions)
        roles = [role]
    rows = []
    for role in roles:
        actions = owned.get(role.id or 0, [])
        open_refs = tuple(a.ref for a in actions if a.status not in ("done", "dropped"))
        rows.append(
            RoleRow(
                name=role.name,
                aliases=tuple(aliases_of(session, role)),
                holders=tuple(holders(session, role)),
                deactivated=tuple(inactive.get(role.id or 0, [])),
                open_actions=open_refs,
                head_of_service=role.head_of_service,
                group=role.group,
            )
        )
    unfilled = [row.name for row in rows if row.unfilled]
    if unfilled:
        log.info("role list: %d roles own open actions with nobody behind them", len(unfilled))
    return RoleListResult(tuple(rows))


def _unknown_role(text: str, suggestions: tuple[str, ...]) -> RoleProblem:
    if suggestions:
        return RoleProblem(f"I'm not sure which role “{text}” means.", suggestions)
    return RoleProblem(f"I don't know a role called “{text}”. Try `role list`.")


def role_change(
    session: Session, request: Request, verb: str, rest: str
) -> RoleChangeResult | RoleProblem:
    if not is_admin(session, request):
        log.info("role %s refused for %s: not an admin", verb, request.caller.label)
        return RoleProblem(f"Only {_who_can_change(request)} can change the role directory.")
    users, remainder = parse_users(rest)
    quoted = QUOTED.search(remainder)
    role_text = next(g for g in quoted.groups() if g) if quoted else remainder
    if not role_text.strip():
        return RoleProblem(f'Say which role, e.g. `role {verb} "Head of MASH" @someone`.')
    if not users:
        if request.caller.is_terminal:  # "@sam" is a mention only in Slack
            return RoleProblem(
                f"Say who by their Slack user id (a name is not one here), e.g. "
                f'`role {verb} "Head of MASH" U012AB3CD`.'
            )
        return RoleProblem(
            f"Say who, as a Slack mention (or a user id like U012AB3CD), e.g. "
            f'`role {verb} "Head of MASH" @someone`.'
        )
    role, suggestions = match_role(session, role_text)
    if role is None:
        return _unknown_role(role_text.strip(), suggestions)
    now = request.clock.utcnow()
    changed: list[str] = []
    unchanged: list[str] = []
    deactivated: list[str] = []
    for user in users:
        if verb == "assign":
            active = request.workspace.user_active(user)
            did = assign(session, role, user, by=request.caller.user_id, at=now)
            if active is False:
                role_queries.set_member_active(session, role, user, active=False)
                deactivated.append(user)
                log.warning(
                    "role %s assigned to %s, whom Slack reports deactivated", role.name, user
                )
            (changed if did else unchanged).append(user)
        else:
            (changed if unassign(session, role, user) else unchanged).append(user)
    log.info("role %s %s: changed %s by %s", verb, role.name, changed, request.caller.label)
    return RoleChangeResult(verb, role.name, tuple(changed), tuple(unchanged), tuple(deactivated))


def transfer_roles(session: Session, request: Request, text: str) -> RolesTransferred | RoleProblem:
    """`role transfer @leaver @successor`: every role the leaver holds passes to the successor
    in one step, logged (an admin only)."""
    if not is_admin(session, request):
        log.info("role transfer refused for %s: not an admin", request.caller.label)
        return RoleProblem(f"Only {_who_can_change(request)} can transfer a leaver's roles.")
    users, _ = parse_users(text)
    if len(users) != 2 or users[0] == users[1]:
        return RoleProblem("Say `role transfer @leaver @successor`: two different Slack mentions.")
    leaver, successor = users
    roles = roles_held_by(session, leaver)
    if not roles:
        return RoleProblem("That person holds no roles: there is nothing to transfer.")
    now = request.clock.utcnow()
    for role in roles:
        assign(session, role, successor, by=request.caller.user_id, at=now)
        unassign(session, role, leaver)
    names = tuple(role.name for role in roles)
    log.info(
        "roles %s transferred from %s to %s by %s", names, leaver, successor, request.caller.label
    )
    return RolesTransferred(leaver, successor, names)


def role_command(
    session: Session, request: Request, rest: str
) -> RoleListResult | RoleChangeResult | RolesTransferred | RoleProblem:
    """`role list [role]`, `role assign "<role>" @user…`, `role remove "<role>" @user…`,
    `role transfer @leaver @successor`."""
    verb, _, args = rest.strip().partition(" ")
    verb = verb.lower()
    if verb in ("", "list", "ls", "show"):
        return role_list(session, request, args.strip())
    if verb in ("assign", "add", "give"):
        return role_change(session, request, "assign", args)
    if verb in ("remove", "unassign", "rm", "revoke"):
        return role_change(session, request, "remove", args)
    if verb in ("transfer", "handover", "hand"):
        return transfer_roles(session, request, args)
    return RoleProblem(
        'I understand `role list`, `role assign "Head of MASH" @someone`, '
        '`role remove "Head of MASH" @someone` and `role transfer @leaver @successor`.'
    )


def roles_of(session: Session, user_id: str) -> list[Role]:
    """The roles `user_id` holds, with All HoS for a Head of Service (it owns their actions too)."""
    held = roles_held_by(session, user_id)
    if any(role.head_of_service for role in held):
        group = find_role(session, ALL_HOS)
        if group is not None and group not in held:
            held.append(group)
    return held


def whoami_command(session: Session, request: Request, rest: str = "") -> WhoAmIResult:
    """The roles the caller holds (All HoS included for a Head of Service) and what they own."""
    user = request.caller.user_id
    if user is None:
        users, _ = parse_users(rest)
        user = users[0] if users else None
    held = roles_of(session, user) if user else []
    owned = role_queries.actions_owned(session)
    names: dict[int, list[str]] = {}
    for role in all_roles(session):
        for action in owned.get(role.id or 0, []):
            names.setdefault(action.id or 0, []).append(role.name)
    items: list[OwnedItem] = []
    seen: set[int] = set()
    for role in held:
        for action in owned.get(role.id or 0, []):
            if action.id in seen or action.status in ("done", "dropped"):
                continue
            seen.add(action.id or 0)
            items.append(
                OwnedItem(
                    ref=action.ref,
                    title=action.title,
                    status=action.status,
                    owner=owner_label(session, action, names),
                    due=action.due_date,
                    due_as_written=action.due_as_written,
                )
            )
    return WhoAmIResult(
        user_id=user,
        roles=tuple(role.name for role in held),
        items=tuple(items),
        is_admin=is_admin(session, request) if request.caller.user_id else False,
    )
