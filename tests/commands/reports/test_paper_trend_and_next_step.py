"""What a paper's trend and Annex A's next-step column say, read back from the store: each day's
counts replayed from the updates as they stood, a later plan joining on its own date, and the
next step taken from the data (an open step, a decision, evidence) rather than guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.render.paper_chart import trend_alt_text
from commands.reports.facts import PaperFacts, paper_facts
from store.db import session_scope
from store.models import Action
from store.queries.state import record_update

AS_OF = date(2023, 3, 31)


def _facts(engine: Engine, scope: str = "all", as_of: date = AS_OF) -> PaperFacts:
    with Session(engine) as session:
        facts = paper_facts(session, as_of, date(2023, 1, 1), scope)
    assert isinstance(facts, PaperFacts)
    return facts


def test_the_trend_is_replayed_day_by_day_and_the_later_plan_joins_on_its_date(
    york_engine: Engine,
) -> None:
    facts = _facts(york_engine)
    days = [point.on for point in facts.trend]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert (days[0], days[-1]) == (date(2022, 7, 28), AS_OF)  # the Ofsted plan's date to as-of
    assert date(2022, 12, 1) in days  # the Ambition Plan's date is a day of its own
    [ofsted, ambition] = facts.plan_starts
    assert (ofsted.on, ambition.on) == (date(2022, 7, 28), date(2022, 12, 1))

    by_day = {point.on: point for point in facts.trend}
    before, joined = by_day[date(2022, 11, 30)], by_day[date(2022, 12, 1)]
    assert before.open + before.done <= 32 < joined.open + joined.done <= 84
    last = facts.trend[-1]
    tally = {label: sum(dict(a.counts)[label] for a in facts.areas) for label, _ in
             facts.areas[0].counts}  # fmt: skip
    assert last.done == tally["done"]
    assert last.open == tally["in progress"] + tally["not started"] + tally["blocked"]
    assert 0 < last.overdue <= last.open
    alt = trend_alt_text(facts)
    assert alt.startswith("Line chart of the actions open, overdue and done from 28 July 2022")
    assert "The Ambition Plan's actions are counted from 1 December 2022." in alt
    assert f"done went from {facts.trend[0].done} to {last.done}" in alt


def test_an_update_moves_the_trend_from_its_own_day_and_not_before(york_engine: Engine) -> None:
    before = {p.on: p for p in _facts(york_engine, "ambition").trend}
    with session_scope(york_engine) as session:
        action = session.exec(select(Action).where(Action.ref == "P9.2")).one()
        record_update(session, action, at=datetime(2023, 2, 10, 9, tzinfo=UTC),
                      source="slack", status="done", note="Strategy agreed at board")  # fmt: skip
    after = {p.on: p for p in _facts(york_engine, "ambition").trend}
    assert after.keys() == before.keys()
    for day, point in after.items():
        moved = 1 if day >= date(2023, 2, 10) else 0
        assert (point.done, point.open) == (before[day].done + moved, before[day].open - moved)


def test_the_next_step_comes_from_the_data(york_engine: Engine) -> None:
    rows = {row.ref: row for row in _facts(york_engine, "ambition").rows}
    # an action with open steps: its earliest open step, overdue said as such
    assert rows["P1.4"].next_step.startswith("P1.4.1 Introduce a staff leaver conversation")
    assert rows["P1.4"].next_step.endswith("overdue since 1 Jan 2023")
    # an overdue step: agree a date; one due ahead: complete it by then
    assert rows["P1.4.1"].next_step == "Agree a realistic new date"
    assert rows["P1.5.1"].next_step == "Complete by 31 Mar 2023"
    # undated steps are not rows of their own; their action names the first of them
    assert "P1.1.1" not in rows and rows["P1.1"].next_step.startswith("P1.1.1 ")
    # done: nothing further, unless evidence is still to come
    done = {row.ref: row for row in _facts(york_engine, "ofsted").rows}
    assert done["OA1.1"].flag == "Complete" and done["OA1.1"].next_step == ""
