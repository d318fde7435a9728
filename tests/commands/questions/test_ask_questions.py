"""Questions people ask about York's plans, with the answers pinned, on 15 February 2023.

By then the Ofsted plan's OA actions are all done (the Ambition Plan says so, as of 1 December
2022), so the open work under an OA area is the Ambition Plan actions marked with it. Each case
pins the exact references answered (actions and areas, then the steps shown under them), so an
item wrongly included fails as surely as one left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from commands.caller import Caller
from commands.clock import Clock
from commands.digest.result import DigestResult
from commands.questions.answer import answer
from commands.questions.answer_result import AnswerResult
from commands.questions.ask import ask_command
from commands.questions.history import HistoryProblem
from commands.request import Request
from commands.roles.directory import RoleListResult
from store.models import Action, ActionOwner, Plan, Role, Step
from store.queries.roles import assign, find_role

TODAY = date(2023, 2, 15)
CLOCK = Clock.fixed_at(TODAY)

# question -> (items answered, steps shown under them)
PINNED: dict[str, tuple[set[str], set[str]]] = {
    # An Ofsted area: its own actions are done, so the Ambition Plan follow-up (OA4) answers.
    "what's open under OA4?": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "what's open under oa 4": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "OA-4 open items": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "what's open under OA7": ({"P2.1", "P2.2"}, {"P2.1.1", "P2.1.2", "P2.2.1", "P2.2.2"}),
    # A bare area reference also shows the area itself, with its roll-up.
    "Ofsted action 4": ({"OA4", "P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "what did we finish under OA5?": ({"OA5.1", "OA5.2", "OA5.3", "OA5.4"}, set()),
    "what's done under OA1 for business intelligence": ({"OA1.4"}, set()),
    # Owners, by name, alias or typo; overdue means an open item past its due date.
    "anything overdue for Head of MASH?": (
        {"P4.4", "P7.5"},
        {"P4.4.1", "P7.5.1", "P7.5.2", "P7.5.3", "P7.5.5"},
    ),
    "anything overdue for Head of MSAH?": (
        {"P4.4", "P7.5"},
        {"P4.4.1", "P7.5.1", "P7.5.2", "P7.5.3", "P7.5.5"},
    ),
    "head of corp parenting overdue": (
        {"P5.3", "P5.4", "P5.7", "P5.8", "P6.2", "P6.3"},
        {"P5.3.1", "P5.4.1", "P5.4.2", "P5.7.1", "P5.7.2", "P5.8.1", "P6.2.1", "P6.2.2", "P6.3.1"},
    ),
    "virtual school": (
        {"P5.11", "P6.1", "P7.10"},
        {"P5.11.1", "P6.1.1", "P6.1.2", "P6.1.3", "P7.10.1"},
    ),
    "anything for the virtual head?": (
        {"P5.11", "P6.1", "P7.10"},
        {"P5.11.1", "P6.1.1", "P6.1.2", "P6.1.3", "P7.10.1"},
    ),
    "what's late for the DCS?": ({"P9.1"}, {"P9.1.1", "P9.1.2"}),
    # Asking who owns something is asking about it: every answer line names its owner.
    "who owns OA4?": ({"OA4", "P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "who is responsible for missing from home?": (
        {"P7.5"},
        {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"},
    ),
    # Exact references: the item whatever its status, every step of an action.
    "status of P7.5": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "P7.3": ({"P7.3"}, {"P7.3.1", "P7.3.2"}),
    "p7.5.3": ({"P7.5.3"}, set()),
    # Topics, typos included.
    "where are we on missing from home?": (
        {"P7.5"},
        {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"},
    ),
    "open in P7 about supervison": ({"P7.4", "P7.8"}, {"P7.4.1", "P7.4.2", "P7.4.3", "P7.8.1"}),
    # A typo nearer the word than its stem ("mising" is 80 from "miss", 92 from "missing").
    "mising from home": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "missin from home": ({"P7.5"}, {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"}),
    "fostring": (
        {"P5.2", "P5.3", "P5.13", "P6.1"},
        {"P5.2.2", "P5.3.1", "P5.3.2", "P5.3.3", "P5.13.1", "P6.1.1"},
    ),
    "exploitation screening": ({"P7.8"}, {"P7.8.1", "P7.8.2"}),
    "mind of my own": ({"P2.4"}, {"P2.4.1", "P2.4.2"}),
    "corporate parenting board": ({"P2.1"}, {"P2.1.1", "P2.1.2"}),
    # Areas by name.
    "care leavers": (
        {"P6", "P6.1", "P6.2", "P6.3"},
        {"P6.1.1", "P6.1.2", "P6.1.3", "P6.2.1", "P6.2.2", "P6.2.3", "P6.3.1"},
    ),
    "what's open for the front door?": (
        {"P4.1", "P4.2", "P4.3", "P4.4", "P4.5"},
        {
            "P4.1.1",
            "P4.1.2",
            "P4.2.1",
            "P4.3.1",
            "P4.3.2",
            "P4.4.1",
            "P4.4.2",
            "P4.5.1",
            "P4.5.2",
            "P4.5.3",
        },
    ),
    "return home interviews": (
        {"OA4", "P7.5"},
        {"P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"},
    ),
    "written records": ({"OA1", "P7.3"}, {"P7.3.2"}),
    "front door timeliness": ({"P4.3"}, {"P4.3.1", "P4.3.2"}),
    # Statuses and colours.
    "priority 7 overdue": (
        {"P7.4", "P7.5"},
        {"P7.4.1", "P7.4.2", "P7.4.3", "P7.5.1", "P7.5.2", "P7.5.3", "P7.5.5"},
    ),
    "what's in progress": ({"P4.3", "P5.6", "P7.2", "P7.3"}, {"P4.3.1", "P5.6.1", "P7.2.1"}),
    "not started in the front door": (
        {"P4.1", "P4.2", "P4.3", "P4.4", "P4.5"},
        {
            "P4.1.1",
            "P4.1.2",
            "P4.2.1",
            "P4.3.2",
            "P4.4.1",
            "P4.4.2",
            "P4.5.1",
            "P4.5.2",
            "P4.5.3",
        },
    ),
    "what's done in the Ambition plan": ({"P7.3"}, {"P7.3.1"}),
    "red items under P6": ({"P6.2", "P6.3"}, {"P6.2.1", "P6.2.2", "P6.3.1"}),
    # Date windows, read against 15 February 2023.
    "what's due in March?": (
        {"P1.5", "P4.4", "P5.3", "P6.1", "P6.2"},
        {"P1.5.1", "P4.4.2", "P5.3.3", "P6.1.2", "P6.1.3", "P6.2.3"},
    ),
    "due in the next 14 days": ({"P5.4", "P5.8"}, {"P5.4.3", "P5.8.2"}),
    "what's due by the end of the month for Head of QA": (
        {"P1.4", "P7.4", "P8.1"},
        {"P1.4.1", "P1.4.2", "P7.4.1", "P7.4.2", "P7.4.3", "P8.1.1", "P8.1.2"},
    ),
    "March 2023 care leavers": ({"P6.1", "P6.2"}, {"P6.1.2", "P6.1.3", "P6.2.3"}),
}


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    """The shared York store, for questions (which only read)."""
    with Session(york_read_only) as session:
        yield session


@pytest.fixture
def own_session(york_engine: Engine) -> Iterator[Session]:
    """A private copy of York, for tests that put people in roles first."""
    with Session(york_engine) as session:
        yield session


def ask(session: Session, text: str) -> AnswerResult:
    return answer(session, text, CLOCK)


def answered(result: AnswerResult) -> tuple[set[str], set[str]]:
    return (
        {item.reference for item in result.items},
        {step.reference for item in result.items for step in item.steps},
    )


def test_every_pinned_question_gets_exactly_its_answer(session: Session) -> None:
    assert len(PINNED) >= 30
    wrong = {}
    for question, expected in PINNED.items():
        got = answered(ask(session, question))
        if got != expected:
            wrong[question] = {"expected": expected, "got": got}
    assert wrong == {}


def worked_out_from_rows(
    session: Session,
    keep: Callable[[Action | Step], bool],
    *,
    owner: str | None = None,
    plan: str | None = None,
) -> tuple[set[str], set[str]]:
    """What a filter question should answer, read straight from the plan's rows (not through
    the index): each action that passes, or that has a step that passes, with those steps."""
    actions = session.exec(select(Action).where(Action.missing_from_source == False)).all()  # noqa: E712
    if owner is not None:
        owned = set(
            session.exec(
                select(ActionOwner.action_id).join(Role).where(Role.name == owner)  # type: ignore[arg-type]
            ).all()
        )
        actions = [a for a in actions if a.id in owned]
    if plan is not None:
        plan_id = session.exec(select(Plan.id).where(Plan.key == plan)).one()
        actions = [a for a in actions if a.plan_id == plan_id]
    items: set[str] = set()
    steps: set[str] = set()
    for action in actions:
        passing = {
            s.ref
            for s in session.exec(select(Step).where(Step.action_id == action.id)).all()
            if not s.missing_from_source and keep(s)
        }
        if passing or keep(action):
            items.add(action.ref)
            steps |= passing
    return items, steps


def is_open(item: Action | Step) -> bool:
    return item.status not in ("done", "dropped")


def due_within(start: date, end: date) -> Callable[[Action | Step], bool]:
    return lambda i: is_open(i) and i.due_date is not None and start <= i.due_date <= end


FROM_ROWS: dict[str, tuple[Callable[[Action | Step], bool], dict[str, str]]] = {
    "what's due in March?": (due_within(date(2023, 3, 1), date(2023, 3, 31)), {}),
    "due in the next 14 days": (due_within(TODAY, TODAY + timedelta(days=14)), {}),
    "what's in progress": (lambda i: i.status == "in_progress", {}),
    "what's done in the Ambition plan": (lambda i: i.status == "done", {"plan": "ambition-2022"}),
    "anything overdue for Head of MASH?": (
        lambda i: is_open(i) and i.due_date is not None and i.due_date < TODAY,
        {"owner": "Head of MASH"},
    ),
    "what's late for the DCS?": (
        lambda i: is_open(i) and i.due_date is not None and i.due_date < TODAY,
        {"owner": "Corporate Director of Children's Services"},
    ),
}


@pytest.mark.parametrize("question", list(FROM_ROWS))
def test_filter_answers_agree_with_the_plans_rows(session: Session, question: str) -> None:
    """The pinned answers to filter questions are what the rows themselves say, worked out here
    without the index, so a pinned answer cannot simply repeat a mistake of the search."""
    keep, scope = FROM_ROWS[question]
    expected = worked_out_from_rows(session, keep, **scope)
    assert expected[0], "the question should select something on 15 Feb 2023"
    assert PINNED[question] == expected
    assert answered(ask(session, question)) == expected


def test_under_oa4_leaves_out_the_done_ofsted_actions_and_says_so(session: Session) -> None:
    result = ask(session, "what's open under OA4?")
    refs = {item.reference for item in result.flat_items()}
    assert refs.isdisjoint({"OA4.1", "OA4.2", "OA4.3", "OA4.4"})
    assert result.filtered_out == 4
    assert "OA4" in result.understood and "(OA4)" in result.understood


def test_what_did_we_finish_shows_the_ofsted_rows_but_not_the_ambition_follow_up(
    session: Session,
) -> None:
    result = ask(session, "what did we finish under OA4")
    assert [item.reference for item in result.items] == ["OA4.1", "OA4.2", "OA4.3", "OA4.4"]
    assert all(item.status == "done" and item.rag == "blue" for item in result.items)


def test_overdue_and_soon_due_come_first(session: Session) -> None:
    result = ask(session, "what's open under P6")
    # P6.3 (due 31 Jan, overdue) and P6.2 (its first step overdue since Nov) lead P6.1 (March).
    assert [item.reference for item in result.items] == ["P6.2", "P6.3", "P6.1"]
    p63 = next(item for item in result.items if item.reference == "P6.3")
    assert (p63.rag, p63.days_overdue, p63.due) == ("red", 15, date(2023, 1, 31))


def test_an_item_carries_what_every_answer_shows(session: Session) -> None:
    result = ask(session, "status of P7.5")
    action = result.items[0]
    assert action.reference == "P7.5"
    assert action.kind == "action"
    assert action.plan == "Ambition Plan"
    assert action.owners == ("Head of MASH",)
    assert (action.due, action.due_as_written) == (date(2023, 1, 31), "31/01/2023")
    assert (action.status, action.rag, action.declared_rag) == ("not_started", "red", None)
    first = action.steps[0]
    assert (first.reference, first.kind, first.due, first.due_as_written) == (
        "P7.5.1",
        "step",
        date(2022, 11, 30),
        "31/11/2022",
    )
    assert first.owners == ("Head of MASH",)


def test_a_lone_step_names_its_action(session: Session) -> None:
    item = ask(session, "P7.5.3").items[0]
    assert (item.kind, item.parent) == ("step", "P7.5")
    assert item.days_overdue == (TODAY - date(2022, 3, 31)).days


def test_an_area_rolls_up_its_actions_and_follow_ups(session: Session) -> None:
    area = ask(session, "status of OA4").items[0]
    assert (area.reference, area.kind, area.rag) == ("OA4", "area", "red")
    assert dict(area.counts) == {"red": 1, "blue": 4}


@pytest.mark.parametrize(
    ("question", "suggested"),
    [
        ("OA9", "OA7"),
        ("what's open under OA44", "OA4"),
        ("P7.15", "P7"),
        ("OA4.7", "OA4"),
        ("unicorn budget", "P9.5"),
    ],
)
def test_no_match_says_so_and_offers_the_nearest_reference(
    session: Session, question: str, suggested: str
) -> None:
    result = ask(session, question)
    assert result.items == ()
    assert result.message
    assert result.suggestions[0].reference == suggested


@pytest.mark.parametrize(
    ("question", "said", "shown"),
    [
        ("is P9.1 done", "No, P9.1 is not done.", "P9.1"),
        ("has P6.3 been completed?", "No, P6.3 is not done.", "P6.3"),
        ("is P1.5 overdue?", "No, P1.5 is not overdue.", "P1.5"),
        ("is P9.1 due this week", "No, P9.1 is not due this week.", "P9.1"),
    ],
)
def test_a_yes_no_question_about_an_item_says_no_and_shows_it(
    session: Session, question: str, said: str, shown: str
) -> None:
    """The item as it stands is the rest of the answer: P9.1 is not started and 65 days late."""
    result = ask(session, question)
    assert result.message == said
    assert [item.reference for item in result.items] == [shown]


def test_me_and_my_mean_the_roles_the_asker_holds(own_session: Session) -> None:
    """A Head of MASH asking "what's overdue for me?" gets what "overdue for Head of MASH or All
    HoS" gets; "show me" is not about the asker; someone with no role is told how to get one."""
    mash = find_role(own_session, "Head of MASH")
    assert mash is not None
    assign(own_session, mash, "UMASH0001", by=None, at=datetime(2023, 1, 9, tzinfo=UTC))

    def asked(text: str, asker: str = "UMASH0001") -> AnswerResult:
        result = answer(own_session, text, CLOCK, asker=asker)
        assert isinstance(result, AnswerResult)
        return result

    everyone = answered(ask(own_session, "anything overdue for Head of MASH or All HoS"))
    for question in ("what's overdue for me", "my overdue actions", "am I late on anything"):
        mine = asked(question)
        assert answered(mine) == everyone, question
        assert mine.understood == "overdue items owned by Head of MASH or All HoS"
    assert answered(asked("what do I own")) == answered(ask(own_session, "head of mash or all hos"))
    assert answered(asked("show me OA4")) == answered(ask(own_session, "OA4"))
    nobody = asked("anything on my list?", asker="UNOBODY01")
    assert nobody.items == () and (nobody.message or "").startswith("You hold no roles")


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("LAC", "children in care"),
        ("anything for CiC?", "anything for children in care?"),
        ("RHI", "return home interviews"),
        ("mfh", "missing from home"),
        ("overdue for DoS", "overdue for Director of Safeguarding"),
        ("corp parenting overdue", "Head of Corporate Parenting overdue"),
    ],
)
def test_everyday_shorthand_reads_as_the_words_the_plans_use(
    session: Session, short: str, long: str
) -> None:
    expected = answered(ask(session, long))
    assert expected != (set(), set())
    assert answered(ask(session, short)) == expected


