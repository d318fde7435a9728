"""Answering a question about the plan from the index: `answer` understands the text
(commands.questions.understanding), searches (commands.questions.search) and returns a frozen
`AnswerResult`: each item with its reference, status, computed colour, owner and due date; the
question as understood; how many matches are not shown; and, when nothing matches, the nearest
references to offer instead. It never raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from commands.brag import BragThresholds, counts, roll_up, unverified_count
from commands.clock import Clock
from commands.questions.answer_result import AnswerItem, AnswerResult, Suggestion
from commands.questions.answer_words import (
    answer_message,
    no_answer,
    no_roles_message,
    question_in_words,
    refusal_of,
    scope_in_words,
    yes_answer,
)
from commands.questions.changes import ChangesResult, answer_changes
from commands.questions.index_cache import index_for
from commands.questions.plan_index import CLOSED, PlanIndex, colour_now
from commands.questions.question import Question
from commands.questions.search import Hit, SearchOutcome, area_members, filters_of, search
from commands.questions.understanding import understand
from commands.request import Policy
from commands.roles.directory import roles_of

MAX_ITEMS = 20  # answer lines (areas, actions with their steps, lone steps) per answer


def _item(
    index: PlanIndex, entry_index: int, today: date, thresholds: BragThresholds, **extra: Any
) -> AnswerItem:
    entry = index.entries[entry_index]
    if entry.state is None:  # an area: its colour is the roll-up of what it holds
        members = [index.entries[m] for m in area_members(index, entry_index)]
        colours = [colour_now(m.state, today, thresholds) for m in members if m.state]
        statuses = {m.state.status for m in members if m.state}
        if statuses and statuses <= set(CLOSED):
            status = "done"
        elif statuses <= {"not_started"}:
            status = "not_started"
        else:
            status = "in_progress"
        rolled = roll_up(colours)
        tally = counts(colours)
        unverified = unverified_count(colours)
        return AnswerItem(
            reference=entry.ref,
            kind="area",
            title=entry.title,
            plan=entry.plan_title,
            plan_key=entry.plan_key,
            status=status,
            rag=rolled.rag.value if rolled else "grey",
            rag_reason=(
                "roll-up of its actions: a quarter or more unverified"
                if rolled and rolled.unverified
                else "roll-up of its actions"
            ),
            declared_rag=None,
            owners=entry.owners,
            due=None,
            due_as_written=None,
            latest_note=None,
            counts=(
                *((rag.value, n) for rag, n in tally.items() if n),
                *(
                    (("unverified", unverified),)
                    if (unverified := unverified_count(colours))
                    else ()
                ),
            ),
            stale=bool(rolled and rolled.unverified),
        )
    colour = colour_now(entry.state, today, thresholds)
    return AnswerItem(
        reference=entry.ref,
        kind=entry.kind,
        title=entry.title,
        plan=entry.plan_title,
        plan_key=entry.plan_key,
        status=entry.state.status,
        rag=colour.rag.value,
        rag_reason=colour.reason,
        declared_rag=entry.state.declared_rag,
        owners=entry.owners,
        due=entry.state.due_date,
        due_as_written=entry.state.due_as_written,
        latest_note=entry.note,
        days_overdue=colour.overdue_days,
        stale=colour.stale,
        rebaselined=entry.state.rebaselined,
        **extra,
    )


def answer_item(
    index: PlanIndex, entry_index: int, today: date, thresholds: BragThresholds, **extra: Any
) -> AnswerItem:
    """One area, action or step as an answer shows it (a step on its own, under its action's
    reference)."""
    entry = index.entries[entry_index]
    if entry.kind == "step" and entry.parent is not None and "parent" not in extra:
        parent = index.entries[entry.parent]
        extra = {**extra, "parent": parent.ref, "parent_title": parent.title}
    if entry.kind == "area":  # an area's line is its roll-up: only what was matched is added
        return replace(_item(index, entry_index, today, thresholds), **extra)
    return _item(index, entry_index, today, thresholds, **extra)


def _answer_line(index: PlanIndex, hit: Hit, today: date, thresholds: BragThresholds) -> AnswerItem:
    entry = index.entries[hit.entry]
    if entry.kind == "step" and entry.parent is not None:
        parent = index.entries[entry.parent]
        return _item(
            index, hit.entry, today, thresholds, parent=parent.ref, parent_title=parent.title
        )
    steps = tuple(_item(index, s, today, thresholds) for s in hit.steps)
    return _item(index, hit.entry, today, thresholds, steps=steps)


def answer(
    session: Session,
    text: str,
    clock: Clock,
    policy: Policy | None = None,
    *,
    limit: int = MAX_ITEMS,
    asker: str | None = None,
    understood: tuple[PlanIndex, Question] | None = None,
) -> AnswerResult | ChangesResult:
    """Answer one free-text question against the store, on the clock's today. `asker` (a Slack
    user id) is who "me" and "my" mean; `understood` is the index and the reading of `text` when
    the caller has already made them."""
    today = clock.today()
    policy = policy or Policy()
    thresholds = policy.thresholds
    index, question = understood or read_question(session, text, today)
    question, mention_note = _with_mentioned_owners(session, text, question)
    refusal = refusal_of(question, text, mention_note)
    if refusal is not None:
        return AnswerResult(question, "", (), today, message=refusal)
    mine_note = None
    if question.mine:
        mine = _with_my_roles(session, question, asker)
        if mine is None:
            return AnswerResult(question, "", (), today, message=no_roles_message(asker))
        question, mine_note = mine
    completed = _asks_what_was_completed(question, today)
    if question.changes or completed:
        return _answer_changes(session, index, question, today, policy, completed=completed)
    question, outcome, filtered_out, answer_no = _search_and_verdict(
        index, question, today, thresholds, limit
    )
    shown = outcome.hits[:limit]
    items = tuple(_answer_line(index, hit, today, thresholds) for hit in shown)
    message = answer_message(
        question,
        outcome,
        filtered_out,
        answer_no,
        found=bool(items),
        notes=(mine_note, mention_note),
    )
    return AnswerResult(
        question=question,
        understood=question_in_words(question, index),
        items=items,
        as_of=today,
        not_shown=max(0, outcome.total - len(shown)),
        filtered_out=filtered_out,
        suggestions=_suggestions(index, outcome),
        unknown_refs=outcome.unknown_refs,
        message=message,
        reread=outcome.reread,
        ignored_words=outcome.ignored_words,
    )


def _answer_changes(
    session: Session,
    index: PlanIndex,
    question: Question,
    today: date,
    policy: Policy,
    *,
    completed: bool,
) -> ChangesResult:
    """A question about what changed (or what was completed in a window), answered from history."""
    return answer_changes(
        session,
        index,
        question,
        today,
        policy.thresholds,
        scope_text=scope_in_words(question, index),
        timezone=policy.timezone,
        moved_to="done" if completed and not question.changes else None,
    )


def _suggestions(index: PlanIndex, outcome: SearchOutcome) -> tuple[Suggestion, ...]:
    """The references to offer when nothing matched, with their titles."""
    return tuple(
        Suggestion(ref, index.entries[index.by_ref[ref.upper()]].title)
        for ref in outcome.suggestions
        if ref.upper() in index.by_ref
    )


def _with_mentioned_owners(
    session: Session, text: str, question: Question
) -> tuple[Question, str | None]:
    """ "What's overdue for @Sam?": the question owned by the roles Sam holds (the mention itself
    is never echoed), with a note when the people named hold none."""
    mentioned = _MENTIONED.findall(text or "")
    if not mentioned or question.owners or question.mine:
        return question, None
    held = [role.name for user in mentioned for role in roles_of(session, user)]
    if held:
        return replace(question, owners=tuple(dict.fromkeys(held))), None
    return question, "The person you named holds no roles in the role directory."


def _with_my_roles(
    session: Session, question: Question, asker: str | None
) -> tuple[Question, str | None] | None:
    """A "mine" question owned by the asker's roles; when they hold none, the rest of the
    question and why it is everyone's, or None when "mine" was all there was to it."""
    held = [role.name for role in roles_of(session, asker)] if asker else []
    if held:
        return replace(question, owners=tuple(dict.fromkeys((*question.owners, *held)))), None
    if not replace(question, mine=False).is_empty:
        return replace(question, mine=False), no_roles_message(asker)
    return None


