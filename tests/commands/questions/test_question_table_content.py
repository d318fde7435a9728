"""Questions about what York's plans say beyond their titles, as council staff type them, on
Wednesday 15 February 2023: success measures and expected outcomes, links between the plans,
steps against actions, counts, and yes/no about one item.

Every expected reference and number below was read from the plans (store/plans/*.yaml, the
seeded store), not from what planbot prints. The facts they rest on:
- All 32 Ofsted actions (OA1.1–OA7.5) are done, the last recorded on 1 December 2022; the
  Ambition Plan has 52 actions (P1 5, P2 5, P3 3, P4 5, P5 13, P6 3, P7 10, P8 2, P9 6), none
  done; P4.3, P5.6, P7.2 and P7.3 are in progress, the rest not started.
- Ambition actions citing an Ofsted area: P2.1, P2.2 (OA7), P4.4 (OA5), P5.2 (OA6), P7.2 (OA2),
  P7.3 (OA1, OA2, OA3), P7.4 (OA3), P7.5 (OA4); no P9 action cites one; every OA area is cited.
- Red on 15 Feb 2023: 7 actions (P1.4, P6.3, P7.4, P7.5, P8.1, P9.1, P9.3) and 23 steps, all
  overdue; Amber: P5.4, P5.8 and their steps P5.4.3, P5.8.2 (due 28 Feb 2023).
- Success measures: "sickness absence" under P1.1 and P1.3; "staff turnover" under P1.1–P1.4;
  "DQIP" under P1.3, P7.3 and P7.5; "placement stability" under P5.2; OA1's third expected
  outcome has families "involved in decision making"; OA4's outcomes and P7.5's measures speak of
  children who go missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.render import render
from commands.caller import Caller
from commands.clock import Clock
from commands.measures.questions import MeasureAnswer
from commands.questions.answer_result import AnswerResult
from commands.questions.ask import QuestionOutcome, ask_command
from commands.questions.grouped import GroupedCount
from commands.request import Request
from store.db import make_engine
from store.models import Action

CLOCK = Clock.fixed_at(date(2023, 2, 15))
OFSTED_ACTIONS = {
    f"OA{area}.{n}"
    for area, count in ((1, 6), (2, 6), (3, 4), (4, 4), (5, 4), (6, 3), (7, 5))
    for n in range(1, count + 1)
}
FOLLOWERS = {"P2.1", "P2.2", "P4.4", "P5.2", "P7.2", "P7.3", "P7.4", "P7.5"}
RED_ACTIONS = {"P1.4", "P6.3", "P7.4", "P7.5", "P8.1", "P9.1", "P9.3"}


@dataclass(frozen=True)
class Row:
    question: str
    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    count: int | None = None  # the number the answer states, where it states one
    first: tuple[str, ...] = ()  # words the first line (the reading) must hold
    verdict: str | None = None  # "yes" or "no" for a yes/no question
    none: bool = False  # the answer is "None — …", said as an answer


def row(
    question: str,
    present: set[str] | frozenset[str] = frozenset(),
    absent: set[str] | frozenset[str] = frozenset(),
    count: int | None = None,
    first: tuple[str, ...] = (),
    *,
    verdict: str | None = None,
    none: bool = False,
) -> Row:
    return Row(question, frozenset(present), frozenset(absent), count, first, verdict, none)


MEASURES = [
    row("which actions are measured by sickness absence", {"P1.1", "P1.3"},
        {"P1.2", "P1.4", "P1.5"}, 2, ("sickness absence", "success measures")),
    row("what actions have staff turnover as a success measure",
        {"P1.1", "P1.2", "P1.3", "P1.4"}, {"P1.5", "P2.1"}, 4, ("staff turnover",)),
    row("where do we measure timeliness of assessments", {"P7.6"}, {"P1.1", "OA2"}, None,
        ("timeliness",)),
    row("which Ofsted area expects families to be involved in decisions", {"OA1"},
        {"OA7", "OA2", "P2.1"}, 1, ("areas", "families", "outcomes")),
    row("which priorities have an outcome about placement stability", {"P5.2"},
        {"P5.1", "P5.3"}, 1, ("placement stability", "P5")),
    row("which actions are measured through DQIP", {"P1.3", "P7.3", "P7.5"},
        {"P8.1", "P7.8"}, 3, ("dqip",)),
    row("success measures mentioning agency", {"P1.2"}, {"P9.5", "P1.1"}, 1, ("agency",)),
    row("what outcomes does OA4 expect", {"OA4"}, {"OA5", "OA4.1"}, 1, ("OA4", "outcomes")),
    row("how will we know the fostering service is improving", {"P5.3"}, {"OA3", "P5.2"}, 1,
        ("fostering",)),
    row("expected outcomes about children going missing", {"OA4", "P7.5"}, {"OA5", "P7.4"}, 2,
        ("missing",)),
    row("which measures talk about school attendance", {"P7.10"}, {"P5.11"}, 1,
        ("school attendance",)),
    row("which actions are measured by feedback from partners", {"P3.1", "P4.1"},
        {"P2.1", "P3.3"}, 2, ("feedback", "partners")),
    row("which actions are judged by UMatter feedback", {"P5.3", "P5.7", "P5.8"}, {"P6.2"}, 3,
        ("umatter",)),
    row("*which actions are measured by sickness absence?* :thinking_face:", {"P1.1", "P1.3"},
        {"P1.2"}, 2, ("sickness absence",)),
    row("wich actions r measured by sickness absense", {"P1.1", "P1.3"}, {"P1.2"}, 2,
        ("sickness",)),
    row("whats the sucess measure for staff turnover", {"P1.1", "P1.2", "P1.3", "P1.4"},
        {"P1.5"}, 4, ("staff turnover",)),
    # a topic in no title or step, found in the measures instead (and said so)
    row("where are we on sickness absence", {"P1.1", "P1.3"}, {"P1.2"}, 2,
        ("sickness absence", "no title")),
    row("anything on placement stability?", {"P5.2"}, {"P5.1"}, 1, ("placement stability",)),
    row("any measures on care leavers in employment", {"P6.1"}, {"P6.2", "P6.3"}, 1,
        ("employment", "P6")),
    row("where's the KPI for complaints timeliness", {"P2.5"}, {"P4.1", "P4.3"}, 1,
        ("complaints",)),
    row("which areas expect a reduction in repeat missing episodes", {"OA4"}, {"P7.5", "OA5"},
        1, ("areas", "repeat missing")),
]  # fmt: skip

LINKS = [
    row("what did the Ambition plan pick up from OA2", {"P7.2", "P7.3"},
        {"OA2.1", "P7.4", "P7.5"}, 2, ("follow up OA2",)),
    row("which P9 actions trace back to Ofsted", set(), {"P9.1", "P9.3", "P7.5"}, 0,
        ("P9", "Ofsted"), none=True),
    row("which Ofsted areas have no follow-up in the Ambition plan", set(),
        {"OA1", "OA4", "P7.5"}, 0, ("areas",), none=True),
    row("what follows up OA4", {"P7.5"}, {"OA4.1", "P7.4"}, 1, ("OA4",)),
    row("is OA3 picked up anywhere", {"P7.3", "P7.4"}, {"P7.5", "OA3.1"}, 2, ("OA3",),
        verdict="yes"),
    row("which Ofsted action does P7.5 come from", {"OA4"}, {"OA5", "OA3", "P7.5"}, 1,
        ("P7.5",)),
    row("which ambition actions follow up ofsted", FOLLOWERS, {"P1.1", "P9.1", "OA1.1"}, 8,
        ("follow up",)),
    row("which P7 actions are linked to Ofsted", {"P7.2", "P7.3", "P7.4", "P7.5"},
        {"P7.1", "P7.6", "P2.1"}, 4, ("P7",)),
    row("has OA6 been followed up", {"P5.2"}, {"P5.1"}, 1, ("OA6",), verdict="yes"),
    row("what came from OA7", {"P2.1", "P2.2"}, {"P2.3", "OA7.1"}, 2, ("OA7",)),
    row("which overdue actions follow up Ofsted", {"P7.4", "P7.5"}, {"P4.4", "P7.3", "P2.1"}, 2,
        ("overdue",)),
    row("what does P4.4 follow up", {"OA5"}, {"OA4", "P4.4"}, 1, ("P4.4",)),
    row("OA5 follow-ups", {"P4.4"}, {"OA5.1"}, 1, ("OA5",)),
    row("which ambition actions don't come from Ofsted", {"P1.1", "P9.6", "P5.13"},
        FOLLOWERS, 44, ("no Ofsted",)),
    row("which Ofsted areas are followed up in the Ambition plan",
        {"OA1", "OA2", "OA3", "OA4", "OA5", "OA6", "OA7"}, {"P7.5"}, 7, ("areas",)),
    row("is OA5 followed up anywhere?", {"P4.4"}, {"P7.5"}, 1, ("OA5",), verdict="yes"),
    row("which ambition priorities respond to the ofsted recommendations", FOLLOWERS,
        {"P1.1", "OA1"}, 4, ("P2", "P4", "P5", "P7")),
    row("what in the ambition plan relates to OA6", {"P5.2"}, {"OA6.1", "P5.1"}, 1, ("OA6",)),
    row("has every Ofsted area got a follow up action",
        {"OA1", "OA2", "OA3", "OA4", "OA5", "OA6", "OA7"}, {"P7.5"}, 7, ("Ofsted areas",),
        verdict="yes"),
    row("which ambition actions came out of the ofsted inspection", FOLLOWERS, {"P1.1"}, 8,
        ("follow up",)),
    row("what's the ofsted link for P2.2", {"OA7"}, {"OA6", "P2.2"}, 1, ("P2.2",)),
    row("which actions follow up OA2 and are overdue", set(), {"P7.2", "P7.3"}, 0,
        ("OA2", "overdue"), none=True),
    row("which Ofsted areas does P7.3 follow up", {"OA1", "OA2", "OA3"}, {"OA4", "P7.3"}, 3,
        ("P7.3",)),
]  # fmt: skip

STEPS = [
    row("which of P6.2's steps are late", {"P6.2.1", "P6.2.2"}, {"P6.2.3", "P6.2"}, 2,
        ("P6.2", "overdue")),
    row("the second step of P9.1", {"P9.1.2"}, {"P9.1.1", "P9.1"}, None, ("P9.1.2",)),
    row("last step of P7.5", {"P7.5.5"}, {"P7.5.4", "P7.5"}, None, ("P7.5.5",)),
    row("third step of P5.4", {"P5.4.3"}, {"P5.4.1", "P5.4.2"}, None, ("P5.4.3",)),
    row("steps not started yet under P6", {"P6.1.1", "P6.2.3", "P6.3.1"}, {"P6.1", "P6.2"}, 7,
        ("not started",)),
    row("P7.5 steps with no date", {"P7.5.4"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.5"}, 1,
        ("no due date",)),
    row("how many steps has P6", {"P6.1.1", "P6.3.1"}, {"P6.1", "P5.1.1"}, 7, ("P6",)),
    row("number of steps still open under P3", {"P3.1.1", "P3.3.5"}, {"P3.1", "P4.1.1"}, 10,
        ("P3",)),
    row("which steps under P5.7 are overdue", {"P5.7.1", "P5.7.2"}, {"P5.7.3", "P5.7"}, 2,
        ("P5.7",)),
    row("steps with no date", {"P7.5.4", "P9.6.1"}, {"P7.5.1", "P7.3.1"}, 82,
        ("no due date",)),
    row("steps not started yet", {"P4.4.1", "P9.6.1"}, {"P4.3.1", "P7.3.1", "P4.4"}, 114,
        ("not started",)),
    row("which steps are done", {"P7.3.1"}, {"P7.3", "P7.3.2", "OA1.1"}, 1, ("done",)),
    row("which actions have no steps", {"OA1.1", "OA7.5", "OA6.1"}, {"P1.1", "P9.6"}, 32,
        ("no steps",)),
    row("which P1 actions have no steps", set(), {"P1.1", "OA1.1"}, 0, ("no steps", "P1"),
        none=True),
    row("overdue in P7, actions only", {"P7.4", "P7.5"}, {"P7.5.1", "P7.4.1", "P7.3"}, 2,
        ("actions", "overdue")),
    row("what's open in P6 - just the actions", {"P6.1", "P6.2", "P6.3"},
        {"P6.1.1", "P6.2.1", "P5.1"}, 3, ("actions",)),
]  # fmt: skip

COUNTS = [
    row("how many actions are complete", OFSTED_ACTIONS, {"P7.3", "P7.3.1"}, 32, ("done",)),
    row("how mny actions r done", OFSTED_ACTIONS, {"P7.3"}, 32, ("done",)),
    row("hw many overdue in p5 pls", {"P5.4.1", "P5.8.1"}, {"P5.4", "P6.2.1"}, 6,
        ("P5", "overdue")),
    row("how many overdue in P5",
        {"P5.3.1", "P5.4.1", "P5.4.2", "P5.7.1", "P5.7.2", "P5.8.1"}, {"P5.4", "P5.8"}, 6,
        ("P5", "overdue")),
    row("how many Ofsted actions are done", OFSTED_ACTIONS, {"P7.3"}, 32, ("Ofsted", "done")),
    row("how many ofsted actions are still open", set(), {"OA1.1", "P7.5"}, 0, ("open",),
        none=True),
    row("how many Ofsted actions are overdue", set(), {"OA1.1"}, 0, ("overdue",), none=True),
    row("how many actions in P5", {"P5.1", "P5.13"}, {"P5.1.1", "P6.1"}, 13, ("P5",)),
    row("how many red actions", RED_ACTIONS, {"P1.4.1", "P5.4"}, 7, ("red",)),
    row("how many amber items", {"P5.4", "P5.8", "P5.4.3", "P5.8.2"}, {"P7.5"}, 4,
        ("amber",)),
    row("how many actions does Head of MASH own", {"OA1.1", "P7.5", "P7.8", "P4.5"},
        {"P7.4", "P4.4.1"}, 16, ("Head of MASH",)),
    row("total number of actions in the ambition plan", {"P1.1", "P9.6"}, {"OA1.1", "P1.1.1"},
        52, ("Ambition Plan",)),
    row("how many things are overdue", RED_ACTIONS | {"P4.4.1", "P6.2.1"}, {"P5.4", "P6.2"},
        30, ("overdue",)),
    row("how many P7 actions are red", {"P7.4", "P7.5"}, {"P7.5.1", "P1.4"}, 2, ("red",)),
    row("how many actions are not started in P4", {"P4.1", "P4.2", "P4.4", "P4.5"},
        {"P4.3", "P4.1.1"}, 4, ("not started",)),
    row("how many actions are in progress", {"P4.3", "P5.6", "P7.2", "P7.3"},
        {"P4.3.1", "P7.1"}, 4, ("in progress",)),
    row("*how many* actions are complete? :thinking_face:", OFSTED_ACTIONS, {"P7.3"}, 32,
        ("done",)),
    row("how many P5 actions have no due date",
        {"P5.1", "P5.2", "P5.5", "P5.9", "P5.10", "P5.11", "P5.12", "P5.13"},
        {"P5.3", "P5.4", "P5.6", "P5.7", "P5.8"}, 8, ("P5", "no due date")),
    row("how many actions have been completed so far", OFSTED_ACTIONS, {"P7.3"}, 32,
        ("done",)),
    row("how many steps are overdue", {"P4.4.1", "P9.1.2", "P6.3.1"}, RED_ACTIONS, 23,
        ("steps", "overdue")),
    row("count of red items by area", RED_ACTIONS | {"P4.4.1", "P9.1.2"}, {"P5.4"}, 30,
        ("red", "by area")),
    row("how many overdue for each area", RED_ACTIONS | {"P5.4.1"}, {"P5.4", "P5.8"}, 30,
        ("overdue", "by area")),
    row("number of red actions in P9", {"P9.1", "P9.3"}, {"P9.2", "P9.1.1"}, 2, ("P9", "red")),
    row("how many things are blocked", set(), {"P7.5"}, 0, ("blocked",), none=True),
    row("which heads of service have the most overdue", {"P7.5", "P6.2.1"}, set(), None,
        ("overdue", "Head of Service")),
]  # fmt: skip

YES_NO = [
    row("is P7.5 done?", {"P7.5"}, {"P7.4"}, None, ("P7.5", "done"), verdict="no"),
    row("has OA1.2 been completed", {"OA1.2"}, set(), None, ("OA1.2",), verdict="yes"),
    row("is P4.2 on track", {"P4.2"}, set(), None, ("P4.2", "on track"), verdict="yes"),
    row("is P7.4 late", {"P7.4"}, set(), None, ("P7.4", "overdue"), verdict="yes"),
    row("has P4.3 started", {"P4.3"}, set(), None, ("P4.3",), verdict="yes"),
    row("is P9.1 finished yet", {"P9.1"}, {"P9.2"}, None, ("P9.1",), verdict="no"),
    row("is OA3 done", {"OA3"}, set(), None, ("OA3", "done"), verdict="yes"),
    row("is P5.4 amber", {"P5.4"}, set(), None, ("P5.4", "amber"), verdict="yes"),
    row("is P6.2.3 overdue", {"P6.2.3"}, {"P6.2.1"}, None, ("P6.2.3",), verdict="no"),
    row("has P7.5 been started?", {"P7.5"}, set(), None, ("P7.5",), verdict="no"),
    row("is P7 done?", {"P7"}, set(), None, ("P7",), verdict="no"),
    row("Is P1.5 due before end of March", {"P1.5"}, set(), None, ("P1.5",), verdict="yes"),
    row("P7.5 done?", {"P7.5"}, set(), None, ("P7.5", "done"), verdict="no"),
    row("are P7.4 and P7.5 done?", {"P7.4", "P7.5"}, {"P7.3"}, None, ("P7.4", "P7.5"),
        verdict="no"),
    row("is P8.2 on track?", {"P8.2"}, set(), None, ("on track",), verdict="yes"),
    row("are any P7 actions overdue", {"P7.4", "P7.5"}, {"P7.3", "P7.1"}, None,
        ("any P7", "overdue"), verdict="yes"),
    row("are any P3 actions red", {"P3"}, {"P3.1"}, None, ("P3", "red"), verdict="no"),
]  # fmt: skip

TABLE = MEASURES + LINKS + STEPS + COUNTS + YES_NO


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def ask(session: Session, text: str) -> QuestionOutcome:
    return ask_command(session, Request(text, Caller("UNOBODY01"), CLOCK), text)


def first_line(result: QuestionOutcome) -> str:
    if isinstance(result, AnswerResult):
        return result.understood
    if isinstance(result, GroupedCount):
        return result.reading
    if isinstance(result, MeasureAnswer):
        return result.title
    raise AssertionError(f"a different kind of answer: {type(result).__name__}")


def references(result: QuestionOutcome) -> set[str]:
    if isinstance(result, AnswerResult):
        return {item.reference for item in result.flat_items()}
    if isinstance(result, GroupedCount):
        return set(result.counted)
    return set()


def test_the_table_is_large_and_covers_every_kind() -> None:
    assert len(TABLE) >= 60
    for kind in (MEASURES, LINKS, STEPS, COUNTS, YES_NO):
        assert len(kind) >= 8


@pytest.mark.parametrize("case", TABLE, ids=[case.question for case in TABLE])
def test_content_questions_as_typed(session: Session, case: Row) -> None:
    result = ask(session, case.question)
    line = first_line(result)
    assert line, case.question
    for word in case.first:
        assert word.lower() in line.lower(), (case.question, line)
    found = references(result)
    assert case.present <= found, (case.question, line, sorted(found))
    assert not (case.absent & found), (case.question, line, sorted(case.absent & found))
    data = result.as_json()
    if case.count is not None:
        assert data["count"] == case.count, (case.question, line)
        # the number is on the reading's line (a grouped count says it on the next: "30 in all.")
        if not isinstance(result, GroupedCount):
            assert re.search(rf"(?<![\d.]){case.count}(?![\d.])", line), (case.question, line)
    if case.verdict is not None:
        assert isinstance(result, AnswerResult)
        assert result.verdict == case.verdict
        said = "yes" if case.verdict == "yes" else "no"
        assert re.search(rf"\b{said}\b", line, re.I), line  # the answer is on the first line
    if case.none:
        assert isinstance(result, AnswerResult) and not result.items
        assert (result.message or "").startswith("None"), result.message


COUNT_QUESTIONS = [case for case in TABLE if case.question.lower().startswith(("how many",))]


@pytest.mark.parametrize("case", COUNT_QUESTIONS, ids=[c.question for c in COUNT_QUESTIONS])
def test_a_count_states_its_number_and_carries_what_it_counted(session: Session, case: Row) -> None:
    """Never a weekly summary: the number, then the counted items (in --json too)."""
    result = ask(session, case.question)
    assert isinstance(result, AnswerResult | GroupedCount)
    data = result.as_json()
    assert {"count", "items", "query"} <= set(data)
    if isinstance(result, AnswerResult):  # the items listed (a page) and every one counted
        assert len(data["items"]) + data["not_shown"] == data["count"] == len(data["counted"])
        assert {i["reference"] for i in data["items"]} <= set(data["counted"])
    else:
        assert len(data["items"]) == data["count"]
    if isinstance(result, AnswerResult) and result.items:
        assert (result.message or "").startswith(f"{data['count']} ")


def test_a_grouped_count_carries_its_groups_items_and_query(session: Session) -> None:
    result = ask(session, "count of red items by area")
    assert isinstance(result, GroupedCount)
    data = result.as_json()
    groups = {g["name"]: g["count"] for g in data["groups"]}  # type: ignore[union-attr]
    # P7: P7.4 and its 3 steps, P7.5 and its 4 red steps; P5: six steps
    assert groups["P7"] == 9 and groups["P5"] == 6 and groups["P4"] == 1
    assert data["count"] == 30 and len(data["items"]) == 30  # type: ignore[arg-type]
    assert data["query"]["colour"] == "red"  # type: ignore[index]


def test_none_says_what_the_scope_holds(session: Session) -> None:
    result = ask(session, "how many ofsted actions are still open")
    assert isinstance(result, AnswerResult)
    assert result.message == "None — all 32 actions there are done (the last on 1 Dec 2022)."


def test_a_measures_answer_shows_the_matching_text_under_each_item(session: Session) -> None:
    result = ask(session, "which actions are measured by sickness absence")
    assert isinstance(result, AnswerResult)
    for item in result.items:
        assert item.found_in == ("Improved staff well-being (staff surveys and sickness absence)",)
    outcome = ask(session, "which Ofsted area expects families to be involved in decisions")
    assert isinstance(outcome, AnswerResult)
    (area,) = outcome.items
    assert area.found_in and "involved in decision making" in area.found_in[0]
    assert outcome.as_json()["items"][0]["matched"] == list(area.found_in)  # type: ignore[index]


def test_the_matched_words_and_a_counts_lines_are_what_a_person_reads(session: Session) -> None:
    measured = render(ask(session, "which actions are measured by sickness absence"))
    line = "Success measure: Improved staff well-being (staff surveys and sickness absence)"
    assert measured.whole_text is not None and measured.whole_text.count(line) == 2
    assert "sickness absence" in json.dumps(measured.blocks)
    outcome = render(ask(session, "which Ofsted area expects families to be involved in decisions"))
    assert "Expected outcome: Children young people and families" in (outcome.whole_text or "")
    counted = render(ask(session, "how many overdue in P5"))
    lines = (counted.whole_text or "").splitlines()
    assert lines[0].startswith("Items under P5, overdue: 6")
    assert lines[1] == "6 items, listed below."
    assert [line.split()[0] for line in lines[2:]] == [
        "P5.3.1",
        "P5.4.1",
        "P5.4.2",
        "P5.7.1",
        "P5.7.2",
        "P5.8.1",
    ]  # one line each, so the count can be checked


def test_a_topic_found_nowhere_still_says_nothing_matches(session: Session) -> None:
    result = ask(session, "overdue about autism")
    assert isinstance(result, AnswerResult) and not result.items
    assert result.message == "Nothing in the plans matches “autism”."


def test_a_scorecard_question_stays_the_scorecard(session: Session) -> None:
    """ "What's the success measure for P4.2": the measures themselves, as the scorecard lists
    them (P4.2 has two in the plan)."""
    result = ask(session, "what's the success measure for P4.2")
    assert isinstance(result, MeasureAnswer)
    assert "P4.2" in result.title
    names = {r.name for r in result.rows}
    assert any("MASH scorecard" in name for name in names) and len(names) == 2


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("which measures are improving", "Measures improving"),
        ("which measures are off target", "Measures off target"),
        ("measures getting worse", "Measures worsening"),
        ("which measures have signals", "Measures with a signal"),
        ("success measures for OA4", "Success measures for OA4"),
    ],
)
def test_the_scorecards_own_questions_stay_the_scorecards(
    session: Session, question: str, title: str
) -> None:
    result = ask(session, question)
    assert isinstance(result, MeasureAnswer) and result.title == title


def test_the_link_answer_says_an_area_not_an_action_is_cited(session: Session) -> None:
    result = ask(session, "which Ofsted action does P7.5 come from")
    assert isinstance(result, AnswerResult)
    assert result.message == "The plan cites the area (OA4), not one of its actions."


def test_the_query_is_in_the_json(session: Session) -> None:
    data = ask(session, "how many overdue in P5").as_json()
    query = data["query"]
    assert isinstance(query, dict)
    assert query["references"] == ["P5"] and query["status"] == "overdue"
    assert query["returns"] == "count" and query["level"] == "both"


# --------------------------------------------------------------------------- any text at all

PLAN_WORDS = [
    "overdue", "measured", "outcome", "trace", "back", "to", "Ofsted", "how", "many", "is",
    "done", "steps", "actions", "only", "no", "follow", "up", "P7.5", "OA4", "P9", "OA3.2",
    "P6.2.1", "sickness", "absence", "which", "red", "amber", "has", "been", "completed", "?",
    "count", "of", "by", "area", "picked", "anywhere", "come", "from", "second", "step",
    "success", "measure", "expects", "Head", "MASH", "P99.9", "OA0", "not", "isn't",
]  # fmt: skip
MARKUP = ["*", "_", "~", "`", ":eyes:", "&gt; ", "<https://x.test|link>", "🙏", "🔴", "\n", "<@U1>",
          "<!channel>"]  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.one_of(st.sampled_from(PLAN_WORDS), st.sampled_from(MARKUP), st.text(max_size=12)),
        max_size=14,
    ).map(" ".join)
)
def test_any_question_answers_or_says_what_it_did_not_understand(
    session: Session, text: str
) -> None:
    result = ask(session, text)
    if isinstance(result, AnswerResult):
        said = result.understood or result.message or ""
        assert said.strip(), text
        if result.count is not None:  # a count's first line states the number it counted
            assert str(result.count) in result.understood, (text, result.understood)
        if result.verdict is not None:
            assert result.understood.split("?")[-1].strip().startswith(("Yes", "No")) or (
                result.understood.startswith(("Yes", "No"))
            ), (text, result.understood)
    shown = render(result).text
    assert shown.strip(), text  # whatever it is, it says something
    assert "<@U1>" not in shown and "<!channel>" not in shown  # and pings nobody


@pytest.mark.parametrize(
    "question", ["what was the outcome of P7.5?", "P7.5's outcome", "outcome for P7.5 pls"]
)
def test_a_question_read_two_ways_is_asked_back_not_guessed(
    session: Session, question: str
) -> None:
    result = ask(session, question)
    assert isinstance(result, AnswerResult)
    assert not result.items and result.understood.startswith("“Outcome of P7.5”")
    assert [text for _, text in result.readings] == ["expected outcomes of P7.5", "status of P7.5"]
    for _, text in result.readings:  # each reading answers plainly
        assert "P7.5" in references(ask(session, text)) or isinstance(
            ask(session, text), MeasureAnswer
        )


def test_an_area_nobody_follows_up_is_named(york_url: str) -> None:
    """York's Ambition Plan follows up every Ofsted area; with P4.4's "(OA5)" gone, OA5 is the
    one no action elsewhere follows up, and "has every area got a follow-up" is no."""
    engine = make_engine(york_url)
    with Session(engine) as session:
        action = session.exec(select(Action).where(Action.ref == "P4.4")).one()
        action.oa_refs = []
        session.add(action)
        session.commit()
    with Session(engine) as session:
        missing = ask(session, "which Ofsted areas have no follow-up in the Ambition plan")
        assert isinstance(missing, AnswerResult)
        assert references(missing) == {"OA5"} and missing.count == 1
        every = ask(session, "has every Ofsted area got a follow up action")
        assert isinstance(every, AnswerResult) and every.verdict == "no"
        assert every.understood.startswith("No — ")
        lone = ask(session, "is OA5 picked up anywhere?")
        assert isinstance(lone, AnswerResult) and lone.verdict == "no" and not lone.items
    engine.dispose()
