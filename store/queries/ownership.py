"""Moving an action to another owner role: the change an admin makes when a lead says someone
else owns it now (commands.updates.ownership)."""

from __future__ import annotations

from sqlmodel import Session, col, delete

from store.models import Action, ActionOwner, Role


def reassign(session: Session, action: Action, role: Role) -> None:
    """The action's owners become `role` alone; its steps follow their action."""
    session.exec(delete(ActionOwner).where(col(ActionOwner.action_id) == action.id))
    session.add(ActionOwner(action_id=action.id or 0, role_id=role.id or 0))
    session.flush()