def test_who_is_a_role_names_its_holders(own_session: Session) -> None:
    mash = find_role(own_session, "Head of MASH")
    assert mash is not None
    assign(own_session, mash, "UMASH0001", by=None, at=datetime(2023, 1, 9, tzinfo=UTC))
    request = Request("", Caller("UALICE001"), CLOCK)
    for question in ("who is head of mash?", "who's the Head of MSAH", "Who is MASH"):
        result = ask_command(own_session, request, question)
        assert isinstance(result, RoleListResult), question
        [row] = result.rows
        assert (row.name, row.holders) == ("Head of MASH", ("UMASH0001",))
    # Not a role: still a question about the plan.
    topic = ask_command(own_session, request, "who is responsible for missing from home?")
    assert isinstance(topic, AnswerResult) and topic.items


def test_how_are_we_doing_is_the_summary_with_its_headline(session: Session) -> None:
    request = Request("", Caller("UALICE001"), CLOCK)
    overall = ask_command(session, request, "overall, how are we doing?")
    assert isinstance(overall, DigestResult) and overall.scope.kind == "all"
    # A count is a count, stated first, of the items then listed, never the whole summary.
    count = ask_command(session, request, "how many actions are complete?")
    assert isinstance(count, AnswerResult)
    total = len(count.items) + count.not_shown
    assert (count.message or "").startswith(f"{total} items, listed below.")
    assert total >= 32  # the Ofsted plan's 32, and more
    area = ask_command(session, request, "how are we doing on OA4")
    assert isinstance(area, DigestResult) and (area.scope.kind, area.scope.value) == ("area", "OA4")
    role = ask_command(session, request, "summary for head of msah")
    assert isinstance(role, DigestResult) and role.scope.value == "Head of MASH"
    item = ask_command(session, request, "P7.5 summary")  # one item: its own answer
    assert isinstance(item, AnswerResult) and [i.reference for i in item.items] == ["P7.5"]
    assert item.question.topic_words == ()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Words the plans use are topics, not requests for changes, "me" or a summary.
        ("changes of workers", "P5.10"),
        ("what about the updated housing protocol?", "P4.4"),
        ("IRO escalation process", "P7.6"),  # the plans say IRO: not expanded
        ("how do I update P7.5?", "P7.5"),
        ("I have a question about missing from home", "P7.5"),
        ("how are we doing on missing from home?", "P7.5"),
        ("how many foster carers have we recruited?", "P5.3"),
    ],
)
def test_everyday_words_in_a_topic_keep_their_ordinary_answer(
    session: Session, question: str, expected: str
) -> None:
    result = ask_command(session, Request("", Caller("UNOBODY01"), CLOCK), question)
    assert isinstance(result, AnswerResult), question
    assert expected in {item.reference for item in result.items}


