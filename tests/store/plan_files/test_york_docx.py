"""York's own plans, written into a Word document and read back as a council's Word plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_store_helpers import Run
from sqlmodel import Session, col, select

from store.db import make_engine
from store.models import Action, Area, Plan, Step
from store.plan_files.docx_writer import plan_to_docx
from store.plan_files.yaml_plan import read_yaml_plan
from store.queries.roles import owner_roles
from store.seed import YORK_PLAN_FILES


def _shape(url: str, key: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            plan = session.exec(select(Plan).where(Plan.key == key)).one()
            shape = []
            areas = session.exec(select(Area).where(Area.plan_id == plan.id).order_by(col(Area.id)))
            for area in areas:
                actions = session.exec(
                    select(Action).where(Action.area_id == area.id).order_by(col(Action.id))
                )
                for action in actions:
                    steps = session.exec(
                        select(Step).where(Step.action_id == action.id).order_by(col(Step.number))
                    )
                    shape.append(
                        (
                            area.ref,
                            area.title,
                            action.ref,
                            action.text,
                            tuple(s.text for s in steps),
                            tuple(r.name for r in owner_roles(session, action.id or 0)),
                            action.planned_due,
                        )
                    )
            return shape
    finally:
        engine.dispose()


@pytest.mark.parametrize("source", YORK_PLAN_FILES, ids=lambda p: p.stem)
def test_york_round_trips_through_word(
    source: Path, tmp_path: Path, fresh_url: str, planbot: Run
) -> None:
    plan = read_yaml_plan(source)
    word = tmp_path / f"{plan.key}.docx"
    word.write_bytes(plan_to_docx(plan))
    assert planbot(fresh_url, "db", "upgrade", "--no-seed").code == 0
    original = planbot(fresh_url, "import", str(source))
    assert original.code == 0, original.err
    copy = planbot(fresh_url, "import", str(word), "--key", "copy", "--prefix", plan.prefix + "W")
    assert copy.code == 0, copy.err

    def unprefixed(rows: list[tuple[object, ...]], prefix: str) -> list[tuple[object, ...]]:
        return [(str(a)[len(prefix) :], t, str(r)[len(prefix) :], *rest) for a, t, r, *rest in rows]

    expected = unprefixed(_shape(fresh_url, plan.key), plan.prefix)
    assert len(expected) == sum(len(area.actions) for area in plan.areas) > 20
    # Areas, action texts, steps, owners (through the directory) and due dates all survive.
    assert unprefixed(_shape(fresh_url, "copy"), plan.prefix + "W") == expected
