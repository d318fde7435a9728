"""Applying what a lead says under a reminder: a reply, an edit, a deletion, a button, the modal.

Only a holder of the item's owner role ("All HoS" covers every Head of Service holder) or an admin
may change an item; anyone else is told, privately, who can, and nothing is written. An accepted
update is one StatusUpdate plus the item's new state, written in the caller's transaction by
`store.queries.state.record_update`. A message already recorded (a retried event) changes nothing
twice;
an edited reply corrects its update; a deleted reply keeps its update, marked deleted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import Session

from commands.brag import colour_of_row
from commands.governance.date_changes import gate, log_date_change, plan_id_of
from commands.governance.evidence import (
    needs_for_done,
    offered_evidence,
    record_evidence,
)
from commands.governance.plan_settings import policy_for
from commands.request import Request
from commands.updates.authority import covering_role, may_update, who_can
from commands.updates.outcomes import (
    NOT_A_REMINDER_THREAD,
    ItemView,
    OwnershipClaimed,
    PendingUpdate,
    ReplyDeleted,
    ReplyIgnored,
    ReplyOutcome,
    SeveralItems,
    StatusQuestion,
    StepsToChoose,
    UpdateApplied,
    UpdateRefused,
)
from commands.updates.ownership import OwnershipClaim, claim_ownership, read_claim
from commands.updates.replies import ParsedReply, parse_reply
from commands.updates.thread_items import (
    StepChoice,
    ThreadItem,
    ThreadItems,
    item_of_thread,
)
from store.models import Action, Plan, Reminder, StatusUpdate, Step
from store.personal_data import Redacted, fingerprint, redact
from store.queries.history import (
    item_for_reminder,
    item_of_update,
    item_owner_roles,
    item_title,
    last_chat_update_by,
    mark_source_deleted,
    record_once,
    update_for_message,
)
from store.queries.reminders import get_reminder, mark_answered

log = logging.getLogger(__name__)

EDIT_WINDOW_DAYS = 14  # an edit of an older reply does not rewrite the plan's history
SNOOZE_DAYS = 7


def screened_text(request: Request, text: str, where: str) -> Redacted:
    """`text` with a child's details replaced by their kinds; what was found is logged by kind
    and salted hash only."""
    screened = redact(text)
    if screened.findings:
        log.warning(
            "child's details taken out of %s from %s: %s",
            where,
            request.caller.label,
            ", ".join(
                f"{f.kind} #{fingerprint(f.value, request.policy.log_salt)}"
                for f in screened.findings
            ),
        )
    return screened


def with_notice(outcome: ReplyOutcome, screened: Redacted) -> ReplyOutcome:
    """The outcome, carrying the kinds of details taken out so that the author can be told."""
    if not screened.findings:
        return outcome
    if isinstance(outcome, UpdateApplied | StatusQuestion | UpdateRefused):
        return replace(outcome, removed=screened.kinds)
    if isinstance(outcome, ReplyIgnored):
        return replace(outcome, hint=REMOVED_HINT)
    return outcome


REMOVED_HINT = (
    "Your message looked as if it held a child's details, so I kept nothing of it. Please edit "
    "or delete it in Slack: the plan is about services, and Slack keeps what is posted."
)


def item_view(session: Session, item: Action | Step, request: Request) -> ItemView:
    roles = item_owner_roles(session, item)
    owner = "; ".join(role.name for role in roles)
    if not owner and isinstance(item, Action):
        owner = item.owners_as_written or "no owner"
    colour = colour_of_row(item, request.clock.today(), request.policy.thresholds)
    return ItemView(
        ref=item.ref,
        title=item_title(item),
        status=item.status,
        owner=owner or "no owner",
        due=item.due_date,
        due_as_written=item.due_as_written,
        rag=colour.rag.value,
        declared_rag=item.declared_rag,
    )


def refused(session: Session, request: Request, item: Action | Step) -> UpdateRefused:
    log.info("update of %s refused for %s: holds none of its roles", item.ref, request.caller.label)
    return UpdateRefused(item_view(session, item, request), who_can(session, item))


# Long only in its keyword lists: it records one update, logs it and describes it, in one pass.
def apply_update(
    session: Session,
    request: Request,
    item: Action | Step,
    *,
    status: str | None,
    rag: str | None,
    due: date | None,
    due_text: str | None,
    note: str | None,
    source: str,
    permalink: str | None = None,
    channel: str | None = None,
    message_ts: str | None = None,
    corrects: object = None,
) -> UpdateApplied | ReplyIgnored:
    # Long but straight: the date gate, the write, its log line and the date change, in the order
    # one transaction needs them; most lines are the update's keyword arguments.
    old_status, old_rag, old_due = item.status, item.declared_rag, item.due_date
    new_date = gate(session, request, item, due, status)
    if new_date is not None and new_date.refusal:
        log.info("%s on %s: new date refused (%s)", source, item.ref, new_date.refusal)
        return ReplyIgnored("new date on a done item", hint=new_date.refusal + " Nothing changed.")
    held = new_date is not None and new_date.hold
    needs = needs_for_done(session, item) if status == "done" else None
    update = record_once(
        session,
        item,
        at=request.clock.utcnow(),
        source=source,
        author=request.caller.label,
        for_role=covering_role(session, request, item),
        needs=needs,
        source_ref=permalink,
        status=status,
        rag=rag,
        due=None if held else due,
        due_as_written=None if held else due_text,
        note=note,
        channel=channel,
        message_ts=message_ts,
        corrects=corrects,
    )
    if update is None:
        log.info("%s on %s from message %s already recorded; ignored", source, item.ref, message_ts)
        return ReplyIgnored("already recorded")
    log.info(
        "%s %s by %s: status %s->%s rag %s->%s due %s->%s note=%s",
        source,
        item.ref,
        request.caller.label,
        old_status,
        item.status,
        old_rag,
        item.declared_rag,
        old_due,
        item.due_date,
        bool(note),
    )
    change = None
    if new_date is not None and due is not None:
        change = log_date_change(
            session,
            request,
            item,
            gate=new_date,
            previous_due=old_due,
            due=due,
            due_text=due_text,
            reason=note,
            update=update,
        )
    return UpdateApplied(
        item=item_view(session, item, request),
        old_status=old_status,
        new_status=status,
        old_rag=old_rag,
        new_rag=rag,
        old_due=old_due,
        new_due=due if due and due != old_due and not held else None,
        note_saved=bool(note),
        source=source,
        corrected=corrects is not None,
        update_id=update.id,
        for_role=update.for_role,
        date_change=change,
        awaiting=item.awaiting,
    )


def with_item(session: Session, reminder: Reminder | None) -> tuple[Reminder, Action | Step] | None:
    """The reminder and the item it is about (None when either is gone)."""
    if reminder is None:
        return None
    item = item_for_reminder(session, reminder)
    return (reminder, item) if item is not None else None


def reply_in_thread(
    session: Session,
    request: Request,
    *,
    channel: str | None,
    thread_ts: str | None,
    message_ts: str,
    text: str,
    permalink: str | None = None,
    has_files: bool = False,
) -> ReplyOutcome:
    """A message in a thread: if the thread is a reminder's, read it and apply it (in a lead's
    thread, to the item it names)."""
    found = item_of_thread(session, channel, thread_ts, text)
    if found is None:
        log.info(
            "reply %s in thread %s/%s ignored: not a reminder thread",
            message_ts,
            channel,
            thread_ts,
        )
        return ReplyIgnored(NOT_A_REMINDER_THREAD)
    if update_for_message(session, channel, message_ts) is not None:
        log.info("reply %s in %s already recorded; ignored", message_ts, thread_ts)
        return ReplyIgnored("already recorded")
    if isinstance(found, ReplyIgnored):
        log.info("reply %s in lead thread %s: %s", message_ts, thread_ts, found.reason)
        return with_notice(found, screened_text(request, text, "a reply in a lead thread"))
    where = _Where(channel, message_ts, permalink)
    if isinstance(found, ThreadItems):  # "P6.2.1 done, P6.2.2 slipping to May"
        return SeveralItems(
            tuple(_one_item(session, request, part, where, has_files) for part in found.items)
            + tuple(_ask_which(session, request, choice, where) for choice in found.choices)
            + _not_here(found.others)
        )
    return _one_item(session, request, found, where, has_files)


def _one_item(
    session: Session, request: Request, found: ThreadItem, where: _Where, has_files: bool
) -> ReplyOutcome:
    """One item's part of a reply, read and applied (each authorised on its own)."""
    reminder, item = found.reminder, found.item
    screened = screened_text(request, found.text, f"a reply on {item.ref}")
    return with_notice(
        _read_reply(session, request, reminder, item, screened.text, where, has_files), screened
    )