def test_me_without_a_role_answers_the_rest_and_says_so(session: Session) -> None:
    result = answer(session, "what's overdue for me under OA4", CLOCK, asker="UNOBODY01")
    assert isinstance(result, AnswerResult)
    assert answered(result) == answered(ask(session, "what's overdue under OA4"))
    assert "You hold no roles" in (result.message or "")


def test_a_topic_the_plans_lack_is_not_dropped_beside_a_filter(session: Session) -> None:
    result = ask(session, "what's overdue about autism?")
    assert result.items == () and result.message == "Nothing in the plans matches “autism”."


@pytest.mark.parametrize(
    "opener", ["quick question: ", "any idea ", "could you check ", "morning! ", "just wondering "]
)
def test_a_conversational_opener_changes_nothing(session: Session, opener: str) -> None:
    plain = answered(ask(session, "what's overdue for head of QA"))
    assert answered(ask(session, opener + "what's overdue for head of QA")) == plain


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("is P7.3.1 done?", "Yes, P7.3.1 is done."),
        ("is P7.5 red?", "Yes, P7.5 is coloured red."),
        ("is P7.3 done", "No, P7.3 is not done."),  # one of its steps is: shown, but no
    ],
)
def test_a_yes_no_question_says_yes_too(session: Session, question: str, said: str) -> None:
    assert ask(session, question).message == said


