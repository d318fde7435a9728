"""Noticing that the store changed since the whole plan was read, and reading just what moved.

`store_version` is a cheap fingerprint of everything an answer shows (statuses, dates, texts,
owners, the role directory); `store_fingerprint` a thorough one for edits made in place; and
`load_state_changes` the new state and latest note of the items updated since a given update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from store.db import select_rows
from store.models import Action, ActionOwner, Area, Plan, Role, RoleAlias, StatusUpdate, Step
from store.queries.whole_plan import ItemState, item_state, latest_notes, state_columns


def _scalar(query: Any) -> Any:
    """One figure of a fingerprint, as a subquery so that one SELECT reads them all."""
    return query.scalar_subquery()


# Both fingerprints are built once: building a 16-figure SELECT cost about 0.5 ms a question,
# a third of the work of answering one (bench/bench_slack.py, py-spy), against 0.07 ms to run it.
_VERSION_QUERY = select_rows(
    _scalar(select(func.max(StatusUpdate.id))),
    _scalar(select(func.count()).select_from(StatusUpdate)),
    *(
        _scalar(select(aggregate).select_from(model))
        for model in (Plan, Area, Action, Step, ActionOwner, Role, RoleAlias)
        for aggregate in (func.count(), func.max(model.id))
    ),
)

_FINGERPRINT_QUERY = select_rows(
    _scalar(select(func.sum(func.length(Action.title) + func.length(Action.text)))),
    _scalar(select(func.max(Action.last_update_at))),
    _scalar(select(func.sum(func.length(Step.text)))),
    _scalar(select(func.max(Step.last_update_at))),
    _scalar(select(func.sum(func.length(Area.title)))),
    _scalar(
        select(func.count())
        .select_from(StatusUpdate)
        .where(or_(col(StatusUpdate.superseded), col(StatusUpdate.deleted)))
    ),
)


def store_version(session: Session) -> tuple[object, ...]:
    """A cheap fingerprint (highest ids and counts, no row reads) that moves on every write.

    Each status update adds a StatusUpdate row (so its highest id moves); an import adds rows or
    replaces owner rows (counts and highest ids move). Edits that rewrite rows in place, such as
    a re-import changing a title, are caught by `store_fingerprint`, which reads more.
    """
    return tuple(session.exec(_VERSION_QUERY).one())


def store_fingerprint(session: Session) -> tuple[object, ...]:
    """A thorough fingerprint: texts, item states and retracted updates (reads every row)."""
    row = session.exec(_FINGERPRINT_QUERY).one()
    return tuple(str(value) if isinstance(value, datetime) else value for value in row)


@dataclass(frozen=True)
class StateChanges:
    """The current state and latest note of every item updated after a given StatusUpdate id."""

    last_update_id: int | None
    actions: dict[int, ItemState]
    steps: dict[int, ItemState]
    action_notes: dict[int, str]
    step_notes: dict[int, str]


def load_state_changes(session: Session, after_update_id: int) -> StateChanges:
    """States and notes of the actions and steps that have updates newer than `after_update_id`."""
    touched = session.exec(
        select_rows(StatusUpdate.action_id, StatusUpdate.step_id).where(
            col(StatusUpdate.id) > after_update_id
        )
    ).all()
    action_ids = sorted({a for a, _ in touched if a is not None})
    step_ids = sorted({s for _, s in touched if s is not None})
    actions = _states_of(session, Action, action_ids)
    steps = _states_of(session, Step, step_ids)
    notes = latest_notes(session, action_ids, step_ids)
    last = session.exec(select(func.max(StatusUpdate.id))).one()
    return StateChanges(last, actions, steps, notes.actions, notes.steps)


def _states_of(
    session: Session, model: type[Action] | type[Step], ids: list[int]
) -> dict[int, ItemState]:
    """Item id -> state, for the given actions (or steps)."""
    if not ids:
        return {}
    query = select(model.id, *state_columns(model)).where(col(model.id).in_(ids))
    return {row.id: item_state(row) for row in session.exec(query)}
