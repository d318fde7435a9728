"""Counts grouped by owner, Head of Service, area or colour, read from York on 15 Feb 2023: the
number first, each group with what it counted, largest first; an action listed only for its
overdue steps is not counted as overdue itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.render import render
from commands.caller import Caller
from commands.clock import Clock
from commands.questions.grouped import GroupedCount, grouping
from commands.request import Request
from commands.router import handle

TODAY = date(2023, 2, 15)


@pytest.fixture
def session(york_read_only: Engine) -> Iterator[Session]:
    with Session(york_read_only) as session:
        yield session


def ask(session: Session, text: str) -> GroupedCount:
    result = handle(session, Request(text, Caller(), Clock.fixed_at(TODAY)))
    assert isinstance(result, GroupedCount), text
    return result


@pytest.mark.parametrize(
    ("text", "kind", "rest"),
    [
        ("which heads of service have the most overdue", "head", "overdue"),
        ("Which HoS has got the most overdue?", "head", "overdue"),
        ("who has the most open actions", "owner", "open actions"),
        ("which area has the most red", "area", "red"),
        ("overdue by area", "area", "overdue"),
        ("how many red by lead?", "owner", "how many red"),
        ("whats open by colour", "colour", "whats open"),
        ("not started per owner", "owner", "not started"),
    ],
)
def test_grouping_words_are_read_and_taken_off(text: str, kind: str, rest: str) -> None:
    assert grouping(text) == (kind, rest)


@pytest.mark.parametrize(
    "text", ["what's overdue", "how many actions are open", "who owns P7.5", "status of OA4"]
)
def test_ordinary_questions_are_not_grouped(text: str) -> None:
    assert grouping(text) is None


def test_heads_of_service_with_the_most_overdue(session: Session) -> None:
    result = ask(session, "which heads of service have the most overdue")
    groups = {g.name: g for g in result.groups}
    assert list(groups)[:2] == ["Head of Corporate Parenting", "Head of QA"]
    assert groups["Head of MASH"].refs == ("P4.4.1", "P7.5", "P7.5.1", "P7.5.2", "P7.5.3",
                                           "P7.5.5")  # fmt: skip
    assert "P5.4" not in groups["Head of Corporate Parenting"].refs  # only its steps are late
    assert "All HoS" not in groups and "Director of Safeguarding" not in groups
    assert result.note is not None and "Director of Safeguarding 4" in result.note
    counts = [g.count for g in result.groups]
    assert counts == sorted(counts, reverse=True)
    assert result.total == len({ref for g in result.groups for ref in g.refs}) == 27
    text = render(result).text.splitlines()
    assert text[0] == "Overdue items, counted by Head of Service (as of 15 Feb 2023)"
    assert text[1] == "27 in all."
    assert text[4].startswith("Head of MASH: 6 (P4.4.1, P7.5,")
    assert result.as_json()["count"] == 27


def test_by_area_and_by_colour_add_up(session: Session) -> None:
    by_area = ask(session, "overdue by area")
    assert {g.name for g in by_area.groups} == {"P1", "P4", "P5", "P6", "P7", "P8", "P9"}
    assert sum(g.count for g in by_area.groups) == by_area.total  # one area an item
    by_colour = ask(session, "what's open by colour")
    assert [g.name for g in by_colour.groups][:2] == ["Unverified", "Red"]
    assert "Blue" not in {g.name for g in by_colour.groups}  # open things are never done