def test_history_of_an_area_says_how_to_ask(session: Session) -> None:
    result = ask_command(session, Request("", Caller("UALICE001"), CLOCK), "history OA4")
    assert isinstance(result, HistoryProblem)
    assert "try `history OA4.1`, or `what changed under OA4?`" in result.message


def test_summary_for_me_is_the_summary_for_my_role(own_session: Session) -> None:
    qa = find_role(own_session, "Head of QA")
    assert qa is not None
    assign(own_session, qa, "UQA000001", by=None, at=datetime(2023, 1, 9, tzinfo=UTC))
    request = Request("", Caller("UQA000001"), CLOCK)
    mine = ask_command(own_session, request, "summary for me")
    assert isinstance(mine, DigestResult) and mine.scope.value == "Head of QA"
    share = ask_command(own_session, request, "what percentage is complete")
    assert isinstance(share, DigestResult) and share.scope.kind == "all"


def test_a_person_named_by_mention_means_their_roles(own_session: Session) -> None:
    qa = find_role(own_session, "Head of QA")
    assert qa is not None
    assign(own_session, qa, "U0QA00456", by=None, at=datetime(2023, 1, 9, tzinfo=UTC))
    theirs = ask(own_session, "what's overdue for <@U0QA00456|sam>")
    assert answered(theirs) == answered(ask(own_session, "overdue for Head of QA or All HoS"))
    nobody = ask(own_session, "what's overdue for <@U0NOBODY1>")
    assert answered(nobody) == answered(ask(own_session, "what's overdue"))
    assert nobody.message == "The person you named holds no roles in the role directory."


