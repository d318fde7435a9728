"""Date changes with approval: a lead's new due date is an extension request where the plan says
`approval required`, decided by the plan's approver role with Approve / Reject / Ask for more.

Every change, approved or simply recorded, is kept as a `DateChange` (original, previous and new
date, reason, who asked, who decided, when): the baseline that the history, the summary and the
board paper count. A second change on one item, or one moving it further than the plan's
`slip_weeks` from its original date, is flagged for the board.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.governance.plan_settings import PlanPolicy, policy_for
from commands.request import Request
from commands.roles.directory import is_admin
from store.models import Action, DateChange, Role, StatusUpdate, Step
from store.models.status import Status
from store.queries import governance
from store.queries.history import action_of
from store.queries.roles import find_role, holders
from store.queries.state import record_update
from store.utc import as_utc

log = logging.getLogger(__name__)

VERDICTS = ("approve", "reject", "more")


@dataclass(frozen=True)
class DateChangeView:
    """A date change as people read it."""

    id: int
    ref: str
    original_due: date | None
    previous_due: date | None
    new_due: date
    reason: str | None
    state: str  # requested | approved | rejected | recorded | withdrawn
    requested_by: str | None
    approver_role: str | None
    approvers: tuple[str, ...]  # who can decide it (Slack ids)
    decided_by: str | None
    decided_on: date | None
    flagged: str | None

    @classmethod
    def of(cls, change: DateChange, approvers: tuple[str, ...] = ()) -> DateChangeView:
        return cls(
            id=change.id or 0,
            ref=change.ref,
            original_due=change.original_due,
            previous_due=change.previous_due,
            new_due=change.new_due,
            reason=change.reason,
            state=change.state,
            requested_by=change.requested_by,
            approver_role=change.approver_role,
            approvers=approvers,
            decided_by=change.decided_by,
            decided_on=change.decided_at.date() if change.decided_at else None,
            flagged=change.flagged,
        )


@dataclass(frozen=True)
class DateMoves:
    """Due dates moved in a period (with approval, or recorded where none is needed), the
    requests still waiting at its end, and the moves flagged for the board in it."""

    approved: int = 0
    recorded: int = 0
    awaiting: tuple[str, ...] = ()  # references
    flagged: tuple[str, ...] = ()  # "P7.5: date moved 2 times"

    @property
    def any(self) -> bool:
        return bool(self.approved or self.recorded or self.awaiting or self.flagged)


def date_moves(
    changes: Iterable[DateChange], refs: set[str], start: datetime, end: datetime
) -> DateMoves:
    """What the date changes of the items in `refs` came to between `start` and `end`: the
    weekly summary's and the committee papers' one count."""

    def within(moment: datetime | None) -> bool:
        return moment is not None and start <= as_utc(moment) < end

    def not_by_end(moment: datetime | None) -> bool:
        return moment is None or as_utc(moment) >= end

    mine = [c for c in changes if c.ref in refs]
    return DateMoves(
        approved=sum(c.state == "approved" and within(c.decided_at) for c in mine),
        recorded=sum(c.state == "recorded" and within(c.decided_at) for c in mine),
        awaiting=tuple(
            c.ref
            for c in mine
            if not not_by_end(c.requested_at)
            and (c.state == "requested" or (c.state != "withdrawn" and not_by_end(c.decided_at)))
        ),
        flagged=tuple(
            f"{c.ref}: {c.flagged}"
            for c in mine
            if c.flagged and c.state != "withdrawn" and within(c.requested_at)
        ),
    )


@dataclass(frozen=True)
class DateChangeDecided:
    change: DateChangeView
    verdict: str  # approve | reject | more


@dataclass(frozen=True)
class DateChangeProblem:
    """Told privately to whoever pressed the button."""

    message: str


@dataclass(frozen=True)
class Gate:
    """What to do with a new due date: apply it now, or hold it for approval."""

    hold: bool
    policy: PlanPolicy
    refusal: str | None = None


def plan_id_of(session: Session, item: Action | Step) -> int:
    return action_of(session, item).plan_id


def approvers(session: Session, policy: PlanPolicy) -> tuple[Role | None, tuple[str, ...]]:
    role = find_role(session, policy.approver)
    return role, tuple(holders(session, role)) if role else ()


def may_decide(session: Session, request: Request, policy: PlanPolicy) -> bool:
    """A holder of the plan's approver role, whoever covers it today, or an admin."""
    if is_admin(session, request):
        return True
    user = request.caller.user_id
    role, held = approvers(session, policy)
    if user is None or role is None:
        return False
    return user in held or role.id in governance.covered_roles(session, user, request.clock.today())


