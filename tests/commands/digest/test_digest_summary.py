"""The weekly summary's sections and figures for the York store on fixed clocks.

Expected figures are worked out here from the plan files themselves (store/plans/*.yaml): each
action's status from its dated history, its due date from its dates as written (read by a small
reader of this test's own), so the digest's replay and BRAG rules are checked against the
documents, not against themselves.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from commands.brag import RollUp
from commands.clock import Clock
from commands.digest.scope import ALL, Scope, ScopeError, resolve_scope
from commands.digest.summary import LIST_LIMIT, DigestData, compose_digest
from store.models import Action, Reminder, Role, Step
from store.models.status import Rag
from store.queries.roles import assign
from store.queries.state import record_update

PLANS = Path(__file__).resolve().parents[3] / "store" / "plans"
MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}


def read_due(text: str) -> date | None:
    """31/06/2023 -> 30 Jun 2023; "March 2023" -> 31 Mar 2023; "2023" -> 31 Dec 2023."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))
    if m := re.fullmatch(r"([A-Za-z]+) (\d{4})", text):
        month, year = MONTHS[m[1].lower()], int(m[2])
        return date(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31)
    return None


def plan_actions() -> list[dict]:
    """Every action of both York plans, with `status_on(day)` and `due` worked out from YAML."""
    actions = []
    for name in ("york-ofsted-2022.yaml", "york-ambition-2022.yaml"):
        doc = yaml.safe_load((PLANS / name).read_text(encoding="utf-8"))
        for area in doc["areas"]:
            for action in area["actions"]:
                readings = [read_due(t) for t in [*action["dates"], action["timescale"] or ""]]
                dated = [d for d in readings if d]
                steps = []
                if action["dates"] and len(action["dates"]) == len(action["steps"]):
                    for number, text in enumerate(action["dates"], 1):
                        history = action["steps"][number - 1].get("history") or []
                        steps.append(
                            {
                                "ref": f"{action['ref']}.{number}",
                                "due": read_due(text),
                                "history": history,
                            }
                        )
                actions.append(
                    {
                        "ref": action["ref"],
                        "plan": doc["plan"]["key"],
                        "area": area["ref"],
                        "history": action["history"],
                        "due": max(dated) if dated else None,
                        "steps": steps,
                    }
                )
    return actions


def status_on(history: list[dict], day: date) -> str:
    status = "not_started"
    for entry in sorted(history, key=lambda e: e["at"]):
        at = entry["at"] if isinstance(entry["at"], date) else date.fromisoformat(entry["at"])
        if at <= day and entry.get("status"):
            status = entry["status"]
    return status


def is_open(status: str) -> bool:
    return status not in ("done", "dropped")


def expected(day: date) -> dict[str, object]:
    """The figures the summary should show on `day` (09:00), from the plan files alone."""
    actions = plan_actions()
    open_now = [a for a in actions if is_open(status_on(a["history"], day))]
    overdue = [a for a in open_now if a["due"] and a["due"] < day]
    # red for two weeks: overdue on day - 14 as well (nothing in the documents is blocked)
    red_two_weeks = [a for a in overdue if a["due"] < day - timedelta(days=14)]
    soon = [a for a in open_now if a["due"] and day <= a["due"] <= day + timedelta(days=14)]
    overdue_steps = [
        s["ref"]
        for a in open_now
        for s in a["steps"]
        if s["due"] and s["due"] < day and is_open(status_on(s["history"], day))
    ]
    soon_steps = [
        s["ref"]
        for a in open_now
        for s in a["steps"]
        if s["due"]
        and day <= s["due"] <= day + timedelta(days=14)
        and is_open(status_on(s["history"], day))
    ]
    per_plan = {}
    for key in ("ofsted-2022", "ambition-2022"):
        mine = [a for a in actions if a["plan"] == key]
        done = [a for a in mine if status_on(a["history"], day) == "done"]
        red = [a for a in overdue if a["plan"] == key]
        # every open action's last update is the December 2022 document, so it is stale: a real
        # amber (not started and due within 14 days) stays amber, the rest count as unverified
        rest = [a for a in open_now if a["plan"] == key and a not in red]
        amber = [
            a
            for a in rest
            if status_on(a["history"], day) == "not_started"
            and a["due"]
            and a["due"] <= day + timedelta(days=14)
        ]
        per_plan[key] = {
            Rag.RED: len(red),
            Rag.AMBER: len(amber),
            Rag.GREEN: 0,
            "unverified": len(rest) - len(amber),
            Rag.BLUE: len(done),
            "percent": round(100 * len(done) / len(mine)),
            "actions": len(mine),
        }
    return {
        "open": {a["ref"] for a in open_now},
        "overdue": {a["ref"] for a in overdue},
        "decision": {a["ref"] for a in red_two_weeks},
        "newly_red": {a["ref"] for a in overdue} - {a["ref"] for a in red_two_weeks},
        "soon": {a["ref"] for a in soon},
        "overdue_steps": set(overdue_steps),
        "soon_steps": set(soon_steps),
        "plans": per_plan,
    }


