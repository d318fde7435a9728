""" "What changed this week?": the dated updates recorded in a window, for what the question names.

On 15 February 2023 (a Wednesday) three leads have replied: P7.5 went blocked on Monday, a step of
it moved its due date on Tuesday, and P4.3 was done the Wednesday before. The York plans' own
statuses are dated 1 December 2022.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from commands.clock import Clock
from commands.questions.answer import answer
from commands.questions.changes import ChangesResult
from store.queries.history import find_item
from store.queries.state import record_update

CLOCK = Clock.fixed_at(date(2023, 2, 15))


@pytest.fixture
def session(york_engine: Engine) -> Iterator[Session]:
    with Session(york_engine) as session:

        def update(ref: str, at: datetime, **fields: object) -> None:
            item = find_item(session, ref)
            assert item is not None
            record_update(session, item, at=at, source="chat", **fields)  # type: ignore[arg-type]

        update("P4.3", datetime(2023, 2, 8, 11, 0, tzinfo=UTC), status="done", author="UQA000001")
        update(
            "P7.5",
            datetime(2023, 2, 13, 9, 30, tzinfo=UTC),
            status="blocked",
            note="waiting on police data",
            author="USAM00001",
        )
        update("P7.5.3", datetime(2023, 2, 14, 16, 0, tzinfo=UTC), due=date(2023, 3, 31))
        session.commit()
        yield session


def changes(session: Session, text: str) -> ChangesResult:
    result = answer(session, text, CLOCK)
    assert isinstance(result, ChangesResult), f"{text!r} was not read as a question about changes"
    return result


def refs(result: ChangesResult) -> list[str]:
    return [line.reference for line in result.lines]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what changed this week?", ["P7.5.3", "P7.5"]),  # newest first
        ("what's changed last week", ["P4.3"]),  # done items too
        ("anything new?", ["P7.5.3", "P7.5"]),  # the last seven days: 9-15 Feb
        ("what changed under OA4?", ["P7.5.3", "P7.5"]),  # the follow-up and its steps
        ("anything updated for head of msah", ["P7.5.3", "P7.5"]),
        ("what's been updated in the front door this month", ["P4.3"]),
        ("has anything changed for P7.5 since 14/2/2023", ["P7.5.3"]),
        # The plans' own statuses; done items match too.
        ("what changed in December 2022 about missing from home", ["P7.5", "OA4.1"]),
    ],
)
def test_changes_in_a_window_for_what_the_question_names(
    session: Session, question: str, expected: list[str]
) -> None:
    assert refs(changes(session, question)) == expected


def test_a_line_says_what_changed_who_said_so_and_why(session: Session) -> None:
    [_, blocked] = changes(session, "what changed this week?").lines
    entry = blocked.entry
    assert (entry.old_status, entry.new_status) == ("not_started", "blocked")
    assert (entry.author, entry.note) == ("USAM00001", "waiting on police data")
    assert blocked.title.startswith("Ensure consistent analysis of missing")


def test_the_window_never_runs_past_today_and_a_month_means_the_last_one(
    session: Session,
) -> None:
    this_month = changes(session, "what changed this month")
    assert (this_month.start, this_month.end) == (date(2023, 2, 1), date(2023, 2, 15))
    january = changes(session, "what changed in January")
    assert (january.start, january.end) == (date(2023, 1, 1), date(2023, 1, 31))
    assert "recorded in January 2023" in january.understood


def test_no_updates_says_so_and_when_the_last_one_was(session: Session) -> None:
    result = changes(session, "what changed in January for P9")
    assert result.lines == ()
    assert result.message == (
        "No updates were recorded in January 2023. The latest before then: 1 Dec 2022 (P9.6)."
    )


def test_an_update_replaced_by_an_edit_shows_once(session: Session) -> None:
    item = find_item(session, "P7.5")
    assert item is not None
    first = record_update(
        session, item, at=datetime(2023, 2, 15, 8, 0, tzinfo=UTC), source="chat",
        status="done", channel="CREMIND01", message_ts="1676448000.000100",
    )  # fmt: skip
    record_update(
        session, item, at=datetime(2023, 2, 15, 8, 5, tzinfo=UTC), source="chat",
        status="in_progress", corrects=first,
    )  # fmt: skip
    session.commit()
    result = changes(session, "what changed today for P7.5")
    assert [line.entry.new_status for line in result.lines] == ["in_progress"]


def test_a_long_window_is_capped_and_counts_the_rest(session: Session) -> None:
    result = changes(session, "what changed since 1/1/2022")
    assert len(result.lines) == 30 and result.not_shown > 0


def test_days_are_the_councils_not_utc(york_engine: Engine) -> None:
    """23:30 UTC on 1 June is 00:30 on 2 June in York: it was recorded on the 2nd."""
    with Session(york_engine) as session:
        item = find_item(session, "P6.3")
        assert item is not None
        at = datetime(2023, 6, 1, 23, 30, tzinfo=UTC)
        record_update(session, item, at=at, source="chat", status="blocked")
        session.commit()
        on_second = answer(session, "what changed today", Clock.fixed_at(date(2023, 6, 2)))
        on_first = answer(session, "what changed today", Clock.fixed_at(date(2023, 6, 1)))
    assert isinstance(on_second, ChangesResult) and isinstance(on_first, ChangesResult)
    assert refs(on_second) == ["P6.3"] and refs(on_first) == []


def test_a_window_still_to_come_says_so(session: Session) -> None:
    result = changes(session, "what changed next week")
    assert result.lines == ()
    assert result.message == "That is still to come: nothing can be recorded next week yet."


def test_what_was_completed_is_when_it_was_marked_done(session: Session) -> None:
    """ "Completed last week" means marked done then, not due then."""
    done = changes(session, "what was completed last week?")
    assert refs(done) == ["P4.3"] and done.understood == "items marked done last week"
    none = changes(session, "what did we finish this week")
    assert none.lines == () and none.message == "Nothing was marked done this week."
    due = answer(session, "what's done in March", CLOCK)  # a window to come: due dates
    assert not isinstance(due, ChangesResult)
