"""Engines and sessions: embedded SQLite by default, PostgreSQL in production.

One session per unit of work (a request, a job); see `session_scope`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
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