def summary(engine: Engine, when: datetime, scope: Scope = ALL):
    with Session(engine) as session:
        return compose_digest(session, scope, Clock.fixed_at(when))


@pytest.mark.parametrize("day", [date(2023, 2, 13), date(2023, 3, 27)])
def test_york_summary_figures_match_the_plan_documents(york_read_only: Engine, day: date) -> None:
    want = expected(day)
    result = summary(york_read_only, datetime(day.year, day.month, day.day, 9, 0))

    assert not result.empty
    assert result.week == day  # both are Mondays
    plans = {p.key: p for p in result.plans}
    for key, figures in want["plans"].items():  # type: ignore[attr-defined]
        plan = plans[key]
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
            assert plan.counts[rag] == figures[rag], (key, rag)
        assert plan.unverified == figures["unverified"], key
        assert plan.percent_complete == figures["percent"]
        assert plan.actions == figures["actions"]

    assert result.totals.open == len(want["open"])  # type: ignore[arg-type]
    assert {i.ref for i in result.overdue if i.kind == "action"} == want["overdue"]
    assert {i.ref for i in result.overdue if i.kind == "step"} == want["overdue_steps"]
    assert result.totals.overdue == len(want["overdue"])  # type: ignore[arg-type]
    assert result.totals.overdue_steps == len(want["overdue_steps"])  # type: ignore[arg-type]
    week_before = expected(day - timedelta(days=7))
    assert result.totals.open_last_week == len(week_before["open"])  # type: ignore[arg-type]
    assert result.totals.overdue_last_week == len(week_before["overdue"])  # type: ignore[arg-type]
    assert {i.ref for i in result.needs_decision} == want["decision"]
    assert {i.ref for i in result.exceptions_red} == want["newly_red"]
    assert {i.ref for i in result.coming_up if i.kind == "action"} == want["soon"]
    assert {i.ref for i in result.coming_up if i.kind == "step"} == want["soon_steps"]
    assert result.changes == ()  # the documents' last dated update is 1 December 2022
    # overdue, newest slips first (the ones the session can still chase), with lead and days
    dues = [i.due for i in result.overdue]
    assert dues == sorted(dues, reverse=True)
    for item in result.overdue:
        assert item.days_overdue == (day - item.due).days  # type: ignore[operator]
        assert item.owner
    # nothing open has been updated since the December 2022 document: all silent (the result
    # carries the first LIST_LIMIT of them and counts the rest)
    assert result.total("silent") == len(want["open"])  # type: ignore[arg-type]
    assert {i.ref for i in result.silent} <= want["open"]  # type: ignore[operator]
    assert len(result.silent) == min(LIST_LIMIT, len(want["open"]))  # type: ignore[arg-type]
    assert all(i.days_since_update == (day - date(2022, 12, 1)).days for i in result.silent)


