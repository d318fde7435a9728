"""Shared fixtures: a fresh database per test, on SQLite by default or on PostgreSQL.

Set PLANBOT_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the suite on PostgreSQL:
each test then gets its own database, cloned from a seeded template, and dropped afterwards.
On SQLite each test gets a copy of a seeded file. The seeded York store is built once per run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from store.db import make_engine, normalise_url
from store.seed import prepare_database

# The Slack app as a process, a fake Slack and signed requests (see
# tests/support/slack_fixtures.py).
pytest_plugins = ("slack_fixtures",)

SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)
PG_URL = os.environ.get("PLANBOT_TEST_DATABASE_URL", "")


def on_postgres() -> bool:
    return PG_URL.startswith(("postgres://", "postgresql"))


class PgServer:
    """Creates and drops throwaway databases on the test PostgreSQL server."""

    def __init__(self, url: str) -> None:
        self.base = make_url(normalise_url(url))
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def url_for(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"planbot_t_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        for name in self.created:
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    if not on_postgres():
        yield None
        return
    server = PgServer(PG_URL)
    try:
        with server.admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # an unreachable server fails the run, never skips it
        pytest.exit(f"PostgreSQL at {PG_URL} is unreachable: {error}", returncode=3)
    yield server
    server.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer | None) -> str:
    """A database migrated and seeded with York's plans, built once; tests get copies."""
    if pg_server is not None:
        name = pg_server.create()
        engine = make_engine(pg_server.url_for(name))
        prepare_database(engine, at=SEEDED_AT)
        engine.dispose()
        return name
    path = tmp_path_factory.mktemp("template") / "york.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine, at=SEEDED_AT)
    engine.dispose()
    return str(path)


@pytest.fixture
def fresh_url(tmp_path: Path, pg_server: PgServer | None) -> Iterator[str]:
    """The URL of a brand-new empty database (no schema)."""
    if pg_server is not None:
        name = pg_server.create()
        yield pg_server.url_for(name)
        pg_server.drop(name)
        return
    yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def york_url(tmp_path: Path, seeded_template: str, pg_server: PgServer | None) -> Iterator[str]:
    """The URL of a private copy of the seeded York store."""
    if pg_server is not None:
        name = pg_server.create(template=seeded_template)
        yield pg_server.url_for(name)
        pg_server.drop(name)
        return
    target = tmp_path / "york.db"
    shutil.copyfile(seeded_template, target)
    yield f"sqlite:///{target}"


@pytest.fixture
def york_engine(york_url: str) -> Iterator[Engine]:
    engine = make_engine(york_url)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(fresh_url: str) -> Iterator[Engine]:
    """A migrated database with no plans in it."""
    engine = make_engine(fresh_url)
    prepare_database(engine, at=SEEDED_AT, seed=False)
    yield engine
    engine.dispose()
