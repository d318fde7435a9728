"""Questions about items nobody owns: "actions with no owner", "which OA actions have no lead",
"anything unowned under P5". The ownerless words are read here; the rest is asked as an ordinary
question (open items unless it says otherwise) and what it finds is kept when no role owns it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlmodel import Session

from commands.questions.answer import answer
from commands.questions.answer_result import AnswerResult
from commands.request import Request

_NO_OWNER = re.compile(
    r"\b(?:with\s+|have\s+|has\s+)?(?:no|without(?:\s+an?)?|missing(?:\s+an?)?)\s+"
    r"(?:owner|lead|named\s+owner|owner\s+role)s?\b|\bunowned\b|\bown(?:er)?less\b"
    r"|\b(?:nobody|no\s*one)\s+(?:owns|leads|is\s+leading)\b",
    re.I,
)


# Words that ask without selecting anything: the question is then about every open item ("how
# many" too: the first line states the count).
_ONLY_ASKING = re.compile(
    r"(?:\s|which|what|show|me|list|any|anything|all|the|are|is|there|do|does|have|has|"
    r"actions?|items?|things?|steps?|stuff|everything|ones|pls|please|can|you|u|"
    r"how|many|number|of|count|total)*",
    re.I,
)


def asks_no_owner(text: str) -> str | None:
    """The question without its ownerless words, when it asks for items nobody owns."""
    flat = " ".join(text.split())
    if not _NO_OWNER.search(flat):
        return None
    rest = _NO_OWNER.sub(" ", flat).strip(" ?.!")
    return "open" if _ONLY_ASKING.fullmatch(rest) else rest  # "which actions have no owner"


def answer_no_owner(session: Session, request: Request, rest: str) -> AnswerResult:
    found = answer(session, rest or "open", request.clock, request.policy,
                   asker=request.caller.user_id, limit=10_000)  # fmt: skip
    today = request.clock.today()
    if not isinstance(found, AnswerResult):
        found = answer(session, "open", request.clock, request.policy, limit=10_000)
        assert isinstance(found, AnswerResult)
    items = tuple(i for i in found.items if i.kind != "area" and not i.owners)
    base = found.understood or "Open items"
    reading = f"{base}, with no owner role: {len(items)}"
    message = None if items else f"None: every one of them has an owner role ({base.lower()})."
    question = replace(found.question, text=request.text or rest)
    return AnswerResult(question, reading, items, today, message=message)