def test_york_figures_pinned_by_hand_on_13_february_2023(york_read_only: Engine) -> None:
    """Checked against the YAML by hand: the seven actions past their last date on 13 Feb."""
    result = summary(york_read_only, datetime(2023, 2, 13, 9, 0))
    assert [i.ref for i in result.needs_decision] == ["P9.1", "P7.4"]  # due 12 and 31 Dec 2022
    assert [i.ref for i in result.exceptions_red] == ["P1.4", "P6.3", "P7.5", "P8.1", "P9.3"]
    assert [i.days_overdue for i in result.needs_decision] == [63, 44]
    ambition = next(p for p in result.plans if p.key == "ambition-2022")
    # the other 45 open actions have had no update since December: unverified, not amber
    assert (ambition.counts[Rag.RED], ambition.counts[Rag.AMBER]) == (7, 0)
    assert (ambition.counts[Rag.GREEN], ambition.unverified) == (0, 45)
    assert ambition.last_week[Rag.RED] == 7  # all seven were past due on 6 Feb too
    ofsted = next(p for p in result.plans if p.key == "ofsted-2022")
    assert ofsted.counts[Rag.BLUE] == 32 and ofsted.percent_complete == 100
    p7 = next(a for a in result.areas if a.ref == "P7")
    assert (p7.counts[Rag.RED], p7.counts[Rag.AMBER], p7.done, p7.total) == (2, 0, 0, 10)
    assert p7.unverified == 8
    assert p7.next_due == date(2023, 5, 1)  # P7.3.2, 01/05/2023
    assert p7.rollup == RollUp(Rag.RED)
    # P2's five actions are all unverified and none red or amber: the area is Unverified, not Amber
    p2 = next(a for a in result.areas if a.ref == "P2")
    assert (p2.counts[Rag.RED], p2.counts[Rag.AMBER], p2.unverified) == (0, 0, 5)
    assert p2.rollup == RollUp(Rag.GREEN, unverified=True)
    # the trend: weekly points ending today, from the first week planbot tracked every action
    # in scope (the Ambition Plan arrives on 1 Dec 2022: no jump from 22 to 52 open is drawn)
    assert len(result.trend) == 11 and result.trend[-1].on == date(2023, 2, 13)
    assert [(p.on, p.open, p.overdue, p.done, p.planned) for p in result.trend[-3:]] == [
        (date(2023, 1, 30), 52, 2, 0, 2),
        (date(2023, 2, 6), 52, 7, 0, 7),
        (date(2023, 2, 13), 52, 7, 0, 7),
    ]
    assert result.trend[0].on == date(2022, 12, 5) and result.trend[0].open == 52


