"""Which item a reply under a reminder is about: the thread's one item, or, in a lead's thread
listing several, the one the reply names by its reference ("P7.5 in progress, due 31/3").

A reply naming several of the thread's items ("P6.2.1 done, P6.2.2 slipping to May") is read as
one update per item, each from the words between its reference and the next; a reply naming
none, in a thread of several, is asked which item it means. Steps may also be named by what they
are about ("the two supervision steps are finished": commands.updates.step_descriptions); one that
could mean more than one step is asked about with a button per step. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from commands.updates.outcomes import ReplyIgnored
from commands.updates.replies import parse_reply
from commands.updates.step_descriptions import Described, described_steps
from store.models import Action, Reminder, Step
from store.models.reminders import LEAD_THREAD
from store.queries.history import (
    item_for_reminder,
    item_of_update,
    normalise_ref,
    steps_of,
    update_for_message,
)
from store.queries.lead_threads import thread_items
from store.queries.paper_items import all_plans
from store.queries.reminders import reminder_for_thread

_REFERENCE = re.compile(r"(?<![\w.])([A-Z]{1,6}\s?-?\d+(?:\.\d+){1,2})(?!\w)", re.IGNORECASE)
# separators before an item's words, but not the colon an emoji code opens with (":red_circle:")
_LEADING = re.compile(r"^(?:[\s;,.\-–—]|:(?![a-z0-9_+\-']+:))+")
SHOWN_REFS = 8
_JOINING = re.compile(r"(?:and|&|\+|plus|,|/|also|as\s+well\s+as|\s)*", re.I)


@dataclass(frozen=True)
class ThreadItem:
    """The item a reply is about, its reminder row, and the reply without the reference."""

    reminder: Reminder
    item: Action | Step
    text: str


@dataclass(frozen=True)
class StepChoice:
    """A description that could mean any of `steps`: the person is asked which."""

    reminder: Reminder
    phrase: str
    steps: tuple[Step, ...]
    text: str


@dataclass(frozen=True)
class ThreadItems:
    """A reply naming several items: each with the words that are about it (and descriptions of
    steps to ask about)."""

    items: tuple[ThreadItem, ...]
    choices: tuple[StepChoice, ...] = ()
    others: tuple[str, ...] = ()  # references named that are not items of the thread


def _by_description(reminder: Reminder, described: list[Described]) -> ThreadItem | ThreadItems:
    """The steps a reply describes: each unmistakable one with its words, the others to ask."""
    items = tuple(
        ThreadItem(reminder, step, found.said)
        for found in described
        if found.sure
        for step in found.steps
    )
    choices = tuple(
        StepChoice(reminder, found.phrase, found.steps, found.said)
        for found in described
        if not found.sure
    )
    if len(items) == 1 and not choices:
        return items[0]
    return ThreadItems(items, choices)


def _described_in(
    text: str, listed: list[tuple[Reminder, Action | Step]], session: Session
) -> ThreadItem | ThreadItems | None:
    """Steps described among the actions listed in a thread: unmistakable only when the
    description fits steps of one action; else every step it could mean is offered."""
    found: list[tuple[Reminder, list[Described]]] = []
    for row, item in listed:
        if isinstance(item, Action):
            described = described_steps(text, steps_of(session, item))
            if described:
                found.append((row, described))
    if len(found) == 1:
        return _by_description(*found[0])
    if not found:
        return None
    first = found[0][1][0]
    steps = tuple(step for _, described in found for d in described for step in d.steps)
    return ThreadItems((), (StepChoice(found[0][0], first.phrase, steps[:5], first.said),))


def _segments(
    text: str,
    named: list[tuple[str, re.Match[str]]],
    by_ref: dict[str, tuple[Reminder, Action | Step]],
) -> ThreadItems:
    """Each named item with the words from its reference to the next one's; references joined
    by "and" share the words that follow them ("P7.5 and P4.2 are in progress"); a reference
    named twice keeps its first words."""
    words = []
    for number, (_, match) in enumerate(named):
        end = named[number + 1][1].start() if number + 1 < len(named) else len(text)
        words.append(_LEADING.sub("", text[match.end() : end]).strip(" ,;."))
    for number in range(len(words) - 2, -1, -1):
        if _JOINING.fullmatch(words[number]):
            words[number] = words[number + 1]
    found: dict[str, ThreadItem] = {}
    for (ref, _), said in zip(named, words, strict=True):
        if ref not in found and ref in by_ref:  # a reference not in the thread ends a segment
            row, item = by_ref[ref]
            found[ref] = ThreadItem(row, item, said)
    return ThreadItems(tuple(found.values()))


def _named(text: str, prefixes: frozenset[str]) -> list[tuple[str, re.Match[str]]]:
    """The references in `text` with a plan's prefix ("P7.5", "OA1.1"; not "by 2.5 weeks")."""
    found = []
    for match in _REFERENCE.finditer(text):
        ref = normalise_ref(match.group(1))
        if ref is not None and ref.rstrip("0123456789.") in prefixes:
            found.append((ref, match))
    return found


def _listed(refs: list[str]) -> str:
    shown = ", ".join(refs[:SHOWN_REFS])
    return shown + (f" and {len(refs) - SHOWN_REFS} more" if len(refs) > SHOWN_REFS else "")


