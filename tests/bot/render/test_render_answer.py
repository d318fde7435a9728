"""Answers as Slack shows them: valid Block Kit within Slack's limits, whole items only, a
fallback text that reads alone, and nothing from people or documents that can ping anyone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.render import Rendered, render
from bot.render.answer import MAX_BLOCKS
from commands.caller import Caller
from commands.clock import Clock
from commands.questions.answer import answer
from commands.questions.answer_result import AnswerItem, AnswerResult
from commands.questions.history import history_command
from commands.questions.question import Question
from commands.request import Policy, Request
from store.models import Action
from store.queries.history import find_item
from store.queries.state import record_update

# what people read: the answers' queries are pinned on PostgreSQL in tests/commands
pytestmark = pytest.mark.engine_independent

TODAY = date(2023, 2, 15)
CLOCK = Clock.fixed_at(TODAY)
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<#C", "<http")


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def shown(session: Session, text: str) -> tuple[AnswerResult, Rendered]:
    result = answer(session, text, CLOCK)
    return result, render(result)


def assert_valid_blocks(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        Block.parse(block).to_dict()  # raises SlackObjectFormationError beyond Slack's limits
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


@pytest.mark.parametrize(
    "text",
    [
        "what's open?",
        "what's open under OA4?",
        "status of OA4",
        "anything overdue for Head of MASH?",
        "p7.5.3",
        "OA9",
        "",
        "what did we finish under OA1",
        "x" * 10_000,
    ],
)
def test_blocks_are_valid_and_within_slack_limits(session: Session, text: str) -> None:
    _, rendered = shown(session, text)
    assert_valid_blocks(rendered.blocks)
    assert rendered.text.strip()


def test_the_plain_text_shows_reference_status_owner_and_due_date(session: Session) -> None:
    _, rendered = shown(session, "anything overdue for Head of MASH?")
    lines = rendered.text.splitlines()
    assert lines[0].startswith("Overdue items owned by Head of MASH")
    p75 = next(i for i, line in enumerate(lines) if line.startswith("P7.5 "))
    assert "Red, 15 days overdue" in lines[p75 + 1]
    assert "not started" in lines[p75 + 1]
    assert "Head of MASH" in lines[p75 + 1]
    assert "due 31 Jan 2023" in lines[p75 + 1]
    step = lines.index(next(line for line in lines if line.strip().startswith("- P7.5.1 ")))
    assert lines[step + 1].strip() == (
        "not started · due 30 Nov 2022 (as written: 31/11/2022) · Red, 77 days overdue"
    )
    assert "14 more items match but are not overdue." in rendered.text


def test_blocks_show_one_section_per_action_with_a_context_line(session: Session) -> None:
    _, rendered = shown(session, "what's open under OA4?")
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert sections[0]["text"]["text"].startswith("*P7.5*")
    assert sections[0]["text"]["text"].count("• *P7.5.") == 5
    context = rendered.blocks[rendered.blocks.index(sections[0]) + 1]
    line = context["elements"][0]["text"]
    assert ":red_circle:" in line and "Head of MASH" in line and "due 31 Jan 2023" in line


def test_a_long_answer_says_what_is_not_shown_and_how_to_narrow_it(session: Session) -> None:
    result, rendered = shown(session, "what's open?")
    assert result.not_shown == 32
    assert_valid_blocks(rendered.blocks)
    footer = rendered.blocks[-1]["elements"][0]["text"]
    assert footer.startswith("32 more not shown.")
    assert "Narrow the question" in footer


def test_no_match_offers_the_nearest_reference(session: Session) -> None:
    _, rendered = shown(session, "what's open under OA44")
    assert "I can't find OA44 in the plans." in rendered.text
    assert "Did you mean OA4 (" in rendered.text
    assert any("Did you mean *OA4*" in json.dumps(b) for b in rendered.blocks)


def test_a_word_left_out_is_named_in_the_footer(session: Session) -> None:
    _, rendered = shown(session, "anything overdue for hed of mash")
    assert "Left out “hed”: nothing in the plans matches it." in rendered.text
    assert_valid_blocks(rendered.blocks)


def test_a_plan_document_date_shows_as_a_date_from_the_document(session: Session) -> None:
    result = history_command(session, Request("", Caller(), CLOCK), "OA4.1")
    text = render(result).text
    assert "28 Jul 2022: not started → in progress, from the plan document (" in text
    assert "01:00" not in text  # a date at midnight UTC is a date, not 1 a.m. in summer


def test_history_times_are_in_the_councils_zone(york_engine: Engine) -> None:
    session = Session(york_engine)
    item = find_item(session, "P7.5")
    assert item is not None
    at = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)
    record_update(session, item, at=at, source="chat", status="blocked", author="UQA000001")
    for zone, shown in (("Europe/London", "1 Jun 2023 13:00"), ("America/New_York", "08:00")):
        request = Request("", Caller(), CLOCK, Policy(timezone=zone))
        assert shown in render(history_command(session, request, "P7.5")).text


def _step(number: int, text: str) -> AnswerItem:
    return AnswerItem(
        reference=f"X1.1.{number}",
        kind="step",
        title=text,
        plan="Test Plan",
        plan_key="test",
        status="not_started",
        rag="amber",
        rag_reason="not started and due soon",
        declared_rag=None,
        owners=("Head of Tests",),
        due=date(2023, 3, number % 28 + 1),
        due_as_written=None,
        latest_note=None,
    )


def test_many_long_steps_are_summarised_whole_never_cut(session: Session) -> None:
    steps = tuple(_step(n, f"Step {n} " + "word " * 120) for n in range(1, 41))
    action = AnswerItem(
        reference="X1.1",
        kind="action",
        title="An action with forty long steps",
        plan="Test Plan",
        plan_key="test",
        status="in_progress",
        rag="green",
        rag_reason="on track",
        declared_rag=None,
        owners=("Head of Tests",),
        due=None,
        due_as_written="Ongoing",
        latest_note=None,
        steps=steps,
    )
    result = AnswerResult(
        question=Question(text="X1.1"),
        understood="X1.1",
        items=(action,) * 30,
        as_of=TODAY,
    )
    rendered = render(result)
    assert_valid_blocks(rendered.blocks)
    section = next(b for b in rendered.blocks if b["type"] == "section")["text"]["text"]
    lines = section.splitlines()
    listed = [n for n, line in enumerate(lines) if line.startswith("• ")]
    more = int(section.rsplit("…and ", 1)[1].split(" ")[0])
    assert len(listed) + more == 40
    for n in listed:  # each shown step is whole: its reference, then status and due date
        assert lines[n].startswith("• *X1.1.") and lines[n].endswith("word…")
        assert "not started · due " in lines[n + 1]
    # 30 actions cannot fit in 50 blocks at two blocks each: whole ones are left out and counted.
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert len(sections) == 22
    assert rendered.blocks[-1]["elements"][0]["text"].startswith("8 more not shown.")


def test_nothing_typed_or_written_in_the_plan_can_ping_anyone(york_engine: Engine) -> None:
    with Session(york_engine) as writer:
        action = writer.exec(select(Action).where(Action.ref == "P5.3")).one()
        action.title = "Improve <!channel> our Fostering <@U0123ABC> Service & <!here>"
        writer.add(action)
        writer.commit()
    session = Session(york_engine)
    result, rendered = shown(session, "<!here> fostering <@U999ZZZ> <!channel> <#C123|general>")
    assert "P5.3" in [item.reference for item in result.items]
    everything = rendered.text + json.dumps(rendered.blocks)
    for ping in PINGS:
        assert ping not in everything
    assert "&lt;!channel&gt;" in rendered.text  # the title is shown, harmlessly