def gate(
    session: Session, request: Request, item: Action | Step, due: date | None, status: str | None
) -> Gate | None:
    """None when `due` changes nothing; else whether the new date waits for approval (or, on a
    done item that the same update does not reopen, why it is refused)."""
    if due is None or due == item.due_date:
        return None
    policy = policy_for(session, plan_id_of(session, item))
    if item.status == Status.DONE and status in (None, Status.DONE):
        return Gate(
            False,
            policy,
            f"{item.ref} is done, so its due date stays as it is: reopen it (say “in progress”) "
            "to ask for a new date.",
        )
    hold = policy.approval == "required" and not may_decide(session, request, policy)
    return Gate(hold, policy)


def _flag(session: Session, item: Action | Step, due: date, policy: PlanPolicy) -> str | None:
    earlier = [
        c for c in governance.date_changes_of(session, item) if c.state in ("approved", "recorded")
    ]
    if earlier:
        return f"date moved {len(earlier) + 1} times"
    start = item.planned_due or item.due_date
    if start is not None and (due - start).days > policy.slip_weeks * 7:
        return f"more than {policy.slip_weeks} weeks beyond the original date"
    return None


def log_date_change(
    session: Session,
    request: Request,
    item: Action | Step,
    *,
    gate: Gate,
    previous_due: date | None,
    due: date,
    due_text: str | None,
    reason: str | None,
    update: StatusUpdate,
) -> DateChangeView:
    """Keep the baseline record of a new date: held for approval, or applied and recorded."""
    now = request.clock.utcnow()
    if gate.hold:
        for older in governance.date_changes_of(session, item):
            if older.state == "requested":
                older.state = "withdrawn"  # the lead asked again: the latest request stands
                session.add(older)
    approved_here = gate.policy.approval == "required" and not gate.hold
    change = DateChange(
        action_id=item.id if isinstance(item, Action) else None,
        step_id=item.id if isinstance(item, Step) else None,
        plan_id=plan_id_of(session, item),
        ref=item.ref,
        original_due=item.planned_due,
        previous_due=previous_due,
        new_due=due,
        new_due_as_written=due_text,
        reason=reason,
        requested_by=request.caller.label,
        requested_at=now,
        update_id=update.id,
        state="requested" if gate.hold else ("approved" if approved_here else "recorded"),
        approver_role=gate.policy.approver,
        decided_by=None if gate.hold else request.caller.label,
        decided_at=None if gate.hold else now,
        flagged=_flag(session, item, due, gate.policy),
        channel=update.channel,
        thread_ts=request.caller.thread_ts,
    )
    session.add(change)
    session.flush()
    log.info("date change on %s to %s: %s (%s)", item.ref, due, change.state, change.flagged)
    return DateChangeView.of(change, approvers(session, gate.policy)[1])


def decide(
    session: Session, request: Request, change_id: int, verdict: str
) -> DateChangeDecided | DateChangeProblem:
    """Approve, reject, or ask for more on a requested date change."""
    change = governance.get_date_change(session, change_id)
    if change is None or verdict not in VERDICTS:
        return DateChangeProblem("That request is no longer in my records.")
    policy = policy_for(session, change.plan_id)
    held = approvers(session, policy)[1]
    if not may_decide(session, request, policy):
        who = f"{policy.approver}" + ("" if held else " (nobody holds it yet)")
        log.info("decision on date change %s refused for %s", change_id, request.caller.label)
        return DateChangeProblem(f"Only the approver ({who}) or an admin can decide this.")
    if change.state != "requested":
        when = f" on {change.decided_at:%-d %b %Y}" if change.decided_at else ""
        by = f" by {change.decided_by}" if change.decided_by else ""
        return DateChangeProblem(
            f"The new date for {change.ref} was already {change.state}{by}{when}."
        )
    now = request.clock.utcnow()
    if verdict == "more":
        change.more_asked_at = now
        session.add(change)
        return DateChangeDecided(DateChangeView.of(change, held), verdict)
    item: Action | Step | None = (
        session.get(Action, change.action_id)
        if change.action_id is not None
        else session.get(Step, change.step_id)
    )
    if item is None:
        return DateChangeProblem(f"{change.ref} is no longer in the plan.")
    change.state = "approved" if verdict == "approve" else "rejected"
    change.decided_by, change.decided_at = request.caller.label, now
    session.add(change)
    if verdict == "approve":
        record_update(
            session,
            item,
            at=now,
            source="approval",
            author=request.caller.label,
            due=change.new_due,
            due_as_written=change.new_due_as_written,
            note="New date approved" + (f": {change.reason}" if change.reason else ""),
        )
    session.flush()
    log.info("date change %s on %s %s by %s", change_id, change.ref, change.state,
             request.caller.label)  # fmt: skip
    return DateChangeDecided(DateChangeView.of(change, held), verdict)