def test_a_word_matching_nothing_is_left_out_beside_what_does_select(session: Session) -> None:
    """ "pls", a typo or a figure of speech must not empty an answer that a reference, owner or
    filter already selects; the answer says which word it left out."""
    polite = ask(session, "can u show me OA4 pls")
    assert polite.ignored_words == ()  # "pls" is filler, like "please"
    assert answered(polite) == answered(ask(session, "OA4"))
    typo = ask(session, "overdue hed of mash")
    assert typo.ignored_words == ("hed",)
    assert answered(typo) == answered(ask(session, "anything overdue for Head of MASH?"))
    plate = ask(session, "what's on the Director of Safeguarding's plate")
    assert plate.ignored_words == ("plate",)
    assert {item.reference for item in plate.items} == {
        "P1.3", "P1.4", "P7.1", "P9.3", "P9.4", "P9.5", "P9.6",
    }  # fmt: skip
    # Alone, or beside a word the plans do hold, a word is not dropped.
    assert ask(session, "xyzzy").message == "Nothing in the plans matches “xyzzy”."
    narrowed = ask(session, "OA4 supervision")
    assert narrowed.items == () and narrowed.ignored_words == ()


def test_a_filter_that_removes_everything_says_how_many_it_removed(session: Session) -> None:
    result = ask(session, "anything blocked under P7?")
    assert result.items == ()
    assert result.filtered_out == 10
    assert "no blocked items" in (result.message or "")


