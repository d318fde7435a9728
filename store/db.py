"""Engines and sessions: embedded SQLite by default, PostgreSQL in production.

One session per unit of work (a request, a job); see `session_scope`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel, create_engine, select


def default_database_url() -> str:
    """An SQLite file in the user's data directory, so nothing needs installing or starting."""
    folder = Path(user_data_dir("planbot", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'planbot.db'}"


def normalise_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` spellings hosts hand out; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


BUSY_TIMEOUT_MS = 10_000  # how long an SQLite statement waits for another's write lock


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_savepoint(connection, _name) -> None:  # type: ignore[no-untyped-def]
    """Open the transaction a savepoint belongs in, if none is open yet.

    Python's sqlite3 module begins a transaction itself only before INSERT, UPDATE or DELETE. A
    SAVEPOINT that comes first therefore opens the transaction on its own, and releasing it
    commits everything: a unit of work that failed after a savepoint kept its rows on SQLite and
    lost them on PostgreSQL. Beginning the transaction here gives SQLite real savepoints.
    (SQLAlchemy's recipe of a BEGIN for every transaction would also start one before the first
    read, and a transaction that read and then writes fails at once when another process wrote
    in between, where today it waits its turn as on PostgreSQL.)
    """
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")


def make_engine(url: str | None = None, *, echo: bool = False) -> Engine:
    """Build the engine for `url` (the default embedded file when None).

    SQLite is opened for threads (Bolt and the scheduler use several) in WAL mode with foreign keys
    on; PostgreSQL gets a pre-pinged pool so a restarted server does not fail the next request.
    """
    url = normalise_url(url or default_database_url())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        if database and database != ":memory:":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll everything back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def lock_waits_at_most(session: Session, seconds: float) -> Iterator[None]:
    """Within the block, a statement of `session` that would wait longer than `seconds` for a
    lock (or, on PostgreSQL, to finish) raises OperationalError instead: SQLite's busy timeout
    for the block, PostgreSQL's lock_timeout and statement_timeout for the transaction."""
    milliseconds = max(1, round(seconds * 1000))
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql(  # SET LOCAL of both, in one round trip
            f"SELECT set_config('lock_timeout', '{milliseconds}', true), "
            f"set_config('statement_timeout', '{milliseconds}', true)"
        )
        yield
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout={milliseconds}")
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except DBAPIError:  # never leave a hasty connection in the pool
            connection.invalidate()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query (used by /healthz)."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return True
    except Exception:
        return False


def select_rows(*columns: Any) -> Any:
    """A SELECT of several columns whose rows are read by name (`row.ref`).

    SQLModel types a select of columns for at most four and each column as its value type, so
    wider reads do not type-check; they are typed here, once, as rows of anything."""
    return select(*columns)


def id_of(row: SQLModel) -> int:
    """The id of a row that is in the database (added and flushed); a row without one here is a
    bug, so it fails loudly rather than writing a NULL key."""
    value = getattr(row, "id", None)
    if value is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return int(value)


def missing_sqlite_file(url: str | None) -> str | None:
    """The path of an embedded SQLite database that does not exist yet, else None."""
    parsed = make_url(normalise_url(url or default_database_url()))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return None if Path(database).exists() else database
