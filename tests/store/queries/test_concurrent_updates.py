"""Two updates to one item at the same moment, from two processes, are recorded one after the
other: neither is lost from the item's state, and the second sees the first as its "before"."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.queries.history import find_item, history_of
from store.queries.state import record_update

AT = datetime(2023, 2, 15, 10, 0, tzinfo=UTC)
LATER = datetime(2023, 2, 15, 10, 1, tzinfo=UTC)


def test_a_second_update_waits_for_the_first_and_builds_on_it(york_engine: Engine) -> None:
    recorded: dict[str, str | None] = {}

    def second_process() -> None:
        with Session(york_engine) as session:
            item = find_item(session, "P7.5")
            assert item is not None
            update = record_update(
                session, item, at=LATER, source="chat", author="U0SECOND1", rag="amber"
            )
            recorded["old_status"] = update.old_status
            session.commit()

    with Session(york_engine) as first:
        item = find_item(first, "P7.5")
        assert item is not None
        record_update(first, item, at=AT, source="chat", author="U0FIRST01", status="blocked")
        second = threading.Thread(target=second_process)
        second.start()
        second.join(0.5)
        assert second.is_alive(), "the second update did not wait for the first to commit"
        first.commit()
    second.join(30)
    assert not second.is_alive()

    assert recorded["old_status"] == "blocked"
    with Session(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert (item.status, item.declared_rag) == ("blocked", "amber")
        authors = [u.author for u in history_of(session, item)][-2:]
        assert authors == ["U0FIRST01", "U0SECOND1"]
