"""York's two shipped plans: counts per area, texts, owners and dates against the documents."""

from __future__ import annotations

import re
from datetime import date

import pytest
from plan_store_helpers import PLANS, SEEDS, Run
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.models import Action, Area, Measure, Plan, Step
from store.queries.history import find_item
from store.queries.roles import owner_roles
from store.queries.state import derive_state, updates_for

OFSTED = {"OA1": 6, "OA2": 6, "OA3": 4, "OA4": 4, "OA5": 4, "OA6": 3, "OA7": 5}
AMBITION = {"P1": 5, "P2": 5, "P3": 3, "P4": 5, "P5": 13, "P6": 3, "P7": 10, "P8": 2, "P9": 6}
AMBITION_STEPS = {"P1": 7, "P2": 11, "P3": 10, "P4": 10, "P5": 28, "P6": 7, "P7": 26, "P8": 5}
AMBITION_STEPS["P9"] = 14


def _area_counts(report: str) -> dict[str, tuple[int, int]]:
    return {
        ref: (int(actions), int(steps))
        for ref, actions, steps in re.findall(
            r"^  (\w+): (\d+) actions, (\d+) steps$", report, re.M
        )
    }


def test_dry_run_of_the_shipped_files_counts_every_row(fresh_url: str, planbot: Run) -> None:
    result = planbot(
        fresh_url,
        "import",
        "--dry-run",
        str(PLANS / "york-ofsted-2022.yaml"),
        str(PLANS / "york-ambition-2022.yaml"),
    )
    assert result.code == 0, result.err
    counts = _area_counts(result.out)
    assert {ref: counts[ref][0] for ref in OFSTED} == OFSTED
    assert {ref: counts[ref][0] for ref in AMBITION} == AMBITION
    assert {ref: counts[ref][1] for ref in AMBITION} == AMBITION_STEPS
    assert all(counts[ref][1] == 0 for ref in OFSTED)  # the Ofsted plan has no step bullets
    assert "ofsted-2022 (Ofsted Action Plan): 7 areas, 32 actions, 0 steps" in result.out
    assert "ambition-2022 (Ambition Plan): 9 areas, 52 actions, 118 steps" in result.out
    assert result.out.startswith("Dry run: nothing was written.")
    judgements = result.out.split("Judgements (")[1]
    for expected in [
        "P5.7: '31/06/2023' has a day past the month's end; read as 2023-06-30",
        "P7.4: '31/11/2022' has a day past the month's end; read as 2022-11-30",
        "P4.4: 'March 2023' is a month without a day; read as 2023-03-31",
        "P8.2: '2023' is a year without a day; read as 2023-12-31",
        "P8.2: 4 date(s) for 3 step(s); dates cannot be matched to steps",
        "P9.3: 2 date(s) for 4 step(s); dates cannot be matched to steps",
        "P7.5: '31/03/2022' falls before the financial year of the plan's own date",
        "OA6.1: no owner is named",
        "P5.13: no owner is named",
        "OA1.5: 'Quarterly reporting' is a quarterly cadence",
        "OA1.1: role 'Head of MASH' seen for the first time",
        "P2.3: owner 'Head of Innovation and PSW' read as two roles",
        "P7.2: owner 'Lesley Furnivall' looks like a person's name, not a role",
    ]:
        assert expected in judgements
    assert judgements.count("looks like a person's name") == 1
    assert judgements.count("no owner is named") == 6


def test_dry_run_writes_nothing(fresh_url: str, planbot: Run, empty_engine: Engine) -> None:
    result = planbot(fresh_url, "import", "--dry-run", str(PLANS / "york-ofsted-2022.yaml"))
    assert result.code == 0, result.err
    with Session(empty_engine) as session:
        assert session.exec(select(Plan)).all() == []
        assert session.exec(select(Action)).all() == []