def test_nothing_due_this_week_is_a_plain_answer(session: Session) -> None:
    result = ask(session, "what's due this week?")
    assert result.items == ()
    assert result.message == "There are no open items due this week in the plans."


def test_a_long_answer_is_capped_and_counts_the_rest(session: Session) -> None:
    result = ask(session, "what's open?")
    assert len(result.items) == 20
    assert result.not_shown == 52 - 20  # every open Ambition Plan action


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "🎉🎉🎉",
        "x" * 10_000,
        "'; DROP TABLE action; --",
        "SELECT * FROM statusupdate WHERE 1=1",
        "<!channel> <@U123ABC> <https://evil.example|click>",
        "\x00\x01\x1b[31mred\x7f",
        "OA" * 3000,
        "P7.5.3.2.1.9",
        "99999999999999999999",
    ],
)
def test_odd_input_gets_a_calm_answer(session: Session, text: str) -> None:
    result = ask(session, text)
    assert isinstance(result, AnswerResult)
    assert result.items or result.message


def test_only_markup_is_not_a_question(session: Session) -> None:
    result = ask(session, "<!channel> <@U123ABC>")
    assert result.items == ()
    assert result.message and "couldn't find a question" in result.message
    assert "<!channel>" not in result.question.text


def test_long_text_is_read_in_part_and_says_so(session: Session) -> None:
    result = ask(session, "what's open under OA4 " + "please " * 2000)
    assert [item.reference for item in result.items] == ["P7.5"]
    assert "first 500 characters" in (result.message or "")


