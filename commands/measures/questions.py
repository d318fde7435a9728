"""Questions about success measures, for the question engine's hook (commands/questions):
`answer_measure_question(session, request, text)` answers, or returns None when the text is not
about measures.

- "how's staff turnover doing?", "what is the latest on agency use": one measure, by name;
- "which measures are off target?", "which measures are red?", "... improving/getting worse?",
  "which measures have signals?": the scorecard filtered;
- "what measures does P1.2 have?", "success measures for OA4", "how will we know P7 is working":
  the measures under a plan, area or action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.measures.names import find_measure, measure_key
from commands.measures.scorecard import ScopeProblem, ScorecardProblem, ScorecardRow, compose
from commands.request import Request

_FILLER = frozenset({"the", "a", "an", "our", "of", "on", "for", "in"})
# Words that ask about the plan's items, not a measure, even where a measure's name holds them
# ("school attendance for children open to social care" must not answer "what's open?").
_ITEM_WORDS = frozenset(
    {"open", "opened", "done", "closed", "complete", "completed", "finished", "overdue", "late",
     "slipping", "blocked", "stuck", "due", "started", "outstanding", "red", "amber", "green",
     "blue", "new", "left", "next", "happening", "up"}
)  # fmt: skip
_REF = r"\b(?:oa|p)\s*-?\s*\d+(?:\.\d+)?\b"
_ABOUT_MEASURES = re.compile(r"\b(measures?|kpis?|indicators?|scorecard|how will we know)\b", re.I)
_SCOPE = re.compile(_REF, re.I)
_ONE = re.compile(
    r"^\s*(?:how(?:'s|\s+is|\s+are)|what(?:'s|\s+is)(?:\s+the\s+latest\s+(?:on|for))?|"
    r"show(?:\s+me)?|latest\s+(?:on|for))\s+(?P<name>.+?)"
    r"(?:\s+(?:doing|going|looking|trending|now|lately))*\s*\??\s*$",
    re.I,
)
_OFF = (
    r"\b(?:off|missing|below|behind|not\s+(?:on|meeting))\s+(?:the\s+)?target|\b(?:red|failing)\b"
)
_ON = r"\b(?:on|meeting|hitting)\s+(?:the\s+)?target|\bgreen\b"
FILTERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_OFF, re.I), "off target"),
    (re.compile(r"\bamber\b", re.I), "Amber"),
    (re.compile(_ON, re.I), "on target"),
    (re.compile(r"\b(?:signals?|special cause|unusual)\b", re.I), "with a signal"),
    (re.compile(r"\b(?:worse|worsening|deteriorat\w*|declin\w*|concern\w*)\b", re.I), "worsening"),
    (re.compile(r"\bimprov\w*", re.I), "improving"),
)


@dataclass(frozen=True)
class MeasureAnswer:
    question: str
    title: str
    rows: tuple[ScorecardRow, ...]
    empty: str  # what to say when no row fits
    as_of: date


def _keep(row: ScorecardRow, wanted: str) -> bool:
    if wanted == "off target":
        return row.rag in ("Red", "Amber") or row.assurance == "consistently fails the target"
    if wanted == "Amber":
        return row.rag == "Amber"
    if wanted == "on target":
        return row.rag == "Green"
    if wanted == "improving":
        return row.direction == "improving" or row.variation.endswith("improvement")
    if wanted == "worsening":
        return row.direction == "worsening" or row.variation.endswith("concern")
    return bool(row.signals)


def answer_measure_question(session: Session, request: Request, text: str) -> MeasureAnswer | None:
    """The answer to a question about measures, or None when `text` is not one."""
    settings = request.policy.measures
    today = request.clock.today()
    asks_measures = _ABOUT_MEASURES.search(text) is not None
    scope_match = _SCOPE.search(text)
    scope = scope_match.group(0).replace(" ", "").replace("-", "") if scope_match else None
    if asks_measures:
        try:
            card = compose(session, today, scope, settings, include_empty=scope is not None)
        except ScopeProblem as problem:
            return MeasureAnswer(text, "Measures", (), str(problem), today)
        for pattern, wanted in FILTERS:
            if pattern.search(text):
                rows = tuple(row for row in card.rows if _keep(row, wanted))
                title = f"Measures {wanted}" + (f" under {scope}" if scope else "")
                return MeasureAnswer(text, title, rows, f"No measure is {wanted}.", today)
        if scope:
            title = f"Success measures for {scope}"
            return MeasureAnswer(
                text, title, card.rows, f"{scope} names no success measures.", today
            )
        return MeasureAnswer(text, "Scorecard", card.rows, "No measure has a value yet.", today)
    one = _ONE.match(text)
    if one is None:
        return None
    found = find_measure(session, one.group("name"))
    words = set(measure_key(one.group("name")).split()) - _FILLER
    if words <= _ITEM_WORDS:
        return None  # "what's open?", "what's overdue?": the question engine's
    if found.measure is None or not words or not words <= set(found.measure.key.split()):
        # Not every word is in the measure's name: a question about the plan ("how are we doing on
        # missing from home?") is the question engine's, however close it comes to a measure.
        return None
    card = compose(session, today, None, settings, include_empty=True)
    rows = tuple(row for row in card.rows if row.name == found.measure.name)
    return MeasureAnswer(text, found.measure.name, rows, "No values yet.", today)


def measures_command(
    session: Session, request: Request, rest: str
) -> MeasureAnswer | ScorecardProblem:
    """`/plan measures [scope or filter]`: every measure in scope (with or without values), or
    those off target, improving, worsening or with a signal."""
    today = request.clock.today()
    text = rest.strip()
    if text and (_SCOPE.fullmatch(text) is None) and any(p.search(text) for p, _ in FILTERS):
        answer = answer_measure_question(session, request, f"measures {text}")
        if answer is not None:
            return answer
    try:
        card = compose(session, today, text or None, request.policy.measures, include_empty=True)
    except ScopeProblem as problem:
        return ScorecardProblem(str(problem))
    title = f"Success measures for {text}" if text else "All success measures"
    return MeasureAnswer(f"measures {text}".strip(), title, card.rows, "No measures.", today)
