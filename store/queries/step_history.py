"""An action's history together with its steps': every update, each with the step it was on."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from store.models import Action, StatusUpdate, Step


def history_with_steps(session: Session, action: Action) -> list[tuple[str | None, StatusUpdate]]:
    """Updates of the action (None) and of each of its steps (the step's ref), oldest first."""
    steps = {s.id: s.ref for s in session.exec(select(Step).where(Step.action_id == action.id))}
    query = (
        select(StatusUpdate)
        .where(or_(col(StatusUpdate.action_id) == action.id, col(StatusUpdate.step_id).in_(steps)))
        .order_by(col(StatusUpdate.at), col(StatusUpdate.id))
    )
    return [
        (steps.get(row.step_id) if row.step_id is not None else None, row)
        for row in session.exec(query)
    ]
