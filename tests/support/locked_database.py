"""Another process's long write, for tests: hold the database's write lock while a test runs.

On SQLite a `BEGIN IMMEDIATE` transaction holds the one write lock, as a long import does; on
PostgreSQL, where writers to different rows do not wait for each other, an EXCLUSIVE lock on the
table of claimed events stands in for it (reads still go through, as they do on SQLite in WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from store.db import make_engine
from store.models import ProcessedEvent


@contextmanager
def write_locked(url: str) -> Iterator[None]:
    engine = make_engine(url)
    raw = engine.raw_connection()
    driver: Any = raw.driver_connection
    try:
        if engine.dialect.name == "sqlite":
            driver.isolation_level = None  # transactions by hand
            driver.execute("BEGIN IMMEDIATE")
        else:
            table = ProcessedEvent.__tablename__
            driver.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        yield
    finally:
        driver.rollback()
        raw.close()
        engine.dispose()
