"""The summary as Slack shows it: within Slack's limits at any size, readable as plain text, and
its chart a real PNG of the right content."""

from __future__ import annotations

import io
import json
import struct
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from slack_sdk.models.blocks import Block
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.render import render
from bot.render.chart import COLOURS, UNVERIFIED_COLOUR, chart_png
from bot.render.digest import (
    SECTION_LIMIT,
    SEE_ALL,
    Line,
    Section,
    fit,
    item_line,
    render_digest,
)
from commands.clock import Clock
from commands.digest.result import DigestResult
from commands.digest.scope import ALL, Scope, resolve_scope
from commands.digest.subscriptions import DigestSubscriptionResult
from commands.digest.summary import compose_digest
from store.models import Action, Area, Plan, Reminder
from store.models.status import Rag
from store.queries.state import record_update

# what people read: the answers' queries are pinned on PostgreSQL in tests/commands
pytestmark = pytest.mark.engine_independent

FEB_13 = datetime(2023, 2, 13, 8, 30)


def york(engine: Engine, when: datetime = FEB_13, scope: Scope = ALL) -> DigestResult:
    with Session(engine) as session:
        return compose_digest(session, scope, Clock.fixed_at(when))


def assert_within_slack_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= 50
    for raw in blocks:
        Block.parse(raw).validate_json()  # type: ignore[union-attr]
        if raw["type"] == "section":
            assert len(raw["text"]["text"]) <= 3000
        if raw["type"] == "header":
            assert len(raw["text"]["text"]) <= 150


def big_plan(engine: Engine, actions: int) -> None:
    """A made-up plan far bigger than York's: every action overdue, changed this week, with long
    titles and notes that try to ping the channel."""
    at = datetime(2023, 2, 10, 9, tzinfo=UTC)
    with Session(engine) as session:
        plan = Plan(key="synthetic", title="Synthetic Plan", prefix="S")
        session.add(plan)
        session.flush()
        areas = []
        for number in range(1, 31):
            area = Area(
                plan_id=plan.id, ref=f"S{number}", number=number, title=f"Area {number} " * 8
            )
            session.add(area)
            areas.append(area)
        session.flush()
        for n in range(actions):
            area = areas[n % len(areas)]
            action = Action(
                plan_id=plan.id, area_id=area.id, ref=f"{area.ref}.{n // len(areas) + 1}",
                number=n // len(areas) + 1, title=f"<!channel> Deliver workstream {n} " + "x" * 150,
                text="…", planned_due=date(2023, 1, 1) + timedelta(days=n % 40), position=n,
            )  # fmt: skip
            session.add(action)
            session.flush()
            record_update(
                session, action, at=at, source="chat", author="UALICE001", status="blocked",
                note="<@U0BADGUY> " + "A long progress note that goes on. " * 20,
            )  # fmt: skip
        session.commit()