def test_an_empty_store_answers_calmly(empty_engine: Engine) -> None:
    with Session(empty_engine) as session:
        for text in ("what's open under OA4?", "fostring", "what's overdue", "P7.5.3"):
            result = answer(session, text, CLOCK)
            assert result.items == ()
            assert result.message


def test_a_date_that_is_none_gets_a_calm_specific_answer_not_nothing_matches(
    session: Session,
) -> None:
    result = ask(session, "anything overdue for Head of MASH by 31/02?")
    assert result.items == ()
    assert result.message is not None
    assert result.message.startswith("“31/02” is not a real date, so I haven't answered that.")
    quarter = ask(session, "what's due in Q5?")
    assert quarter.message is not None
    assert quarter.message.startswith("“Q5” is not a quarter: the financial year runs from Q1")


def test_has_it_started_is_a_yes_or_no_about_the_item_not_a_topic(session: Session) -> None:
    not_yet = ask(session, "has P5.4.3 started?")
    assert not_yet.message == "No, P5.4.3 has not started yet."
    assert answered(not_yet)[0] == {"P5.4.3"}
    assert ask(session, "has P7.3 started?").message == "Yes, P7.3 has started."  # in progress
    assert ask(session, "P7.5 not started?").message == "Yes, P7.5 has not started yet."
    under_way = ask(session, "what has started under OA4?")
    assert under_way.items and all(i.status != "not_started" for i in under_way.flat_items())


def test_an_area_of_unverified_actions_rolls_up_unverified_not_amber(session: Session) -> None:
    """P2's five actions have had no update for over 28 days and none is red or amber."""
    p2 = next(item for item in ask(session, "P2").items if item.reference == "P2")
    assert p2.kind == "area" and p2.stale and p2.rag == "green"
    assert p2.counts == (("unverified", 5),)
    p7 = next(item for item in ask(session, "P7").items if item.reference == "P7")
    assert (p7.rag, p7.stale, p7.counts) == ("red", False, (("red", 2), ("unverified", 8)))


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("any update on the placement at 14 Acomb Road YO24 4EP", ["placement"]),
        ("what's overdue for Jayden Smith dob 12/03/2015 in P5", []),
        ("placement stability, NHS no 943 476 5919", ["placement", "stability"]),
    ],
)
def test_a_childs_details_in_a_question_are_read_neither_as_topics_nor_echoed(
    session: Session, question: str, kept: list[str]
) -> None:
    result = ask_command(session, Request("", Caller("UALICE001"), CLOCK), question)
    assert isinstance(result, AnswerResult)
    said = f"{result.understood} {result.message or ''}".lower()
    for gone in ("Jayden", "Smith", "Acomb", "YO24", "943", "2015"):
        assert gone.lower() not in said
    read = " ".join(result.question.topic_words).lower()
    for cue in ("dob", "nhs", "road", "child", "name", "birth"):
        assert cue not in read
    assert list(result.question.topic_words) == kept
    assert "out of your question" in (result.message or "")
