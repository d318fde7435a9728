"""Writing a `PlanDoc` into the store, with a report of counts and every judgement made.

Re-importing updates texts and dates in place, adds new rows, and never deletes: a row that left
the file is flagged `missing_from_source` and reported. Status history is only ever added to. The
caller owns the transaction, so a failure (or `--dry-run`) leaves the database as it was.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session, col, delete, select

from store.db import id_of
from store.models import Action, ActionOwner, Area, Measure, Plan, Role, StatusUpdate, Step
from store.plan_files.dates import ReadDate, cadence_of, read_date
from store.plan_files.import_history import HistoryImport
from store.plan_files.import_report import AreaCount, ImportReport, PlanCount
from store.plan_files.plan_checks import validate
from store.plan_files.plan_doc import (
    ActionDoc,
    AreaDoc,
    PlanDoc,
    StepDoc,
)
from store.plan_files.plan_text import tidy
from store.queries.role_match import closest_role
from store.queries.roles import (
    RoleDirectory,
    assign,
    find_role,
    looks_like_person,
    resolve_owner,
    role_key,
    split_owner_cell,
)
from store.queries.state import apply_derived, derive_state

SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,20}")
OA_REF = re.compile(r"\(\s*(OA\s*\d+)\s*\)", re.IGNORECASE)


def imported_text(text: str, where: str) -> str:
    """Every piece of free text an import stores passes through here (titles, action texts,
    steps, progress, measures, outcomes, notes): invisible differences are tidied away. A child's
    details in any of them stop the import in `validate` (`_refuse_personal_data`), which names
    the field."""
    return tidy(text)


def _route_free_text(doc: PlanDoc) -> None:
    """Pass the plan's free text through `imported_text`, in place, before anything is written."""
    for area in doc.areas:
        area.title = imported_text(area.title, area.where)
        area.outcomes = [imported_text(text, area.where) for text in area.outcomes]
        for action in area.actions:
            where = action.where
            action.title = imported_text(action.title, where)
            action.text = imported_text(action.text, where)
            action.progress = imported_text(action.progress, where) if action.progress else None
            action.measures = [imported_text(text, where) for text in action.measures]
            for entry in action.history:
                entry.note = imported_text(entry.note, where) if entry.note else entry.note
            for step in action.steps:
                step.text = imported_text(step.text, step.where or where)
                for entry in step.history:
                    entry.note = imported_text(entry.note, step.where) if entry.note else entry.note


