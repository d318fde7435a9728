"""Is the database there and ours? For /healthz: a load balancer stops routing to a process whose
store does not answer."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("planbot.health")


def database_answers(engine: Engine) -> bool:
    """True when the database answers a read of planbot's schema version.

    A bare `SELECT 1` is not enough on SQLite, which answers it without reading the file.
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return True
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
        log.warning("health check: the database does not answer (%s)", reason)
        return False
