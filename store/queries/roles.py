"""The role directory: canonical roles, their aliases, who holds them, and reading owner cells."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from sqlmodel import Session, col, select

from store.db import id_of
from store.models import ActionOwner, Role, RoleAlias, RoleMember

YORK_ROLES = Path(__file__).parent.parent / "plans" / "york-roles.yaml"
ALL_HOS = "All HoS"
ADMIN_ROLE = "planbot admin"


def role_key(name: str) -> str:
    """Normalise a role as written for lookup: case, curly quotes, spacing, trailing dots."""
    text = unicodedata.normalize("NFKC", name).replace("’", "'").replace("‘", "'")
    # A cell quoted in curly or straight double quotes names the same role as without them.
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    text = re.sub(r"\s+", " ", text).strip().strip('"').strip().strip(".").strip()
    return text.casefold()


@dataclass
class RoleDirectory:
    """Roles as shipped for a council: canonical names, aliases and cells that hold two roles."""

    roles: list[dict] = field(default_factory=list)
    splits: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = YORK_ROLES) -> RoleDirectory:
        """Read a directory file; ValueError (or OSError) says what is wrong with it."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a readable YAML file ({type(error).__name__})") from None
        roles, splits = (
            (data.get("roles", []), data.get("splits", {}))
            if isinstance(data, dict)
            else (None, None)
        )
        if not isinstance(roles, list) or not isinstance(splits, dict):
            raise ValueError(f"{path}: expected `roles:` (a list) and `splits:` (a mapping)")
        for index, entry in enumerate(roles):
            aliases = entry.get("aliases", []) if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise ValueError(f"{path}: roles[{index}] needs a name")
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ValueError(f"{path}: roles[{index}].aliases should be a list of names")
        for written, names in splits.items():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError(f"{path}: splits['{written}'] should be a list of role names")
        return cls(roles=roles, splits=splits)


# Words that mark a title as a post or a team rather than somebody's name.
_ROLE_WORD_TEXT = """head heads director manager managers officer lead leads leader worker
    workers practitioner practitioners team teams service services group board panel partnership
    hos psw iro bi send
    mash qa intelligence school champion all coordinator co-ordinator chair member designated
    principal principle senior assistant deputy chief executive adviser advisor partners
    commissioning safeguarding parenting innovation virtual business corporate health police
    education council committee unit hub"""
_ROLE_WORDS = frozenset(_ROLE_WORD_TEXT.split())


def looks_like_person(name: str) -> bool:
    """True for an owner written like somebody's name ("Lesley Furnivall") rather than a role."""
    words = name.replace("’", "'").split()
    if not 2 <= len(words) <= 3:
        return False
    for word in words:
        if word.casefold().strip(".,") in _ROLE_WORDS:
            return False
        if not re.fullmatch(r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)*", word):
            return False
    return True


def looks_like_head_of_service(name: str) -> bool:
    return role_key(name).startswith("head of ")


def ensure_directory(session: Session, directory: RoleDirectory, *, at: datetime) -> None:
    """Create the shipped roles and aliases that are not in the store yet (never removes any)."""
    for entry in directory.roles:
        role = find_role(session, entry["name"])
        if role is None:
            role = Role(
                name=entry["name"],
                key=role_key(entry["name"]),
                head_of_service=bool(entry.get("head_of_service")),
                group=bool(entry.get("group")),
                created_at=at,
            )
            session.add(role)
            session.flush()
        for alias in entry.get("aliases", []):
            add_alias(session, role, alias)
    session.flush()


def add_alias(session: Session, role: Role, alias: str) -> None:
    key = role_key(alias)
    if key == role.key:
        return
    existing = session.exec(select(RoleAlias).where(RoleAlias.key == key)).first()
    if existing is None:
        session.add(RoleAlias(role_id=id_of(role), alias=alias, key=key))


