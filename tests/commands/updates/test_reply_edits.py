"""An edited reply that named several items (Slack's message_changed): each item it updated is
corrected from the edit's words (replaced, not added to), an item the edit no longer names has its
update taken back, and an edit that says nothing any more takes every update back."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from commands.updates.apply import reply_in_thread
from commands.updates.edits import edit_reply
from commands.updates.outcomes import SeveralItems, UpdateApplied
from store.db import session_scope
from store.queries.history import find_item, updates_for_message

TODAY = date(2023, 2, 15)
LEAD = "U0CORP001"  # Head of Corporate Parenting: P6.2 and its steps
THREAD = slack_ts(TODAY)
REPLY = slack_ts(TODAY, 1)


def setup(engine: Engine) -> None:
    give_role(engine, "Head of Corporate Parenting", LEAD)
    post_thread(engine, "P6.2", ts=THREAD, on=TODAY)
    with session_scope(engine) as session:
        first = reply_in_thread(
            session, make_request(user=LEAD), channel=REMINDERS_CHANNEL, thread_ts=THREAD,
            message_ts=REPLY, text="P6.2.1 done, P6.2.2 slipping to 31/5",
        )  # fmt: skip
    assert isinstance(first, SeveralItems)


def edit(engine: Engine, text: str, user: str = LEAD) -> object:
    with session_scope(engine) as session:
        return edit_reply(
            session, make_request(user=user), channel=REMINDERS_CHANNEL, thread_ts=THREAD,
            message_ts=REPLY, text=text,
        )  # fmt: skip


def state(engine: Engine, ref: str) -> tuple[str, date | None]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status, item.due_date


def standing(engine: Engine) -> int:
    """How many updates from the reply still stand."""
    with session_scope(engine) as session:
        return len(updates_for_message(session, REMINDERS_CHANNEL, REPLY))


def test_an_edit_of_a_several_item_reply_corrects_each_item_it_updated(
    york_engine: Engine,
) -> None:
    before = state(york_engine, "P6.2.2")
    setup(york_engine)
    assert state(york_engine, "P6.2.1")[0] == "done"
    result = edit(york_engine, "P6.2.1 in progress, P6.2.2 slipping to 30/6")
    assert isinstance(result, SeveralItems)
    assert [(o.item.ref, o.corrected) for o in result.outcomes if isinstance(o, UpdateApplied)] == [
        ("P6.2.1", True),
        ("P6.2.2", True),
    ]
    assert state(york_engine, "P6.2.1")[0] == "in_progress"
    assert state(york_engine, "P6.2.2") == (before[0], date(2023, 6, 30))
    assert standing(york_engine) == 2  # replaced, not added to
    edit(york_engine, "P6.2.1 blocked, P6.2.2 slipping to 30/6")  # edited a second time
    assert standing(york_engine) == 2 and state(york_engine, "P6.2.1")[0] == "blocked"


def test_an_item_the_edit_no_longer_names_has_its_update_taken_back(york_engine: Engine) -> None:
    before = state(york_engine, "P6.2.2")
    setup(york_engine)
    result = edit(york_engine, "P6.2.1 done")
    assert isinstance(result, SeveralItems)
    taken_back = [o for o in result.outcomes if isinstance(o, UpdateApplied) and o.withdrawn]
    assert [o.item.ref for o in taken_back] == ["P6.2.2"]
    assert state(york_engine, "P6.2.2") == before  # as it was before the reply
    assert state(york_engine, "P6.2.1")[0] == "done"
    assert standing(york_engine) == 2  # P6.2.1 corrected, P6.2.2's correction says nothing


def test_an_edit_that_removes_every_update_takes_each_back_and_says_so(
    york_engine: Engine,
) -> None:
    before = {ref: state(york_engine, ref) for ref in ("P6.2", "P6.2.1", "P6.2.2")}
    setup(york_engine)
    result = edit(york_engine, "thanks")
    assert isinstance(result, SeveralItems)
    withdrawn = [o.item.ref for o in result.outcomes if isinstance(o, UpdateApplied)]
    assert withdrawn == ["P6.2.1", "P6.2.2"]
    assert all(o.withdrawn for o in result.outcomes if isinstance(o, UpdateApplied))
    assert {ref: state(york_engine, ref) for ref in before} == before  # nothing half-written


def test_an_edit_by_someone_who_holds_none_of_the_roles_changes_nothing(
    york_engine: Engine,
) -> None:
    setup(york_engine)
    result = edit(york_engine, "P6.2.1 blocked, P6.2.2 blocked", user="U0OTHER01")
    assert isinstance(result, SeveralItems)
    assert {type(o).__name__ for o in result.outcomes} == {"UpdateRefused"}
    assert state(york_engine, "P6.2.1")[0] == "done"
