"""Asking planbot anything: the router's default for any text that is not a verb.

`ask_command` takes a child's details out of the text, then hears it as the history verb, a
question about success measures, a request for the summary ("how are we doing on OA4?"), "who is
Head of MASH?", or else a question about the plan (commands.questions.answer).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from sqlmodel import Session

from commands.digest.result import DigestResult
from commands.digest.scope import ScopeError, resolve_scope
from commands.digest.summary import DigestData
from commands.measures.questions import MeasureAnswer, answer_measure_question
from commands.questions.answer import MAX_ITEMS, answer, read_question
from commands.questions.answer_result import AnswerItem, AnswerResult, DateChangeNote
from commands.questions.changes import ChangesResult
from commands.questions.content_answer import answer_content, answer_from_measures
from commands.questions.grouped import GroupedCount, grouped_count, grouping
from commands.questions.history import (
    HistoryProblem,
    HistoryResult,
    asks_for_history,
    history_command,
)
from commands.questions.last_question import follow_on, noted, remember
from commands.questions.no_owner import answer_no_owner, asks_no_owner
from commands.questions.question import Question
from commands.questions.steps import answer_steps, steps_question
from commands.request import Request
from commands.roles.directory import RoleListResult, role_list, roles_of
from store.personal_data import fingerprint, redact
from store.queries.governance import governance_of

logger = logging.getLogger(__name__)


_WHO_HOLDS = re.compile(r"who(?:'s|s|\s+is|\s+are)\s+(?:the\s+|our\s+)?", re.IGNORECASE)


# "How many actions are complete?": a count, stated first, of the items then listed.
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b|\bcount\b", re.IGNORECASE)
_OVERALL = re.compile(
    r"\b(?:how\s+are\s+we\s+doing|how\s+(?:is|are)\s+(?:it|things|we)\s+going|overall|summary"
    r"|headlines?|percent(?:age)?|%\s*complete)\b",
    re.IGNORECASE,
)


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
        or question.negated  # "how are we doing outside P7": answered as a question
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
    | GroupedCount
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
        result = _ask(session, request, _without_identifiers(screened.text, screened.kinds))
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


# The words that introduce an identifier ("dob", "NHS no") go with it: read as topic words they
# would search the plans for "dob nhs" and say so back.
_CUE = (
    r"(?:(?:d\.?o\.?b\.?|born(?:\s+on)?|nhs(?:\s+(?:no\.?|number|num))?|upn|post\s*code|"
    r"address|lives\s+at|mosaic(?:\s+(?:id|no\.?|number))?|case(?:\s+(?:no\.?|number|id))?)"
    r"[\s:#.]*)?"
)


def _without_identifiers(text: str, kinds: tuple[str, ...]) -> str:
    """The question with each redacted identifier, and the word that introduced it, taken out."""
    for kind in kinds:
        text = re.sub(_CUE + re.escape(kind), " ", text, flags=re.IGNORECASE)
    return text


ASK_WHOLE = (
    "On its own it asks nothing I can answer: ask the whole question, for example “how many "
    "actions are overdue in P7?”."
)


def _ask(session: Session, request: Request, rest: str) -> QuestionOutcome:
    followed = follow_on(session, request, rest)  # "and for P7?": read with the last question
    if followed.orphan and followed.empty:  # "how many is that" with no "that": never a guess
        today = request.clock.today()
        return noted(AnswerResult(Question(rest), "", (), today, message=ASK_WHOLE), followed)
    found = _ask_plainly(session, request, followed.text)
    remember(session, request, followed, found)
    found = with_governance(session, found) if isinstance(found, AnswerResult) else found
    return noted(found, followed)


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
    if grouping(rest) is None and (content := answer_content(session, request, rest)) is not None:
        return content  # measures, links, counts, yes/no, actions only (content_query.py)
    if (measured := answer_measure_question(session, request, rest)) is not None:
        return measured  # "how's staff turnover doing?", "which measures are off target?"
    understood = None
    if _OVERALL.search(rest):  # read here once, and by `answer` below if it is not a summary
        understood = read_question(session, rest, request.clock.today())
        if (overall := _overall(session, request, understood[1])) is not None:
            return overall
    typed = rest.strip()[:200].replace("’", "'")  # a role name is short; phones type ’
    if (who := _WHO_HOLDS.match(typed)) is not None and (role := typed[who.end() :].rstrip("?.! ")):
        holders = role_list(session, request, role)
        if isinstance(holders, RoleListResult):  # "who is Head of MASH?": the role's holders
            return holders
    if (ownerless := asks_no_owner(rest)) is not None:  # "actions with no owner"
        return answer_no_owner(session, request, ownerless)
    if (steps := steps_question(rest)) is not None:  # "which of P6.2's steps are late"
        return answer_steps(session, request, steps)
    if (grouped := grouping(rest)) is not None:  # "which heads of service have the most overdue"
        return grouped_count(session, request, *grouped)
    result = answer(
        session,
        rest,
        request.clock,
        request.policy,
        asker=request.caller.user_id,
        understood=understood,
        limit=max(MAX_ITEMS, request.first_item + MAX_ITEMS),
    )
    if isinstance(result, AnswerResult) and not result.items and result.question.topic:
        return answer_from_measures(session, request, rest) or result  # "… sickness absence?"
    if _HOW_MANY.search(rest) and isinstance(result, AnswerResult) and result.items:
        total = len(result.items) + result.not_shown
        count = f"{total} {'item' if total == 1 else 'items'}, listed below."
        message = f"{count} {result.message}" if result.message else count
        return replace(result, message=message)
    return result
