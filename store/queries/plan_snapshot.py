"""Reading the whole plan at once, for indexes that answer many questions between store changes.

`store_version` is a cheap fingerprint of everything an answer shows (statuses, dates, texts,
owners, the role directory); `load_snapshot` reads every plan, area, action, step, owner role and
each item's latest note in a handful of queries, as plain frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from store.db import select_rows
from store.models import Action, ActionOwner, Area, Plan, Role, RoleAlias, StatusUpdate, Step


@dataclass(frozen=True)
class PlanRow:
    id: int
    key: str
    title: str
    prefix: str


@dataclass(frozen=True)
class AreaRow:
    id: int
    plan_id: int
    ref: str
    number: int
    title: str
    strategic_lead: str | None
    position: int


@dataclass(frozen=True)
class ItemState:
    """What an action or step stands at: the part of a row that status updates move."""

    status: str
    declared_rag: str | None
    due_date: date | None
    due_as_written: str | None
    cadence: str | None
    last_update_at: datetime | None
    rebaselined: int
    awaiting: str | None = None  # done, waiting for evidence or sign-off before Blue


@dataclass(frozen=True)
class ActionRow:
    id: int
    plan_id: int
    area_id: int
    ref: str
    number: int
    title: str
    text: str
    oa_refs: tuple[str, ...]
    position: int
    state: ItemState


@dataclass(frozen=True)
class StepRow:
    id: int
    action_id: int
    ref: str
    number: int
    text: str
    state: ItemState


@dataclass(frozen=True)
class RoleRow:
    id: int
    name: str
    aliases: tuple[str, ...]
    group: bool
    head_of_service: bool


@dataclass(frozen=True)
class PlanSnapshot:
    plans: tuple[PlanRow, ...]
    areas: tuple[AreaRow, ...]
    actions: tuple[ActionRow, ...]
    steps: tuple[StepRow, ...]
    roles: tuple[RoleRow, ...]
    owners: dict[int, tuple[int, ...]]  # action id -> role ids, in document order
    action_notes: dict[int, str]  # action id -> its latest note
    step_notes: dict[int, str]  # step id -> its latest note
    last_update_id: int | None = None  # the newest StatusUpdate when the snapshot was read


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


def _state_columns(model: type[Action] | type[Step]) -> tuple[Any, ...]:
    return (
        model.status,
        model.declared_rag,
        model.due_date,
        model.due_as_written,
        model.cadence,
        model.last_update_at,
        model.rebaselined,
        model.awaiting,
    )


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
    action_notes, step_notes = _latest_notes(session, action_ids, step_ids)
    last = session.exec(select(func.max(StatusUpdate.id))).one()
    return StateChanges(last, actions, steps, action_notes, step_notes)


def _states_of(
    session: Session, model: type[Action] | type[Step], ids: list[int]
) -> dict[int, ItemState]:
    """Item id -> state, for the given actions (or steps)."""
    if not ids:
        return {}
    query = select(model.id, *_state_columns(model)).where(col(model.id).in_(ids))
    return {row.id: _state(row) for row in session.exec(query)}


def _latest_notes(
    session: Session, action_ids: list[int] | None, step_ids: list[int] | None
) -> tuple[dict[int, str], dict[int, str]]:
    """The latest note of each item (of the given ones; of every item when both are None)."""
    action_notes: dict[int, str] = {}
    step_notes: dict[int, str] = {}
    query = select_rows(StatusUpdate.action_id, StatusUpdate.step_id, StatusUpdate.note).where(
        col(StatusUpdate.note).is_not(None),
        col(StatusUpdate.superseded).is_(False),
        col(StatusUpdate.deleted).is_(False),
    )
    if action_ids is not None or step_ids is not None:
        if not action_ids and not step_ids:
            return action_notes, step_notes
        query = query.where(
            or_(
                col(StatusUpdate.action_id).in_(action_ids or []),
                col(StatusUpdate.step_id).in_(step_ids or []),
            )
        )
    # Oldest first, so the last note written for an item is the one kept.
    for action_id, step_id, note in session.exec(
        query.order_by(col(StatusUpdate.at), col(StatusUpdate.id))
    ):
        if step_id is not None:
            step_notes[step_id] = note
        elif action_id is not None:
            action_notes[action_id] = note
    return action_notes, step_notes


def _state(row: Any) -> ItemState:
    """An item's state from a row of `_state_columns` (an Action or Step row, or a column read)."""
    return ItemState(
        status=row.status,
        declared_rag=row.declared_rag,
        due_date=row.due_date,
        due_as_written=row.due_as_written,
        cadence=row.cadence,
        last_update_at=row.last_update_at,
        rebaselined=row.rebaselined or 0,
        awaiting=row.awaiting,
    )


