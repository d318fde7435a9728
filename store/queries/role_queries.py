"""Queries the role commands need beyond store.queries.roles: every name a role goes by, what each
role
owns, and members Slack reports deactivated."""

from __future__ import annotations

from sqlmodel import Session, col, select

from store.models import Action, ActionOwner, Role, RoleAlias, RoleMember


def role_names(session: Session) -> list[tuple[str, int]]:
    """Every canonical name and alias with its role id, for loose matching."""
    names = [(role.name, role.id or 0) for role in session.exec(select(Role))]
    names += [(alias.alias, alias.role_id) for alias in session.exec(select(RoleAlias))]
    return names


def get_role(session: Session, role_id: int) -> Role | None:
    return session.get(Role, role_id)


def actions_owned(session: Session) -> dict[int, list[Action]]:
    """Role id -> the actions it owns, in plan order."""
    query = (
        select(ActionOwner.role_id, Action)
        .join(Action, col(Action.id) == col(ActionOwner.action_id))
        .order_by(col(Action.plan_id), col(Action.position), col(Action.id))
    )
    owned: dict[int, list[Action]] = {}
    for role_id, action in session.exec(query):
        owned.setdefault(role_id, []).append(action)
    return owned


def inactive_members(session: Session) -> dict[int, list[str]]:
    """Role id -> user ids assigned to it whom Slack reports deactivated."""
    rows = session.exec(select(RoleMember).where(col(RoleMember.active).is_(False)))
    result: dict[int, list[str]] = {}
    for member in rows:
        result.setdefault(member.role_id, []).append(member.user_id)
    return result


def set_member_active(session: Session, role: Role, user_id: str, *, active: bool) -> None:
    member = session.exec(
        select(RoleMember).where(RoleMember.role_id == role.id, RoleMember.user_id == user_id)
    ).first()
    if member is not None and member.active != active:
        member.active = active
        session.add(member)
        session.flush()


def all_member_ids(session: Session) -> list[str]:
    """Every user id assigned to any role, active or not (for checking them against Slack)."""
    return sorted(set(session.exec(select(RoleMember.user_id))))


def holders_by_role(session: Session) -> dict[int, tuple[str, ...]]:
    """Role id -> its active holders, read in two queries; a group role ("All HoS") holds every
    Head of Service's holders as well as its own (as store.queries.roles.holders does for one
    role)."""
    roles = list(session.exec(select(Role)))
    members: dict[int, list[str]] = {}
    rows = session.exec(
        select(RoleMember).where(col(RoleMember.active).is_(True)).order_by(col(RoleMember.id))
    )
    for member in rows:
        members.setdefault(member.role_id, []).append(member.user_id)
    heads = [
        user for role in roles if role.head_of_service for user in members.get(role.id or 0, [])
    ]
    result: dict[int, tuple[str, ...]] = {}
    for role in roles:
        own = members.get(role.id or 0, [])
        users = [*heads, *own] if role.group else own
        result[role.id or 0] = tuple(dict.fromkeys(users))
    return result


def role_names_by_id(session: Session) -> dict[int, str]:
    return {role.id or 0: role.name for role in session.exec(select(Role))}
