"""What a committee paper says, worked out from the store as it stood on a date.

`paper_facts(session, as_of, since, scope)` replays every item's dated updates up to `as_of`
(later updates are ignored), counts each area's actions by delivery status, lists the exceptions
(open items past their due date, and blocked items) with owner and due date, and keeps each
item's latest note. Every note passes through the child-data guardrail before it is returned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from commands.governance.date_changes import DateMoves, date_moves
from commands.reports.trend import PlanStart, TrendPoint, action_trend, add_up, sample_days
from commands.roles.directory import match_role
from store.models import Action, Area, DateChange, Plan, StatusUpdate, Step
from store.models.status import Status
from store.personal_data import redact
from store.queries import role_queries
from store.queries.governance import all_date_changes
from store.queries.paper_items import (
    all_plans,
    area_by_ref,
    area_rows,
    areas_of,
    first_update_on,
    owner_names,
    plan_called,
)
from store.queries.state import derive_state
from store.utc import as_utc

NEXT_MEETING = timedelta(days=91)  # a quarter: what falls due before the board meets again
STATUS_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.BLOCKED, Status.DROPPED)


@dataclass(frozen=True)
class Note:
    ref: str
    on: date
    text: str  # redacted


@dataclass(frozen=True)
class ItemException:
    """An open item past its due date, or blocked, on the paper's date."""

    ref: str
    title: str
    reason: str  # "overdue by 12 days" or "blocked"
    owner: str
    due: date | None


@dataclass(frozen=True)
class TrackerRow:
    """One row of the tracker table: an action, or a step beneath it."""

    ref: str
    title: str
    lead: str
    original_due: date | None
    current_due: date | None
    rebaselined: int
    latest_on: date | None
    latest_note: str | None  # redacted
    status: str  # "in progress"
    flag: str  # "Overdue", "Blocked", "Complete", "On track", "Dropped", "No update"
    forecast: str = ""  # due before the next meeting: "on track" / "at risk (lead says amber)"
    moved: str = ""  # the last re-baseline: "last moved 3 Feb 2023, approved by …"
    next_step: str = ""  # what has to happen next, from the data: an open step, a decision…


@dataclass(frozen=True)
class AreaFacts:
    ref: str
    title: str
    counts: tuple[tuple[str, int], ...]  # (status label, number of actions), in STATUS_ORDER
    total: int
    overdue: int
    completed_in_period: tuple[str, ...]  # refs of actions done between since and as_of
    updated_in_period: int
    exceptions: tuple[ItemException, ...]
    notes: tuple[Note, ...]  # latest notes given in the period, newest first
    forecast: tuple[str, ...] = ()  # "P7.5.2 due 31 Mar 2023, lead says on track"
    evidenced: int = 0  # done actions with evidence recorded
    awaiting_evidence: int = 0  # done actions whose evidence (or sign-off) is still to come
    plan: str = ""  # the title of the plan the area belongs to


@dataclass(frozen=True)
class PaperFacts:
    plan_title: str
    council: str | None
    as_of: date
    since: date
    scope: str
    areas: tuple[AreaFacts, ...]
    rows: tuple[TrackerRow, ...]
    redactions: int  # identifiers removed from notes
    date_moves: DateMoves = field(default_factory=DateMoves)
    trend: tuple[TrendPoint, ...] = ()  # open, overdue and done since the plan began
    plan_starts: tuple[PlanStart, ...] = ()  # each plan in scope and when the trend counts it


@dataclass(frozen=True)
class PaperProblem:
    message: str


@dataclass(frozen=True)
class _Item:
    ref: str
    title: str
    owner: str
    original_due: date | None
    status: str
    due: date | None
    rebaselined: int
    latest: StatusUpdate | None
    done_on: date | None
    step: bool
    declared: str | None = None  # the lead's own colour, if they gave one
    awaiting: str | None = None  # done, but its evidence (or sign-off) is still to come
    evidenced: bool = False  # evidence recorded for it
    trend: tuple[tuple[bool, bool, bool] | None, ...] = ()  # (open, overdue, done) per trend day
    next_step: str = ""


def default_since(as_of: date) -> date:
    """Three months before `as_of` (the store does not yet remember the previous paper)."""
    month = as_of.month - 3
    year = as_of.year + (month <= 0) * -1
    month = month + 12 if month <= 0 else month
    day = min(as_of.day, 28)
    return date(year, month, day)


