"""Questions about steps rather than actions: "which of P6.2's steps are late", "steps not started
yet under P7", "steps with no date", "how many steps has P6", "the second step of P9.1". The
words about steps are read here; the rest (a reference, a status) is asked as an ordinary
question, and its steps are listed on their own, each under its action's reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlmodel import Session

from commands.questions.answer import answer
from commands.questions.answer_result import AnswerItem, AnswerResult
from commands.questions.question import Question
from commands.request import Request

_STEPS = re.compile(r"\bsteps?\b", re.I)
_REF = re.compile(r"\b((?:oa|p)\s*\d+(?:\.\d+)?)(?:'s|’s)?\b", re.I)
_COUNT = re.compile(r"\bhow\s+many\b", re.I)
_NO_DATE = re.compile(
    r"\b(?:no|without(?:\s+an?)?|missing(?:\s+an?)?|lacking(?:\s+an?)?)\s+(?:due\s+)?dates?\b"
    r"|\bundated\b",
    re.I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "last": -1}  # fmt: skip
_NTH = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+step\b", re.I)
# What a step question may filter by, in the words the ordinary question understands.
_STATUSES = (
    (re.compile(r"\b(?:late|overdue|past\s+(?:their\s+)?due|slipp(?:ed|ing))\b", re.I), "overdue"),
    (
        re.compile(r"\bnot\s+(?:yet\s+)?started\b|\bnot\s+begun\b|\bhaven'?t\s+started\b", re.I),
        "not started",
    ),
    (re.compile(r"\bin\s+progress\b|\bunderway\b|\bstarted\b", re.I), "in progress"),
    (re.compile(r"\bblocked\b|\bstuck\b", re.I), "blocked"),
    (re.compile(r"\b(?:done|complete(?:d)?|finished)\b", re.I), "done"),
)


@dataclass(frozen=True)
class StepsAsked:
    scope: str | None  # a reference (P6.2, P6, OA4) or None for every plan
    status: str | None  # overdue | not started | in progress | blocked | done
    no_date: bool
    count: bool
    nth: int | None  # the nth step (1-based, -1 the last) of the action named


def steps_question(text: str) -> StepsAsked | None:
    """What a question about steps asks, or None when it is not about steps."""
    flat = " ".join(text.replace("’", "'").split())
    if not _STEPS.search(flat):
        return None
    ref = _REF.search(flat)
    status = next((name for pattern, name in _STATUSES if pattern.search(flat)), None)
    nth = _NTH.search(flat)
    return StepsAsked(
        scope=re.sub(r"\s+", "", ref.group(1)).upper() if ref else None,
        status=status,
        no_date=bool(_NO_DATE.search(flat)),
        count=bool(_COUNT.search(flat)),
        nth=_ORDINALS[nth.group(1).lower()] if nth else None,
    )


def answer_steps(session: Session, request: Request, asked: StepsAsked) -> AnswerResult:
    """The steps the question names, each on its own line under its action's reference."""
    today = request.clock.today()
    base_text = " ".join(part for part in (asked.scope, asked.status) if part) or "open"
    base = answer(session, base_text, request.clock, request.policy,
                  asker=request.caller.user_id, limit=10_000)  # fmt: skip
    if not isinstance(base, AnswerResult):  # a changes reading: not a list of items
        return AnswerResult(Question(text=request.text), "", (), today, message=_TRY)
    steps: list[AnswerItem] = []
    for item in base.items:
        if item.kind == "step":
            steps.append(item)
            continue
        found = list(item.steps)
        if asked.nth is not None:
            pick = asked.nth - 1 if asked.nth > 0 else len(found) - 1
            found = [found[pick]] if 0 <= pick < len(found) else []
        steps += [replace(s, parent=item.reference, parent_title=item.title) for s in found]
    if asked.no_date:
        steps = [s for s in steps if s.due is None]
    if asked.status is not None:  # the step's own status, whatever its action's
        steps = [s for s in steps if _is(s, asked.status)]
    reading = _reading(asked, len(steps))
    if asked.nth is not None:  # "the second step of P9.1": which step that is, said plainly
        reading = _nth_reading(asked, steps)
    message = None
    if not steps:
        message = f"None: no {reading.rsplit(':', 1)[0][0].lower()}{reading.rsplit(':', 1)[0][1:]}."
    elif asked.count:
        message = f"{len(steps)} {'step' if len(steps) == 1 else 'steps'}, listed below."
    question = replace(base.question, text=request.text or base_text)
    return AnswerResult(
        question,
        reading,
        tuple(steps),
        today,
        message=message,
        compact=asked.count,
        count=len(steps) if asked.count else None,
        counted=tuple(s.reference for s in steps) if asked.count else (),
    )


def _is(step: AnswerItem, status: str) -> bool:
    if status == "overdue":
        return step.days_overdue > 0
    return step.status == status.replace(" ", "_")


_TRY = "I could not read that as a question about steps: try “steps under P6.2 not started”."


def _nth_reading(asked: StepsAsked, steps: list[AnswerItem]) -> str:
    """ "The second step of P9.1 is P9.1.2", or that there is no such step."""
    ordinal = next((w for w, n in _ORDINALS.items() if n == asked.nth and w.isalpha()), "")
    what = f"The {ordinal} step of {asked.scope or 'that action'}"
    if not steps:
        return f"{what}: none — it has no such step"
    found = " and ".join(step.reference for step in steps)
    return f"{what} is {found}"


def _reading(asked: StepsAsked, found: int) -> str:
    """The question as read, with the number found: "Steps under P6, overdue: 3"."""
    what = "Steps"
    if asked.nth is not None:
        what = "The last step" if asked.nth == -1 else f"Step {asked.nth}"
    parts = [f"{what}{f' of {asked.scope}' if asked.nth is not None else ''}"]
    if asked.scope and asked.nth is None:
        parts[0] += f" under {asked.scope}"
    if asked.status:
        parts.append(asked.status)
    elif asked.nth is None:
        parts.append("open")
    if asked.no_date:
        parts.append("with no due date")
    return f"{', '.join(parts)}: {found}"