def test_last_weeks_changes_headline_and_exceptions(york_engine: Engine) -> None:
    """A week of chat updates before 27 Mar 2023: each shows up where the performance session
    looks for it."""
    mash, qa = "UMASH0001", "UQA000001"
    with Session(york_engine) as session:
        actions = {a.ref: a for a in session.exec(select(Action))}
        roles = {r.name: r for r in session.exec(select(Role))}
        at = datetime(2023, 3, 22, 10, 0, tzinfo=UTC)
        assign(session, roles["Head of MASH"], mash, by=None, at=at)
        assign(session, roles["Head of QA"], qa, by=None, at=at)
        record_update(
            session, actions["P7.5"], at=at, source="chat", author=mash, status="blocked",
            note="Blocked: waiting on police data for the missing-episode review.",
        )  # fmt: skip
        record_update(
            session, actions["P1.5"], at=at + timedelta(days=1), source="chat", author=qa,
            status="done", note="Hybrid working report signed off at SLT.",
        )  # fmt: skip
        record_update(
            session, actions["P6.3"], at=at + timedelta(days=2), source="chat", author="Jo Bloggs",
            status="in_progress", due=date(2023, 4, 30), due_as_written="30/04/2023",
        )  # fmt: skip
        p74 = actions["P7.4"]
        session.add(
            Reminder(
                key="P7.4:overdue:2023-03-20", action_id=p74.id, reason="overdue",
                for_date=date(2023, 3, 20), channel="CREMIND01", thread_ts="1679300000.000100",
                claimed_at=datetime(2023, 3, 20, 9, tzinfo=UTC),
                posted_at=datetime(2023, 3, 20, 9, tzinfo=UTC),
            )
        )  # fmt: skip
        step = session.exec(select(Step).where(Step.ref == "P7.5.1")).one()
        session.add(
            Reminder(
                key="P7.5.1:overdue:2023-03-26",
                step_id=step.id,
                reason="overdue",
                for_date=date(2023, 3, 26),
                claimed_at=datetime(2023, 3, 26, 9, tzinfo=UTC),
                posted_at=datetime(2023, 3, 26, 9, tzinfo=UTC),
            )
        )  # fmt: skip (posted yesterday: not yet "left unanswered")
        session.commit()

    result = summary(york_engine, datetime(2023, 3, 27, 8, 30))
    base = expected(date(2023, 3, 27))
    ambition = next(p for p in result.plans if p.key == "ambition-2022")
    # P6.3 moved out of the overdue (red -> green: fresh update, due in 34 days);
    # P1.5 is done (amber -> blue); P7.5 is blocked and was already red.
    red_before = base["plans"]["ambition-2022"][Rag.RED]  # type: ignore[index]
    assert ambition.counts[Rag.RED] == red_before - 1
    assert ambition.last_week[Rag.RED] == red_before
    assert ambition.counts[Rag.BLUE] == 1 and ambition.last_week[Rag.BLUE] == 0
    assert ambition.counts[Rag.GREEN] == 1
    assert ambition.percent_complete == round(100 / 52)

    assert result.totals.completed_this_week == 1
    assert result.totals.blocked == 1
    assert result.totals.open == len(base["open"]) - 1  # type: ignore[arg-type]
    assert result.needs_decision[0].ref == "P7.5"  # blocked comes first
    assert result.needs_decision[0].note.startswith("Blocked: waiting on police")  # type: ignore[union-attr]
    assert "P6.3" not in {i.ref for i in result.overdue}

    changes = {c.ref: c for c in result.changes}
    assert set(changes) == {"P7.5", "P1.5", "P6.3"}
    assert [c.ref for c in result.changes] == ["P6.3", "P1.5", "P7.5"]  # newest first
    assert (changes["P7.5"].old_status, changes["P7.5"].new_status) == ("not_started", "blocked")
    assert changes["P7.5"].author == f"Head of MASH ({mash})"
    assert changes["P1.5"].new_status == "done"
    assert changes["P6.3"].rebaselined
    assert (changes["P6.3"].old_due, changes["P6.3"].new_due) == (
        date(2023, 1, 31),
        date(2023, 4, 30),
    )
    assert changes["P6.3"].author == "Jo Bloggs"
    assert result.rebaselined_this_week == 1

    assert [u.ref for u in result.unanswered] == ["P7.4"]
    assert result.unanswered[0].holders == (qa,)
    assert result.unanswered[0].posted_on == date(2023, 3, 20)
    assert "P7.5" not in {i.ref for i in result.silent}  # updated this week
    assert "P1.5" not in {i.ref for i in result.coming_up}  # done


