"""Questions about steps rather than actions, read from York on 15 Feb 2023: each lists steps on
their own (under their action's reference), filtered by their own status or date, and the first
line says how the question was read and how many were found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from commands.caller import Caller
from commands.clock import Clock
from commands.questions.answer_result import AnswerResult
from commands.request import Request
from commands.router import handle

TODAY = date(2023, 2, 15)


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def ask(session: Session, text: str) -> AnswerResult:
    result = handle(session, Request(text, Caller(), Clock.fixed_at(TODAY)))
    assert isinstance(result, AnswerResult), text
    return result


@pytest.mark.parametrize(
    ("text", "understood", "refs", "absent"),
    [
        ("which of P6.2's steps are late", "Steps under P6.2, overdue: 2", ["P6.2.1", "P6.2.2"],
         ["P6.2", "P6.2.3"]),
        ("the second step of P9.1", "The second step of P9.1 is P9.1.2", ["P9.1.2"],
         ["P9.1.1", "P9.1"]),
        ("last step of P7.5", "The last step of P7.5 is P7.5.5", ["P7.5.5"], ["P7.5.1"]),
        ("steps not started yet under P7", "Steps under P7, not started: 24", ["P7.5.1"],
         ["P7.5"]),
        ("how many steps has P6", "Steps under P6, open: 7", ["P6.1.1", "P6.3.1"], ["P6.2"]),
        ("P6 steps without a date", "Steps under P6, open, with no due date: 1", ["P6.1.1"],
         ["P6.1.2"]),
        ("P6.2 steps done", "Steps under P6.2, done: 0", [], ["P6.2.1"]),
    ],
)  # fmt: skip
def test_step_questions(
    session: Session, text: str, understood: str, refs: list[str], absent: list[str]
) -> None:
    result = ask(session, text)
    assert result.understood == understood
    shown = [item.reference for item in result.items]
    assert all(item.kind == "step" and item.parent for item in result.items)
    for ref in refs:
        assert ref in shown, ref
    for ref in absent:
        assert ref not in shown, ref


def test_a_count_of_steps_says_the_number_first_and_none_is_an_answer(session: Session) -> None:
    counted = ask(session, "how many steps has P6")
    assert counted.message == "7 steps, listed below."
    none = ask(session, "blocked steps")
    assert none.items == () and none.message == "None: no steps, blocked."
    every_undated = ask(session, "steps with no date")
    assert every_undated.items and all(i.due is None for i in every_undated.items)


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("what did the Ambition plan pick up from OA2", ["P7.3"]),
        ("which Ambition actions link to OA4", ["P7.5"]),
    ],
)
def test_links_between_the_plans_are_not_read_as_topics(
    session: Session, text: str, refs: list[str]
) -> None:
    shown = [item.reference for item in ask(session, text).items]
    assert all(ref in shown for ref in refs)


@pytest.mark.parametrize(
    ("text", "count", "refs"),
    [
        ("actions with no owner", 1, ["P5.13"]),
        ("which actions have no lead?", 1, ["P5.13"]),
        ("anything unowned under P5", 1, ["P5.13"]),
        ("done actions without an owner", 5, ["OA1.6"]),
        ("which Ofsted actions have no lead", 0, []),
        ("how many actions have no owner", 1, ["P5.13"]),  # a count says the same, not 0
        ("number of P5 things without an owner?", 1, ["P5.13"]),
    ],
)
def test_items_nobody_owns(session: Session, text: str, count: int, refs: list[str]) -> None:
    result = ask(session, text)
    assert result.understood.endswith(f", with no owner role: {count}")
    shown = [i.reference for i in result.items]
    assert len(shown) == count and all(ref in shown for ref in refs)
    assert all(not item.owners for item in result.items)
    if not count:
        assert result.message is not None and result.message.startswith("None: every one")
