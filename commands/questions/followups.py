"""A follow-up read with the question before it: "and for P7?" after "what's overdue in P5?".

A question is a follow-up when it says it continues ("and …", "what about …", "same for …",
"just …", "those", "how many is that") and does not stand on its own: one that names both what
it is about (items, areas, owners, a plan, a topic) and what it wants of them (a status, a
colour, a due window) is a new question. The follow-up replaces the parts it names and keeps the
rest of the previous reading; "just"/"only"/"of those" narrow the previous items instead of
replacing them. The merged reading is written back as a plain question ("how many overdue steps
under P7"), which is answered like any other, so its first line states the whole reading.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from commands.questions.answer_words import STATUS_WORDS
from commands.questions.date_windows import find_window
from commands.questions.plan_index import PlanIndex
from commands.questions.question import DateWindow, Question
from commands.questions.understanding import understand
from commands.questions.words import clean, fold

_CONTINUES = re.compile(
    r"^(?:(?:ok(?:ay)?|right|cool|thanks|ta|great|hmm+|oh)\b\W*)*"
    r"(?:and|an|n|&|\+|plus|also|but|so|now|then|ditto|same|just|only|except|what\s+(?:about|of)"
    r"|wh?at\s+abt|how\s+about|hbu|for|in|under|with|by)\b"
)
_POINTS_BACK = re.compile(
    r"\b(?:those|these|them|ones|the\s+same|same\s+(?:again|for|but|thing|with)|of\s+that"
    r"|is\s+that|are\s+they|instead|as\s+well|too)\b"
)
_NARROWS = re.compile(
    r"^(?:\W*(?:and|but|so|now|then)\b)?\W*(?:just|only)\b|\bof\s+(?:those|them|these)\b"
)
# Words that point back at the question before, not topics ("just the red ones").
_POINTERS = re.compile(
    r"\b(?:ones?|those|these|them|they|that|it|instead|too|as\s+well|same|again|ditto|hbu|abt"
    r"|what\s+about|how\s+about|what\s+of|then)\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\bhow\s+much\b")
_LIST = re.compile(r"\b(?:list|show|which|what)\s+(?:me\s+)?(?:are\s+)?(?:them|those|they|ones)\b")
_STEPS = re.compile(r"\bsteps?\b|\bsub[\s-]?actions?\b")
_ACTIONS = re.compile(r"(?<!ofsted\s)\bactions?\b(?!\s+plan)")


@dataclass(frozen=True)
class Reading:
    """A question as a follow-up sees it: the understood query, the level asked for ("steps",
    "actions" or None for both) and whether it asks for a count."""

    question: Question
    level: str | None = None
    count: bool = False


def reading_of(text: str, index: PlanIndex, today: date) -> Reading:
    """`text` read, with its level and whether it counts; words that point back at an earlier
    question ("those", "the same") are not read as topics."""
    question = understand(_POINTERS.sub(" ", text), index.vocabulary, today)
    folded = fold(clean(text)[0])
    level = "steps" if _STEPS.search(folded) else "actions" if _ACTIONS.search(folded) else None
    return Reading(question, level, bool(_HOW_MANY.search(folded)))


def names_scope(question: Question) -> bool:
    return question.scoped or question.mine or bool(question.topic)


def names_filter(question: Question) -> bool:
    return question.filtered or question.changes


def is_follow_up(text: str, reading: Reading) -> bool:
    """Whether `text` continues the question before it rather than standing on its own."""
    folded = fold(clean(text)[0]).strip()
    if not (_CONTINUES.search(folded) or _POINTS_BACK.search(folded) or _is_bare_count(folded)):
        return False
    return not (names_scope(reading.question) and names_filter(reading.question))


def _is_bare_count(folded: str) -> bool:
    """ "How many?", "how many is that": a count of nothing new."""
    return bool(re.fullmatch(r"\W*how\s+many(?:\s+(?:is|are)\s+(?:that|there|they))?\W*", folded))


def merged(previous: Reading, text: str, follow: Reading) -> Reading:
    """The previous reading with the parts `follow` names replaced (or narrowed)."""
    before, after = previous.question, follow.question
    question = before
    if names_scope(after):
        narrows = bool(_NARROWS.search(fold(clean(text)[0]).strip()))
        question = _scoped(before, after, narrows=narrows)
    if after.status and not after.status_assumed:
        question = replace(question, status=after.status, status_assumed=False, changes=False)
    if after.rag:
        question = replace(question, rag=after.rag)
        if question.status == "overdue" and after.rag != "red" and after.status_assumed:
            # overdue is Red: "only the amber ones" after "what's overdue" means the open ones
            question = replace(question, status="open", status_assumed=True)
    if after.window:
        question = replace(question, window=after.window, past=after.past)
    if after.changes:
        question = replace(question, changes=True)
    question = _with_negations(question, after)
    folded = fold(clean(text)[0])
    count = previous.count
    if follow.count:
        count = True
    elif _LIST.search(folded):
        count = False
    return Reading(question, follow.level or previous.level, count)


def _with_negations(question: Question, after: Question) -> Question:
    """The negated filters and owner or date presence the follow-up names ("and not overdue?",
    "only those with no due date"), over the ones carried from before."""
    return replace(
        question,
        not_owners=after.not_owners or question.not_owners,
        not_references=after.not_references or question.not_references,
        not_status=after.not_status or question.not_status,
        not_rags=after.not_rags or question.not_rags,
        has_owner=question.has_owner if after.has_owner is None else after.has_owner,
        has_due=question.has_due if after.has_due is None else after.has_due,
    )


STEPS_APART = (
    "Steps are listed on their own only by one item and a status, so here are the items with "
    "their steps."
)


def with_level_stated(reading: Reading) -> tuple[Reading, str | None]:
    """The reading as it can be answered whole: steps are listed on their own only for one item
    (or everything) and a status, so a steps reading with more to it asks for the items with
    their steps instead, and says why."""
    question = reading.question
    items = len(question.references) + len(question.areas)
    if reading.level != "steps" or not (
        items > 1
        or question.rag
        or question.window
        or question.owners
        or question.plan
        or question.mine
        or question.topic
        or question.changes
    ):
        return reading, None
    return replace(reading, level=None), STEPS_APART


def _scoped(before: Question, after: Question, *, narrows: bool) -> Question:
    """`before` about what `after` names: in its place, or, when narrowing, each part named
    replaced and the others kept ("just Head of MASH's" keeps the items asked about)."""
    keep = before if narrows else Question(text=before.text)
    items = bool(after.references or after.areas)
    return replace(
        before,
        references=after.references if items else keep.references,
        areas=after.areas if items else keep.areas,
        owners=after.owners or keep.owners,
        plan=after.plan or keep.plan,
        mine=after.mine or keep.mine,
        topic=after.topic or keep.topic,
        topic_words=after.topic_words or keep.topic_words,
    )


def as_text(reading: Reading, index: PlanIndex, today: date) -> str:
    """The reading as a plain question the understanding reads back the same way."""
    question = reading.question
    words: list[str] = []
    if reading.count:
        words.append("how many")
    if question.changes:
        words.append("what changed for")
    if question.status and not question.status_assumed:
        words.append(STATUS_WORDS.get(question.status, question.status.replace("_", " ")))
    if question.rag:
        words.append(" or ".join((question.rag, *question.more_rags)))
    words.append(reading.level or "items")
    items = [*question.references, *(a for a in question.areas if a not in question.references)]
    if items:
        words.append("under " + " and ".join(items))
    if question.owners:
        words.append("owned by " + " and ".join(question.owners))
    elif question.heads_of_service:
        words.append("owned by heads of service")
    words += _negations(question)
    if question.plan:
        words.append("in the " + _plan_title(index, question.plan))
    if question.mine:
        words.append("for me")
    if question.topic_words:
        words.append("about " + " ".join(question.topic_words))
    if question.window:
        words.append(_window_text(question.window, today, past=question.past))
    return " ".join(words)


def _negations(question: Question) -> list[str]:
    """The reading's negated filters in words the understanding reads back the same way."""
    words = []
    if question.not_owners:
        words.append("not owned by " + " or ".join(question.not_owners))
    if question.not_references:
        words.append("except " + " and ".join(question.not_references))
    if question.not_status:
        words.append("not " + STATUS_WORDS.get(question.not_status, question.not_status))
    if question.not_rags:
        words.append("not " + " or ".join(question.not_rags))
    if question.has_owner is False:
        words.append("with no owner")
    if question.has_due is not None:
        words.append("with a due date" if question.has_due else "with no due date")
    return words


def _window_text(window: DateWindow, today: date, *, past: bool) -> str:
    """The window's own label when it reads back as the same dates, else its dates."""
    for text in (window.label, _dates(window)):
        found, _ = find_window(fold(text), today, past=past)
        if found is not None and (found.start, found.end) == (window.start, window.end):
            return text
    return _dates(window)


def _plan_title(index: PlanIndex, key: str) -> str:
    return next((e.plan_title for e in index.entries if e.plan_key == key), key)


def _dates(window: DateWindow) -> str:
    def day(d: date | None) -> str:
        return f"{d.day} {calendar.month_abbr[d.month]} {d.year}" if d else ""

    if window.start and window.end:
        return f"due between {day(window.start)} and {day(window.end)}"
    if window.end:
        return f"due by {day(window.end)}"
    return f"due from {day(window.start)}"
