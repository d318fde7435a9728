"""Importing plans: every judgement the report makes, and re-imports that keep history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from plan_store_helpers import PLANS, Run, dump_tables, url_of
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.db import make_engine
from store.models import Action, Role, StatusUpdate, Step
from store.queries.history import find_item
from store.queries.state import updates_for

SMALL_PLAN = """
plan:
  key: test-plan
  title: Test Plan
  prefix: T
  document_date: 2022-12-01
areas:
  - ref: T1
    title: First area
    strategic_lead: Head of Testing
    actions:
      - ref: T1.1
        title: Dates of every kind
        owners: ["Head of Testing"]
        dates: ["31/11/2022", "March 2023", "2024", "31/03/2022"]
        steps:
          - text: Day past the month's end
          - text: Month without a day
          - text: Year without a day
          - text: Before the plan's own year
      - ref: T1.2
        title: More dates than steps
        owners: ["Quality Lead"]
        dates: ["31/01/2023", "28/02/2023", "31/03/2023"]
        steps:
          - text: One
          - text: Two
      - ref: T1.3
        title: Nobody owns this
        timescale: Quarterly reporting
      - ref: T1.4
        title: A person, not a role
        owners: ["Jane Smith"]
        dates: ["Ongoing"]
        steps:
          - text: Keep going
"""


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_the_report_lists_every_judgement_and_dates_are_kept_as_written(
    tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    result = planbot(fresh_url, "import", str(_write(tmp_path, "small.yaml", SMALL_PLAN)))
    assert result.code == 0, result.err
    out = result.out
    expected = [
        "T1.1: '31/11/2022' has a day past the month's end; read as 2022-11-30",
        "T1.1: 'March 2023' is a month without a day; read as 2023-03-31",
        "T1.1: '2024' is a year without a day; read as 2024-12-31",
        "T1.1: '31/03/2022' falls before the financial year of the plan's own date",
        "T1.2: 3 date(s) for 2 step(s); dates cannot be matched to steps",
        "T1.3: no owner is named",
        "T1.3: 'Quarterly reporting' is a quarterly cadence",
        "T1: role 'Head of Testing' seen for the first time",
        "T1.2: role 'Quality Lead' seen for the first time",
        "T1.4: owner 'Jane Smith' looks like a person's name",
        "T1.4: 'Ongoing' is ongoing work with no due date; kept as written",
    ]
    missing = [line for line in expected if line not in out]
    assert missing == []
    assert "test-plan (Test Plan): 1 areas, 4 actions, 7 steps" in out
    assert "  T1: 4 actions, 7 steps" in out

    # Dates are stored as written, with the day read from them.
    engine = make_engine(fresh_url)
    with Session(engine) as session:
        steps = {s.ref: s for s in session.exec(select(Step))}
        assert steps["T1.1.1"].planned_due_as_written == "31/11/2022"
        assert str(steps["T1.1.1"].planned_due) == "2022-11-30"
        assert str(steps["T1.1.2"].planned_due) == "2023-03-31"
        assert steps["T1.2.1"].planned_due is None  # unmatched: the dates stay on the action
        assert steps["T1.4.1"].planned_due is None and steps["T1.4.1"].cadence is None
        action = find_item(session, "T1.2")
        assert isinstance(action, Action)
        assert action.planned_due_as_written == "31/01/2023; 28/02/2023; 31/03/2023"
        assert str(action.due_date) == "2023-03-31"
        t13 = find_item(session, "T1.3")
        assert isinstance(t13, Action) and t13.cadence == "quarterly" and t13.due_date is None
        names = {role.name for role in session.exec(select(Role))}
        assert {"Head of Testing", "Quality Lead", "Jane Smith"} <= names
    engine.dispose()

    # Another council's prefix is a reference like OA and P are.
    history = planbot(fresh_url, "ask", "history of t 1.2")
    assert history.code == 0, history.err
    assert history.out.startswith("T1.2 More dates than steps")


def _changed_ambition(tmp_path: Path) -> Path:
    """York's Ambition Plan with a title, a date and a step changed, P9.6 and P7.5.5 gone."""
    data = yaml.safe_load((PLANS / "york-ambition-2022.yaml").read_text(encoding="utf-8"))
    p7 = next(area for area in data["areas"] if area["ref"] == "P7")
    p75 = next(action for action in p7["actions"] if action["ref"] == "P7.5")
    p75["title"] = "Ensure consistent analysis of missing episodes (retitled). (OA4)"
    p75["dates"] = ["30/11/2022", "31/01/2023", "31/03/2023", "Ongoing"]
    p75["steps"] = p75["steps"][:4]
    p75["steps"][0]["text"] = "Develop a quality assurance process (reworded)."
    p9 = next(area for area in data["areas"] if area["ref"] == "P9")
    p9["actions"] = [a for a in p9["actions"] if a["ref"] != "P9.6"]
    return _write(tmp_path, "ambition-changed.yaml", yaml.safe_dump(data, allow_unicode=True))


