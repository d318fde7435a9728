"""The last question a person asked in a conversation, and a follow-up read with it.

A conversation is a DM, a channel's thread (or, for `/plan`, the channel), or one terminal
console session; the same person in another thread, or another person in the same thread, has
another memory. Only the last question about the plan is kept, for an hour (real time, not the
plans' clock), in the store so every question worker process sees it. A follow-up with nothing
to follow says so and is answered on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

from sqlmodel import Session

from commands.questions.answer_result import AnswerResult
from commands.questions.changes import ChangesResult
from commands.questions.followups import (
    as_text,
    is_follow_up,
    merged,
    reading_of,
    with_level_stated,
)
from commands.questions.grouped import GroupedCount
from commands.questions.index_cache import index_for
from commands.request import Request
from store.queries.last_questions import forget_question, last_question, remember_question

KEEP_FOR = timedelta(hours=1)
Outcome = TypeVar("Outcome")

FOLLOWED = "Read with your last question here."
NOTHING_TO_FOLLOW = (
    "That reads as a follow-up, but I have no earlier question about the plan from you in this "
    "conversation in the last hour, so I read it on its own."
)


@dataclass(frozen=True)
class Followed:
    """What to answer for `asked`: the text itself, or the reading it makes with the question
    before it (`followed`); `orphan` when it reads as a follow-up with nothing to follow."""

    asked: str
    text: str
    followed: bool = False
    orphan: bool = False
    note: str | None = None
    empty: bool = False  # nothing in `text` itself selects anything ("how many is that")


def conversation_of(request: Request) -> tuple[str, str] | None:
    """(person, conversation) for the caller, or None when a question has no conversation (a
    single `planbot ask`, a request from nobody)."""
    caller = request.caller
    if caller.is_terminal:
        return ("terminal", f"console:{caller.conversation}") if caller.conversation else None
    if not caller.user_id or not caller.channel_id:
        return None
    place = f"{caller.channel_id}/{caller.thread_ts}" if caller.thread_ts else caller.channel_id
    return caller.user_id, place


def follow_on(session: Session, request: Request, text: str) -> Followed:
    """`text` as it should be answered: merged with the last question when it is a follow-up."""
    if request.first_item:  # a later page of an answer already given: its text is whole
        return Followed(text, text)
    index = index_for(session)
    today = request.clock.today()
    follow = reading_of(text, index, today)
    if not is_follow_up(text, follow):
        return Followed(text, text)
    key = conversation_of(request)
    since = request.clock.real_utcnow() - KEEP_FOR
    previous = last_question(session, *key, since=since) if key else None
    if previous is None:
        return Followed(
            text, text, orphan=True, empty=follow.question.is_empty and not follow.level
        )
    reading, note = with_level_stated(merged(reading_of(previous, index, today), text, follow))
    return Followed(text, as_text(reading, index, today), followed=True, note=note)


def remember(session: Session, request: Request, followed: Followed, outcome: object) -> None:
    """Keep what was answered as the caller's last question in this conversation when it was a
    question about the plan's items; anything else leaves no question to follow."""
    key = conversation_of(request)
    if key is None or request.first_item:
        return
    if isinstance(outcome, AnswerResult | ChangesResult | GroupedCount):
        now = request.clock.real_utcnow()
        remember_question(session, *key, followed.text[:500], at=now, since=now - KEEP_FOR)
    else:
        forget_question(session, *key)


def noted(outcome: Outcome, followed: Followed) -> Outcome:
    """The answer with a word on how it followed on (the first line states the whole reading)."""
    said = FOLLOWED if followed.followed else NOTHING_TO_FOLLOW if followed.orphan else None
    note = " ".join(part for part in (said, followed.note) if part)
    if not note or not isinstance(outcome, AnswerResult):
        return outcome
    message = f"{note} {outcome.message}" if outcome.message else note
    return replace(outcome, message=message)
