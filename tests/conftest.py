"""Shared fixtures: a fresh database per test, on SQLite by default or on PostgreSQL.

Set PLANBOT_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the suite on PostgreSQL:
each test then gets its own database, cloned from a seeded template, and dropped afterwards.
Cloning and dropping cost the server about 0.15 s a test, so a thread keeps a few clones ready
ahead of the tests and drops used ones behind them, while the tests run. On SQLite each test
gets a copy of a seeded file. The seeded York store is built once per run (per xdist worker).
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

import store.models  # noqa: F401  (registers every table, for ReusedYork)
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
        # FILE_COPY copies the template's few files (0.05 s for York) where PostgreSQL 15's
        # default, WAL_LOG, writes every page to the WAL (0.3 s).
        clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
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


class ClonePool:
    """Databases made ahead from one template (or empty) by a thread of their own, and dropped
    by it after use, so a test waits for neither."""

    def __init__(self, server: PgServer, template: str | None, ahead: int = 2) -> None:
        self._server, self._template, self._ahead = server, template, ahead
        self._ready: list[str] = []
        self._used: list[str] = []
        self._changed = threading.Condition()
        self._closing = False
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="pg-clones", daemon=True)
        self._thread.start()

    def take(self) -> str:
        with self._changed:
            self._changed.wait_for(lambda: self._ready or self._failure, timeout=120)
            if self._failure is not None:
                raise RuntimeError("could not make a test database") from self._failure
            if not self._ready:
                raise TimeoutError("no test database was made within 120 s")
            name = self._ready.pop(0)
            self._changed.notify_all()
            return name

    def give_back(self, name: str) -> None:
        with self._changed:
            self._used.append(name)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()

    def _work(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._closing or self._used or len(self._ready) < self._ahead
                )
                if self._closing:
                    leftovers, self._used, self._ready = self._used + self._ready, [], []
                else:
                    leftovers = [self._used.pop(0)] if self._used else []
            if self._closing:
                for name in leftovers:
                    self._server.drop(name)
                return
            try:
                if leftovers:
                    self._server.drop(leftovers[0])
                    continue
                name = self._server.create(self._template)
            except Exception as error:  # the tests waiting in take() hear of it
                with self._changed:
                    self._failure = error
                    self._changed.notify_all()
                return
            with self._changed:
                self._ready.append(name)
                self._changed.notify_all()


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


@pytest.fixture(scope="session")
def empty_clones(pg_server: PgServer | None) -> Iterator[ClonePool | None]:
    if pg_server is None:
        yield None
        return
    pool = ClonePool(pg_server, None, ahead=1)
    yield pool
    pool.close()


class ReusedYork:
    """One copy of the seeded York store per test process, put back as it was seeded before
    each test that takes it: its rows are emptied and copied in again (about 30 ms), where
    cloning a database costs PostgreSQL about 0.3 s (it syncs every file of the new database)."""

    def __init__(self, server: PgServer, template: str) -> None:
        self._server, self._template = server, template
        self.name = server.create(template)
        self.url = server.url_for(self.name)
        self._tables = [t.name for t in SQLModel.metadata.sorted_tables]  # parents first
        self._rows: dict[str, bytes] = {}
        self._sequences: list[tuple[str, int, bool]] = []
        self._used = False
        with self._connect() as connection, connection.cursor() as cursor:
            for table in self._tables:
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    self._rows[table] = b"".join(bytes(chunk) for chunk in copy)
            cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            for (sequence,) in cursor.fetchall():
                cursor.execute(f'SELECT last_value, is_called FROM "{sequence}"')
                value, called = cursor.fetchone()  # type: ignore[misc]
                self._sequences.append((sequence, value, called))

    def _connect(self) -> psycopg.Connection[Any]:
        uri = make_url(self.url).set(drivername="postgresql")
        return psycopg.connect(uri.render_as_string(hide_password=False))

    def take(self) -> str:
        if self._used:
            try:
                self._put_back()
            except psycopg.Error:  # a test changed more than rows: start again from the template
                self._server.drop(self.name)
                self.name = self._server.create(self._template)
                self.url = self._server.url_for(self.name)
        self._used = True
        return self.url

    def _put_back(self) -> None:
        with self._connect() as connection, connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )
            names = ", ".join(f'"{table}"' for table in self._tables)
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            for table in self._tables:
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(self._rows[table])
            for sequence, value, called in self._sequences:
                cursor.execute("SELECT setval(%s, %s, %s)", (sequence, value, called))

    def close(self) -> None:
        self._server.drop(self.name)


@pytest.fixture(scope="session")
def reused_york(pg_server: PgServer | None, seeded_template: str) -> Iterator[ReusedYork | None]:
    if pg_server is None:
        yield None
        return
    york = ReusedYork(pg_server, seeded_template)
    yield york
    york.close()


@pytest.fixture
def fresh_url(
    tmp_path: Path, pg_server: PgServer | None, empty_clones: ClonePool | None
) -> Iterator[str]:
    """The URL of a brand-new empty database (no schema)."""
    if pg_server is not None and empty_clones is not None:
        name = empty_clones.take()
        yield pg_server.url_for(name)
        empty_clones.give_back(name)
        return
    yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def york_url(
    tmp_path: Path,
    seeded_template: str,
    reused_york: ReusedYork | None,
) -> Iterator[str]:
    """The URL of a private copy of the seeded York store, as seeded."""
    if reused_york is not None:
        yield reused_york.take()
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


@pytest.fixture(scope="session")
def york_read_only_url(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: str, pg_server: PgServer | None
) -> Iterator[str]:
    """One copy of the seeded York store for every test that only reads it (no copy per test).

    On PostgreSQL every transaction on it is read-only, so a test that writes fails at once and
    must take `york_url` instead; the suite runs on both databases, so SQLite's copy is kept
    honest by the same tests."""
    if pg_server is not None:
        name = pg_server.create(template=seeded_template)
        url = make_url(pg_server.url_for(name)).update_query_dict(
            {"options": "-c default_transaction_read_only=on"}
        )
        yield url.render_as_string(hide_password=False)
        pg_server.drop(name)
        return
    target = tmp_path_factory.mktemp("read-only") / "york.db"
    shutil.copyfile(seeded_template, target)
    yield f"sqlite:///{target}"


@pytest.fixture(scope="session")
def york_read_only(york_read_only_url: str) -> Iterator[Engine]:
    """An engine on the shared read-only York store."""
    engine = make_engine(york_read_only_url)
    yield engine
    engine.dispose()


PROCESS_FIXTURES = {"slack_app", "start_slack_app"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that starts the app as a process is `slow`, whichever module it is in, so that
    `pytest -m "not slow"` is the quick loop; modules that start processes of their own say so
    with `pytestmark = pytest.mark.slow`.

    On PostgreSQL, only the tests that open a database run (every database fixture stands on
    `pg_server`), and not those marked `engine_independent` (the worker pool, the Socket Mode
    transport, the checks at the door): they ran on SQLite and would test nothing new."""
    for item in items:
        if PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if on_postgres():

        def engine_matters(item: pytest.Item) -> bool:
            return "pg_server" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
                "engine_independent"
            )

        skipped = [i for i in items if not engine_matters(i)]
        if skipped:
            config.hook.pytest_deselected(items=skipped)
            items[:] = [i for i in items if engine_matters(i)]
