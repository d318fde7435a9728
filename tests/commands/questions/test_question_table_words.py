"""Questions in people's own words, as a Director of Safeguarding or a Head of Service types them
into /plan on Wednesday 15 February 2023: Slack formatting, phone typing and shorthand, negation,
colours, council calendar windows, and input that is no question at all.

Each row names the references that must be in the answer, those that must not, and words the
first line must hold (how the question was read). The expectations were worked out from York's
plans as they stand that day (store/plans/york-*.yaml and their history): for example the open
actions with an overdue item are P1.4, P4.4, P5.3, P5.4, P5.7, P5.8, P6.2, P6.3, P7.4, P7.5,
P8.1, P9.1 and P9.3; the amber ones P5.4 and P5.8 (due 28 Feb, not started); every Ofsted
action is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from commands.caller import Caller
from commands.clock import Clock
from commands.questions.answer import answer
from commands.questions.answer_result import AnswerResult
from commands.request import Request
from commands.router import handle

TODAY = date(2023, 2, 15)
HEADS_OVERDUE = {"P1.4", "P4.4", "P5.3", "P5.4", "P5.7", "P5.8", "P6.2", "P6.3", "P7.4", "P7.5",
                 "P8.1", "P9.3"}  # fmt: skip
PASTED = " ".join(
    f"Paragraph {n}: the service reviewed supervision, assessments, placements, sufficiency, "
    "workforce turnover, agency spend and the voice of children across every team this year."
    for n in range(210)
)  # about 5,000 words


@dataclass(frozen=True)
class Row:
    question: str
    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    reading: tuple[str, ...] = ()  # words the first line holds (case aside)
    said: str | None = None  # words the message holds (a refusal, or "none")
    count: int | None = None  # answer lines found


def row(
    question: str,
    present: set[str] | None = None,
    absent: set[str] | None = None,
    reading: tuple[str, ...] | str = (),
    said: str | None = None,
    count: int | None = None,
) -> Row:
    wanted = (reading,) if isinstance(reading, str) else reading
    return Row(question, frozenset(present or ()), frozenset(absent or ()), wanted, said, count)


# fmt: off
SLACK = [
    row("_wats_ *overdue* in P7 :thinking_face:", {"P7.4", "P7.5"}, {"P7.1", "P7.3"},
        ("overdue items under p7",)),
    row("*Head of QA* - anything late?", {"P1.4", "P7.4", "P8.1"}, {"P7.5", "P6.3"},
        "overdue items owned by head of qa"),
    row("<https://example.org/plan/P7.5|P7.5> status pls", {"P7.5", "P7.5.3"}, {"P7.4"},
        "p7.5"),
    row("&gt; what's open in P2?\nanything red in P9?", {"P9.1", "P9.3"}, {"P2.1", "P9.2"},
        ("under p9", "coloured red")),
    row("&gt; Can someone look at fostering\n&gt; before Friday\nwhat's overdue for corp "
        "parenting :pray:", {"P6.3", "P5.4"}, {"P7.5", "P1.4"},
        ("overdue items owned by head of corporate parenting",)),
    row("🟢 in p4 🙏", {"P4.1", "P4.2", "P4.3"}, {"P7.5"}, ("under p4", "coloured green")),
    row(":large_blue_circle: in P7", {"P7.3.1"}, {"P7.5", "P7.4.1"}, "coloured blue"),
    row("everything :red_circle: pls", {"P7.5", "P9.1", "P6.3", "P1.4"}, {"P9.4", "P3.1"},
        "coloured red"),
    row("🟠 stuff for corp parenting", {"P5.4", "P5.8"}, {"P6.3", "P5.1"}, "coloured amber"),
    row("<@U0ABC1234> whats overdue for the DCS :eyes:", {"P9.1"}, {"P7.5", "P9.4"},
        "owned by corporate director of children"),
    row("*P6* overdue?", {"P6.2", "P6.3"}, {"P9.1", "P6.1"}, "overdue items under p6"),
    row("*Quick one* - what's slipped for Corp Parenting? :sweat_smile:", {"P6.3", "P5.4"},
        {"P7.5"}, "overdue items owned by head of corporate parenting"),
]

PHONE = [
    row("wats overdue for HoS CSC atm pls", HEADS_OVERDUE, {"P9.1"},
        ("overdue items owned by a head of service",), count=12),
    row("whats late for the heads of service rn", HEADS_OVERDUE, {"P9.1"},
        "owned by a head of service"),
    row("hows P7.5 doing rn", {"P7.5", "P7.5.1"}, {"P7.4"}, "p7.5"),
    row("anythin overdue wiv QA b4 march", {"P1.4", "P7.4", "P8.1"}, {"P7.5", "P6.3"},
        ("overdue items owned by head of qa", "due before march 2023")),
    row("whats late in p9 thx", {"P9.1", "P9.3"}, {"P9.2", "P9.4"}, "overdue items under p9"),
    row("haed of mash late items", {"P7.5", "P4.4"}, {"P6.3", "P1.4"},
        "overdue items owned by head of mash"),
    row("director of safegaurding overdue", {"P1.4", "P9.3"}, {"P7.5", "P9.1"},
        "owned by director of safeguarding"),
    row("anythin open for virtual skool", {"P5.11", "P6.1", "P7.10"}, {"P7.5", "P5.1"},
        "owned by head of virtual school"),
    row("wot has the DoS got on", {"P1.3", "P7.1", "P9.3", "P9.5"}, {"P7.5", "P9.2"},
        "owned by director of safeguarding"),
    row("signs of saftey", {"P7.1", "P7.1.3"}, {"P7.5"}),
    row("any placment stuff", {"P5.2", "P5.5", "P9.5"}, {"OA6.2", "P7.5"}, "about “placment”"),
    row("EH stuff for MASH", {"P3.1", "P3.2", "P3.3"}, {"P4.1", "P7.5"},
        ("under p3", "owned by head of mash")),
    row("IRO stuff pls", {"P7.6"}, {"P7.5"}, "about “iro”"),
    row("DCS overdue", {"P9.1"}, {"P7.5", "P9.3"}, "overdue items"),
    row("hos overdue b4 end of jan", {"P6.3", "P7.4", "P8.1", "P5.4"}, {"P9.1"},
        ("owned by a head of service", "due by the end of january 2023")),
    row("wats due tmrw", set(), {"P5.4", "P7.5"}, "due tomorrow", said="There are no"),
    row("any thing for hed of QA thats late", {"P7.4", "P8.1"}, {"P7.5"},
        "overdue items owned by head of qa"),
    row("can u send me wats overdue 4 corp parenting", {"P6.3", "P5.4"}, {"P7.5"},
        "overdue items owned by head of corporate parenting"),
]

NEGATION = [
    row("which actions aren't led by the Head of MASH", {"P9.1", "P5.4", "P6.3"},
        {"P7.5", "P4.4", "P3.1", "P4.5", "OA1.1"}, "open items not owned by head of mash",
        count=42),
    row("which actions arent led by head of mash", {"P9.1", "P6.3"}, {"P7.5", "P4.5"},
        "not owned by head of mash"),
    row("stuff not for DoS", {"P9.1", "P7.5"}, {"P1.3", "P9.4", "P9.5"},
        "not owned by director of safeguarding"),
    row("everything except Head of QA", {"P9.1", "P7.5"}, {"P1.2", "P7.3", "P1.4"},
        "not owned by head of qa"),
    row("items Head of Corporate Parenting doesn't own in P5", {"P5.5", "P5.9", "P5.11", "P5.13"},
        {"P5.1", "P5.4"}, ("under p5", "not owned by head of corporate parenting")),
    row("overdue but not owned by MASH", {"P9.1", "P6.3", "P1.4"}, {"P7.5", "P4.4"},
        ("overdue items", "not owned by head of mash")),
    row("which P7 actions are not overdue", {"P7.1", "P7.3", "P7.8"}, {"P7.4", "P7.5"},
        ("open items under p7", "not overdue")),
    row("P9 stuff that isn't late", {"P9.2", "P9.4"}, {"P9.1", "P9.3"}, "not overdue"),
    row("P4 things not in progress", {"P4.1", "P4.2", "P4.4"}, {"P4.3"}, "not in progress"),
    row("what isn't blocked in P4", {"P4.1", "P4.3"}, set(), "not blocked"),
    row("what in P7 isn't started", {"P7.1", "P7.4", "P7.2.2"}, {"P7.2.1", "P7.3.1"},
        "not started items under p7"),
    row("P4 actions we haven't started", {"P4.1", "P4.3.2"}, {"P4.3.1"}, "not started"),
    row("ofsted actions still not done", set(), {"OA1.1", "OA4.2"}, "open items",
        said="None: all 32 of the items it names are done."),
    row("which ofsted actions r not done", set(), {"OA7.5"}, "open items",
        said="None: all 32"),
    row("P7 actions not done yet", {"P7.3", "P7.5"}, {"P7.3.1"}, "open items under p7"),
    row("anything not green in P5", {"P5.4", "P5.8"}, {"P5.1", "P5.2"},
        "not coloured green"),
    row("whats not on track in p6", {"P6.3"}, {"P6.1", "P6.2"}, "not coloured green"),
    row("P7 actions that are not red", {"P7.1", "P7.3"}, {"P7.4", "P7.5"}, "not coloured red"),
    row("P6 actions not due in march", {"P6.3"}, {"P6.1", "P6.2"}, "not due in march 2023"),
    row("which actions in P7 have no deadline", {"P7.1", "P7.2", "P7.6", "P7.10"},
        {"P7.3", "P7.4", "P7.5"}, ("under p7", "with no due date")),
    row("P2 actions with no due date", {"P2.1", "P2.2", "P2.3", "P2.4", "P2.5"}, {"P1.4"},
        "with no due date"),
    row("anything in P5 with a due date", {"P5.3", "P5.4", "P5.6", "P5.7", "P5.8"},
        {"P5.1", "P5.2", "P5.5"}, "with a due date"),
    row("anything unowned under P5", {"P5.13"}, {"P5.1", "P5.4"}, "no owner"),
    row("nothing but red in P1", {"P1.4"}, {"P1.1", "P1.5"}, "coloured red"),
    row("is P7.5 not overdue?", {"P7.5"}, {"P7.4"}, "p7.5 not overdue",
        said="No, P7.5 is overdue."),
    row("is P7.3 not overdue?", {"P7.3"}, set(), "p7.3", said="Yes, P7.3 is not overdue."),
    row("is P9.1 not red", {"P9.1"}, set(), "p9.1", said="No, P9.1 is coloured red."),
    row("what's outstanding that isn't owned by the DoS or DCS", {"P6.3", "P7.5"},
        {"P9.1", "P1.3", "P9.4"}, "not owned by director of safeguarding or corporate director"),
    row("show me stuff without owners", {"P5.13"}, {"P5.1", "OA1.6"}, "no owner"),
    row("whats overdue except P7", {"P6.3", "P9.1"}, {"P7.4", "P7.5"}, "outside p7"),
    row("anything red not in P5 or P6", {"P7.5", "P9.1"}, {"P6.3", "P5.3"}, "outside p5, p6"),
    row("everything overdue apart from OA4", {"P7.4", "P9.1"}, {"P7.5"}, "outside oa4"),
    row("open in P7 but not P7.5", {"P7.4", "P7.1"}, {"P7.5"}, ("under p7", "outside p7.5")),
    row("isn't P7.5 overdue?", {"P7.5"}, set(), "p7.5", said="Yes, P7.5 is overdue."),
    row("what's not due in P7 yet", {"P7.1", "P7.3"}, {"P7.4", "P7.5"}, "not overdue"),
    row("stuff in P5 that hasn't got an owner", {"P5.13"}, {"P5.1"}, "with no owner"),
    row("P7 actions that don't have a due date", {"P7.1", "P7.8"}, {"P7.3", "P7.5"},
        "with no due date"),
]

COLOURS = [
    row("show me everything red", {"P1.4", "P6.3", "P7.4", "P7.5", "P8.1", "P9.1", "P9.3"},
        {"P9.4", "P3.1", "P2.1"}, "open items coloured red"),
    row("anything amber in P3", set(), {"P3.1", "P3.2"}, ("under p3", "coloured amber"),
        said="There are no open items coloured amber here"),
    row("anything amber in P5", {"P5.4", "P5.8"}, {"P5.1", "P5.3"}, "coloured amber"),
    row("show me the greens in P9", {"P9.2", "P9.4", "P9.6"}, {"P9.1"}, "coloured green"),
    row("ambers?", {"P5.4", "P5.8", "P5.4.3", "P5.8.2"}, {"P7.5", "P1.1"}, "coloured amber"),
    row("which reds have Head of QA got", {"P1.4", "P7.4", "P8.1"}, {"P7.5", "P9.1"},
        ("owned by head of qa", "coloured red")),
    row("anything off track for the DCS", {"P9.1"}, {"P9.4", "P7.5"}, "coloured red"),
    row("whats at risk", {"P5.4", "P5.8"}, {"P7.5"}, "coloured amber"),
    row("anything RAG rated red in P8", {"P8.1"}, {"P8.2"}, ("under p8", "coloured red")),
    row("reds or ambers in P5", {"P5.3", "P5.4", "P5.7", "P5.8"}, {"P5.1", "P5.2"},
        "coloured red or amber"),
    row("anything in P9 that isn't red or amber", {"P9.2", "P9.4"}, {"P9.1", "P9.3"},
        "not coloured red or amber"),
]

WINDOWS = [
    row("wats due b4 end of march", {"P1.5", "P4.4", "P6.1", "P6.2", "P7.5"}, {"P7.3", "P5.6"},
        "due by the end of march 2023"),
    row("due by easter?", {"P1.5", "P6.1", "P9.1"}, {"P7.3", "P5.6"},
        "due by easter (9 apr 2023)"),
    row("anything before Easter for corp parenting", {"P6.1", "P5.3"}, {"P7.3", "P5.6"},
        ("due before easter", "owned by head of corporate parenting")),
    row("anything I need to chase before Monday's session", {"P7.5", "P9.1", "P1.4", "P5.4"},
        {"P1.5", "P6.1"}, "due before mon 20 feb 2023"),
    row("whats due by friday", {"P7.5", "P9.1", "P5.8"}, {"P1.5", "P6.1"},
        "due by fri 17 feb 2023"),
    row("due this week?", set(), {"P5.4", "P7.5"}, "due this week", said="There are no"),
    row("in the next fortnight", {"P5.4", "P5.8"}, {"P7.5", "P1.5"}, "due in the next 14 days"),
    row("due in two weeks?", {"P5.4", "P5.8"}, {"P7.5", "P1.5"}, "due in the next 14 days"),
    row("whats due by month end", {"P5.4", "P7.5"}, {"P1.5", "P6.1"}, "due by 28 feb 2023"),
    row("whats coming up within a fortnight for corp parenting", {"P5.4", "P5.8"}, {"P6.3"},
        "due in the next 14 days"),
    row("q2 deadlines", {"P5.4.1"}, {"P7.5", "P6.2"}, "due in q2 2022/23"),
    row("Q3 22/23 deadlines", {"P9.1", "P7.4", "P6.2", "P5.8.1"}, {"P1.4", "P6.3"},
        "due in q3 2022/23"),
    row("what slipped last quarter", {"P9.1", "P7.4", "P6.2"}, {"P1.4", "P6.3"},
        ("overdue items", "due in q3 2022/23")),
    row("next quarter deadlines for QA", {"P7.3"}, {"P1.5", "P8.2"},
        ("owned by head of qa", "due in q1 2023/24")),
    row("what's due in Q1 23/24", {"P7.3", "P5.6", "P5.7"}, {"P1.5", "P8.2"},
        "due in q1 2023/24"),
    row("what's due this FY", {"P1.5", "P9.1", "P6.2"}, {"P7.3", "P8.2"}, "due in 2022/23"),
    row("end of FY deadlines", {"P1.5", "P7.5"}, {"P7.3", "P8.2"}, "due by 31 mar 2023"),
    row("anything due by end of Q4 for MASH", {"P4.4", "P7.5"}, {"P6.3", "P3.1"},
        ("owned by head of mash", "due by 31 mar 2023")),
    row("stuff due in 2023/24", {"P7.3", "P5.6", "P8.2"}, {"P1.5", "P9.1"}, "due in 2023/24"),
    row("next FY for P8", {"P8.2"}, {"P8.1"}, ("under p8", "due in 2023/24")),
    row("what's due by the end of Q1 next year", {"P7.3", "P5.7", "P5.6"}, {"P8.2"},
        "due by 30 jun 2023"),
    row("anything due after Easter", {"P7.3", "P8.2", "P5.6"}, {"P1.5", "P9.1"},
        "due after easter"),
    row("what's due over the summer", {"P5.6", "P5.7"}, {"P7.3", "P8.2"}, "due in the summer"),
]

BAD_INPUT = [
    row("🙏👍", reading="", said="I read only emoji"),
    row(":thumbsup: :tada:", reading="", said="I read only emoji"),
    row("*_ _*", reading="", said="I read only formatting"),
    row("&gt; can someone chase P7.5 pls", set(), {"P7.5"}, said="I read only a quoted message"),
    row("¿Qué acciones están retrasadas?", said="doesn't read as English"),
    row("quelles actions sont en retard pour le MASH", said="doesn't read as English"),
    row("Какие действия просрочены?", said="doesn't read as English"),
    row("hola", said="doesn't read as English"),
    row(PASTED, said="reads like a pasted document"),
    row("<!channel> <https://evil.example/x>", said="I read only broadcasts and links"),
]
# fmt: on


def _id(case: Row) -> str:
    return case.question[:50]


TABLE = SLACK + PHONE + NEGATION + COLOURS + WINDOWS + BAD_INPUT


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def ask(session: Session, text: str) -> AnswerResult:
    result = handle(session, Request(text, Caller(), Clock.fixed_at(TODAY)))
    assert isinstance(result, AnswerResult), (text, type(result))
    return result


def test_the_table_covers_every_kind_with_many_rows() -> None:
    assert len(TABLE) >= 65
    assert all(len(kind) >= 6 for kind in (SLACK, PHONE, NEGATION, COLOURS, WINDOWS, BAD_INPUT))


@pytest.mark.parametrize("case", TABLE, ids=_id)
def test_a_question_in_own_words(session: Session, case: Row) -> None:
    result = ask(session, case.question)
    found = {item.reference for item in result.flat_items()}
    first_line = (result.understood or result.message or "").lower()
    context = (case.question[:80], result.understood, result.message, sorted(found))
    assert case.present <= found, context
    assert not case.absent & found, context
    for words in case.reading:
        assert words.lower() in first_line, context
    if case.said is not None:
        assert case.said in (result.message or ""), context
    if case.count is not None:
        assert len(result.items) + result.not_shown == case.count, context
    # Nothing typed is echoed back as a ping or a link.
    echoed = f"{result.understood} {result.message}"
    assert "<@" not in echoed and "<!" not in echoed and "http" not in echoed


@pytest.mark.parametrize(
    ("question", "negated"),
    [
        ("which actions aren't led by the Head of MASH", {"owners": ["Head of MASH"]}),
        ("overdue except P7 and P9", {"references": ["P7", "P9"]}),
        ("P7 stuff that isnt overdue", {"status": "overdue"}),
        ("anything not green", {"colours": ["green"]}),
        ("anything that isn't red or amber", {"colours": ["red", "amber"]}),
        ("not due in march", {"due_window": True}),
    ],
)
def test_ask_json_shows_what_is_negated(session: Session, question: str, negated: dict) -> None:
    query = ask(session, question).as_json()["query"]
    assert {key: query["not"][key] for key in negated} == negated


PIECES = (
    "*", "_", "~", "`", "&gt; ", "\n", "<@U0ABC1234>", "<!here>", "<#C0123|general>",
    "<https://example.org|link>", "https://example.org/x", ":eyes:", ":red_circle:", "🙏", "🔴",
    "🟢", "👍🏽", " ", "what", "wats", "overdue", "not", "isn't", "P7", "OA4", "Head of MASH",
    "HoS", "by easter", "Q3 22/23", "¿qué", "просрочены", "pls", "?",
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_any_mix_of_markup_emoji_and_words_is_answered_calmly(session: Session, text: str) -> None:
    """Whatever is typed: no exception, an answer or a line saying what was read, and nothing
    echoed that could ping or link."""
    result = handle(session, Request(text, Caller(), Clock.fixed_at(TODAY)))
    assert isinstance(result, AnswerResult), text  # none of these pieces asks for another verb
    assert result.items or result.message, text
    shown = f"{result.understood} {result.message}"
    assert "<@" not in shown and "<!" not in shown and "<http" not in shown, text


@pytest.mark.parametrize(
    "role",
    ["Head of MASH", "Head of QA", "Director of Safeguarding", "Head of Corporate Parenting"],
)
def test_an_owner_and_its_negation_split_the_open_actions(session: Session, role: str) -> None:
    """ "For R" and "not for R" share no action and together hold every open action."""
    clock = Clock.fixed_at(TODAY)

    def actions(text: str) -> set[str]:
        found = answer(session, text, clock, limit=10_000)
        assert isinstance(found, AnswerResult)
        return {item.reference for item in found.items if item.kind == "action"}

    everything = actions("open")
    owned, not_owned = actions(f"open for {role}"), actions(f"open, not for {role}")
    assert owned and not_owned
    assert not owned & not_owned
    assert owned | not_owned == everything
