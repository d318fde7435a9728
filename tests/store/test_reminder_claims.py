"""The store's guarantees behind reminders and replies: a reminder is claimed once, whoever asks at
the same moment, and a chat message makes one update (and one correction per update)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.history import find_item, record_once, update_for_message
from store.reminders import (
    Claim,
    claim_in_doubt,
    claim_reminder,
    claims_since,
    existing_keys,
    mark_posted,
    posted_reminders,
    release_claim,
    release_stale_claims,
    reminder_for_thread,
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
        mark_posted(session, reminder_id, channel="CREMIND01", thread_ts="1676451600.000100", at=AT)
    with session_scope(york_engine) as session:
        found = reminder_for_thread(session, "CREMIND01", "1676451600.000100")
        assert found is not None and found.id == reminder_id
        assert reminder_for_thread(session, "COTHER001", "1676451600.000100") is None
        assert [r.id for r in posted_reminders(session)] == [reminder_id]


def test_a_stale_claim_is_left_in_doubt_and_taken_over_once(york_engine: Engine) -> None:
    """A process died mid-post: its claim goes in doubt (Slack may have the post), counts as
    neither sent nor claimed today, and exactly one later run takes it over, told when it was
    last tried so that it can look in the channel from then."""
    key = "due:A70:2023-01-31"
    assert claim(york_engine, key, "died") is not None
    with session_scope(york_engine) as session:
        assert release_stale_claims(session, older_than=AT - timedelta(minutes=30)) == 0
        assert existing_keys(session, [key]) == {key}
        assert release_stale_claims(session, older_than=AT + timedelta(minutes=30)) == 1
        assert existing_keys(session, [key]) == set()
        assert claims_since(session, since=AT - timedelta(hours=1)) == 0
    later = AT + timedelta(hours=1)
    assert claim(york_engine, key, "next run", at=later) is None  # the row is still there
    results: list[Claim | None] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        start.wait()
        with session_scope(york_engine) as session:
            results.append(claim_in_doubt(session, key=key, at=later, by=f"run{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [taken] = [r for r in results if r is not None]
    assert taken.tried_at == AT
    with session_scope(york_engine) as session:
        assert existing_keys(session, [key]) == {key}
        assert claims_since(session, since=AT) == 1


def test_a_claim_slack_refused_is_given_back(york_engine: Engine) -> None:
    key = "due:A70:2023-01-31"
    reminder_id = claim(york_engine, key, "me")
    assert reminder_id is not None
    with session_scope(york_engine) as session:
        release_claim(session, reminder_id)
        assert existing_keys(session, [key]) == set()
        assert claim_in_doubt(session, key=key, at=AT, by="next run") is None
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