def _chosen(
    session: Session, as_of: date, scope: str | None, owned_by: str | None
) -> tuple[list[Plan], list[Area], str | None, set[int] | None] | PaperProblem:
    """The plans and areas a paper covers, its scope's name, and with `owned_by` the ids of
    the role's items (only those are shown)."""
    only: set[int] | None = None
    if owned_by is not None:
        found = _role_items(session, owned_by)
        if isinstance(found, PaperProblem):
            return found
        scope, only = found
        chosen = _areas_in_scope(session, "all")
    else:
        chosen = _areas_in_scope(session, scope or "ofsted")
    if isinstance(chosen, PaperProblem):
        return chosen
    plans, areas = chosen
    for plan in plans:
        if plan.document_date and as_of < plan.document_date:
            return PaperProblem(
                f"{plan.title} was written on {plan.document_date}; --as-of {as_of} is before it."
            )
    return plans, areas, scope, only


def paper_facts(
    session: Session,
    as_of: date,
    since: date | None = None,
    scope: str | None = None,
    *,
    owned_by: str | None = None,
    next_meeting: date | None = None,
) -> PaperFacts | PaperProblem:
    """What a paper says about `scope` (all, a plan or an area) or, with `owned_by`, about one
    role's items wherever they sit (the support-and-challenge pack)."""
    since = since or default_since(as_of)
    if since > as_of:
        return PaperProblem(f"--since {since} is after --as-of {as_of}.")
    chosen = _chosen(session, as_of, scope, owned_by)
    if isinstance(chosen, PaperProblem):
        return chosen
    plans, areas, scope, only = chosen
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)
    owners = owner_names(session)
    counter = _Redactions()
    changes = all_date_changes(session)
    context = _Context(
        as_of=as_of,
        end=end,
        owners=owners,
        moved=_last_moves(changes, end),
        waiting=set(date_moves(changes, _every_ref(changes), end, end).awaiting),
        begins={plan.id or 0: _plan_begins(session, plan, as_of) for plan in plans},
        days=(),
    )
    days = sample_days(min(context.begins.values()), as_of)
    days = sorted({*days, *(on for on in context.begins.values() if on > days[0])})
    context = replace(context, days=tuple(days))  # each plan's start is a day of its own
    titles = {plan.id: plan.title for plan in plans}
    area_facts, rows = [], []
    marks = []
    for area in areas:
        items = _area_items(session, area, context, only)
        if only is not None and not items:
            continue  # a challenge pack shows only the areas where the role owns something
        until = next_meeting or as_of + NEXT_MEETING
        found = _area_facts(area, items, as_of, since, counter, until)
        area_facts.append(replace(found, plan=titles.get(area.plan_id, "")))
        rows += [_row(item, as_of, counter, until, context.moved) for item in items]
        marks += [item.trend for item in items if not item.step]
    shown = [plan for plan in plans if any(a.plan_id == plan.id for a in areas)]
    return PaperFacts(
        plan_title=" and ".join(plan.title for plan in plans),
        council=next((plan.council for plan in plans if plan.council), None),
        as_of=as_of,
        since=since,
        scope=scope or plans[0].key,
        areas=tuple(area_facts),
        rows=tuple(rows),
        redactions=counter.count,
        date_moves=date_moves(
            changes,
            {row.ref for row in rows},
            datetime.combine(since, time(), tzinfo=UTC),
            end,
        ),
        trend=add_up(context.days, marks),
        plan_starts=tuple(
            PlanStart(plan.title, context.begins[plan.id or 0]) for plan in shown or plans
        ),
    )


@dataclass(frozen=True)
class _Context:
    """What every item of a paper is read against."""

    as_of: date
    end: datetime  # the start of the day after as_of: updates before it count
    owners: dict[int, str]
    moved: dict[str, str]  # ref -> "last moved 3 Feb 2023, approved by …"
    waiting: set[str]  # refs with a new date awaiting approval at the end
    begins: dict[int, date]  # plan id -> the day the trend starts counting it
    days: tuple[date, ...]  # the trend's days


def _plan_begins(session: Session, plan: Plan, as_of: date) -> date:
    """A plan's own date, else the day of its first recorded update, else the paper's date."""
    if plan.document_date is not None:
        return min(plan.document_date, as_of)
    first = first_update_on(session, plan.id or 0)
    return min(first, as_of) if first else as_of


def _every_ref(changes: list[DateChange]) -> set[str]:
    return {change.ref for change in changes}


def _last_moves(changes: list[DateChange], end: datetime) -> dict[str, str]:
    """Who moved each item's due date last, and when: the re-baseline the tracker shows."""
    moved: dict[str, str] = {}
    for change in changes:  # oldest first, so the last one applied wins
        decided = change.decided_at
        if change.state not in ("approved", "recorded") or decided is None:
            continue
        if as_utc(decided) >= end:
            continue
        by = (
            f"approved by {change.approver_role}"
            if change.state == "approved" and change.approver_role
            else "approved"
            if change.state == "approved"
            else "by its lead"
        )
        moved[change.ref] = f"last moved {decided:%-d %b %Y}, {by}"
    return moved


