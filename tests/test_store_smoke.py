"""The seeded York store holds both plans with the counts of the documents."""

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.models import Action, Area, Plan


def test_seeded_store_holds_both_york_plans(york_engine: Engine) -> None:
    with Session(york_engine) as session:
        plans = {p.key for p in session.exec(select(Plan))}
        areas = session.exec(select(Area)).all()
        actions = session.exec(select(Action)).all()
    assert plans == {"ofsted-2022", "ambition-2022"}
    assert len(areas) == 16
    assert len(actions) == 84
