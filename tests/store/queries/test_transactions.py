"""One transaction semantics on SQLite and PostgreSQL: a unit of work that fails leaves nothing
behind, savepoints included, and a savepoint rolled back keeps the work around it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine

from store.db import session_scope
from store.queries.history import find_item, history_of, record_once

AT = datetime(2023, 2, 15, 10, 0, tzinfo=UTC)


class ConfirmationFailed(Exception):
    """Something after the update in the same unit of work went wrong."""


def state(engine: Engine, ref: str = "P7.5") -> tuple[str, int]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status, len(history_of(session, item))


def test_an_update_in_a_unit_of_work_that_fails_is_not_kept(york_engine: Engine) -> None:
    before = state(york_engine)
    with pytest.raises(ConfirmationFailed), session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        recorded = record_once(
            session,
            item,
            at=AT,
            source="chat",
            author="U0MASH001",
            status="blocked",
            channel="CREMIND01",
            message_ts="1676462400.000100",
        )
        assert recorded is not None
        raise ConfirmationFailed
    assert state(york_engine) == before == ("not_started", before[1])


def test_a_savepoint_rolled_back_keeps_the_work_around_it(york_engine: Engine) -> None:
    """The same message recorded twice in one unit of work: the second is refused by the unique
    index and only its savepoint is undone; the first update and a later one are kept."""
    fields = {"source": "chat", "author": "U0MASH001", "channel": "CREMIND01"}
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        other = find_item(session, "P7.8")
        assert item is not None and other is not None
        first = record_once(session, item, at=AT, status="blocked", message_ts="1.1", **fields)
        again = record_once(session, item, at=AT, status="done", message_ts="1.1", **fields)
        later = record_once(
            session, other, at=AT, due=date(2023, 6, 30), message_ts="1.2", **fields
        )
        assert first is not None and again is None and later is not None
    assert state(york_engine)[0] == "blocked"
    with session_scope(york_engine) as session:
        other = find_item(session, "P7.8")
        assert other is not None and other.due_date == date(2023, 6, 30)