SHOWN_OTHERS = 8


def _not_here(refs: tuple[str, ...]) -> tuple[ReplyOutcome, ...]:
    """A private word on references that are not items of the thread: nothing changed for them."""
    if not refs:
        return ()
    shown = ", ".join(refs[:SHOWN_OTHERS])
    more = f" and {len(refs) - SHOWN_OTHERS} more" if len(refs) > SHOWN_OTHERS else ""
    log.info("reply names %d references not in its thread", len(refs))
    return (
        ReplyIgnored(
            "not in this thread",
            hint=f"{shown}{more}: not items of this thread (or not known to me), so nothing "
            "changed for them. Update each in its own reminder thread.",
        ),
    )


def _ask_which(
    session: Session, request: Request, choice: StepChoice, where: _Where
) -> ReplyOutcome:
    """A description that could mean several steps: what it says, kept for the button of the
    step the person means; nothing written now."""
    screened = screened_text(request, choice.text, f"a reply on {choice.steps[0].ref}")
    today = request.clock.today()
    parsed = parse_reply(
        screened.text, today, board=_next_board(session, choice.steps[0], today)[1]
    )
    if parsed.kind == "nothing":
        refs = ", ".join(step.ref for step in choice.steps)
        hint = f"“{choice.phrase}” could be {refs}: reply with the reference of the one you mean."
        return with_notice(ReplyIgnored("changes nothing", hint=hint), screened)
    pending = PendingUpdate(
        reminder_id=choice.reminder.id or 0,
        channel=where.channel,
        message_ts=where.message_ts,
        status=parsed.status,
        rag=parsed.rag,
        due=parsed.due.isoformat() if parsed.due else None,
        due_text=parsed.due_text,
        note=parsed.note or (parsed.cleaned if parsed.ambiguous else None),  # hedged: a note
    )
    log.info("reply %s describes %d steps (%s); asked which", where.message_ts, len(choice.steps),
             ", ".join(step.ref for step in choice.steps))  # fmt: skip
    steps = tuple((step.id or 0, step.ref, step.text) for step in choice.steps)
    return StepsToChoose(choice.phrase, steps, pending, removed=screened.kinds)