def item_in_thread(
    session: Session, thread: Reminder, text: str
) -> ThreadItem | ThreadItems | ReplyIgnored:
    """The item of `thread` that `text` is about (an item's own thread: its item); references
    to items not in the thread (unknown, another plan's, another thread's) are set apart."""
    known = _thread_refs(session, thread)
    named = _named(text, frozenset(plan.prefix.upper() for plan in all_plans(session)))
    others = _updated_elsewhere(text, named, known)
    found = (
        _in_own_thread(session, thread, text, named, others)
        if thread.reason != LEAD_THREAD
        else _in_lead_thread(session, thread, text, named, others)
    )
    if not others:
        return found
    if isinstance(found, ThreadItem):
        return ThreadItems((found,), others=others)
    if isinstance(found, ThreadItems):
        return replace(found, others=others)
    return found


def _updated_elsewhere(
    text: str, named: list[tuple[str, re.Match[str]]], known: set[str]
) -> tuple[str, ...]:
    """References to items not in the thread that the reply gives an update of ("P99.9 done"),
    not those it only mentions ("superseded by P7.3")."""
    found = []
    for number, (ref, match) in enumerate(named):
        if ref in known or ref in found:
            continue
        end = named[number + 1][1].start() if number + 1 < len(named) else len(text)
        # only whether the words give an update matters here, not which day a date is
        if parse_reply(text[match.end() : end], date.min).kind == "update":
            found.append(ref)
    return tuple(found)


def _thread_refs(session: Session, thread: Reminder) -> set[str]:
    if thread.reason != LEAD_THREAD:
        item = item_for_reminder(session, thread)
        return {item.ref, *(s.ref for s in steps_of(session, item))} if item else set()
    rows = [item_for_reminder(session, row) for row in thread_items(session, thread.id or 0)]
    return {item.ref for item in rows if item is not None}


Named = list[tuple[str, re.Match[str]]]


def _in_own_thread(
    session: Session, thread: Reminder, text: str, all_named: Named, others: tuple[str, ...]
) -> ThreadItem | ThreadItems | ReplyIgnored:
    """An item's own thread: the item, or its steps named by reference or by description."""
    item = item_for_reminder(session, thread)
    if item is None:
        return ReplyIgnored("item gone")
    steps = steps_of(session, item)
    own = {item.ref: (thread, item)} | {s.ref: (thread, s) for s in steps}
    every = [(r, m) for r, m in all_named if r in own or r in others]
    several = [(ref, match) for ref, match in every if ref in own]
    named_refs = list(dict.fromkeys(ref for ref, _ in several))
    if len(named_refs) > 1 or (named_refs and len(every) > len(several)):
        return _segments(text, every, own)
    if named_refs and named_refs[0] != item.ref:  # "P6.2.1 done" under P6.2: the step
        match = several[0][1]
        rest = _LEADING.sub("", text[: match.start()] + text[match.end() :]).strip()
        return ThreadItem(thread, own[named_refs[0]][1], rest)
    described = described_steps(text, steps) if isinstance(item, Action) else []
    return _by_description(thread, described) if described else ThreadItem(thread, item, text)


def _in_lead_thread(
    session: Session, thread: Reminder, text: str, all_named: Named, others: tuple[str, ...]
) -> ThreadItem | ThreadItems | ReplyIgnored:
    """A lead's thread: the items it names, or steps of its actions described, or the one item."""
    rows = [(row, item_for_reminder(session, row)) for row in thread_items(session, thread.id or 0)]
    listed = [(row, item) for row, item in rows if item is not None]
    by_ref = {item.ref: (row, item) for row, item in listed}
    every = [(r, m) for r, m in all_named if r in by_ref or r in others]
    named = [(ref, match) for ref, match in every if ref in by_ref]
    refs = list(dict.fromkeys(ref for ref, _ in named))
    if refs and len(every) > len(named):  # others named too: each item's words end at them
        return _segments(text, every, by_ref)
    if len(refs) == 1:
        row, item = by_ref[refs[0]]
        match = named[0][1]
        rest = _LEADING.sub("", text[: match.start()] + text[match.end() :]).strip()
        return _described_in(rest, [(row, item)], session) or ThreadItem(row, item, rest)
    if len(refs) > 1:
        return _segments(text, named, by_ref)
    by_words = _described_in(text, listed, session)
    if by_words is not None:
        return by_words
    if len(listed) == 1:
        row, item = listed[0]
        return ThreadItem(row, item, text)
    if not listed:
        return ReplyIgnored("item gone")
    return ReplyIgnored(
        "no item named",
        hint=f"Which item is that about? Start your reply with its reference, e.g. "
        f"“{listed[0][1].ref} in progress”. This thread lists {_listed(list(by_ref))}.",
    )


def item_of_thread(
    session: Session, channel: str | None, thread_ts: str | None, text: str
) -> ThreadItem | ThreadItems | ReplyIgnored | None:
    """The item a message in the thread is about; None when the thread is no reminder's."""
    thread = reminder_for_thread(session, channel, thread_ts) if thread_ts else None
    return item_in_thread(session, thread, text) if thread is not None else None


def edited_item(
    session: Session, channel: str | None, thread_ts: str | None, message_ts: str, text: str
) -> ThreadItem | None:
    """In a lead's thread, an edit that no longer names an item corrects the item its reply
    updated (read from the edit's own words)."""
    previous = update_for_message(session, channel, message_ts)
    thread = reminder_for_thread(session, channel, thread_ts) if thread_ts else None
    item = item_of_update(session, previous) if previous is not None else None
    if item is None or thread is None:
        return None
    found = item_in_thread(session, thread, item.ref)
    return replace(found, text=text) if isinstance(found, ThreadItem) else None
