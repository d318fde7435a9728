"""Follow-up questions read with the same person's last question in the same conversation, as
Heads of Service type them after a first question. York on Wednesday 15 February 2023.

Each row is a conversation of two lines: the follow-up must be read as the whole question it
stands for (the first line of the answer says which), list the references York's plans give for
that whole question, and list exactly what that whole question, asked on its own, lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import select

from commands.caller import TERMINAL, Caller
from commands.clock import Clock
from commands.questions.answer_result import AnswerResult
from commands.questions.last_question import FOLLOWED, NOTHING_TO_FOLLOW
from commands.request import Request
from commands.router import Result, handle
from store.db import session_scope
from store.models import LastQuestion

CLOCK = Clock.fixed_at(date(2023, 2, 15))
ALICE = Caller(user_id="UALICE001", channel_id="DALICE001")


def ask(engine: Engine, text: str, caller: Caller = ALICE) -> Result:
    with session_scope(engine) as session:
        return handle(session, Request(text, caller, CLOCK))


def answered(engine: Engine, text: str, caller: Caller = ALICE) -> AnswerResult:
    result = ask(engine, text, caller)
    assert isinstance(result, AnswerResult), result
    return result


def refs(result: AnswerResult) -> list[str]:
    return [item.reference for item in result.items]


@dataclass(frozen=True)
class Turn:
    previous: str
    follow_up: str
    whole: str  # the whole question the follow-up stands for, as a person would ask it alone
    reading: str  # the first line: how the follow-up was read
    present: frozenset[str]
    absent: frozenset[str] = frozenset()


def turn(
    previous: str, follow_up: str, whole: str, reading: str, present: str, absent: str = ""
) -> Turn:
    return Turn(
        previous, follow_up, whole, reading, frozenset(present.split()), frozenset(absent.split())
    )


TURNS = [
    # another item, area or plan in place of the one asked about
    turn("what's overdue in P5?", "and for P7?", "overdue in P7",
         "overdue items under P7 (Practice)", "P7.5 P7.4", "P5.4 P5.8"),
    turn("whats late in P7", "n P1?", "overdue in P1",
         "overdue items under P1 (Workforce)", "P1.4", "P7.5"),
    turn("what's not started in P5?", "how about P6", "not started in P6",
         "not started items under P6 (Care Leavers)", "P6.1 P6.2 P6.3", "P5.4"),
    turn("what's open under OA4?", "and OA5?", "what's open under OA5",
         "open items under OA5 (Responses to children aged 16 and 17 who present as homeless) "
         "with the actions elsewhere marked (OA5)", "P4.4", "P7.5"),
    turn("what's done in P7?", "and the Ofsted plan?", "done items in the Ofsted plan",
         "done items in the Ofsted Action Plan", "OA1.1 OA4.1", "P7.1"),
    turn("what's blocked?", "and in P9?", "blocked in P9",
         "blocked items under P9 (Leadership and Partnerships)", "", "P9.1"),
    # another owner in place of the items or owner asked about
    turn("what's overdue in P5?", "same for the Head of MASH", "overdue for Head of MASH",
         "overdue items owned by Head of MASH", "P4.4 P7.5", "P5.4"),
    turn("what's overdue for Head of MASH?", "what about the Head of Corporate Parenting",
         "overdue for Head of Corporate Parenting",
         "overdue items owned by Head of Corporate Parenting", "P5.4 P6.2", "P7.5 P4.4"),
    turn("anything overdue for Head of QA", "hbu Head of Virtual School",
         "overdue for Head of Virtual School", "overdue items owned by Head of Virtual School",
         "", "P1.4 P7.4"),
    # a topic in place of the items
    turn("what's overdue in P7?", "what about missing from home", "overdue about missing from home",
         "overdue items about “missing home”", "P7.5", "P7.4"),
    # narrowing: a status, a colour or an owner within what was asked
    turn("what's open in P7?", "just the overdue ones", "overdue in P7",
         "overdue items under P7 (Practice)", "P7.5 P7.4", "P7.1 P7.8"),
    turn("anything in P7 not done", "only the red ones", "red items in P7",
         "open items under P7 (Practice) coloured red", "P7.5 P7.4", "P7.1 P7.8"),
    turn("what's overdue in P5?", "only amber ones pls", "amber in P5",
         "open items under P5 (Children and Young People in Care) coloured amber", "P5.4 P5.8",
         "P5.3 P5.7"),
    turn("red items in P9", "and amber?", "amber items in P9",
         "open items under P9 (Leadership and Partnerships) coloured amber", "", "P9.1"),
    turn("what's overdue in P7?", "which of those are blocked", "blocked in P7",
         "blocked items under P7 (Practice)", "", "P7.5 P7.4"),
    turn("open items in P7", "only the ones for Head of MASH", "open in P7 for Head of MASH",
         "open items under P7 (Practice) owned by Head of MASH", "P7.5 P7.8", "P7.4 P4.4"),
    # a due window in place of none, or within what was asked
    turn("what's open in P4?", "what about next month", "open in P4 due in March",
         "open items under P4 (Front Door) due in March 2023", "P4.4", "P4.1"),
    turn("what's due in March?", "and in P4?", "due in March in P4",
         "open items under P4 (Front Door) due in March 2023", "P4.4", "P1.5"),
    turn("what's overdue in P5?", "what about q4", "overdue in P5 due in Q4",
         "overdue items under P5 (Children and Young People in Care) due in Q4 2022/23", "P5.7",
         "P5.8 P5.3"),
    # steps rather than actions, and a count of the same
    turn("what's overdue in P5?", "and steps?", "overdue steps in P5",
         "Steps under P5, overdue: 6", "P5.4.1 P5.4.2 P5.8.1", "P5.4 P5.8"),
    turn("show me steps under P6.2", "just the late ones", "overdue steps in P6.2",
         "Steps under P6.2, overdue: 2", "P6.2.1 P6.2.2", "P6.2.3"),
    turn("steps not started in P5", "and P6?", "steps not started in P6",
         "Steps under P6, not started: 7", "P6.2.1 P6.1.1", "P5.4.1"),
    turn("overdue in P7", "how many is that", "how many overdue in P7",
         "Items under P7, overdue: 9 (2 actions, 7 steps)", "P7.5 P7.4"),
    # the count carries its level: P5's 13 actions are none of them overdue (six steps are)
    turn("how many actions are overdue in P7", "and P5?", "how many actions are overdue in P5",
         "Actions under P5, overdue: 0", "", "P7.5 P5.4 P5.8"),
    # a negated filter carries over, and a follow-up may add one
    turn("which actions aren't led by the Head of MASH", "and just the overdue ones",
         "overdue items not owned by the Head of MASH",
         "overdue items not owned by Head of MASH", "P7.4", "P7.5"),
    turn("which actions aren't led by the Head of MASH", "what about P4?",
         "open items under P4 not owned by the Head of MASH",
         "open items under P4 (Front Door) not owned by Head of MASH", "",
         "P4.1 P4.2 P4.3 P4.4 P4.5"),
    turn("overdue under P7", "and not the Head of MASH's?",
         "overdue under P7 not owned by the Head of MASH",
         "overdue items under P7 (Practice) not owned by Head of MASH", "P7.4", "P7.5"),
    # a question that stands on its own is not a follow-up, whatever came before
    turn("what's overdue in P5?", "what's open under OA4?", "what's open under OA4?",
         "open items under OA4 (The analysis of return home interviews) with the actions "
         "elsewhere marked (OA4)", "P7.5", "P5.4"),
    turn("what's overdue in P5?", "and what's red under P9?", "red items under P9",
         "open items under P9 (Leadership and Partnerships) coloured red", "P9.1", "P5.4"),
]  # fmt: skip
STANDS_ALONE = {"what's open under OA4?", "and what's red under P9?"}


# The reading: once (SQLite); the memory's SQL runs on both engines in the tests below.
@pytest.mark.engine_independent
@pytest.mark.parametrize("row", TURNS, ids=[f"{t.previous} / {t.follow_up}" for t in TURNS])
def test_a_follow_up_is_read_with_the_last_question(york_engine: Engine, row: Turn) -> None:
    ask(york_engine, row.previous)
    result = answered(york_engine, row.follow_up)
    found = refs(result)
    assert result.understood == row.reading
    assert row.present <= set(found), found
    assert not row.absent & set(found), found
    said = result.message or ""
    assert said.startswith(FOLLOWED) is (row.follow_up not in STANDS_ALONE), said
    alone = answered(york_engine, row.whole, replace_conversation(ALICE, "DWHOLE0001"))
    assert found == refs(alone)
    assert result.not_shown == alone.not_shown
    if "how many" in row.whole:  # the count carried over, stated first
        number = row.reading.split(": ")[1].split(" ")[0]
        assert f"{number} items, listed below." in said or (number == "0" and "None —" in said)


def replace_conversation(caller: Caller, channel: str) -> Caller:
    return Caller(user_id=caller.user_id, channel_id=channel, thread_ts=caller.thread_ts)


def test_the_table_covers_every_kind_of_follow_up() -> None:
    assert len(TURNS) >= 20
    assert len({t.previous for t in TURNS}) >= 15


def test_follow_ups_chain_each_on_the_last_reading(york_engine: Engine) -> None:
    ask(york_engine, "what's overdue in P5?")
    assert answered(york_engine, "and for P7?").understood == "overdue items under P7 (Practice)"
    red = answered(york_engine, "just the red ones")
    assert red.understood == "overdue items under P7 (Practice) coloured red"
    counted = answered(york_engine, "how many is that")
    assert counted.understood == "Items under P7, overdue, coloured red: 9 (2 actions, 7 steps)"
    assert refs(red) == ["P7.5", "P7.4"]
    assert {"P7.5", "P7.4"} <= set(refs(counted)) and len(refs(counted)) == 9  # with 7 steps
    assert "9 items, listed below." in (counted.message or "")
    mash = answered(york_engine, "same for the Head of MASH")
    assert mash.understood == (
        "Items owned by Head of MASH, overdue, coloured red: 6 (1 action, 5 steps)"
    )
    assert "6 items, listed below." in (mash.message or "")  # still a count
    listed = answered(york_engine, "list them")
    assert "listed below" not in (listed.message or "") and refs(listed) == ["P4.4", "P7.5"]


def test_steps_with_more_than_steps_can_say_are_shown_under_their_items(
    york_engine: Engine,
) -> None:
    """Steps are listed on their own by one item and a status only: a follow-up that adds a
    colour says so and shows the items with their steps, never steps that ignore the colour."""
    ask(york_engine, "red items in P7")
    result = answered(york_engine, "and steps?")
    assert result.understood == "open items under P7 (Practice) coloured red"
    assert "Steps are listed on their own only by one item and a status" in (result.message or "")
    assert refs(result) == ["P7.5", "P7.4"]


def test_a_follow_up_with_nothing_before_says_so_and_answers_what_it_can(
    york_engine: Engine,
) -> None:
    result = answered(york_engine, "and for P7?")
    assert (result.message or "").startswith(NOTHING_TO_FOLLOW)
    assert result.understood == "open items under P7 (Practice)"
    assert "P7.5" in refs(result)
    lone = answered(york_engine, "how many is that", replace_conversation(ALICE, "DOTHER001"))
    assert (lone.message or "").startswith(NOTHING_TO_FOLLOW) and not lone.items
    assert "ask the whole question" in (lone.message or "")


def test_a_single_ask_has_no_conversation_to_follow(york_engine: Engine) -> None:
    ask(york_engine, "what's overdue in P5?", TERMINAL)
    result = answered(york_engine, "and for P7?", TERMINAL)
    assert (result.message or "").startswith(NOTHING_TO_FOLLOW)
    assert result.understood == "open items under P7 (Practice)"


def test_two_people_in_one_thread_do_not_share_a_memory(york_engine: Engine) -> None:
    alice = Caller(user_id="UALICE001", channel_id="CPLAN0001", thread_ts="1700000000.000100")
    bob = Caller(user_id="UBOB00001", channel_id="CPLAN0001", thread_ts="1700000000.000100")
    ask(york_engine, "what's overdue for Head of MASH?", alice)
    ask(york_engine, "what's not started in P5?", bob)
    assert answered(york_engine, "and P7?", alice).understood == "overdue items under P7 (Practice)"
    assert answered(york_engine, "and P7?", bob).understood == (
        "not started items under P7 (Practice)"
    )
    carol = Caller(user_id="UCAROL001", channel_id="CPLAN0001", thread_ts="1700000000.000100")
    assert (answered(york_engine, "and P7?", carol).message or "").startswith(NOTHING_TO_FOLLOW)


def test_another_thread_does_not_use_this_threads_question(york_engine: Engine) -> None:
    here = Caller(user_id="UALICE001", channel_id="CPLAN0001", thread_ts="1700000000.000100")
    there = Caller(user_id="UALICE001", channel_id="CPLAN0001", thread_ts="1700000000.000200")
    in_channel = Caller(user_id="UALICE001", channel_id="CPLAN0001")
    ask(york_engine, "what's overdue in P5?", here)
    for elsewhere in (there, in_channel):
        result = answered(york_engine, "and for P7?", elsewhere)
        assert (result.message or "").startswith(NOTHING_TO_FOLLOW)
        assert result.understood == "open items under P7 (Practice)"
    again = answered(york_engine, "and for P7?", here)
    assert again.understood == "overdue items under P7 (Practice)"


def test_a_console_session_is_a_conversation_of_its_own(york_engine: Engine) -> None:
    first = Caller(is_admin=True, is_terminal=True, conversation="session-1")
    second = Caller(is_admin=True, is_terminal=True, conversation="session-2")
    ask(york_engine, "what's overdue in P5?", first)
    assert answered(york_engine, "and for P7?", first).understood == (
        "overdue items under P7 (Practice)"
    )
    assert (answered(york_engine, "and for P7?", second).message or "").startswith(
        NOTHING_TO_FOLLOW
    )


def test_only_the_last_question_is_kept_and_only_for_an_hour(york_engine: Engine) -> None:
    for text in ("what's overdue in P5?", "and for P7?", "just the red ones"):
        ask(york_engine, text)
    with session_scope(york_engine) as session:
        kept = session.exec(select(LastQuestion)).all()
        assert [(row.person, row.conversation, row.text) for row in kept] == [
            ("UALICE001", "DALICE001", "overdue red items under P7")
        ]
        an_hour_ago = CLOCK.real_utcnow() - timedelta(hours=1, minutes=1)
        session.execute(update(LastQuestion).values(asked_at=an_hour_ago))
    result = answered(york_engine, "and for P5?")
    assert (result.message or "").startswith(NOTHING_TO_FOLLOW)
    ask(york_engine, "what's open in P6?", replace_conversation(ALICE, "DOTHER001"))
    with session_scope(york_engine) as session:  # the old question went when a new one came
        kept = session.exec(select(LastQuestion)).all()
        assert sorted(row.text for row in kept) == ["and for P5?", "what's open in P6?"]


def test_a_question_not_about_the_plans_items_leaves_nothing_to_follow(
    york_engine: Engine,
) -> None:
    ask(york_engine, "what's overdue in P5?")
    ask(york_engine, "who is Head of MASH?")
    result = answered(york_engine, "and for P7?")
    assert (result.message or "").startswith(NOTHING_TO_FOLLOW)


def test_a_childs_details_are_never_kept(york_engine: Engine) -> None:
    ask(york_engine, "what's overdue in P5 for the boy at YO24 1AB?")
    with session_scope(york_engine) as session:
        [kept] = session.exec(select(LastQuestion)).all()
    assert "YO24" not in kept.text and "1AB" not in kept.text
