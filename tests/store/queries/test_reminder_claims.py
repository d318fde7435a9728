"""The store's guarantees behind reminders and replies: a reminder is claimed once, whoever asks at
the same moment, and a chat message makes one update (and one correction per update)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.models import Reminder
from store.queries.history import find_item, record_once, update_for_message
from store.queries.reminders import (
    claim_reminder,
    claims_since,
    existing_keys,
    in_doubt,
    mark_reminder_posted,
    posted_reminders,
    put_in_doubt,
    release_claim,
    release_stale_claims,
    reminder_for_thread,
    take_in_doubt,
)

AT = datetime(2023, 2, 15, 9, 0, tzinfo=UTC)


def claim(engine: Engine, key: str, by: str, at: datetime = AT) -> int | None:
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        row = claim_reminder(
            session,
            key=key,
            action_id=item.id,
            step_id=None,
            reason="overdue",
            for_date=date(2023, 2, 14),
            at=at,
            by=by,
        )
        return row.id if row else None


def test_a_reminder_is_claimed_once_by_eight_threads_at_once(york_engine: Engine) -> None:
    results: list[int | None] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        start.wait()
        results.append(claim(york_engine, "overdue:A70:2023-01-31:2", f"worker{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r is not None]) == 1


def test_a_posted_reminder_is_found_by_its_thread(york_engine: Engine) -> None:
    reminder_id = claim(york_engine, "due:A70:2023-01-31", "me")
    assert reminder_id is not None
    with session_scope(york_engine) as session:
        mark_reminder_posted(
            session, reminder_id, channel="CREMIND01", thread_ts="1676451600.000100", at=AT
        )
    with session_scope(york_engine) as session:
        found = reminder_for_thread(session, "CREMIND01", "1676451600.000100")
        assert found is not None and found.id == reminder_id
        assert reminder_for_thread(session, "COTHER001", "1676451600.000100") is None
        assert [r.id for r in posted_reminders(session)] == [reminder_id]


def test_a_stale_claim_is_left_in_doubt_still_counted_and_taken_once(
    york_engine: Engine,
) -> None:
    """A process died mid-post: its claim goes in doubt (Slack may have the post). It still
    counts as a claim, so nothing posts the reminder again blind, and exactly one of several
    processes takes it to look for its thread."""
    key = "due:A70:2023-01-31"
    reminder_id = claim(york_engine, key, "died")
    assert reminder_id is not None
    with session_scope(york_engine) as session:
        assert release_stale_claims(session, older_than=AT - timedelta(minutes=30)) == 0
        assert in_doubt(session) == []
        assert release_stale_claims(session, older_than=AT + timedelta(minutes=30)) == 1
        assert [r.id for r in in_doubt(session)] == [reminder_id]
        assert existing_keys(session, [key]) == {key}
        assert claims_since(session, since=AT) == 1
    assert claim(york_engine, key, "next run") is None
    results: list[bool] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        start.wait()
        with session_scope(york_engine) as session:
            results.append(take_in_doubt(session, reminder_id, by=f"run{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    with session_scope(york_engine) as session:
        assert in_doubt(session) == []


def test_only_the_holder_of_a_claim_changes_it(york_engine: Engine) -> None:
    """A slow process whose claim went stale and was taken over cannot give back, put in doubt
    or record the new holder's claim."""
    key = "due:A70:2023-01-31"
    reminder_id = claim(york_engine, key, "slow")
    assert reminder_id is not None
    with session_scope(york_engine) as session:
        release_stale_claims(session, older_than=AT + timedelta(hours=1))
        assert take_in_doubt(session, reminder_id, by="new")
        release_claim(session, reminder_id, by="slow")
        put_in_doubt(session, reminder_id, by="slow")
        assert not mark_reminder_posted(
            session, reminder_id, channel="CREMIND01", thread_ts="1.0", at=AT, by="slow"
        )
        row = session.get(Reminder, reminder_id)
        assert row is not None and (row.claimed_by, row.posted_at) == ("new", None)
        put_in_doubt(session, reminder_id, by="new", unsettled=True)
        row = session.get(Reminder, reminder_id)
        assert row is not None and (row.claimed_by, row.unsettled_checks) == (None, 1)


def test_a_claim_slack_refused_is_given_back(york_engine: Engine) -> None:
    key = "due:A70:2023-01-31"
    reminder_id = claim(york_engine, key, "me")
    assert reminder_id is not None
    with session_scope(york_engine) as session:
        release_claim(session, reminder_id, by="me")
        assert existing_keys(session, [key]) == set()
    assert claim(york_engine, key, "next run") is not None


def test_one_message_makes_one_update_and_one_correction(york_engine: Engine) -> None:
    fields = {"at": AT, "source": "chat", "channel": "CREMIND01", "message_ts": "1676451700.000200"}
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        first = record_once(session, item, status="blocked", **fields)
        assert first is not None
        assert record_once(session, item, status="done", **fields) is None
        assert item.status == "blocked"
        correction = record_once(session, item, status="in_progress", corrects=first, **fields)
        assert correction is not None
        again = record_once(session, item, status="done", corrects=first, **fields)
        assert again is None
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.status == "in_progress"
        current = update_for_message(session, "CREMIND01", "1676451700.000200")
        assert current is not None and current.new_status == "in_progress"
