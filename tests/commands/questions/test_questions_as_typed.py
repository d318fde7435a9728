"""Questions as Directors and Heads of Service type them: negations, "everything", windows that
end with a month, quarters with filler words, Slack formatting, emoji and quotes. York on
Wednesday 15 February 2023."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from commands.clock import Clock
from commands.questions.answer import answer
from commands.questions.answer_result import AnswerResult

CLOCK = Clock.fixed_at(date(2023, 2, 15))


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def ask(session: Session, text: str) -> AnswerResult:
    result = answer(session, text, CLOCK)
    assert isinstance(result, AnswerResult)
    return result


def refs(result: AnswerResult) -> set[str]:
    return {item.reference for item in result.items}


# (question, references that must be there, references that must not)
CASES = [
    # negation: "not done" is open, never the done items
    ("which P6 actions aren't complete", {"P6.2", "P6.3"}, {"OA1.1"}),
    ("what isn't finished in P4?", {"P4.4"}, set()),
    ("P5 actions still not done", {"P5.4"}, set()),
    # "everything", "anything", "stuff": not topics
    ("show me everything red", {"P7.5", "P9.1"}, set()),
    ("show me all the red stuff", {"P7.5", "P9.1"}, set()),
    # a window that ends with a month takes in its last day
    ("what's due before end of march", {"P4.4", "P1.5"}, set()),
    ("anything due before the end of March?", {"P4.4", "P1.5"}, set()),
    ("due by end of march", {"P4.4", "P1.5"}, set()),
    # quarters with filler words
    ("q4 deadlines", {"P1.4", "P4.4"}, set()),
    ("Q4 deadlines pls", {"P1.4", "P4.4"}, set()),
    # Slack formatting, emoji and a quote of someone else's message
    ("*what's overdue for Head of MASH* :eyes:", {"P7.5"}, set()),
    ("_overdue_ for head of mash 🙏", {"P7.5"}, set()),
    ("anything 🔴 in P7?", {"P7.5"}, set()),
    ("anything :red_circle: in P7", {"P7.5"}, set()),
    ("&gt; what's open in P2\nwhat's overdue in P7", {"P7.5"}, {"P2.1"}),
]


@pytest.mark.parametrize(("question", "present", "absent"), CASES)
def test_questions_as_typed_find_their_items(
    session: Session, question: str, present: set[str], absent: set[str]
) -> None:
    result = ask(session, question)
    found = refs(result)
    assert present <= found, (question, result.understood, result.message)
    assert not (absent & found)
    assert "eyes" not in (result.message or "") and "pray" not in (result.message or "")


@pytest.mark.parametrize(
    "question",
    [
        "which Ofsted actions are still not done",
        "anything outstanding in the ofsted plan?",
        "ofsted actions not yet complete",
    ],
)
def test_none_is_an_answer_when_everything_asked_about_is_done(
    session: Session, question: str
) -> None:
    result = ask(session, question)
    assert result.items == ()
    assert result.message == "None: all 32 of the items it names are done."
