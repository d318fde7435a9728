"""Answering a question about the plan: the router's default for any text that is not a verb.

`ask_command` understands the text (`commands.questions.understanding`), searches the index
(`commands.questions.search`)
and returns a frozen `AnswerResult`: each item with its reference, status, computed colour, owner
and due date; the question as understood; how many matches are not shown; and, when nothing
matches, the nearest references to offer instead. It never raises on odd input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from commands.brag import BragThresholds, counts, roll_up
from commands.clock import Clock
from commands.digest.result import DigestResult
from commands.digest.scope import ScopeError, resolve_scope
from commands.digest.summary import DigestData
from commands.measures.questions import MeasureAnswer, answer_measure_question
from commands.questions.changes import ChangesResult, answer_changes
from commands.questions.history import (
    HistoryProblem,
    HistoryResult,
    asks_for_history,
    history_command,
)
from commands.questions.question import Question
from commands.questions.search import (
    CLOSED,
    Hit,
    PlanIndex,
    SearchOutcome,
    area_members,
    colour_now,
    filters_of,
    index_for,
    search,
)
from commands.questions.understanding import understand
from commands.questions.words import MAX_CHARACTERS
from commands.request import Policy, Request
from commands.roles.directory import RoleListResult, role_list, roles_of
from store.personal_data import fingerprint, redact
from store.queries.governance import governance_of

logger = logging.getLogger(__name__)

MAX_ITEMS = 20  # answer lines (areas, actions with their steps, lone steps) per answer
STATUS_WORDS = {
    "open": "open",
    "overdue": "overdue",
    "done": "done",
    "blocked": "blocked",
    "not_started": "not started",
    "in_progress": "in progress",
    "started": "started",
}
EXAMPLES = ("what's open under OA4?", "anything overdue for Head of MASH?", "status of P7.5")


@dataclass(frozen=True)
class DateChangeNote:
    """An item's latest new date as an answer mentions it."""

    state: str  # requested | approved | rejected | recorded
    previous_due: date | None
    new_due: date
    decided_by: str | None
    decided_on: date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "previous_due": self.previous_due.isoformat() if self.previous_due else None,
            "new_due": self.new_due.isoformat(),
            "decided_by": self.decided_by,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
        }


@dataclass(frozen=True)
class AnswerItem:
    """One area, action or step as an answer shows it."""

    reference: str
    kind: str  # area | action | step
    title: str
    plan: str
    plan_key: str
    status: str
    rag: str
    rag_reason: str
    declared_rag: str | None
    owners: tuple[str, ...]
    due: date | None
    due_as_written: str | None
    latest_note: str | None
    days_overdue: int = 0
    stale: bool = False
    rebaselined: int = 0
    parent: str | None = None  # a step shown on its own: its action's reference
    parent_title: str | None = None
    steps: tuple[AnswerItem, ...] = ()  # the steps shown under an action
    counts: tuple[tuple[str, int], ...] = ()  # an area: how many of its items have each colour
    date_change: DateChangeNote | None = None  # its latest new date: asked for, or decided
    evidence: str | None = None  # what was given as evidence before Blue
    signed_off_by: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "title": self.title,
            "plan": self.plan,
            "status": self.status,
            "rag": self.rag,
            "declared_rag": self.declared_rag,
            "owners": list(self.owners),
            "due": self.due.isoformat() if self.due else None,
            "due_as_written": self.due_as_written,
            "latest_note": self.latest_note,
            "date_change": self.date_change.as_json() if self.date_change else None,
            "evidence": self.evidence,
            "signed_off_by": self.signed_off_by,
        }


@dataclass(frozen=True)
class Suggestion:
    reference: str
    title: str


