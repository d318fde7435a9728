"""The shipped York plans: where they are, and seeding a fresh database with them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.db import session_scope
from store.measure_seed import seed_measures
from store.migrate import upgrade
from store.models import Plan, Setting
from store.plan_files.import_report import ImportReport
from store.plan_files.importer import apply_plan
from store.plan_files.yaml_plan import read_yaml_plan
from store.queries.roles import RoleDirectory, ensure_directory

PLANS = Path(__file__).parent / "plans"
NO_YORK = "store.no_york"
YORK_PLAN_FILES = (PLANS / "york-ofsted-2022.yaml", PLANS / "york-ambition-2022.yaml")


def seed_york(session: Session, *, at: datetime) -> ImportReport:
    """Load York's role directory and both plans into the session's transaction."""
    directory = RoleDirectory.load()
    ensure_directory(session, directory, at=at)
    report = ImportReport()
    for path in YORK_PLAN_FILES:
        report.merge(apply_plan(session, read_yaml_plan(path), at=at, directory=directory))
    seed_measures(session, at=at)
    return report


def has_plans(session: Session) -> bool:
    return session.exec(select(Plan.id).limit(1)).first() is not None


def without_york(session: Session) -> bool:
    """True for a store created with --no-seed (or by importing into it): York never comes in."""
    return session.get(Setting, NO_YORK) is not None


def keep_york_out(session: Session, why: str) -> None:
    """Mark an empty store as another council's: no later command seeds York into it."""
    if not has_plans(session) and not without_york(session):
        session.add(Setting(key=NO_YORK, value=why))
        session.flush()


def prepare_database(engine: Engine, *, at: datetime, seed: bool = True) -> bool:
    """Migrate to the current schema and, with `seed`, load York's plans into an empty store
    that was not made with --no-seed (`keep_york_out`). True if seeded."""
    upgrade(engine)
    if not seed:
        return False
    with session_scope(engine) as session:
        if has_plans(session) or without_york(session):
            return False
        seed_york(session, at=at)
        return True