def test_the_seeded_store_holds_both_plans(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        plans = {p.key: p for p in session.exec(select(Plan))}
        areas = session.exec(select(Area)).all()
        per_area: dict[str, int] = {}
        for action in session.exec(select(Action)):
            area_ref = action.ref.split(".")[0]
            per_area[area_ref] = per_area.get(area_ref, 0) + 1
    assert set(plans) == {"ofsted-2022", "ambition-2022"}
    assert plans["ofsted-2022"].document_date == date(2022, 7, 28)
    assert len(areas) == 16
    assert per_area == OFSTED | AMBITION


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip()


# (reference, field, value as the document writes it)
SAMPLES = [
    (
        "OA1.1",
        "title",
        "Review Children's Social Care practice standards for the quality of written records.",
    ),
    (
        "OA4.2",
        "title",
        "Introduce a regular multi agency review of repeat missing episodes to identify themes "
        "and strengthen the response/support available.",
    ),
    (
        "P7.4",
        "title",
        "All practitioners receive high quality supervision in line with practice standards that "
        "drive forward the plan. (OA3)",
    ),
    ("P7.4.3", "text", "Develop and embed the consistent use of group supervision (monthly)."),
    (
        "P7.5.2",
        "text",
        "Review the Terms of Reference for the weekly multi-agency meetings in relation to "
        "missing episodes.",
    ),
    (
        "P4.4",
        "title",
        "Progress recommendations made by DLUHC in relation to 16-17 year olds at risk of or "
        "presenting as homeless. (OA5)",
    ),
    ("P5.7.3", "text", "Commission, deliver and evaluate training on life story work"),
]

# (reference, owner cell as the document writes it, the roles it names in the store)
OWNERS = [
    (
        "OA1.1",
        "Head of MASH, Head of Safeguarding Interventions",
        ["Head of MASH", "Head of Safeguarding Interventions"],
    ),
    ("OA1.4", "Business Intelligence/HoS QA", ["Business Intelligence", "Head of QA"]),
    (
        "OA4.2",
        "Head of Service for MASH, Assessment and Targeted Intervention",
        ["Head of MASH"],
    ),
    ("P7.2", "Lesley Furnivall", ["Lesley Furnivall"]),
    (
        "P2.3",
        "Head of Innovation and PSW",
        ["Head of Innovation and Children's Champion", "Principal Social Worker"],
    ),
    ("OA6.1", "", []),
]


@pytest.mark.parametrize(("ref", "what", "written"), SAMPLES)
def test_texts_match_the_documents(york_shared: Engine, ref: str, what: str, written: str) -> None:
    with Session(york_shared) as session:
        item = find_item(session, ref)
        assert item is not None, ref
        assert _squash(getattr(item, what)) == _squash(written)


@pytest.mark.parametrize(("ref", "written", "roles"), OWNERS)
def test_owners_are_the_documents_roles(
    york_shared: Engine, ref: str, written: str, roles: list[str]
) -> None:
    with Session(york_shared) as session:
        action = find_item(session, ref)
        assert isinstance(action, Action)
        assert [role.name for role in owner_roles(session, action.id or 0)] == roles


def test_samples_are_in_the_seed_documents() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}")
    ofsted = _squash((SEEDS / "000_f8ba180c833c8f4f.txt").read_text(encoding="utf-8"))
    ambition = _squash((SEEDS / "002_d83e4f8382d3cb46.txt").read_text(encoding="utf-8"))
    written = [(ref, text) for ref, _, text in SAMPLES] + [(ref, text) for ref, text, _ in OWNERS]
    for ref, text in written:
        document = ofsted if ref.startswith("OA") else ambition
        assert _squash(text) in document, (ref, text)
    for date_text in ("31/11/2022", "31/06/2023", "31/03/2022", "January 2022", "March 2023"):
        assert date_text in ambition


@pytest.mark.parametrize(
    ("ref", "as_written", "due"),
    [
        ("P7.4.1", "31/11/2022", date(2022, 11, 30)),  # a day past the month's end
        ("P7.4.2", "31/12/2022", date(2022, 12, 31)),
        ("P5.7.3", "31/06/2023", date(2023, 6, 30)),
        ("P7.5.3", "31/03/2022", date(2022, 3, 31)),  # as written, though before the plan
        ("P7.5.4", "Ongoing", None),
        ("P4.4.1", "January 2022", date(2022, 1, 31)),
        ("P4.4.2", "March 2023", date(2023, 3, 31)),
        ("P7.3.1", "12/10/2022", date(2022, 10, 12)),
    ],
)
def test_step_dates_as_written_and_read(
    york_shared: Engine, ref: str, as_written: str, due: date | None
) -> None:
    with Session(york_shared) as session:
        step = find_item(session, ref)
        assert isinstance(step, Step)
        assert (step.planned_due_as_written, step.planned_due) == (as_written, due)


def test_unmatched_dates_stay_on_the_action(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        action = find_item(session, "P8.2")
        assert isinstance(action, Action)
        assert action.dates_as_written == ["31/11/2022", "31/12/2022", "31/12/2022", "2023"]
        assert action.planned_due == date(2023, 12, 31)
        steps = session.exec(select(Step).where(Step.action_id == action.id)).all()
        assert len(steps) == 3
        assert all(step.planned_due is None for step in steps)


def test_oa_cross_references_and_measures(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        action = find_item(session, "P7.5")
        assert isinstance(action, Action)
        assert action.oa_refs == ["OA4"]
        measures = session.exec(select(Measure).where(Measure.action_id == action.id)).all()
        assert [m.text for m in sorted(measures, key=lambda m: m.position)][1] == (
            "Reduction in the number of children who go missing from home and care (OA4)"
        )
        outcomes = session.exec(
            select(Measure).join(Area).where(Area.ref == "OA1", Measure.kind == "outcome")
        ).all()
        assert len(outcomes) == 3


def test_statuses_come_from_the_documents(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        oa11 = find_item(session, "OA1.1")
        oa12 = find_item(session, "OA1.2")
        p72 = find_item(session, "P7.2.1")
        assert oa11 is not None and oa12 is not None and p72 is not None
        assert oa11.status == "done"
        assert [(u.new_status, u.at.date()) for u in updates_for(session, oa12)] == [
            ("in_progress", date(2022, 7, 28)),
            ("done", date(2022, 12, 1)),
        ]
        assert all(u.source == "document" for u in updates_for(session, oa12))
        assert p72.status == "in_progress"
        # After December 2022 every Ofsted action is done; the open work is the Ambition Plan's.
        open_ofsted = session.exec(
            select(Action).where(Action.ref.startswith("OA"), Action.status != "done")  # type: ignore[attr-defined]
        ).all()
        assert open_ofsted == []


def test_stored_state_equals_the_state_derived_from_updates(york_shared: Engine) -> None:
    with Session(york_shared) as session:
        items: list[Action | Step] = [*session.exec(select(Action)), *session.exec(select(Step))]
        assert len(items) == 84 + 118
        for item in items:
            derived = derive_state(item, updates_for(session, item))
            stored = (
                item.status,
                item.declared_rag,
                item.due_date,
                item.due_as_written,
                item.last_update_at,
                item.rebaselined,
            )
            assert stored == (
                derived.status,
                derived.declared_rag,
                derived.due_date,
                derived.due_as_written,
                derived.last_update_at,
                derived.rebaselined,
            ), item.ref