def test_newly_amber_is_an_exception(york_engine: Engine) -> None:
    """An action the lead reported green last week and at risk this week is listed."""
    with Session(york_engine) as session:
        action = session.exec(select(Action).where(Action.ref == "P2.1")).one()
        record_update(
            session, action, at=datetime(2023, 3, 15, tzinfo=UTC), source="chat",
            status="in_progress", rag="green",
        )  # fmt: skip
        record_update(
            session, action, at=datetime(2023, 3, 24, tzinfo=UTC), source="chat", rag="amber",
            note="Slipping: the Corporate Parenting Board has moved.",
        )  # fmt: skip
        session.commit()
    result = summary(york_engine, datetime(2023, 3, 27, 8, 30))
    assert [i.ref for i in result.exceptions_amber] == ["P2.1"]
    assert result.exceptions_amber[0].note == "Slipping: the Corporate Parenting Board has moved."


def test_empty_week_for_a_finished_plan(york_engine: Engine) -> None:
    with Session(york_engine) as session:
        scope = resolve_scope(session, "ofsted")
    result = summary(york_engine, datetime(2023, 2, 13, 8, 30), scope)
    assert result.empty
    assert result.empty_reason == "nothing is open and nothing changed this week"
    assert result.needs_decision == () and result.areas == ()


def test_empty_store_says_nothing_falls_under_the_scope(empty_engine: Engine) -> None:
    result = summary(empty_engine, datetime(2023, 2, 13, 8, 30))
    assert result.empty
    assert result.empty_reason == "nothing in the plans falls under it"


def test_scopes_as_people_type_them(york_engine: Engine) -> None:
    with Session(york_engine) as session:
        assert resolve_scope(session, "") == ALL
        assert resolve_scope(session, "oa 4").value == "OA4"
        assert resolve_scope(session, "priority 7").value == "P7"
        assert resolve_scope(session, "Ambition Plan").value == "ambition-2022"
        assert resolve_scope(session, '"head of mash"') == Scope(
            "role", "Head of MASH", "Head of MASH"
        )
        with pytest.raises(ScopeError, match="no area OA9"):
            resolve_scope(session, "OA9")
        with pytest.raises(ScopeError, match=r"don't know the scope 'weather'\. Try all"):
            resolve_scope(session, "weather")
        with pytest.raises(ScopeError, match='Did you mean "Head of MASH"'):
            resolve_scope(session, "head of msah")  # a typo is named, not silently followed


def test_area_scope_takes_in_ambition_actions_tagged_with_it(york_engine: Engine) -> None:
    """OA4's Ofsted actions are done; its open work is the Ambition Plan's "(OA4)" actions."""
    with Session(york_engine) as session:
        scope = resolve_scope(session, "OA4")
        tagged = {a.ref for a in session.exec(select(Action)) if "OA4" in (a.oa_refs or [])}
        data = DigestData.load(session, as_of=Clock.fixed_at(date(2023, 2, 13)).now())
    result = data.compose(scope)
    listed = {i.ref for i in (*result.overdue, *result.silent) if i.kind == "action"}
    assert tagged and listed <= tagged | {"OA4.1", "OA4.2", "OA4.3", "OA4.4"}
    assert "P7.5" in listed  # "Ensure consistent analysis of missing from home ... (OA4)"
    assert {a.ref for a in result.areas} >= {"OA4", "P7"}
    assert data.compose(scope) is result  # one snapshot composes each scope once


def test_role_scope_lists_only_that_roles_actions(york_read_only: Engine) -> None:
    result = summary(york_read_only, datetime(2023, 2, 13, 9, 0), Scope("role", "Head of MASH"))
    assert result.overdue and all("Head of MASH" in i.owner for i in result.overdue)
    assert "P7.5" in {i.ref for i in result.exceptions_red}
    assert "P9.1" not in {i.ref for i in result.needs_decision}


def test_step_due_dates_are_listed_under_their_reference(york_read_only: Engine) -> None:
    result = summary(york_read_only, datetime(2023, 3, 27, 9, 0))
    steps = {i.ref: i for i in result.coming_up if i.kind == "step"}
    assert steps["P6.1.2"].due == date(2023, 3, 31)
    assert steps["P6.1.2"].owner.startswith("Head of Corporate Parenting")