class _Redactions:
    def __init__(self) -> None:
        self.count = 0

    def clean(self, text: str) -> str:
        result = redact(text)
        self.count += len(result.findings)
        return " ".join(result.text.split())


def _areas_in_scope(session: Session, scope: str) -> tuple[list[Plan], list[Area]] | PaperProblem:
    """The plans and areas a scope names: `all`, a plan (key, prefix or title) or one area."""
    wanted = scope.strip().lower()
    plans = all_plans(session)
    if wanted in ("all", "both", "all plans"):
        chosen = [(plan, areas_of(session, plan.id or 0)) for plan in plans]
        chosen = [(plan, areas) for plan, areas in chosen if areas]
        if not chosen:
            return PaperProblem("No plan has areas to report on: import a plan first.")
        return [plan for plan, _ in chosen], [area for _, areas in chosen for area in areas]
    plan = plan_called(session, wanted)
    if plan is not None:
        areas = areas_of(session, plan.id or 0)
        if not areas:
            return PaperProblem(f"{plan.title} has no areas to report on.")
        return [plan], areas
    area = area_by_ref(session, wanted)
    if area is not None:
        plan_of_area = session.get(Plan, area.plan_id)
        assert plan_of_area is not None
        return [plan_of_area], [area]
    known = ", ".join(sorted(plan.key for plan in plans)) or "none"
    return PaperProblem(
        f"No plan or area is called '{scope}'. Plans: {known} (or all); areas are named like "
        "OA1 or P3."
    )


def _role_items(session: Session, text: str) -> tuple[str, set[int]] | PaperProblem:
    """The role `text` names and the ids of the actions it owns."""
    role, suggestions = match_role(session, text)
    if role is None:
        maybe = f" Did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        return PaperProblem(f"I don't know a role called “{text}”.{maybe}")
    actions = role_queries.actions_owned(session).get(role.id or 0, [])
    if not actions:
        return PaperProblem(f"{role.name} owns no actions in the plans.")
    return role.name, {action.id for action in actions if action.id is not None}


def _area_items(
    session: Session, area: Area, context: _Context, only: set[int] | None = None
) -> list[_Item]:
    actions, steps, updates = area_rows(session, area.id or 0, context.end)
    if only is not None:
        actions = [action for action in actions if action.id in only]
    by_action: dict[int, list[StatusUpdate]] = defaultdict(list)
    by_step: dict[int, list[StatusUpdate]] = defaultdict(list)
    for update in updates:
        if update.step_id is not None:
            by_step[update.step_id].append(update)
        elif update.action_id is not None:
            by_action[update.action_id].append(update)
    steps_of: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        steps_of[step.action_id].append(step)
    begins = context.begins[area.plan_id]
    items: list[_Item] = []
    for action in actions:
        owner = context.owners.get(action.id or 0) or action.owners_as_written or "no owner named"
        done = by_action[action.id or 0]
        head = _item(action, action.ref, action.title, owner, done)
        head = replace(head, trend=action_trend(action, begins, done, context.days))
        under = [
            _item(step, step.ref, step.text, owner, by_step[step.id or 0])
            for step in steps_of[action.id or 0]
        ]
        items.append(replace(head, next_step=_next_step(head, under, context)))
        # a step is a row of its own where it has a date of its own; else its action speaks for it
        items += [
            replace(step, next_step=_next_step(step, [], context))
            for step in under
            if step.due or step.original_due
        ]
    return items


def _item(
    item: Action | Step, ref: str, title: str, owner: str, updates: list[StatusUpdate]
) -> _Item:
    state = derive_state(item, updates)
    live = sorted((u for u in updates if not u.superseded), key=lambda u: (u.at, u.id or 0))
    noted = [u for u in live if u.note and u.note.strip()]
    done_on = next((u.at.date() for u in reversed(live) if u.new_status == Status.DONE), None)
    return _Item(
        ref=ref,
        title=" ".join(title.split()),
        owner=owner,
        original_due=item.planned_due,
        status=state.status,
        due=state.due_date,
        rebaselined=state.rebaselined,
        latest=noted[-1] if noted else None,
        done_on=done_on if state.status == Status.DONE else None,
        step=isinstance(item, Step),
        declared=state.declared_rag,
        awaiting=state.awaiting,
        evidenced=any(u.source == "evidence" for u in live),
    )