def financial_year_start(day: date) -> date:
    """1 April of the UK financial year `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def oa_refs_in(*texts: str) -> list[str]:
    """The Ofsted areas an Ambition Plan item follows up: every `(OA4)` in its texts, in order."""
    found: list[str] = []
    for text in texts:
        for match in OA_REF.finditer(text or ""):
            ref = re.sub(r"\s+", "", match.group(1)).upper()
            if ref not in found:
                found.append(ref)
    return found


class _Importer:
    def __init__(
        self,
        session: Session,
        doc: PlanDoc,
        at: datetime,
        directory: RoleDirectory,
        *,
        assign_people: bool = False,
    ) -> None:
        self.session = session
        self.assign_people = assign_people
        self.doc = doc
        self.at = at
        self.around = doc.document_date or at.date()
        self.directory = directory
        self.report = ImportReport()
        self.history = HistoryImport(session, doc, self.report)
        self.new_plan = False
        self.roles: dict[str, Role] = {}

    def judge(self, text: str) -> None:
        self.report.judgements.append(text)

    def run(self) -> ImportReport:
        validate(self.doc)
        _route_free_text(self.doc)
        doc = self.doc
        self.report.reading += [f"{doc.key}: {note}" for note in doc.reading]
        plan = self.session.exec(select(Plan).where(Plan.key == doc.key)).first()
        # A plan seen for the first time has nothing to look up: its rows are all new.
        self.new_plan = plan is None
        if plan is None:
            plan = Plan(key=doc.key, title=doc.title, prefix=doc.prefix)
            self.report.added.append(doc.key)
        plan.title, plan.prefix = doc.title, doc.prefix
        plan.council = doc.council or plan.council
        plan.source = doc.source or plan.source
        plan.document_date = doc.document_date or plan.document_date
        self.session.add(plan)
        self.session.flush()
        counts = PlanCount(doc.key, doc.title)
        seen_areas: set[str] = set()
        seen_actions: set[str] = set()
        for position, area_doc in enumerate(doc.areas):
            area = self._area(plan, area_doc, position)
            seen_areas.add(area.ref)
            steps = 0
            for a_position, action_doc in enumerate(area_doc.actions):
                action = self._action(plan, area, action_doc, a_position)
                seen_actions.add(action.ref)
                steps += len(action_doc.steps)
            counts.areas.append(AreaCount(area.ref, area.title, len(area_doc.actions), steps))
        self.report.plans.append(counts)
        self.history.link_corrections()
        for action in self.session.exec(select(Action).where(Action.plan_id == plan.id)):
            if action.ref not in seen_actions:
                if not action.missing_from_source:
                    action.missing_from_source = True
                    self.session.add(action)
                self.report.missing.append(f"{action.ref} {action.title[:60]}")
        for area in self.session.exec(select(Area).where(Area.plan_id == plan.id)):
            if area.ref not in seen_areas:
                self.report.missing.append(f"{area.ref} {area.title[:60]}")
        self.session.flush()
        return self.report

    def _area(self, plan: Plan, doc: AreaDoc, position: int) -> Area:
        ref = doc.ref.upper()
        area = self.session.exec(
            select(Area).where(Area.plan_id == plan.id, Area.ref == ref)
        ).first()
        number = int(ref[len(plan.prefix) :])
        if area is None:
            area = Area(plan_id=id_of(plan), ref=ref, number=number, title=doc.title)
            self.report.added.append(ref)
        elif (area.title, area.strategic_lead) != (doc.title, doc.strategic_lead):
            self.report.changed.append(ref)
        area.title, area.strategic_lead, area.position = doc.title, doc.strategic_lead, position
        self.session.add(area)
        self.session.flush()
        self._measures(area_id=area.id, texts=doc.outcomes, kind="outcome")
        if doc.strategic_lead:
            for name in split_owner_cell(doc.strategic_lead, self.directory.splits):
                self._role(name, ref)
        return area

    def _measures(
        self,
        *,
        texts: list[str],
        kind: str,
        area_id: int | None = None,
        action_id: int | None = None,
    ) -> None:
        column = col(Measure.area_id) if area_id is not None else col(Measure.action_id)
        owner = area_id if area_id is not None else action_id
        if self.new_plan:
            existing: list[Measure] = []
        else:
            existing = list(
                self.session.exec(
                    select(Measure).where(column == owner).order_by(col(Measure.position))
                )
            )
        if [m.text for m in existing] == texts:
            return
        if existing:
            self.session.exec(delete(Measure).where(column == owner))
        for position, text in enumerate(texts):
            self.session.add(
                Measure(
                    area_id=area_id, action_id=action_id, kind=kind, text=text, position=position
                )
            )

    def _role(self, name: str, ref: str) -> Role:
        # “Quoted” owners name the same role as unquoted ones, and a new role gets no quotes.
        name = name.strip().strip('"“”„').strip()
        key = role_key(name)
        if key in self.roles:
            role, new = self.roles[key], False
        else:
            close = (
                closest_role(self.session, name)
                if self.doc.reading and find_role(self.session, name) is None
                else None
            )
            if close is not None:
                role, new = close[0], False
                self.judge(
                    f"{ref}: owner '{name}' is not a role in the directory; did you mean "
                    f"'{role.name}'? ({close[1]}% alike) read as {role.name}"
                )
            else:
                role, new = resolve_owner(self.session, name, at=self.at)
            self.roles[key] = role
        if looks_like_person(name):
            self.judge(
                f"{ref}: owner '{name}' looks like a person's name, not a role; kept as written"
            )
        if new and role.name not in self.report.new_roles:
            self.report.new_roles.append(role.name)
            self.judge(f"{ref}: role '{role.name}' seen for the first time; added to the directory")
        return role

    def _read(self, ref: str, text: str) -> ReadDate:
        reading = read_date(text, self.around)
        if reading.judgement:
            self.judge(f"{ref}: {reading.judgement}")
        document_date = self.doc.document_date
        if reading.due and document_date and reading.due < financial_year_start(document_date):
            self.judge(
                f"{ref}: '{text}' falls before the financial year of the plan's own date "
                f"({document_date.isoformat()}); possibly a year too early, kept as written"
            )
        return reading

    def _action(self, plan: Plan, area: Area, doc: ActionDoc, position: int) -> Action:
        ref = doc.ref.upper()
        action, is_new = self._existing_or_new_action(plan, area, doc, ref)
        before = _as_written(action)
        self._copy_as_written(action, area, doc, position)
        step_dates = self._read_dues(action, doc, ref)
        if not doc.owners:
            self.judge(f"{ref}: no owner is named; reminders for it go to nobody until one is")
        self.session.add(action)
        self.session.flush()

        self._owners(action, doc, ref, new=is_new)
        self._measures(action_id=action.id, texts=doc.measures, kind="measure")
        self._holders(ref, doc.holders)
        self._steps(action, doc, step_dates, new=is_new)

        updates = self.history.add(action, doc.history, ref, doc.where, new=is_new)
        self._spreadsheet_status(
            action, doc.status, doc.rag, updates, at=doc.status_at, progress=doc.progress
        )
        apply_derived(action, derive_state(action, updates))
        self.session.add(action)
        after = _as_written(action)
        if not is_new and before != after:
            self.report.changed.append(ref)
        return action

    def _existing_or_new_action(
        self, plan: Plan, area: Area, doc: ActionDoc, ref: str
    ) -> tuple[Action, bool]:
        """The stored action `ref` of `plan`, or a new one (reported as added); and whether new."""
        action = (
            None
            if self.new_plan
            else self.session.exec(
                select(Action).where(Action.plan_id == plan.id, Action.ref == ref)
            ).first()
        )
        if action is not None:
            return action, False
        action = Action(
            plan_id=id_of(plan),
            area_id=id_of(area),
            ref=ref,
            number=int(ref.rsplit(".", 1)[1]),
            title=doc.title,
            text=doc.text,
            # Given, not defaulted: pydantic inspects a default factory's signature on every
            # construction, which was a fifth of a 2,000-row import.
            dates_as_written=list(doc.dates),
            oa_refs=[],
        )
        self.report.added.append(ref)
        return action, True

    @staticmethod
    def _copy_as_written(action: Action, area: Area, doc: ActionDoc, position: int) -> None:
        """Set the action's fields that come straight from the file."""
        action.area_id = id_of(area)
        action.title, action.text, action.timescale = doc.title, doc.text, doc.timescale
        action.dates_as_written = list(doc.dates)
        action.progress = doc.progress
        action.owners_as_written = "; ".join(doc.owners) or None
        action.position = position
        action.missing_from_source = False
        action.cadence = cadence_of(doc.timescale) if doc.timescale else None
        action.oa_refs = oa_refs_in(
            doc.title, doc.text, *(s.text for s in doc.steps), *doc.measures
        )

    def _read_dues(self, action: Action, doc: ActionDoc, ref: str) -> list[tuple[str | None, bool]]:
        """Read the action's dates into its planned due (the latest of them); return each step's
        date as written and whether the file set it on the step itself."""
        readings = [self._read(ref, text) for text in doc.dates]
        matched = bool(doc.steps) and len(doc.dates) == len(doc.steps)
        if len(doc.dates) > 1 and doc.steps and not matched:
            self.judge(
                f"{ref}: {len(doc.dates)} date(s) for {len(doc.steps)} step(s); dates cannot be "
                "matched to steps and are kept on the action as written"
            )
        if doc.timescale:
            reading = self._read(ref, doc.timescale)
            if reading.due:
                readings.append(reading)
        # Each step's date as written, and whether the file set it on the step itself; a step date
        # equal to the date it would be matched with anyway is not a separate (explicit) date.
        step_dates: list[tuple[str | None, bool]] = []
        for number, step_doc in enumerate(doc.steps, 1):
            matched_text = doc.dates[number - 1] if matched else None
            explicit = bool(step_doc.due) and step_doc.due != matched_text
            step_dates.append((step_doc.due or matched_text, explicit))
            if explicit:
                readings.append(read_date(step_doc.due, self.around))
        dated = [r for r in readings if r.due]
        latest = max(dated, key=lambda r: r.due or date.min) if dated else None
        action.planned_due = latest.due if latest else None
        if doc.dates and not matched:
            action.planned_due_as_written = "; ".join(doc.dates)
        else:
            action.planned_due_as_written = latest.text if latest else None
        return step_dates

    def _owners(self, action: Action, doc: ActionDoc, ref: str, *, new: bool) -> None:
        """Read the owner cells into roles and store them as the action's owners, in order."""
        roles: list[Role] = []
        for written in doc.owners:
            names = split_owner_cell(written, self.directory.splits)
            for name in names:
                role = self._role(name, ref)
                if role.id not in [r.id for r in roles]:
                    roles.append(role)
            if len(names) > 1:
                self.judge(f"{ref}: owner '{written}' read as two roles")
        current = (
            []
            if new
            else [
                o.role_id
                for o in self.session.exec(
                    select(ActionOwner)
                    .where(ActionOwner.action_id == action.id)
                    .order_by(col(ActionOwner.position))
                )
            ]
        )
        if current != [r.id for r in roles]:
            self.session.exec(delete(ActionOwner).where(col(ActionOwner.action_id) == action.id))
            for owner_position, role in enumerate(roles):
                self.session.add(
                    ActionOwner(
                        action_id=id_of(action), role_id=id_of(role), position=owner_position
                    )
                )

    def _steps(
        self,
        action: Action,
        doc: ActionDoc,
        step_dates: list[tuple[str | None, bool]],
        *,
        new: bool,
    ) -> None:
        """Store the action's steps; mark (and report) stored steps past the file's last one."""
        for number, (step_doc, (due_text, explicit)) in enumerate(
            zip(doc.steps, step_dates, strict=True), 1
        ):
            self._step(action, number, step_doc, due_text, explicit=explicit, new=new)
        gone: list[Step] = (
            []
            if new
            else list(
                self.session.exec(
                    select(Step).where(
                        Step.action_id == action.id, col(Step.number) > len(doc.steps)
                    )
                )
            )
        )
        for step in gone:
            if not step.missing_from_source:
                step.missing_from_source = True
                self.session.add(step)
            self.report.missing.append(f"{step.ref} {step.text[:60]}")

    def _step(
        self,
        action: Action,
        number: int,
        doc: StepDoc,
        due_text: str | None,
        *,
        explicit: bool,
        new: bool,
    ) -> None:
        ref = f"{action.ref}.{number}"
        step = (
            None
            if new
            else self.session.exec(
                select(Step).where(Step.action_id == action.id, Step.number == number)
            ).first()
        )
        is_new = step is None
        if step is None:
            step = Step(action_id=id_of(action), ref=ref, number=number, text=doc.text)
            self.report.added.append(ref)
        elif (step.text, step.planned_due_as_written) != (doc.text, due_text):
            self.report.changed.append(ref)
        step.text, step.ref, step.missing_from_source = doc.text, ref, False
        reading = (
            self._read(ref, due_text)
            if explicit and due_text
            else read_date(due_text or "", self.around)
        )
        step.planned_due = reading.due
        step.planned_due_as_written = due_text
        step.cadence = reading.cadence
        self.session.add(step)
        self.session.flush()
        updates = self.history.add(step, doc.history, ref, doc.where, new=is_new)
        self._spreadsheet_status(step, doc.status, doc.rag, updates)
        apply_derived(step, derive_state(step, updates))
        self.session.add(step)

    def _holders(self, ref: str, holders: list[tuple[str, str]]) -> None:
        """People named with a role: reported, and given the role only with --assign-people and
        only when written as a Slack user id (a name cannot be messaged)."""
        for person, role_name in holders:
            role = self._role(role_name, ref)
            if self.assign_people and SLACK_USER.fullmatch(person):
                if assign(self.session, role, person, by=None, at=self.at):
                    self.report.holders.append(f"{person} now holds {role.name} ({ref})")
                continue
            how = (
                "not assigned: give their Slack id (planbot roles assign)"
                if self.assign_people
                else "not assigned without --assign-people"
            )
            line = f"{person} for {role.name} ({ref}); {how}"
            if line not in self.report.holders:
                self.report.holders.append(line)

    def _spreadsheet_status(
        self,
        item: Action | Step,
        status: str | None,
        rag: str | None,
        updates: list[StatusUpdate],
        *,
        at: datetime | None = None,
        progress: str | None = None,
    ) -> None:
        """A spreadsheet's status or colour, when it differs from the item's, becomes an update
        dated at the file's own date, with the file's progress text as its note; new progress
        text alone becomes a note-only update."""
        if status is None and rag is None:
            return
        state = derive_state(item, updates)
        changed = (status or state.status) != state.status or (
            rag or state.declared_rag
        ) != state.declared_rag
        latest_note = next((u.note for u in reversed(updates) if u.note), None)
        new_progress = bool(progress) and progress != latest_note
        if not changed and not new_progress:
            return
        update = StatusUpdate(
            action_id=item.id if isinstance(item, Action) else None,
            step_id=item.id if isinstance(item, Step) else None,
            at=at.replace(tzinfo=self.at.tzinfo) if at else self.at,
            source="import",
            source_ref=self.doc.file or None,
            old_status=state.status,
            new_status=status if changed else None,
            old_rag=state.declared_rag,
            new_rag=rag if changed else None,
            old_due=state.due_date,
            note=progress or f"Status set by import of {self.doc.file or 'a plan file'}",
        )
        self.session.add(update)
        updates.append(update)
        self.report.history_added += 1


def apply_plan(
    session: Session,
    doc: PlanDoc,
    *,
    at: datetime,
    directory: RoleDirectory | None = None,
    assign_people: bool = False,
) -> ImportReport:
    """Write `doc` into the store inside the caller's transaction and report what was done."""
    importer = _Importer(
        session, doc, at, directory or RoleDirectory(), assign_people=assign_people
    )
    return importer.run()


def _as_written(action: Action) -> tuple[object, ...]:
    """What the document says of an action, to tell whether a re-import changed it."""
    return (
        action.title,
        action.text,
        action.timescale,
        list(action.dates_as_written),
        action.progress,
        action.owners_as_written,
        action.planned_due_as_written,
    )