def chosen_step(
    session: Session, request: Request, step_id: int, pending: PendingUpdate
) -> ReplyOutcome:
    """The step button pressed after a description that could mean several: the reply's update
    applied to that step, authorised as any update, once per step and message."""
    step = session.get(Step, step_id)
    reminder = get_reminder(session, pending.reminder_id)
    if step is None or reminder is None:
        return ReplyIgnored("item gone", hint="That step is no longer in my records.")
    if not may_update(session, request, step):
        return refused(session, request, step)
    applied = apply_update(
        session, request, step, status=pending.status, rag=pending.rag,
        due=date.fromisoformat(pending.due) if pending.due else None, due_text=pending.due_text,
        note=pending.note, source="chat", channel=pending.channel, message_ts=pending.message_ts,
    )  # fmt: skip
    if isinstance(applied, ReplyIgnored) and applied.reason == "already recorded":
        return ReplyIgnored(applied.reason, hint=f"{step.ref} already has that update.")
    if isinstance(applied, UpdateApplied):
        mark_answered(session, reminder, at=request.clock.utcnow())
    return applied


@dataclass(frozen=True)
class _Where:
    """The message an update comes from."""

    channel: str | None
    message_ts: str
    permalink: str | None


def _read_reply(
    session: Session,
    request: Request,
    reminder: Reminder,
    item: Action | Step,
    text: str,
    where: _Where,
    has_files: bool,
) -> ReplyOutcome:
    channel, message_ts, permalink = where.channel, where.message_ts, where.permalink
    offered = offered_evidence(text, has_files) if item.awaiting == "evidence" else None
    if offered is not None:
        return _record_offered(session, request, item, offered, where)
    plan_key, board = _next_board(session, item, request.clock.today())
    parsed = parse_reply(text, request.clock.today(), board=board)
    # "this sits with Head of QA now": a reply that changes nothing else says who owns it now
    if parsed.kind != "update" and (claim := read_claim(text)) is not None:
        return _record_claim(session, request, reminder, item, claim, text, where)
    if parsed.kind == "nothing":
        if has_files and not parsed.cleaned:
            log.info(
                "file without text under %s from %s; nothing changed",
                item.ref,
                request.caller.label,
            )
            return ReplyIgnored(
                "file without text",
                hint=f"I can only read text. Reply with a line saying where {item.ref} stands "
                "(for example “in progress, due 31/3”); the file stays in the thread.",
            )
        log.info(
            "reply %s on %s changes nothing (%r); no answer",
            message_ts,
            item.ref,
            parsed.cleaned[:60],
        )
        return ReplyIgnored("changes nothing")
    if not may_update(session, request, item):
        return refused(session, request, item)
    previous = None
    if parsed.correction:  # "oops, should have said red": replaces the author's last update
        since = request.clock.utcnow() - timedelta(days=EDIT_WINDOW_DAYS)
        previous = last_chat_update_by(session, item, request.caller.label, since=since)
        if previous is not None:
            parsed = _corrected(parsed, previous)
    recorded = record_parsed(
        session, request, reminder, item, parsed, channel, message_ts, permalink, corrects=previous
    )
    if parsed.board_unknown and isinstance(recorded, UpdateApplied):
        return replace(recorded, board_unknown=plan_key)
    return recorded