def _next_step(item: _Item, steps: list[_Item], context: _Context) -> str:
    """What has to happen next for an item, read from the data and never guessed: a decision
    awaited, evidence to file, its first open step, or its own next date."""
    status = Status(item.status)
    if item.ref in context.waiting:
        return "Decision on the new date the lead asked for"
    if status is Status.DONE:
        return {
            "evidence": "Evidence of completion to be filed",
            "signoff": "Sign-off to be confirmed",
        }.get(item.awaiting or "", "")
    if status is Status.DROPPED:
        return ""
    open_steps = [step for step in steps if Status(step.status).is_open]
    if open_steps:
        first = min(open_steps, key=lambda step: step.due or date.max)
        late = first.due is not None and first.due < context.as_of
        due = f", {'overdue since' if late else 'due'} {first.due:%-d %b %Y}" if first.due else ""
        return f"{first.ref} {_short(first.title)}{due}"
    if status is Status.BLOCKED:
        return "Remove what blocks it (see the latest update)"
    if item.due is not None and item.due < context.as_of:
        return "Agree a realistic new date"
    return f"Complete by {item.due:%-d %b %Y}" if item.due else ""


def _short(text: str, most: int = 60) -> str:
    text = text.rstrip(".")
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _exception(item: _Item, as_of: date) -> ItemException | None:
    if not Status(item.status).is_open:
        return None
    if item.due is not None and item.due < as_of:
        reason = f"overdue by {(as_of - item.due).days} days"
    elif item.status == Status.BLOCKED:
        reason = "blocked"
    else:
        return None
    return ItemException(item.ref, item.title, reason, item.owner, item.due)


def _forecast(item: _Item, as_of: date, until: date) -> str:
    """For an open item due between the paper's date and the next meeting: what its lead says
    of it ("" for anything else). Never a guess: the lead's declared colour, or its status."""
    if not Status(item.status).is_open or item.due is None or not as_of <= item.due <= until:
        return ""
    if item.status == Status.BLOCKED:
        return "blocked"
    if item.declared in ("red", "amber"):
        return f"at risk (lead says {item.declared})"
    if item.status == Status.NOT_STARTED:
        return "not started"
    return "lead says on track" if item.declared == "green" else "in progress"


def _area_facts(
    area: Area,
    items: list[_Item],
    as_of: date,
    since: date,
    counter: _Redactions,
    until: date | None = None,
) -> AreaFacts:
    actions = [item for item in items if not item.step]
    tally = {status: 0 for status in STATUS_ORDER}
    for action in actions:
        tally[Status(action.status)] += 1
    exceptions = [found for item in items if (found := _exception(item, as_of))]
    in_period = [
        item
        for item in items
        if item.latest is not None and since <= item.latest.at.date() <= as_of
    ]
    in_period.sort(key=lambda item: item.latest.at if item.latest else datetime.min, reverse=True)
    notes = tuple(
        Note(item.ref, item.latest.at.date(), counter.clean(item.latest.note or ""))
        for item in in_period
        if item.latest is not None
    )
    return AreaFacts(
        ref=area.ref,
        title=" ".join(area.title.split()),
        counts=tuple((status.label, tally[status]) for status in STATUS_ORDER),
        total=len(actions),
        overdue=sum(1 for found in exceptions if found.reason.startswith("overdue")),
        completed_in_period=tuple(
            a.ref for a in actions if a.done_on is not None and since <= a.done_on <= as_of
        ),
        updated_in_period=len(in_period),
        exceptions=tuple(exceptions),
        notes=notes,
        evidenced=sum(a.status == Status.DONE and a.evidenced and not a.awaiting for a in actions),
        awaiting_evidence=sum(a.status == Status.DONE and bool(a.awaiting) for a in actions),
        forecast=tuple(
            f"{item.ref} due {item.due:%-d %b %Y}: {said}"
            for item in items
            if item.due and (said := _forecast(item, as_of, until or as_of + NEXT_MEETING))
        ),
    )


def _flag(item: _Item, as_of: date) -> str:
    status = Status(item.status)
    if status is Status.DONE:
        return "Complete"
    if status is Status.DROPPED:
        return "Dropped"
    if item.due is not None and item.due < as_of:
        return "Overdue"
    if status is Status.BLOCKED:
        return "Blocked"
    if item.latest is None:
        return "No update"
    return "On track"


def _row(
    item: _Item,
    as_of: date,
    counter: _Redactions,
    until: date | None = None,
    moved: dict[str, str] | None = None,
) -> TrackerRow:
    latest = item.latest
    return TrackerRow(
        moved=(moved or {}).get(item.ref, "") if item.rebaselined else "",
        next_step=counter.clean(item.next_step),
        forecast=_forecast(item, as_of, until or as_of + NEXT_MEETING),
        ref=item.ref,
        title=counter.clean(item.title),
        lead=item.owner,
        original_due=item.original_due,
        current_due=item.due,
        rebaselined=item.rebaselined,
        latest_on=latest.at.date() if latest else None,
        latest_note=counter.clean(latest.note or "") if latest else None,
        status=Status(item.status).label,
        flag=_flag(item, as_of),
    )