def test_york_summary_reads_in_order_and_within_limits(york_read_only: Engine) -> None:
    rendered = render(york(york_read_only))
    assert_within_slack_limits(rendered.blocks)
    text = rendered.text
    order = [
        "Weekly summary: All plans · week of 13 Feb 2023",
        "As of Mon 13 Feb 2023 08:30 (Europe/London).",
        "Red = overdue, blocked or off track.",
        "HEADLINE",
        "Ambition Plan (52 actions): Red 7 · Amber 0 · Green 0 · Unverified 45 · Blue 0 · 0%",
        "Open 52 · Overdue 7 and 23 steps",
        "NEEDS A DECISION (2)",
        "EXCEPTIONS: 5 OTHER RED, 0 NEWLY AMBER",
        "OVERDUE, NEWEST SLIPS FIRST (30)",
        "COMING UP: DUE IN THE NEXT 14 DAYS (0)",
        "CHANGES IN THE LAST 7 DAYS (0)",
        "NO UPDATE FOR 28+ DAYS (52)",
        "AREA ROLL-UP (16)",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert (
        "[Red] P9.1 Strengthen the pace of change and accountability through the…\n"
        "   Corporate Director of Children's Services · not started · due 12 Dec 2022 "
        "(63 days overdue) · last update 74 days ago · /plan history P9.1"
    ) in text
    assert "[Red] P7 Practice — R2 A0 G0 B0 U8 · 0/10 done · next due 1 May 2023" in text
    # every overdue item is in the post or its thread, each action's steps folded under it
    result = york(york_read_only)
    posted = "\n".join([text, *(reply.text for reply in rendered.thread)])
    overdue = posted[posted.index("OVERDUE, NEWEST SLIPS FIRST") : posted.index("COMING UP")]
    assert all(item.ref in overdue for item in result.overdue) and result.total("overdue") == 30
    assert "…and" not in overdue
    assert (
        "[Red] P7.5 Ensure consistent analysis of missing from home / care episodes. (OA4)\n"
        "   Head of MASH · not started · due 31 Jan 2023 (13 days overdue) · "
        "4 steps too: P7.5.2, P7.5.1, P7.5.3, P7.5.5 · /plan history P7.5"
    ) in overdue
    assert (
        "[Red] P5.7: 2 of its steps\n   Head of Corporate Parenting · P5.7.1 due 31 Jan 2023 "
        "(13 days overdue); P5.7.2 due 31 Jan 2023 (13 days overdue) · /plan history P5.7"
    ) in overdue
    assert "<@" not in text and "<!" not in text


def test_exceptions_say_other_red_when_every_red_item_needs_a_decision(
    york_read_only: Engine,
) -> None:
    """On 27 Feb all seven red actions have been red for two weeks: they are listed as needing a
    decision, and the exceptions section must not read as if nothing were red."""
    result = york(york_read_only, datetime(2023, 2, 27, 8, 30))
    assert result.total("needs_decision") == 7 and result.total("exceptions_red") == 0
    text = render(result).text
    assert (
        "EXCEPTIONS: 0 OTHER RED, 0 NEWLY AMBER\nNo red item besides those needing a decision"
        in (text)
    )
    assert "None this week" not in text


def test_every_listed_item_shows_reference_owner_status_and_due_date(
    york_read_only: Engine,
) -> None:
    result = york(york_read_only)
    text = render(result).text
    lists = (result.needs_decision, result.exceptions_red, result.overdue, result.silent)
    for item in (i for items in lists for i in items):
        rendered = item_line(item).plain
        head, details = rendered.split("\n")[:2]
        label = "Unverified" if item.unverified else item.rag.value.capitalize()
        assert head.startswith(f"[{label}] {item.ref} ")
        assert len(head) <= 90  # the first line fits a phone's width in two rows at most
        owner, status, due = details.strip().split(" · ")[:3]
        assert (owner, status) == (item.owner, item.status.replace("_", " "))
        if item.due:
            assert due.startswith(f"due {item.due.day} {item.due:%b %Y}")
        else:
            assert due == (f"due {item.due_as_written}" if item.due_as_written else "no due date")
    # the first entry of each list is in the summary, its details on the next line
    for items in lists:
        head = item_line(items[0]).plain.split("\n")[0]
        assert f"{head}\n   {items[0].owner} · " in text


def test_changes_and_unanswered_reminders_name_owner_status_and_due(york_engine: Engine) -> None:
    at = datetime(2023, 3, 22, 10, 0, tzinfo=UTC)
    with Session(york_engine) as session:
        actions = {a.ref: a for a in session.exec(select(Action))}
        record_update(
            session, actions["P7.5"], at=at, source="chat", author="UMASH0001",
            status="blocked", note="Waiting on police data <!channel>",
        )  # fmt: skip
        session.add(
            Reminder(
                key="P7.4:overdue:2023-03-20", action_id=actions["P7.4"].id, reason="overdue",
                for_date=date(2023, 3, 20), claimed_at=datetime(2023, 3, 20, 9, tzinfo=UTC),
                posted_at=datetime(2023, 3, 20, 9, tzinfo=UTC),
            )
        )  # fmt: skip
        session.commit()
    text = render(york(york_engine, datetime(2023, 3, 27, 8, 30))).text
    assert (
        "22 Mar · P7.5 Ensure consistent analysis of missing from home / care episodes. (OA4)\n"
        "   Head of MASH · not started → blocked · due 31 Jan 2023 · by UMASH0001\n"
        "   “Waiting on police data &lt;!channel&gt;” · /plan history P7.5"
    ) in text
    assert (
        "• P7.4 All practitioners receive high quality supervision in line with…\n"
        "   Head of QA · not started · due 31 Dec 2022 · overdue reminder of 20 Mar unanswered"
        " · nobody holds Head of QA · /plan history P7.4"
    ) in text


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=2900), max_size=80),
    extra=st.integers(min_value=0, max_value=100_000),
)
def test_a_section_never_exceeds_slacks_limit_and_counts_what_it_leaves_out(
    sizes: list[int], extra: int
) -> None:
    lines = [Line("r" * n, "p") for n in sizes]
    total = len(lines) + extra  # a list may carry fewer entries than it counts
    rich, plain = fit(Section("Title", lines, total, empty="Nothing."))
    assert len(rich) <= SECTION_LIMIT
    shown = plain.count("\np")
    if shown < total:
        assert rich.endswith(f"_…and {total - shown} more — {SEE_ALL}_")
    else:
        assert "more" not in rich