def _next_board(session: Session, item: Action | Step, today: date) -> tuple[str, date | None]:
    """The item's plan (its key) and the date of that plan's next board, if known."""
    plan_id = plan_id_of(session, item)
    plan = session.get(Plan, plan_id)
    return (plan.key if plan else "PLAN"), policy_for(session, plan_id).board_after(today)


def _record_claim(
    session: Session,
    request: Request,
    reminder: Reminder,
    item: Action | Step,
    claim: OwnershipClaim,
    text: str,
    where: _Where,
) -> OwnershipClaimed:
    """A reply saying someone else owns the item: kept as a note (when the author may update
    it), never a status; the admins are asked, by the caller, whether to move it."""
    saved = False
    if may_update(session, request, item):
        applied = apply_update(
            session, request, item, status=None, rag=None, due=None, due_text=None,
            note=text[:4000], source="chat", permalink=where.permalink, channel=where.channel,
            message_ts=where.message_ts,
        )  # fmt: skip
        saved = isinstance(applied, UpdateApplied)
        if saved:
            mark_answered(session, reminder, at=request.clock.utcnow())
    claimed = claim_ownership(session, request, item, item_view(session, item, request), claim)
    return replace(claimed, note_saved=saved)


def _record_offered(
    session: Session,
    request: Request,
    item: Action | Step,
    offered: tuple[tuple[str, ...], bool],
    where: _Where,
) -> ReplyOutcome:
    """A reply offering evidence for an item that awaits it: recorded as its evidence."""
    if not may_update(session, request, item):
        return refused(session, request, item)
    evidence = record_evidence(
        session,
        request,
        item,
        offered,
        channel=where.channel,
        message_ts=where.message_ts,
        permalink=where.permalink,
    )
    return evidence if evidence is not None else ReplyIgnored("already recorded")


def _corrected(parsed: ParsedReply, previous: StatusUpdate) -> ParsedReply:
    """A correction: what it says, and for what it leaves out, what the update it replaces said."""
    return replace(
        parsed,
        status=parsed.status or previous.new_status,
        rag=parsed.rag or previous.new_rag,
        due=parsed.due or previous.new_due,
        due_text=parsed.due_text if parsed.due else previous.new_due_as_written,
        note=parsed.note or previous.note,
    )


def record_parsed(
    session: Session,
    request: Request,
    reminder: Reminder,
    item: Action | Step,
    parsed: ParsedReply,
    channel: str | None,
    message_ts: str,
    permalink: str | None,
    corrects: object = None,
) -> ReplyOutcome:
    note = parsed.note
    if parsed.ambiguous and not note:
        note = parsed.cleaned[:4000]
    applied = apply_update(
        session,
        request,
        item,
        status=parsed.status,
        rag=parsed.rag,
        due=parsed.due,
        due_text=parsed.due_text,
        note=note,
        source="chat",
        permalink=permalink,
        channel=channel,
        message_ts=message_ts,
        corrects=corrects,
    )
    if isinstance(applied, ReplyIgnored):
        return applied
    mark_answered(session, reminder, at=request.clock.utcnow())
    if parsed.ambiguous and corrects is None:
        return StatusQuestion(applied.item, reminder.id or 0, parsed.choices)
    return applied


def delete_reply(
    session: Session, request: Request, *, channel: str | None, message_ts: str
) -> ReplyOutcome:
    """A deleted reply: its updates stay in the history, marked deleted; the state stands."""
    rows = mark_source_deleted(session, channel, message_ts)
    if not rows:
        return ReplyIgnored("deleted message made no update")
    refs: list[str] = []
    for row in rows:
        log.info("source message %s of update %s deleted; the update is kept", message_ts, row.id)
        item = item_of_update(session, row)
        if item is not None and item.ref not in refs:
            refs.append(item.ref)
    return ReplyDeleted(tuple(refs))
