"""Export -> import into an empty database -> export gives the same file, in every format."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from plan_store_helpers import FORMULA_START, HOSTILE_CSV, PLANS, Run, plan_content, url_of
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.models import Action, StatusUpdate, Step
from store.plan_files.exporter import export_plans
from store.plan_files.yaml_plan import plan_to_yaml, read_yaml_plan
from store.queries.history import find_item
from store.queries.state import record_update, replay, updates_for
from store.seed import YORK_PLAN_FILES

ROLES = str(PLANS / "york-roles.yaml")


def _add_chat_history(engine: Engine) -> None:
    """Updates as people make them in chat: a rebaseline, an edit, a deleted message."""
    with Session(engine) as session:
        step = find_item(session, "P7.5.1")
        other = find_item(session, "P7.5.2")
        assert isinstance(step, Step) and isinstance(other, Step)
        first = record_update(
            session,
            step,
            at=datetime(2023, 1, 9, 10, 15, 30, 123456, tzinfo=UTC),
            source="chat",
            author="U0LEAD",
            status="in_progress",
            rag="amber",
            due=date(2023, 2, 28),
            due_as_written="end of Feb",
            note="QA process drafted; needs sign-off",
            channel="C0PLAN",
            message_ts="1673259330.000100",
        )
        record_update(
            session,
            step,
            at=datetime(2023, 1, 9, 10, 20, tzinfo=UTC),
            source="chat",
            author="U0LEAD",
            status="blocked",
            note="QA process drafted; waiting on police data",
            channel="C0PLAN",
            message_ts="1673259330.000100",
            corrects=first,
        )
        other_reply = record_update(
            session,
            other,
            at=datetime(2023, 1, 10, 8, 0, tzinfo=UTC),
            source="chat",
            author="U0OTHER",
            status="done",
            channel="C0PLAN",
            message_ts="1673337600.000200",
            note="terms of reference agreed",
        )
        # The reply was edited to speak of the other step, then deleted.
        moved = record_update(
            session,
            step,
            at=datetime(2023, 1, 10, 8, 5, tzinfo=UTC),
            source="chat",
            author="U0OTHER",
            note="terms of reference agreed (meant the QA process)",
            channel="C0PLAN",
            message_ts="1673337600.000200",
            corrects=other_reply,
        )
        moved.deleted = True
        session.add(moved)
        replay(session, other)
        session.commit()


def _export(planbot: Run, url: str, kind: str, out: Path | None = None) -> str:
    argv = ["export", "--format", kind] + (["--out", str(out)] if out else [])
    result = planbot(url, *argv)
    assert result.code == 0, result.err
    return result.out


def test_yaml_round_trip_keeps_the_store_and_the_file(
    tmp_path: Path, york_url: str, york_engine: Engine, fresh_url: str, planbot: Run
) -> None:
    _add_chat_history(york_engine)
    first = _export(planbot, york_url, "yaml")
    assert "superseded: true" in first and "deleted: true" in first
    assert "corrects: P7.5.2#" in first
    exported = tmp_path / "plans.yaml"
    exported.write_text(first, encoding="utf-8")

    imported = planbot(fresh_url, "import", "--roles", ROLES, str(exported))
    assert imported.code == 0, imported.err
    second = _export(planbot, fresh_url, "yaml")
    assert second == first

    with Session(york_engine) as session:
        assert len(session.exec(select(StatusUpdate)).all()) > 110
    from store.db import make_engine

    copy = make_engine(fresh_url)
    try:
        assert plan_content(copy) == plan_content(york_engine)
        with Session(copy) as session:
            step = find_item(session, "P7.5.1")
            assert isinstance(step, Step)
            # The edit replaced the first reply, its colour and new date with it.
            assert (step.status, step.declared_rag, str(step.due_date)) == (
                "blocked",
                None,
                "2022-11-30",
            )
            edits = [u for u in updates_for(session, step) if u.source == "chat"]
            assert [(u.superseded, u.deleted) for u in edits] == [
                (True, False),
                (False, False),
                (False, True),
            ]
            assert edits[1].corrects_id == edits[0].id
            other = find_item(session, "P7.5.2")
            assert other is not None and other.status == "not_started"
            moved_from = session.get(StatusUpdate, edits[2].corrects_id)
            assert moved_from is not None and moved_from.step_id == other.id
    finally:
        copy.dispose()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_spreadsheet_round_trip_gives_the_same_sheet(
    kind: str, tmp_path: Path, york_url: str, york_engine: Engine, fresh_url: str, planbot: Run
) -> None:
    _add_chat_history(york_engine)
    first_path = tmp_path / f"first.{kind}"
    second_path = tmp_path / f"second.{kind}"
    _export(planbot, york_url, kind, first_path)
    imported = planbot(fresh_url, "import", "--roles", ROLES, str(first_path))
    assert imported.code == 0, imported.err
    assert "ambition-2022 (Ambition Plan): 9 areas, 52 actions, 118 steps" in imported.out
    _export(planbot, fresh_url, kind, second_path)
    if kind == "csv":
        first = first_path.read_bytes()
        assert first.startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8"
        assert second_path.read_bytes() == first
        assert "P7.5.1" in first.decode("utf-8-sig")
    else:
        assert _cells(second_path) == _cells(first_path)
        assert _cells(first_path)[0][:3] == ("plan_key", "plan_title", "council")

    from store.db import make_engine

    copy = make_engine(fresh_url)
    try:
        with Session(copy) as session:
            step = find_item(session, "P7.5.1")
            assert isinstance(step, Step)
            assert step.status == "blocked"  # the current status travels in the sheet
            assert step.planned_due_as_written == "31/11/2022"
    finally:
        copy.dispose()


def _cells(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_csv_to_stdout_round_trips(
    tmp_path: Path, york_shared: Engine, fresh_url: str, planbot: Run
) -> None:
    first = _export(planbot, url_of(york_shared), "csv")
    assert first.startswith("plan_key,plan_title,council,plan_prefix,plan_source,plan_date,kind")
    path = tmp_path / "plans.csv"
    path.write_text(first, encoding="utf-8", newline="")
    assert planbot(fresh_url, "import", str(path)).code == 0
    assert _export(planbot, fresh_url, "csv") == first


def test_export_of_the_seeded_store_is_the_shipped_plans(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        exported = export_plans(session)
    assert [plan.key for plan in exported] == ["ofsted-2022", "ambition-2022"]
    for plan, path in zip(exported, YORK_PLAN_FILES, strict=True):
        assert plan_to_yaml(plan) == plan_to_yaml(read_yaml_plan(path))


def test_matched_step_dates_are_not_written_twice(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        (plan,) = export_plans(session, ["ambition-2022"])
    p75 = next(a for area in plan.areas for a in area.actions if a.ref == "P7.5")
    assert p75.dates == ["31/11/2022", "31/01/2023", "31/03/2022", "Ongoing", "31/03/2022"]
    assert [step.due for step in p75.steps] == [None] * 5
    written = yaml.safe_load(plan_to_yaml(plan))
    p7 = next(area for area in written["areas"] if area["ref"] == "P7")
    steps = next(action for action in p7["actions"] if action["ref"] == "P7.5")["steps"]
    assert [sorted(step) for step in steps] == [["text"]] * 5


def test_export_of_one_plan_and_of_an_unknown_plan(york_shared: Engine, planbot: Run) -> None:
    york_url = url_of(york_shared)
    one = planbot(york_url, "export", "--plan", "ofsted-2022")
    assert one.code == 0 and "key: ofsted-2022" in one.out and "ambition-2022" not in one.out
    unknown = planbot(york_url, "export", "--plan", "leeds-2024")
    assert unknown.code == 1
    assert unknown.err.strip() == (
        "planbot: no plan 'leeds-2024' in the store (plans: ofsted-2022, ambition-2022)"
    )


def test_cells_that_would_run_as_formulas_export_as_text_and_import_back_exactly(
    tmp_path: Path, york_url: str, york_engine: Engine, fresh_url: str, planbot: Run
) -> None:
    """A plan whose cells a spreadsheet would run (OWASP's examples) goes through import, CSV
    export and import again into another database without a live formula and without a change."""
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(HOSTILE_CSV, encoding="utf-8", newline="")
    assert planbot(york_url, "import", str(hostile)).code == 0
    first = _export(planbot, york_url, "csv", None)
    cells = [cell for row in csv.reader(io.StringIO(first, newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    exported = tmp_path / "exported.csv"
    exported.write_text(first, encoding="utf-8", newline="")
    assert planbot(fresh_url, "import", str(exported)).code == 0
    assert _export(planbot, fresh_url, "csv", None) == first

    from store.db import make_engine

    copy = make_engine(fresh_url)
    try:
        with Session(copy) as session:
            action = find_item(session, "D1.1")
            assert action is not None
            assert isinstance(action, Action) and (action.title, action.text) == ("+1+1", "-2+3")
    finally:
        copy.dispose()