def test_change_since_last_week_is_shown_beside_each_colour(york_read_only: Engine) -> None:
    result = york(york_read_only, datetime(2023, 2, 6, 8, 30))
    text = render(result).text
    # P1.4, P6.3, P7.5, P8.1 and P9.3 fell due on 31 January: red 2 -> 7, overdue 2 -> 7
    # a week earlier the five were not started and due within 14 days: a real amber, now red;
    # the 45 with no update since December stay unverified, not amber
    assert (
        "Ambition Plan (52 actions): Red 7 (+5) · Amber 0 (-5) · Green 0 · Unverified 45 ·" in text
    )
    steps = result.totals.overdue_steps  # checked against the documents in the summary's tests
    assert f"Open 52 · Overdue 7 (+5) and {steps} steps ·" in text


def test_empty_week_is_one_line(york_read_only: Engine) -> None:
    rendered = render(
        york(york_read_only, scope=Scope("plan", "ofsted-2022", "Ofsted Action Plan"))
    )
    assert rendered.text == (
        "Weekly summary: Ofsted Action Plan · week of 13 Feb 2023: nothing to report — "
        "nothing is open and nothing changed this week."
    )
    assert len(rendered.blocks) == 1
    assert_within_slack_limits(rendered.blocks)


def test_hundreds_of_items_stay_within_slack_limits(empty_engine: Engine) -> None:
    big_plan(empty_engine, 400)
    result = york(empty_engine)
    assert result.total("overdue") == 400 and result.total("changes") == 400
    rendered = render_digest(result)
    assert_within_slack_limits(rendered.blocks)
    sections = [b["text"]["text"] for b in rendered.blocks if b["type"] == "section"]
    assert any(s.startswith("*Overdue, newest slips first (400)*") for s in sections)
    overdue = next(s for s in sections if s.startswith("*Overdue"))
    shown = overdue.count("/plan history")
    # what the post cannot hold goes into its thread, never into "…and N more" alone
    assert overdue.endswith(f"_…and {400 - shown} more overdue in the thread below_")
    replies = [r for r in rendered.thread if r.text.startswith("OVERDUE, NEWEST SLIPS FIRST")]
    assert replies and all(len(r.text) <= 2500 for r in replies)
    for reply in replies:
        assert_within_slack_limits(reply.blocks)
    in_thread = sum(r.text.count("/plan history") for r in replies)
    assert shown + in_thread == 50  # every entry the summary carries is posted…
    assert replies[-1].text.endswith(  # …and the rest are counted, with where to ask
        f"…and {400 - 50} more — ask me “anything overdue?” for the full list"
    )
    assert "<!channel>" not in rendered.text and "<@U0BADGUY>" not in rendered.text
    assert "&lt;!channel&gt;" in overdue
    assert len(rendered.text) < 40_000  # Slack truncates text beyond 40,000 characters


def test_a_scope_title_cannot_ping_anyone(york_engine: Engine) -> None:
    with Session(york_engine) as session:
        for area in session.exec(select(Area).where(Area.ref.in_(["P7", "OA1"]))):  # type: ignore[attr-defined]
            area.title = f"{area.title} <!channel> <@U0BADGUY>"
            session.add(area)
        session.commit()
        practice, records = (resolve_scope(session, ref) for ref in ("P7", "OA1"))
    for scope in (practice, records):  # a summary with content, and an empty week's one line
        rendered = render(york(york_engine, scope=scope))
        everything = rendered.text + json.dumps(rendered.blocks)
        assert "<!channel>" not in everything and "<@U0BADGUY>" not in everything
        assert "&lt;!channel&gt;" in rendered.text  # shown, harmlessly


def test_subscription_answers_render(york_read_only: Engine) -> None:
    refused = DigestSubscriptionResult(
        "refused", "Only the person who set it up or a planbot admin can stop this summary.",
        contact="UALICE001",
    )  # fmt: skip
    rendered = render(refused)
    assert rendered.text.endswith("(set up by <@UALICE001>)")
    assert_within_slack_limits(rendered.blocks)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_of_areas_by_colour_and_the_trend(york_read_only: Engine) -> None:
    result = york(york_read_only)
    data = chart_png(result)
    assert png_size(data) == (1100, 500)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = {image.getpixel((x, y)) for x in range(0, 1100, 3) for y in range(0, 500, 3)}

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    # York on 13 Feb: blue (the done Ofsted areas), unverified and red bars; no green or amber
    for rag in (Rag.BLUE, Rag.RED):
        assert rgb(COLOURS[rag]) in colours, rag
    assert rgb(UNVERIFIED_COLOUR) in colours
    assert rgb(COLOURS[Rag.GREEN]) not in colours
    assert rgb(COLOURS[Rag.AMBER]) not in colours
    assert len(data) < 120_000


def test_chart_of_a_huge_scope_keeps_twenty_areas(empty_engine: Engine) -> None:
    big_plan(empty_engine, 300)
    data = chart_png(york(empty_engine))
    assert png_size(data) == (1100, 500)