def load_snapshot(session: Session) -> PlanSnapshot:
    """Every plan, area, action, step, owner role and latest note, in document order."""
    # Long but straight: one query per table, in the order the rows refer to each other.
    last_update_id = session.exec(select(func.max(StatusUpdate.id))).one()  # read first: no gap
    plans = tuple(
        PlanRow(p.id, p.key, p.title, p.prefix)
        for p in session.exec(
            select_rows(Plan.id, Plan.key, Plan.title, Plan.prefix).order_by(Plan.id)
        )
    )
    areas = tuple(
        AreaRow(a.id, a.plan_id, a.ref, a.number, a.title, a.strategic_lead, a.position)
        for a in session.exec(
            select_rows(
                Area.id,
                Area.plan_id,
                Area.ref,
                Area.number,
                Area.title,
                Area.strategic_lead,
                Area.position,
            ).order_by(col(Area.plan_id), col(Area.position), col(Area.id))
        )
    )
    action_query = select_rows(
        Action.id,
        Action.plan_id,
        Action.area_id,
        Action.ref,
        Action.number,
        Action.title,
        Action.text,
        Action.oa_refs,
        Action.position,
        *_state_columns(Action),
    ).order_by(col(Action.plan_id), col(Action.area_id), col(Action.position), col(Action.id))
    actions = tuple(
        ActionRow(
            a.id,
            a.plan_id,
            a.area_id,
            a.ref,
            a.number,
            a.title,
            a.text,
            tuple(a.oa_refs or ()),
            a.position,
            _state(a),
        )
        for a in session.exec(action_query)
    )
    step_query = select_rows(
        Step.id,
        Step.action_id,
        Step.ref,
        Step.number,
        Step.text,
        *_state_columns(Step),
    ).order_by(col(Step.action_id), col(Step.number))
    steps = tuple(
        StepRow(s.id, s.action_id, s.ref, s.number, s.text, _state(s))
        for s in session.exec(step_query)
    )
    aliases: dict[int, list[str]] = {}
    for role_id, alias in session.exec(
        select_rows(RoleAlias.role_id, RoleAlias.alias).order_by(col(RoleAlias.id))
    ):
        aliases.setdefault(role_id, []).append(alias)
    roles = tuple(
        RoleRow(r.id, r.name, tuple(aliases.get(r.id, ())), r.group, r.head_of_service)
        for r in session.exec(
            select_rows(Role.id, Role.name, Role.group, Role.head_of_service).order_by(col(Role.id))
        )
    )
    owners: dict[int, list[int]] = {}
    for action_id, role_id in session.exec(
        select_rows(ActionOwner.action_id, ActionOwner.role_id).order_by(
            col(ActionOwner.action_id), col(ActionOwner.position)
        )
    ):
        owners.setdefault(action_id, []).append(role_id)
    action_notes, step_notes = _latest_notes(session, None, None)
    return PlanSnapshot(
        plans=plans,
        areas=areas,
        actions=actions,
        steps=steps,
        roles=roles,
        owners={key: tuple(value) for key, value in owners.items()},
        action_notes=action_notes,
        step_notes=step_notes,
        last_update_id=last_update_id,
    )
