"""An edited reply under a reminder (Slack's message_changed): a correction of what it said.

An edit replaces each update its message made (the old one is kept, superseded), read from the
edit's own words: in a reply that named several items, each item it still names is corrected from
its words, an item it names for the first time is updated, and an item it no longer names has its
update taken back (its state is as it was before the message). Each item is authorised on its
own; everything is written in the caller's one transaction. An edit of a reply more than
EDIT_WINDOW_DAYS old changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from commands.request import Request
from commands.updates.apply import (
    EDIT_WINDOW_DAYS,
    record_parsed,
    refused,
    reply_in_thread,
    screened_text,
    with_notice,
)
from commands.updates.authority import may_update
from commands.updates.outcomes import (
    NOT_A_REMINDER_THREAD,
    ReplyIgnored,
    ReplyOutcome,
    SeveralItems,
    UpdateApplied,
)
from commands.updates.replies import ParsedReply, parse_reply
from commands.updates.thread_items import ThreadItem, ThreadItems, edited_item, item_of_thread
from store.models import Action, StatusUpdate, Step
from store.queries.history import item_of_update, updates_for_message
from store.queries.reminders import reminder_for_thread

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Edit:
    channel: str | None
    thread_ts: str | None
    message_ts: str
    text: str
    permalink: str | None


def _ts_time(ts: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _too_old(request: Request, message_ts: str) -> bool:
    sent = _ts_time(message_ts)
    return sent is not None and request.clock.utcnow() - sent > timedelta(days=EDIT_WINDOW_DAYS)


def edit_reply(
    session: Session,
    request: Request,
    *,
    channel: str | None,
    thread_ts: str | None,
    message_ts: str,
    text: str,
    permalink: str | None = None,
) -> ReplyOutcome:
    """An edited reply corrects the updates it made (or, if it made none, is read as a reply)."""
    edit = _Edit(channel, thread_ts, message_ts, text, permalink)
    found = item_of_thread(session, channel, thread_ts, text)
    if found is None:
        log.info("edit of %s in %s/%s ignored: not a reminder thread", message_ts, channel,
                 thread_ts)  # fmt: skip
        return ReplyIgnored(NOT_A_REMINDER_THREAD)
    if _too_old(request, message_ts):
        log.info("edit of %s ignored: reply older than %d days", message_ts, EDIT_WINDOW_DAYS)
        return ReplyIgnored(
            "edit of an old reply",
            hint=f"That reply is more than {EDIT_WINDOW_DAYS} days old, so editing it doesn't "
            "change the plan. Reply in the thread with the current position instead.",
        )
    before = updates_for_message(session, channel, message_ts)
    if not before:
        return _as_reply(session, request, edit)
    if isinstance(found, ReplyIgnored):
        found = edited_item(session, channel, thread_ts, message_ts, text) or found
    if isinstance(found, ThreadItem) and len(before) == 1:
        return _correct(session, request, found, before[0], edit)
    return _edit_several(session, request, found, before, edit)


def _as_reply(session: Session, request: Request, edit: _Edit) -> ReplyOutcome:
    return reply_in_thread(
        session, request, channel=edit.channel, thread_ts=edit.thread_ts,
        message_ts=edit.message_ts, text=edit.text, permalink=edit.permalink,
    )  # fmt: skip


def _correct(
    session: Session,
    request: Request,
    found: ThreadItem,
    previous: StatusUpdate | None,
    edit: _Edit,
) -> ReplyOutcome:
    """One item's part of an edit: its update replaced by what the edit says of it (an edit
    that says nothing of it takes the update back)."""
    item = found.item
    screened = screened_text(request, found.text, f"an edited reply on {item.ref}")
    if not may_update(session, request, item):
        return with_notice(refused(session, request, item), screened)
    parsed = parse_reply(screened.text, request.clock.today())
    withdrawn = parsed.kind == "nothing"
    if withdrawn:
        if previous is None:
            return ReplyIgnored("changes nothing")
        parsed = ParsedReply("note", note=None, cleaned=parsed.cleaned)
    outcome = record_parsed(
        session, request, found.reminder, item, parsed, edit.channel, edit.message_ts,
        edit.permalink, corrects=previous,
    )  # fmt: skip
    if withdrawn and isinstance(outcome, UpdateApplied):
        log.info("edit of %s took back its update on %s", edit.message_ts, item.ref)
        outcome = replace(outcome, withdrawn=True)
    return with_notice(outcome, screened)


def _key(item: Action | Step) -> tuple[str, int]:
    return ("action" if isinstance(item, Action) else "step", item.id or 0)


def _edit_several(
    session: Session,
    request: Request,
    found: ThreadItem | ThreadItems | ReplyIgnored,
    before: list[StatusUpdate],
    edit: _Edit,
) -> ReplyOutcome:
    """An edit of a reply that updated several items (or now names several): each item it names
    corrected or updated, each it no longer names taken back."""
    previous: dict[tuple[str, int], tuple[StatusUpdate, Action | Step]] = {}
    for row in before:
        item = item_of_update(session, row)
        if item is not None:
            previous[_key(item)] = (row, item)
    thread = reminder_for_thread(session, edit.channel, edit.thread_ts) if edit.thread_ts else None
    if isinstance(found, ThreadItems):
        parts = list(found.items)
    elif isinstance(found, ThreadItem):
        parts = [found]
    elif thread is not None:  # names none of them: its words are said of each item it updated
        parts = [ThreadItem(thread, item, edit.text) for _, item in previous.values()]
    else:
        return found
    outcomes: list[ReplyOutcome] = []
    for part in parts:
        corrected = previous.pop(_key(part.item), None)
        outcomes.append(_correct(session, request, part, corrected and corrected[0], edit))
    reminder = parts[0].reminder if parts else thread
    for row, item in previous.values():  # named no more: taken back
        if reminder is not None:
            outcomes.append(_correct(session, request, ThreadItem(reminder, item, ""), row, edit))
    return SeveralItems(tuple(outcomes)) if len(outcomes) != 1 else outcomes[0]
