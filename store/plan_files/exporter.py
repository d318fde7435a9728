"""Building `PlanDoc`s back from the store, history included, for `planbot export`.

What comes out reads back in (`importer.apply_plan`) to the same store, so export -> import into
an empty database -> export gives the same file. Every status update is written, corrections,
superseded and deleted ones included; texts are trimmed as the readers trim them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from store.models import Action, Area, Measure, Plan, StatusUpdate, Step
from store.plan_files.dates import read_date
from store.plan_files.plan_doc import ActionDoc, AreaDoc, HistoryDoc, PlanDoc, StepDoc


class UnknownPlanError(LookupError):
    """A plan key the store does not hold; the message lists the keys it does."""


def _clean(value: str | None) -> str | None:
    return (value.strip() or None) if value else None


def plan_keys(session: Session) -> list[str]:
    return list(session.exec(select(Plan.key).order_by(col(Plan.id))))


def export_plans(session: Session, keys: Sequence[str] | None = None) -> list[PlanDoc]:
    """Every plan in the store (or those named by `keys`, in that order) as `PlanDoc`s."""
    plans = list(session.exec(select(Plan).order_by(col(Plan.id))))
    if keys:
        by_key = {plan.key: plan for plan in plans}
        unknown = [key for key in keys if key not in by_key]
        if unknown:
            known = ", ".join(by_key) or "none"
            raise UnknownPlanError(f"no plan '{unknown[0]}' in the store (plans: {known})")
        plans = [by_key[key] for key in keys]
    return [_PlanExport(session, plan).build() for plan in plans]


class _PlanExport:
    """One plan's export, read in five queries (areas, actions, steps, updates, measures)
    whatever its size: a query per action and step took 17 s at 10,000 actions.

    Exports read the stored record itself, not the whole-plan read model
    (`store.queries.whole_plan`): they need what the plan file said as written (owners, dates,
    timescale, progress) and every update, superseded and deleted ones too, which the read model
    leaves out on purpose."""

    def __init__(self, session: Session, plan: Plan) -> None:
        self.session = session
        self.plan = plan
        self.actions: dict[int, list[Action]] = {}
        self.steps: dict[int, list[Step]] = {}
        self.updates: dict[str, list[StatusUpdate]] = {}
        self.place: dict[int, tuple[str, int]] = {}  # update id -> (item ref, index in history)
        self.measures: dict[tuple[str, int], list[str]] = {}  # ("area"|"action", id) -> texts

    def build(self) -> PlanDoc:
        plan = self.plan
        session = self.session
        areas = list(
            session.exec(
                select(Area)
                .where(Area.plan_id == plan.id)
                .order_by(col(Area.position), col(Area.number))
            )
        )
        actions = list(
            session.exec(
                select(Action)
                .where(Action.plan_id == plan.id)
                .order_by(col(Action.position), col(Action.number))
            )
        )
        for action in actions:
            self.actions.setdefault(action.area_id, []).append(action)
        steps = session.exec(
            select(Step)
            .join(Action, col(Step.action_id) == col(Action.id))
            .where(Action.plan_id == plan.id)
            .order_by(col(Step.action_id), col(Step.number))
        )
        step_refs: dict[int, str] = {}
        for step in steps:
            self.steps.setdefault(step.action_id, []).append(step)
            step_refs[step.id or 0] = step.ref
        self._index_updates({action.id or 0: action.ref for action in actions}, step_refs)
        self._index_measures(plan.id or 0)
        return PlanDoc(
            key=plan.key,
            title=plan.title,
            prefix=plan.prefix,
            council=_clean(plan.council),
            source=_clean(plan.source),
            document_date=plan.document_date,
            areas=[self._area(area) for area in areas],
        )

    def _index_updates(self, action_refs: dict[int, str], step_refs: dict[int, str]) -> None:
        in_plan_actions = select(Action.id).where(Action.plan_id == self.plan.id)
        in_plan_steps = select(Step.id).join(Action, col(Step.action_id) == col(Action.id))
        rows = self.session.exec(
            select(StatusUpdate)
            .where(
                col(StatusUpdate.action_id).in_(in_plan_actions)
                | col(StatusUpdate.step_id).in_(in_plan_steps.where(Action.plan_id == self.plan.id))
            )
            .order_by(col(StatusUpdate.at), col(StatusUpdate.id))
        )
        for row in rows:
            if row.action_id is not None and row.action_id in action_refs:
                ref = action_refs[row.action_id]
            elif row.step_id is not None and row.step_id in step_refs:
                ref = step_refs[row.step_id]
            else:
                continue
            history = self.updates.setdefault(ref, [])
            self.place[row.id or 0] = (ref, len(history))
            history.append(row)

    def _index_measures(self, plan_id: int) -> None:
        in_plan_areas = select(Area.id).where(Area.plan_id == plan_id)
        in_plan_actions = select(Action.id).where(Action.plan_id == plan_id)
        query = (
            select(Measure)
            .where(
                col(Measure.area_id).in_(in_plan_areas)
                | col(Measure.action_id).in_(in_plan_actions)
            )
            .order_by(col(Measure.position), col(Measure.id))
        )
        for measure in self.session.exec(query):
            if measure.area_id is not None:
                self.measures.setdefault(("area", measure.area_id), []).append(measure.text)
            if measure.action_id is not None:
                self.measures.setdefault(("action", measure.action_id), []).append(measure.text)

    def _area(self, area: Area) -> AreaDoc:
        return AreaDoc(
            ref=area.ref,
            title=area.title,
            strategic_lead=_clean(area.strategic_lead),
            outcomes=self.measures.get(("area", area.id or 0), []),
            actions=[self._action(action) for action in self.actions.get(area.id or 0, [])],
        )

    def _action(self, action: Action) -> ActionDoc:
        steps = self.steps.get(action.id or 0, [])
        dates = list(action.dates_as_written or [])
        matched = bool(steps) and len(dates) == len(steps)
        step_docs = []
        for index, step in enumerate(steps):
            due = step.planned_due_as_written
            # A date the import will match from the action's `dates` is not written twice.
            if matched and due == dates[index]:
                due = None
            step_docs.append(
                StepDoc(
                    text=step.text,
                    due=due,
                    status=step.status,
                    rag=step.declared_rag,
                    history=self._history(step.ref),
                    ref=step.ref,
                )
            )
        return ActionDoc(
            ref=action.ref,
            title=action.title,
            text=action.text,
            owners=action.owners_as_written.split("; ") if action.owners_as_written else [],
            timescale=_clean(action.timescale),
            dates=dates,
            progress=_clean(action.progress),
            measures=self.measures.get(("action", action.id or 0), []),
            steps=step_docs,
            history=self._history(action.ref),
            status=action.status,
            rag=action.declared_rag,
        )

    def _history(self, ref: str) -> list[HistoryDoc]:
        out = []
        for update in self.updates.get(ref, []):
            corrects: int | str | None = None
            if update.corrects_id is not None and update.corrects_id in self.place:
                target_ref, index = self.place[update.corrects_id]
                corrects = index if target_ref == ref else f"{target_ref}#{index}"
            due = _clean(update.new_due_as_written) or (
                update.new_due.isoformat() if update.new_due else None
            )
            # Only when the words alone ("end of Feb") do not read as the stored day.
            due_date = update.new_due if due and read_date(due).due != update.new_due else None
            out.append(
                HistoryDoc(
                    at=update.at,
                    status=update.new_status,
                    rag=update.new_rag,
                    due=due,
                    due_date=due_date,
                    author=_clean(update.author),
                    source=update.source,
                    source_ref=_clean(update.source_ref),
                    note=_clean(update.note),
                    channel=_clean(update.channel),
                    message_ts=_clean(update.message_ts),
                    superseded=update.superseded,
                    deleted=update.deleted,
                    corrects=corrects,
                )
            )
        return out
