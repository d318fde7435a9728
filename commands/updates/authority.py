"""Who may change an item: an admin, a holder of one of its owner roles ("All HoS": any Head of
Service), or whoever covers one of those roles today, whose changes are stamped "for <role>"."""

from __future__ import annotations

from sqlmodel import Session

from commands.request import Request
from commands.roles.directory import is_admin
from store.models import Action, Step
from store.queries.governance import covered_roles
from store.queries.history import item_owner_roles
from store.queries.roles import holders


def who_can(session: Session, item: Action | Step) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (role.name, tuple(holders(session, role))) for role in item_owner_roles(session, item)
    )


def may_update(session: Session, request: Request, item: Action | Step) -> bool:
    """An admin, a holder of one of the item's owner roles (All HoS: any Head of Service), or
    whoever covers one of those roles today."""
    if is_admin(session, request):
        return True
    user = request.caller.user_id
    if any(user in users for _, users in who_can(session, item)):
        return True
    return covering_role(session, request, item) is not None


def covering_role(session: Session, request: Request, item: Action | Step) -> str | None:
    """The owner role the caller stands in for today, when they act as its cover rather than as
    a holder (the update is then stamped "for <role>"). Cover does not cascade: only the
    covered role's own items, and "All HoS" items when it is a Head of Service role."""
    user = request.caller.user_id
    if user is None:
        return None
    covered = covered_roles(session, user, request.clock.today())
    if not covered:
        return None
    owners = item_owner_roles(session, item)
    if any(user in holders(session, role) for role in owners):
        return None  # a holder acts as themself
    for role in owners:
        if role.id in covered:
            return role.name
        if role.group:
            head = next((r for r in covered.values() if r.head_of_service), None)
            if head is not None:
                return head.name
    return None
