"""Cover during leave: `cover "Head of MASH" @deputy until 18 Aug`, `cover end "Head of MASH"`,
and `cover list`.

While a cover is active its person is reminded instead of the role's holders (who get an FYI),
may update the role's items (each update stamped "for <role>"), and is not a holder: cover does
not cascade to the covering person's own cover, and it ends by itself after its last day.
Who may set or end a cover: a holder of the role, a holder of the role that manages it (the
role file's `manager`), or an admin.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.request import Request
from commands.roles.directory import QUOTED, is_admin, match_role, parse_users
from commands.updates.reply_dates import find_dates
from store.models import Role
from store.queries import governance
from store.queries.roles import all_roles, holders, roles_held_by

log = logging.getLogger(__name__)

_UNTIL = re.compile(r"\b(?:until|till|til|to|through|thru|ending|ends?)\b", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|starting|starts?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CoverRow:
    role: str
    cover: str  # Slack user id
    holders: tuple[str, ...]
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CoverSet:
    row: CoverRow
    replaced: tuple[CoverRow, ...]  # earlier covers this one ended (the later wins)


@dataclass(frozen=True)
class CoverEnded:
    rows: tuple[CoverRow, ...]


@dataclass(frozen=True)
class CoverList:
    rows: tuple[CoverRow, ...]
    today: date


@dataclass(frozen=True)
class CoverProblem:
    message: str
    suggestions: tuple[str, ...] = ()


CoverResult = CoverSet | CoverEnded | CoverList | CoverProblem

USAGE = (
    'Say it like `cover "Head of MASH" @deputy until 18 Aug` (optionally `from 4 Aug`), '
    '`cover end "Head of MASH"` or `cover list`.'
)


def cover_command(session: Session, request: Request, rest: str) -> CoverResult:
    """`cover [list]`, `cover "<role>" @person until DATE [from DATE]`, `cover end "<role>"`."""
    verb, _, args = rest.strip().partition(" ")
    if verb.lower() in ("", "list", "ls", "show"):
        return cover_list(session, request)
    if verb.lower() in ("end", "stop", "cancel", "finish"):
        return cover_end(session, request, args)
    return cover_set(session, request, rest)


def _row(session: Session, role: Role, cover_user: str, starts: date, ends: date) -> CoverRow:
    return CoverRow(role.name, cover_user, tuple(holders(session, role)), starts, ends)


def cover_list(session: Session, request: Request) -> CoverList:
    today = request.clock.today()
    roles = {role.id: role for role in all_roles(session)}
    rows = []
    for role_id, role in roles.items():
        for cover in governance.covers_of(session, role_id or 0, today):
            rows.append(_row(session, role, cover.cover_user_id, cover.starts_on, cover.ends_on))
    return CoverList(tuple(sorted(rows, key=lambda r: (r.starts_on, r.role))), today)


def may_arrange_cover(session: Session, request: Request, role: Role) -> bool:
    """A holder of the role, a holder of its manager role, or an admin."""
    if is_admin(session, request):
        return True
    user = request.caller.user_id
    if user is None:
        return False
    held = {r.id for r in roles_held_by(session, user)}
    manager = governance.manager_role_id(session, role.id or 0)
    return role.id in held or (manager is not None and manager in held)


def _refused(session: Session, role: Role) -> CoverProblem:
    manager = governance.manager_role_id(session, role.id or 0)
    manager_role = session.get(Role, manager) if manager else None
    by_manager = f", a holder of {manager_role.name}" if manager_role else ""
    return CoverProblem(
        f"Only a holder of {role.name}{by_manager} or an admin can arrange cover for it."
    )


def _role_in(session: Session, text: str) -> tuple[Role | None, CoverProblem | None]:
    quoted = QUOTED.search(text)
    role_text = next(g for g in quoted.groups() if g) if quoted else text
    role_text = role_text.strip(" .,:;")
    if not role_text:
        return None, CoverProblem("Say which role. " + USAGE)
    role, suggestions = match_role(session, role_text)
    if role is None:
        if suggestions:
            return None, CoverProblem(f"I'm not sure which role “{role_text}” means.", suggestions)
        return None, CoverProblem(f"I don't know a role called “{role_text}”. Try `role list`.")
    return role, None


def _role_and_dates(rest: str, today: date) -> tuple[str, date, date] | CoverProblem:
    """The role's words, the first day (today unless "from …" says) and the last day ("until …")
    of the cover asked for."""
    until = _UNTIL.search(rest)
    if until is None:
        return CoverProblem("Say until when: cover ends by itself after its last day. " + USAGE)
    role_part, when = rest[: until.start()], rest[until.start() :]
    starts, ends = today, None
    start_at = _FROM.search(role_part)
    if start_at:
        role_part, when = role_part[: start_at.start()], role_part[start_at.start() :] + " " + when
    for found in find_dates(when, today):
        before = when[: found.start]
        if _FROM.search(before) and not _UNTIL.search(before):
            starts = found.day
        else:
            ends = found.day
    if ends is None:
        return CoverProblem(f"I couldn't read a date in “{when.strip()}”. " + USAGE)
    return role_part, starts, ends


def cover_set(session: Session, request: Request, text: str) -> CoverSet | CoverProblem:
    today = request.clock.today()
    users, rest = parse_users(text)
    if len(users) != 1:
        if request.caller.is_terminal:  # "@deputy" is a mention only in Slack
            return CoverProblem(
                "Say who covers by their Slack user id (a name is not one here), e.g. "
                '`cover "Head of MASH" U012AB3CD until 18 Aug`.'
            )
        return CoverProblem("Say who covers, as one Slack mention. " + USAGE)
    read = _role_and_dates(rest, today)
    if isinstance(read, CoverProblem):
        return read
    role_part, starts, ends = read
    role, problem = _role_in(session, role_part)
    if role is None:
        assert problem is not None
        return problem
    if role.group:
        return CoverProblem(
            f"{role.name} stands for every Head of Service: cover one Head of Service's role."
        )
    if not may_arrange_cover(session, request, role):
        log.info("cover of %s refused for %s", role.name, request.caller.label)
        return _refused(session, role)
    held = holders(session, role)
    cover_user = users[0]
    if not held:
        return CoverProblem(
            f"Nobody holds {role.name}, so there is no one to cover for: an admin can give it a "
            f'holder with `role assign "{role.name}" @someone`.'
        )
    if cover_user in held:
        return CoverProblem(f"That person already holds {role.name}: cover is someone else.")
    if ends < today:
        return CoverProblem(f"{ends:%-d %b %Y} is in the past: give a last day from today on.")
    if ends < starts:
        return CoverProblem(f"The cover would end ({ends:%-d %b}) before it starts.")
    cover, replaced = governance.add_cover(
        session,
        role.id or 0,
        cover_user,
        starts_on=starts,
        ends_on=ends,
        by=request.caller.label,
        at=request.clock.utcnow(),
    )
    log.info(
        "cover of %s by %s %s..%s set by %s (replacing %d)",
        role.name,
        cover_user,
        starts,
        ends,
        request.caller.label,
        len(replaced),
    )
    return CoverSet(
        _row(session, role, cover.cover_user_id, cover.starts_on, cover.ends_on),
        tuple(_row(session, role, c.cover_user_id, c.starts_on, c.ends_on) for c in replaced),
    )


def cover_end(session: Session, request: Request, text: str) -> CoverEnded | CoverProblem:
    role, problem = _role_in(session, parse_users(text)[1])
    if role is None:
        assert problem is not None
        return problem
    today = request.clock.today()
    covers = governance.covers_of(session, role.id or 0, today)
    mine = request.caller.user_id is not None and all(
        c.cover_user_id == request.caller.user_id for c in covers
    )
    if covers and not mine and not may_arrange_cover(session, request, role):
        return _refused(session, role)
    if not covers:
        return CoverProblem(f"Nobody is covering {role.name}: there is nothing to end.")
    for cover in covers:
        governance.end_cover(session, cover, by=request.caller.label, at=request.clock.utcnow())
    log.info("cover of %s ended by %s", role.name, request.caller.label)
    return CoverEnded(
        tuple(_row(session, role, c.cover_user_id, c.starts_on, c.ends_on) for c in covers)
    )