def _asks_what_was_completed(question: Question, today: date) -> bool:
    """ "What was completed in December?": done then, not due then."""
    return (
        question.status == "done"
        and not question.status_assumed
        and question.window is not None
        and (question.past or (question.window.end is not None and question.window.end < today))
    )


def _search_and_verdict(
    index: PlanIndex, question: Question, today: date, thresholds: BragThresholds, limit: int
) -> tuple[Question, SearchOutcome, int, str | None]:
    """The reading searched with, the search, how many items the filters left out, and for a
    question naming items and filtering them ("is P9.1 done?") the yes or no; the items are then
    shown as they are."""
    outcome = search(index, question, today, thresholds, limit)
    question = outcome.question or question
    areas = sum(1 for h in outcome.hits if index.entries[h.entry].kind == "area")
    filtered_out = max(0, outcome.matched_before_filters - (outcome.total - areas))
    named = [r for r in question.references if "." in r and r not in outcome.unknown_refs]
    answer_no = None
    if named and (question.filtered or question.negated):
        passes = filters_of(question, today, thresholds)
        failing = [r for r in named if not passes(index.entries[index.by_ref[r.upper()]])]
        answer_no = no_answer(question, failing) if failing else yes_answer(question, named)
        if not outcome.hits and filtered_out:
            as_is = as_it_stands(question)
            outcome = search(index, as_is, today, thresholds, limit)
            filtered_out = 0
    return question, outcome, filtered_out, answer_no


def as_it_stands(question: Question) -> Question:
    """The question without its filters: the named items as they are."""
    return replace(
        question,
        status=None,
        status_assumed=False,
        rag=None,
        more_rags=(),
        window=None,
        window_negated=False,
        not_status=None,
        not_rags=(),
        not_owners=(),
        has_owner=None,
        has_due=None,
    )


_MENTIONED = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")


def read_question(session: Session, text: str | None, today: date) -> tuple[PlanIndex, Question]:
    index = index_for(session)
    return index, understand(text or "", index.vocabulary, today)
