"""Migrations: an empty database comes up to the models' schema, by code and by `planbot db`."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from plan_store_helpers import Run
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, select

import store.models  # noqa: F401  (registers every table)
from store.db import make_engine
from store.migrate import current_revision, downgrade, head_revision, upgrade
from store.models import Action, Plan


def test_upgrade_from_an_empty_database_creates_every_table(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()


def test_the_migrations_produce_exactly_the_models_schema(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == [], "models changed without a migration: ./scripts/regen_migration.sh"


def test_db_upgrade_creates_and_seeds_a_fresh_database(fresh_url: str, planbot: Run) -> None:
    status = planbot(fresh_url, "db", "status")
    assert status.code == 1
    if fresh_url.startswith("sqlite"):
        # A new path is described, not created as an empty file.
        assert "No database at" in status.out and "would create it" in status.out
        assert not Path(fresh_url.removeprefix("sqlite:///")).exists()
    else:
        assert "revision none (empty database)" in status.out

    first = planbot(fresh_url, "db", "upgrade")
    assert first.code == 0, first.err
    assert "schema upgraded from empty to revision" in first.out
    assert "Seeded City of York's plans." in first.out
    assert "Plans: ofsted-2022, ambition-2022." in first.out

    again = planbot(fresh_url, "db", "upgrade")
    assert again.code == 0
    assert "schema already current" in again.out and "Seeded" not in again.out

    engine = make_engine(fresh_url)
    try:
        with Session(engine) as session:
            assert len(session.exec(select(Plan)).all()) == 2
            assert len(session.exec(select(Action)).all()) == 84
    finally:
        engine.dispose()
    assert planbot(fresh_url, "db", "status").code == 0


def test_db_upgrade_without_seed_leaves_the_store_empty(fresh_url: str, planbot: Run) -> None:
    result = planbot(fresh_url, "db", "upgrade", "--no-seed")
    assert result.code == 0, result.err
    assert "Plans: none." in result.out
    status = planbot(fresh_url, "db", "status")
    assert status.code == 0 and "(current)" in status.out and "Plans: none." in status.out
