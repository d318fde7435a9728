"""Answers as Slack shows them: valid Block Kit within Slack's limits, whole items only, a
fallback text that reads alone, and nothing from people or documents that can ping anyone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
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


def test_the_whole_text_shows_reference_status_owner_and_due_date(session: Session) -> None:
    _, rendered = shown(session, "anything overdue for Head of MASH?")
    assert rendered.whole_text is not None  # what the terminal prints: every line, steps too
    lines = rendered.whole_text.splitlines()
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
    assert "14 more items match but are not overdue." in rendered.whole_text
    # the message's own fallback is the page: one line an item, enough to act on
    page = rendered.text.splitlines()
    assert next(line for line in page if line.startswith("P7.5 ")).endswith(
        "Red, 15 days overdue · not started · Head of MASH · due 31 Jan 2023 · Ambition Plan"
    )


def visible(blocks: list[dict]) -> int:
    """The characters a reader sees in a message's blocks."""
    seen = 0
    for block in blocks:
        seen += len(block.get("text", {}).get("text", ""))
        for element in block.get("elements", []):
            text = element.get("text")
            seen += len(text if isinstance(text, str) else (text or {}).get("text", ""))
    return seen


def test_a_list_answer_is_one_line_an_item_the_most_urgent_first(session: Session) -> None:
    result, rendered = shown(session, "what's slipping?")
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert sections[0]["text"]["text"] == "*13 items*; 1–10 below, the most urgent first."
    items = sections[1:]
    assert len(items) == 10
    first = items[0]["text"]["text"].splitlines()
    assert first[0].startswith(":red_circle: *P9.1* Strengthen the pace of change")
    assert first[1] == (
        "Corporate Director of Children's Services · 12 Dec 2022, 65 days overdue · not started"
    )
    assert first[2] == "2 steps overdue"  # the steps fold under their action as a count…
    assert items[0]["accessory"]["action_id"] == "answer:steps"  # …with a button to open them
    assert items[0]["accessory"]["value"] == "P9.1"
    overdue = [
        int(line.split(" days overdue")[0].rsplit(" ", 1)[1])
        for b in items
        for line in b["text"]["text"].splitlines()[1:2]
        if "days overdue" in line
    ]
    assert len(overdue) == 4
    assert overdue == sorted(overdue, reverse=True)
    assert "(as written:" not in json.dumps(items)
    [actions] = [b for b in rendered.blocks if b["type"] == "actions"]
    more, share = actions["elements"]
    assert (more["text"]["text"], share["text"]["text"]) == ("Show next 10", "Share in channel")
    assert json.loads(more["value"]) == {"q": "what's slipping?", "f": 10, "d": "2023-02-15"}
    assert json.loads(share["value"])["f"] == 0
    assert result.not_shown + len(result.items) == 13


def test_the_next_page_holds_the_rest_and_nothing_is_lost(session: Session) -> None:
    from bot.render.answer import answer_page

    result, first = shown(session, "what's open?")
    assert len(result.items) + result.not_shown == 52
    seen: list[str] = []
    page, start = first, 0
    while True:
        assert_valid_blocks(page.blocks)
        refs = [
            b["text"]["text"].split("*")[1]
            for b in page.blocks
            if b["type"] == "section" and b["text"]["text"].startswith(":")
        ]
        seen += refs
        buttons = next(b for b in page.blocks if b["type"] == "actions")["elements"]
        if buttons[0]["text"]["text"] != "Show next 10":
            break
        start = json.loads(buttons[0]["value"])["f"]
        again = answer(session, "what's open?", CLOCK, limit=start + 20)
        page = answer_page(again, start)
    assert len(seen) == len(set(seen)) == 52  # every line once, over six pages
    assert start == 50


@pytest.mark.parametrize(
    "text",
    [
        "what's open?",
        "what's slipping?",
        "anything overdue for Head of MASH?",
        "status of P7.5",
        "what's due before end of march",
        "which Ofsted actions are done",
        "status of OA4",
        "p7.5.3",
    ],
)
def test_every_answer_reads_on_a_phone(session: Session, text: str) -> None:
    _, rendered = shown(session, text)
    assert len(rendered.blocks) <= 20
    assert visible(rendered.blocks) <= 2500
    assert len(rendered.text) <= 2500


def test_a_word_left_out_is_named_in_the_footer(session: Session) -> None:
    _, rendered = shown(session, "anything overdue for hed of mash")
    assert rendered.whole_text is not None
    assert "Left out “hed”: nothing in the plans matches it." in rendered.whole_text
    footer = [b for b in rendered.blocks if b["type"] == "context"][-1]["elements"][0]["text"]
    assert "Left out “hed”: nothing in the plans matches it." in footer
    assert_valid_blocks(rendered.blocks)


def test_no_match_offers_the_nearest_reference(session: Session) -> None:
    _, rendered = shown(session, "what's open under OA44")
    assert "I can't find OA44 in the plans." in rendered.text
    assert "Did you mean OA4 (" in rendered.text
    assert any("Did you mean *OA4*" in json.dumps(b) for b in rendered.blocks)


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
    assert visible(rendered.blocks) <= 2500
    sections = [b for b in rendered.blocks if b["type"] == "section"]
    assert sections[0]["text"]["text"] == "*30 items*; 1–10 below, the most urgent first."
    assert len(sections) == 11  # ten lines, each whole: its steps are a count and a button
    assert all(s["text"]["text"].endswith("\n40 steps") for s in sections[1:])
    # alone, the action lists its steps a line each, whole, and counts the ones left out
    alone = render(replace(result, items=(action,)))
    [section] = [b for b in alone.blocks if b["type"] == "section"]
    lines = section["text"]["text"].splitlines()
    listed = [line for line in lines if line.startswith(":large_orange_circle: *X1.1.")]
    more = int(lines[-1].split("…and ")[1].split(" ")[0])
    assert len(listed) + more == 40 and more > 0
    assert all(" · due " in line and line.endswith(" · not started") for line in listed)
    assert len(section["text"]["text"]) <= 2500


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


def test_an_area_of_stale_actions_reads_unverified_overall(session: Session) -> None:
    _, rendered = shown(session, "P2")
    assert "Unverified overall: 5 unverified" in rendered.whole_text
    assert "Amber overall" not in rendered.whole_text
    assert "Green overall" not in rendered.whole_text