@dataclass(frozen=True)
class AnswerResult:
    question: Question
    understood: str  # the question as understood, in words
    items: tuple[AnswerItem, ...]
    as_of: date
    not_shown: int = 0  # answer lines found but left out of this answer
    filtered_out: int = 0  # items the question named that the status or date filter left out
    suggestions: tuple[Suggestion, ...] = ()
    unknown_refs: tuple[str, ...] = ()
    message: str | None = None  # one calm line when there is nothing to list
    reread: bool = False  # owner or area words were read as topic words on a second reading
    ignored_words: tuple[str, ...] = ()  # typed words that match nothing in the plans, left out

    def flat_items(self) -> Iterator[AnswerItem]:
        """Every item shown, steps under an action included, in order."""
        for item in self.items:
            yield item
            yield from item.steps

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question.text,
            "understood": self.understood,
            "as_of": self.as_of.isoformat(),
            "items": [item.as_json() for item in self.flat_items()],
            "not_shown": self.not_shown,
            "filtered_out": self.filtered_out,
            "suggestions": [s.reference for s in self.suggestions],
            "message": self.message,
        }


def question_in_words(question: Question, index: PlanIndex) -> str:
    """The question as understood, in plain words: "overdue items owned by Head of MASH"."""
    status = STATUS_WORDS.get(question.status or "", "")
    parts: list[str] = []
    items = [r for r in question.references if "." in r]
    areas = [r for r in question.references if "." not in r] + list(question.areas)
    if items and not areas:
        parts.append(", ".join(items))
        if status:
            parts.append(f"({status})")
    else:
        parts.append(f"{status} items".strip())
        if items:
            parts.append(", ".join(items))
        if areas:
            named = []
            for ref in areas:
                title = index.area_titles.get(ref.upper())
                named.append(f"{ref} ({title.rstrip('.')})" if title else ref)
            parts.append("under " + ", ".join(named))
            marked = [a for a in areas if index.followups.get(a.upper())]
            if marked:
                parts.append(
                    "with the actions elsewhere marked " + ", ".join(f"({a})" for a in marked)
                )
    if question.owners:
        parts.append("owned by " + " or ".join(question.owners))
    if question.topic_words:
        parts.append("about “" + " ".join(question.topic_words) + "”")
    if question.rag:
        parts.append(f"coloured {question.rag}")
    if question.window:
        parts.append(question.window.label)
    if question.plan:
        plan = next((e.plan_title for e in index.entries if e.plan_key == question.plan), None)
        parts.append(f"in the {plan or question.plan}")
    return " ".join(p for p in parts if p)


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
        return AnswerItem(
            reference=entry.ref,
            kind="area",
            title=entry.title,
            plan=entry.plan_title,
            plan_key=entry.plan_key,
            status=status,
            rag=rolled.value if rolled else "grey",
            rag_reason="roll-up of its actions",
            declared_rag=None,
            owners=entry.owners,
            due=None,
            due_as_written=None,
            latest_note=None,
            counts=tuple((rag.value, n) for rag, n in tally.items() if n),
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


def _answer_line(index: PlanIndex, hit: Hit, today: date, thresholds: BragThresholds) -> AnswerItem:
    entry = index.entries[hit.entry]
    if entry.kind == "step" and entry.parent is not None:
        parent = index.entries[entry.parent]
        return _item(
            index, hit.entry, today, thresholds, parent=parent.ref, parent_title=parent.title
        )
    steps = tuple(_item(index, s, today, thresholds) for s in hit.steps)
    return _item(index, hit.entry, today, thresholds, steps=steps)


def _answer_yes(question: Question, named: list[str]) -> str:
    refs = " and ".join(named)
    if question.status in ("started", "not_started") and not (question.rag or question.window):
        started = "started" if question.status == "started" else "not started yet"
        return f"Yes, {refs} {'has' if len(named) == 1 else 'have'} {started}."
    return f"Yes, {refs} {'is' if len(named) == 1 else 'are'} {_wanted_words(question)}."


def _wanted_words(question: Question) -> str:
    words = [
        STATUS_WORDS.get(question.status or "", "") if not question.status_assumed else "",
        f"coloured {question.rag}" if question.rag else "",
        question.window.label if question.window else "",
    ]
    return " and ".join(word for word in words if word)


def _answer_no(question: Question, named: list[str]) -> str:
    """ "No, P9.1 is not done.": a yes/no question about named items whose answer is no."""
    refs = " and ".join(named)
    if question.status == "not_started" and not (question.rag or question.window):
        return f"No, {refs} {'has' if len(named) == 1 else 'have'} been started."
    if question.status == "started" and not (question.rag or question.window):
        return f"No, {refs} {'has' if len(named) == 1 else 'have'} not started yet."
    return f"No, {refs} {'is' if len(named) == 1 else 'are'} not {_wanted_words(question)}."


def _no_match_message(question: Question, filtered_out: int, unknown: tuple[str, ...]) -> str:
    if unknown:
        return f"I can't find {', '.join(unknown)} in the plans."
    wanted = " ".join(
        word
        for word in (
            STATUS_WORDS.get(question.status or "", ""),
            "items",
            f"coloured {question.rag}" if question.rag else "",
            question.window.label if question.window else "",
        )
        if word
    )
    only_open = question.status == "open" and not (question.rag or question.window)
    if only_open and filtered_out:  # "which Ofsted actions are still not done?": none is an answer
        if filtered_out == 1:
            return "None: the one item it names is done."
        return f"None: all {filtered_out} of the items it names are done."
    if not (question.references or question.areas or question.owners or question.topic):
        if question.plan and filtered_out:
            return (
                f"There are no {wanted} here: {filtered_out} items match the rest of the question."
            )
        return f"There are no {wanted} in the plans."
    if filtered_out:
        noun = "item matches" if filtered_out == 1 else "items match"
        return f"There are no {wanted} here: {filtered_out} {noun} the rest of the question."
    if question.topic_words:
        return "Nothing in the plans matches “" + " ".join(question.topic_words) + "”."
    return "Nothing in the plans matches that question."


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
    index, question = understood or _understand(session, text, today)
    question, mention_note = _with_mentioned_owners(session, text, question)
    refusal = _refusal(question, text, mention_note)
    if refusal is not None:
        return AnswerResult(question, "", (), today, message=refusal)
    mine_note = None
    if question.mine:
        mine = _with_my_roles(session, question, asker)
        if mine is None:
            return AnswerResult(question, "", (), today, message=_no_roles_message(asker))
        question, mine_note = mine
    completed = _asks_what_was_completed(question, today)
    if question.changes or completed:
        return _answer_changes(session, index, question, today, policy, completed=completed)
    question, outcome, filtered_out, answer_no = _search_and_verdict(
        index, question, today, thresholds, limit
    )
    shown = outcome.hits[:limit]
    items = tuple(_answer_line(index, hit, today, thresholds) for hit in shown)
    message = _answer_message(
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
        scope_text=_scope_text(question, index),
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


def _refusal(question: Question, text: str, mention_note: str | None) -> str | None:
    """The whole reply when the question cannot be searched (bad dates, or no question found),
    or None when it can."""
    if question.bad_dates:
        bad_dates = _bad_dates_message(question)
        if question.truncated:
            bad_dates += f" I read the first {MAX_CHARACTERS} characters of that."
        return bad_dates
    if question.is_empty:
        hint = (
            "Ask me about the plan, for example “"
            + "”, “".join(EXAMPLES)
            + "”. Type help to see everything I understand."
        )
        if (text or "").strip():
            hint = "I couldn't find a question about the plan in that. " + hint
        if mention_note:
            hint = f"{mention_note} {hint}"
        return hint
    return None


def _with_my_roles(
    session: Session, question: Question, asker: str | None
) -> tuple[Question, str | None] | None:
    """A "mine" question owned by the asker's roles; when they hold none, the rest of the
    question and why it is everyone's, or None when "mine" was all there was to it."""
    held = [role.name for role in roles_of(session, asker)] if asker else []
    if held:
        return replace(question, owners=tuple(dict.fromkeys((*question.owners, *held)))), None
    if not replace(question, mine=False).is_empty:
        return replace(question, mine=False), _no_roles_message(asker)
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
    if named and question.filtered:
        passes = filters_of(question, today, thresholds)
        failing = [r for r in named if not passes(index.entries[index.by_ref[r.upper()]])]
        answer_no = _answer_no(question, failing) if failing else _answer_yes(question, named)
        if not outcome.hits and filtered_out:
            as_is = replace(question, status=None, status_assumed=False, rag=None, window=None)
            outcome = search(index, as_is, today, thresholds, limit)
            filtered_out = 0
    return question, outcome, filtered_out, answer_no


def _answer_message(
    question: Question,
    outcome: SearchOutcome,
    filtered_out: int,
    answer_no: str | None,
    *,
    found: bool,
    notes: tuple[str | None, ...],
) -> str | None:
    """The words above the items: the yes or no, or why nothing matched; then the references
    not found, the `notes`, and whether the question was cut short."""
    message: str | None = answer_no
    if not found:
        message = _no_match_message(question, filtered_out, outcome.unknown_refs)
    elif outcome.unknown_refs:
        missing = f"I can't find {', '.join(outcome.unknown_refs)} in the plans."
        message = f"{message} {missing}" if message else missing
    for note in notes:
        if note:
            message = f"{message} {note}" if message else note
    if question.truncated:
        note = f"I read the first {MAX_CHARACTERS} characters of that."
        message = f"{message} {note}" if message else note
    return message


def _scope_text(question: Question, index: PlanIndex) -> str:
    """What a question about changes narrows to, in words: "under OA4 (…)", "for P7.5"."""
    text = question_in_words(replace(question, status=None, window=None), index)
    text = text.removeprefix("items").strip()
    if text and not text.startswith(("under ", "owned ", "about ", "in the ")):
        text = f"for {text}"
    return text


def _bad_dates_message(question: Question) -> str:
    """Why a question with a date that is none ("31/02", "Q5") is not answered, and what to try."""
    quarters = [b for b in question.bad_dates if re.fullmatch(r"Q\d+", b)]
    days = [b for b in question.bad_dates if b not in quarters]
    said = []
    if days:
        written = ", ".join(f"“{d}”" for d in days)
        said.append(f"{written} {'is' if len(days) == 1 else 'are'} not a real date")
    if quarters:
        written = ", ".join(f"“{q}”" for q in quarters)
        said.append(
            f"{written} {'is' if len(quarters) == 1 else 'are'} not a quarter: the financial year "
            "runs from Q1 (April to June) to Q4 (January to March)"
        )
    return (
        f"{'; '.join(said)}, so I haven't answered that. Try a date like “by 28/02/2023”, a "
        "month (“in March”) or a quarter (“due in Q4”)."
    )


_MENTIONED = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")


def _no_roles_message(asker: str | None) -> str:
    if asker is None:
        return (
            "The terminal holds no roles: name one instead, e.g. "
            "“anything overdue for Head of MASH?”."
        )
    return (
        "You hold no roles in the role directory, so I can't tell which items are yours. Name a "
        "role instead (“anything overdue for Head of MASH?”), or ask an admin to add you: "
        '`role assign "Head of MASH" @you`.'
    )


_WHO_HOLDS = re.compile(r"who(?:'s|s|\s+is|\s+are)\s+(?:the\s+|our\s+)?", re.IGNORECASE)


# "How many actions are complete?": a count, stated first, of the items then listed.
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b|\bcount\b", re.IGNORECASE)
_OVERALL = re.compile(
    r"\b(?:how\s+are\s+we\s+doing|how\s+(?:is|are)\s+(?:it|things|we)\s+going|overall|summary"
    r"|headlines?|percent(?:age)?|%\s*complete)\b",
    re.IGNORECASE,
)


def _understand(session: Session, text: str | None, today: date) -> tuple[PlanIndex, Question]:
    index = index_for(session)
    return index, understand(text or "", index.vocabulary, today)


def _overall(session: Session, request: Request, question: Question) -> DigestResult | None:
    """ "How are we doing on OA4?", "how many actions are complete?": the weekly summary, with
    its headline counts, for the area, owner or plan named (or everything); None when the
    question names single items."""
    named = [r for r in question.references if "." not in r] + list(question.areas)
    scopes = [*named, *question.owners, *([question.plan] if question.plan else [])]
    if question.mine and request.caller.user_id:  # "summary for me": the asker's one role
        held = [r.name for r in roles_of(session, request.caller.user_id) if not r.group]
        if len(held) == 1:
            scopes, question = [*scopes, held[0]], replace(question, mine=False)
    if (
        any("." in ref for ref in question.references)
        or question.topic
        or question.mine
        or question.changes
        or len(scopes) > 1
    ):
        return None  # items, a topic, "mine" or several scopes: answered as a question
    scope_text = scopes[0] if scopes else ""
    try:
        scope = resolve_scope(session, scope_text or "")
    except ScopeError:
        return None
    data = DigestData.load(
        session,
        as_of=request.clock.now(),
        thresholds=request.policy.thresholds,
        measures=request.policy.measures,
    )
    return data.compose(scope)


QuestionOutcome = (
    AnswerResult
    | ChangesResult
    | HistoryResult
    | HistoryProblem
    | RoleListResult
    | DigestResult
    | MeasureAnswer
)
"""What a question can come to: an answer, or another verb it was said in other words."""


def ask_command(session: Session, request: Request, rest: str) -> QuestionOutcome:
    """The router's default: `rest` is the whole message ("show me the history of P7.2" is the
    history verb said another way, "who is Head of MASH?" `role list` said another way). A child's
    details in the question are taken out before it is read, and never echoed."""
    screened = redact(rest)
    if screened.findings:
        logger.warning(
            "child's details taken out of a question from %s: %s",
            request.caller.label,
            ", ".join(
                f"{f.kind} #{fingerprint(f.value, request.policy.log_salt)}"
                for f in screened.findings
            ),
        )
        result = _ask(session, request, screened.text)
        kinds = [kind.strip("[]") for kind in screened.kinds]
        notice = (
            f"I left the {' and '.join(kinds)} out of your question: planbot must not keep a "
            "child's details. If you posted it in a channel, please delete it there."
        )
        if isinstance(result, AnswerResult):
            return replace(
                result, message=f"{result.message} {notice}" if result.message else notice
            )
        return result
    return _ask(session, request, rest)


def _ask(session: Session, request: Request, rest: str) -> QuestionOutcome:
    found = _ask_plainly(session, request, rest)
    return with_governance(session, found) if isinstance(found, AnswerResult) else found


def with_governance(session: Session, result: AnswerResult) -> AnswerResult:
    """The answer's items with their latest date change, evidence and sign-off."""
    refs = {item.reference for item in result.flat_items() if item.kind != "area"}
    facts = governance_of(session, refs)
    if not facts:
        return result

    def added(item: AnswerItem) -> AnswerItem:
        fact = facts.get(item.reference)
        steps = tuple(added(step) for step in item.steps)
        if fact is None:
            return replace(item, steps=steps) if steps != item.steps else item
        change = fact.date_change
        note = (
            DateChangeNote(
                change.state,
                change.previous_due,
                change.new_due,
                change.decided_by,
                change.decided_at.date() if change.decided_at else None,
            )
            if change
            else None
        )
        return replace(
            item,
            steps=steps,
            date_change=note,
            evidence=fact.evidence,
            signed_off_by=fact.signed_off_by,
        )

    return replace(result, items=tuple(added(item) for item in result.items))


def _ask_plainly(session: Session, request: Request, rest: str) -> QuestionOutcome:
    if ref := asks_for_history(rest):
        return history_command(session, request, ref)
    if (measured := answer_measure_question(session, request, rest)) is not None:
        return measured  # "how's staff turnover doing?", "which measures are off target?"
    understood = None
    if _OVERALL.search(rest):  # read here once, and by `answer` below if it is not a summary
        understood = _understand(session, rest, request.clock.today())
        if (overall := _overall(session, request, understood[1])) is not None:
            return overall
    typed = rest.strip()[:200].replace("’", "'")  # a role name is short; phones type ’
    if (who := _WHO_HOLDS.match(typed)) is not None and (role := typed[who.end() :].rstrip("?.! ")):
        holders = role_list(session, request, role)
        if isinstance(holders, RoleListResult):  # "who is Head of MASH?": the role's holders
            return holders
    result = answer(
        session,
        rest,
        request.clock,
        request.policy,
        asker=request.caller.user_id,
        understood=understood,
    )
    if _HOW_MANY.search(rest) and isinstance(result, AnswerResult) and result.items:
        total = len(result.items) + result.not_shown
        count = f"{total} {'item' if total == 1 else 'items'}, listed below."
        message = f"{count} {result.message}" if result.message else count
        return replace(result, message=message)
    return result