def find_role(session: Session, name: str) -> Role | None:
    """The role a name or alias stands for, or None."""
    key = role_key(name)
    role = session.exec(select(Role).where(Role.key == key)).first()
    if role is not None:
        return role
    alias = session.exec(select(RoleAlias).where(RoleAlias.key == key)).first()
    return session.get(Role, alias.role_id) if alias else None


def split_owner_cell(text: str, splits: dict[str, list[str]]) -> list[str]:
    """The roles one owner cell names: a known two-role cell is split, anything else kept whole."""
    for written, roles in splits.items():
        if role_key(written) == role_key(text):
            return list(roles)
    return [text.strip()]


def resolve_owner(session: Session, name: str, *, at: datetime) -> tuple[Role, bool]:
    """The role for an owner as written, created when unseen; the flag says it was new."""
    role = find_role(session, name)
    if role is not None:
        return role, False
    role = Role(
        name=name.strip(),
        key=role_key(name),
        head_of_service=looks_like_head_of_service(name),
        created_at=at,
    )
    session.add(role)
    session.flush()
    return role, True


def all_roles(session: Session) -> list[Role]:
    return list(session.exec(select(Role).order_by(Role.name)))


def aliases_of(session: Session, role: Role) -> list[str]:
    rows = session.exec(select(RoleAlias).where(RoleAlias.role_id == role.id))
    return sorted(alias.alias for alias in rows)


def members_of(session: Session, role: Role, *, active_only: bool = True) -> list[RoleMember]:
    query = select(RoleMember).where(RoleMember.role_id == role.id)
    if active_only:
        query = query.where(col(RoleMember.active).is_(True))
    return list(session.exec(query.order_by(col(RoleMember.id))))


def holders(session: Session, role: Role) -> list[str]:
    """Chat user ids who answer for `role`; "All HoS" means every Head of Service's holders."""
    if role.group:
        heads = session.exec(select(Role).where(col(Role.head_of_service).is_(True)))
        users: list[str] = []
        for head in heads:
            users.extend(m.user_id for m in members_of(session, head) if m.user_id not in users)
        users.extend(m.user_id for m in members_of(session, role) if m.user_id not in users)
        return users
    return [member.user_id for member in members_of(session, role)]


def roles_held_by(session: Session, user_id: str) -> list[Role]:
    query = (
        select(Role)
        .join(RoleMember, col(RoleMember.role_id) == col(Role.id))
        .where(RoleMember.user_id == user_id, col(RoleMember.active).is_(True))
        .order_by(Role.name)
    )
    return list(session.exec(query))


def assign(session: Session, role: Role, user_id: str, *, by: str | None, at: datetime) -> bool:
    """Give `user_id` the role; False when they already held it."""
    member = session.exec(
        select(RoleMember).where(RoleMember.role_id == role.id, RoleMember.user_id == user_id)
    ).first()
    if member is not None:
        if member.active:
            return False
        member.active = True
        member.assigned_by, member.assigned_at = by, at
        session.add(member)
        return True
    session.add(RoleMember(role_id=id_of(role), user_id=user_id, assigned_by=by, assigned_at=at))
    session.flush()
    return True


def unassign(session: Session, role: Role, user_id: str) -> bool:
    member = session.exec(
        select(RoleMember).where(RoleMember.role_id == role.id, RoleMember.user_id == user_id)
    ).first()
    if member is None:
        return False
    session.delete(member)
    session.flush()
    return True


def mark_inactive(session: Session, user_id: str) -> int:
    """Record that Slack reports `user_id` deactivated: their roles then count as unfilled."""
    count = 0
    for member in session.exec(select(RoleMember).where(RoleMember.user_id == user_id)):
        if member.active:
            member.active = False
            session.add(member)
            count += 1
    return count


def owner_roles(session: Session, action_id: int) -> list[Role]:
    query = (
        select(Role)
        .join(ActionOwner, col(ActionOwner.role_id) == col(Role.id))
        .where(ActionOwner.action_id == action_id)
        .order_by(col(ActionOwner.position))
    )
    return list(session.exec(query))