def test_reimport_updates_in_place_keeps_history_and_reports_vanished_rows(
    tmp_path: Path, york_url: str, york_engine: Engine, planbot: Run
) -> None:
    with Session(york_engine) as session:
        p75 = find_item(session, "P7.5")
        p96 = find_item(session, "P9.6")
        assert isinstance(p75, Action) and isinstance(p96, Action)
        ids = (p75.id, p96.id)
        history_before = len(session.exec(select(StatusUpdate)).all())

    result = planbot(york_url, "import", str(_changed_ambition(tmp_path)))
    assert result.code == 0, result.err
    assert "In the store but not in the file (kept, not deleted):" in result.out
    assert "  P9.6 " in result.out and "  P7.5.5 " in result.out
    assert "Changed: " in result.out and "P7.5" in result.out.split("Changed: ")[1]

    with Session(york_engine) as session:
        p75 = find_item(session, "P7.5")
        p96 = find_item(session, "P9.6")
        assert isinstance(p75, Action) and isinstance(p96, Action)
        assert (p75.id, p96.id) == ids  # updated in place, not re-created
        assert p75.title == "Ensure consistent analysis of missing episodes (retitled). (OA4)"
        steps = {s.ref: s for s in session.exec(select(Step).where(Step.action_id == p75.id))}
        assert steps["P7.5.1"].text == "Develop a quality assurance process (reworded)."
        assert str(steps["P7.5.1"].planned_due) == "2022-11-30"
        assert str(steps["P7.5.3"].planned_due) == "2023-03-31"
        assert steps["P7.5.5"].missing_from_source and not steps["P7.5.4"].missing_from_source
        assert p96.missing_from_source
        assert len(session.exec(select(StatusUpdate)).all()) == history_before


def test_reimport_after_chat_updates_keeps_them(
    tmp_path: Path, york_url: str, york_engine: Engine, planbot: Run
) -> None:
    from store.queries.state import record_update

    with Session(york_engine) as session:
        step = find_item(session, "P7.5.1")
        assert isinstance(step, Step)
        record_update(
            session,
            step,
            at=datetime(2023, 1, 10, 9, 30, tzinfo=UTC),
            source="chat",
            author="U0LEAD",
            status="blocked",
            note="waiting on police data",
        )
        session.commit()
    result = planbot(york_url, "import", str(PLANS / "york-ambition-2022.yaml"))
    assert result.code == 0, result.err
    assert "status updates added: 0" in result.out
    with Session(york_engine) as session:
        step = find_item(session, "P7.5.1")
        assert isinstance(step, Step)
        assert step.status == "blocked"
        assert [u.note for u in updates_for(session, step)][-1] == "waiting on police data"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps": [{"text": "x", "due": "31/13/2023"}]}, "no month 13"),
        ({"dates": ["45/01/2023"], "steps": [{"text": "x"}]}, "no day 45"),
        ({"history": [{"at": "2023-01-01", "status": "finished"}]}, "status 'finished'"),
        ({"history": [{"at": "2023-01-01", "source": "rumour"}]}, "source 'rumour'"),
        ({"history": [{"at": "2023-01-01", "corrects": 3}]}, "not an earlier entry"),
        ({"ref": "T2.1"}, "should be T1.N"),
        ({"owners": ["x" * 201]}, "at most 200"),
    ],
)
def test_bad_yaml_values_are_refused_by_path(
    tmp_path: Path, york_shared: Engine, planbot: Run, change: dict[str, object], message: str
) -> None:
    data = yaml.safe_load(SMALL_PLAN)
    data["areas"][0]["actions"][2].update(change)
    path = _write(tmp_path, "bad.yaml", yaml.safe_dump(data))
    before = dump_tables(york_shared)
    result = planbot(url_of(york_shared), "import", str(path))
    assert dump_tables(york_shared) == before
    assert result.code == 1
    assert message in result.err
    assert "bad.yaml: areas[0].actions[2]" in result.err
    assert len(result.err.strip().splitlines()) == 1
