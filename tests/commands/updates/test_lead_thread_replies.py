"""Replies, edits and buttons under a lead's thread that lists several items, and what the store
holds for such a thread: claimed once with its items, given back whole."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, noon, slack_ts
from sqlalchemy.engine import Engine
from sqlmodel import select

from commands.updates.apply import reply_in_thread
from commands.updates.edits import edit_reply
from commands.updates.outcomes import ReplyIgnored, SeveralItems, StepsToChoose, UpdateApplied
from store.db import session_scope
from store.models import Reminder, ReminderLine
from store.queries.history import find_item
from store.queries.lead_threads import ItemClaim, LeadClaim, claim_lead_thread
from store.queries.reminders import mark_reminder_posted, release_claim

TODAY = date(2023, 2, 15)
LEAD, OTHER = "U0MASH001", "U0MASH002"
THREAD = slack_ts(TODAY)


def claim(
    engine: Engine, user: str, refs: tuple[str, ...], *, by: str = "test"
) -> LeadClaim | None:
    with session_scope(engine) as session:
        items = []
        for ref in refs:
            item = find_item(session, ref)
            assert item is not None
            items.append(ItemClaim(f"due:{ref}:{TODAY}", item.id or 0, None, "due", TODAY))
        return claim_lead_thread(
            session,
            key=f"lead:{TODAY}:{user}:{REMINDERS_CHANNEL}",
            lead_user_id=user,
            channel=REMINDERS_CHANNEL,
            for_date=TODAY,
            items=items,
            at=noon(TODAY),
            by=by,
        )


def lead_thread(engine: Engine) -> LeadClaim:
    give_role(engine, "Head of MASH", LEAD)
    claimed = claim(engine, LEAD, ("P7.5", "P7.8", "P4.2"))
    assert claimed is not None
    with session_scope(engine) as session:
        mark_reminder_posted(
            session, claimed.thread_id, channel=REMINDERS_CHANNEL, thread_ts=THREAD, at=noon(TODAY)
        )
    return claimed


def say(engine: Engine, text: str, n: int, *, edited: bool = False) -> object:
    with session_scope(engine) as session:
        answer = edit_reply if edited else reply_in_thread
        return answer(
            session,
            make_request(user=LEAD),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n),
            text=text,
        )


def status(engine: Engine, ref: str) -> str:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status


def test_a_reply_names_the_item_it_is_about_and_the_rest_is_read_as_usual(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine)
    done = say(york_engine, "P7.8: blocked - waiting on police data", 1)
    assert isinstance(done, UpdateApplied) and done.item.ref == "P7.8"
    assert done.new_status == "blocked"
    assert status(york_engine, "P7.8") == "blocked" and status(york_engine, "P7.5") == "not_started"


def test_a_reply_naming_none_is_asked_which_and_one_naming_several_updates_each(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine)
    which = say(york_engine, "in progress", 1)
    assert isinstance(which, ReplyIgnored) and which.hint
    assert "This thread lists P7.5, P7.8, P4.2" in which.hint
    two = say(york_engine, "P7.5 and P4.2 are in progress", 2)  # joined: the words are shared
    assert isinstance(two, SeveralItems)
    assert [(o.item.ref, o.new_status) for o in two.outcomes if isinstance(o, UpdateApplied)] == [
        ("P7.5", "in_progress"),
        ("P4.2", "in_progress"),
    ]
    each = say(york_engine, "P7.8 done; P4.2 blocked - waiting on police data", 3)
    assert isinstance(each, SeveralItems)
    assert [(o.item.ref, o.new_status) for o in each.outcomes if isinstance(o, UpdateApplied)] == [
        ("P7.8", "done"),
        ("P4.2", "blocked"),
    ]
    assert [status(york_engine, r) for r in ("P7.5", "P7.8", "P4.2")] == [
        "in_progress", "done", "blocked"
    ]  # fmt: skip
    again = say(york_engine, "P7.8 done; P4.2 blocked - waiting on police data", 3)
    assert isinstance(again, ReplyIgnored) and again.reason == "already recorded"  # once each


def test_an_edit_without_the_reference_corrects_the_item_its_reply_updated(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine)
    say(york_engine, "P4.2 in progress", 1)
    corrected = say(york_engine, "blocked, sorry", 1, edited=True)
    assert isinstance(corrected, UpdateApplied) and corrected.item.ref == "P4.2"
    assert corrected.corrected and status(york_engine, "P4.2") == "blocked"


def test_a_leads_thread_is_claimed_once_and_given_back_whole(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    first = claim(york_engine, LEAD, ("P7.5", "P7.8"), by="one")
    assert first is not None
    assert claim(york_engine, LEAD, ("P7.5", "P7.8"), by="two") is None  # the same lead, same day
    other = claim(york_engine, OTHER, ("P7.5",), by="two")  # a second holder of P7.5's role
    assert other is not None and other.reminder_ids == first.reminder_ids[:1]
    with session_scope(york_engine) as session:
        release_claim(session, first.thread_id, by="one")  # Slack refused the first thread
    with session_scope(york_engine) as session:
        rows = {r.key: r for r in session.exec(select(Reminder)).all()}
        assert set(rows) == {f"due:P7.5:{TODAY}", f"lead:{TODAY}:{OTHER}:{REMINDERS_CHANNEL}"}
        assert rows[f"due:P7.5:{TODAY}"].thread_id == other.thread_id  # passed to the other
        lines = session.exec(select(ReminderLine)).all()
        assert [(line.thread_id, line.reminder_id) for line in lines] == [
            (other.thread_id, first.reminder_ids[0])
        ]


def test_an_items_own_thread_takes_its_steps_by_reference_in_one_reply(
    york_engine: Engine,
) -> None:
    from reminder_test_helpers import post_thread

    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=THREAD, on=TODAY)
    said = say(york_engine, "P7.5.1 done, P7.5.2 slipping to 31/5 as the panel moved", 1)
    assert isinstance(said, SeveralItems)
    applied = [o for o in said.outcomes if isinstance(o, UpdateApplied)]
    assert [(o.item.ref, o.new_status) for o in applied] == [("P7.5.1", "done"), ("P7.5.2", None)]
    assert applied[1].new_due == date(2023, 5, 31)
    assert status(york_engine, "P7.5.1") == "done" and status(york_engine, "P7.5") == "not_started"
    # someone who holds none of the roles changes nothing, each item refused by name
    with session_scope(york_engine) as session:
        refused = reply_in_thread(
            session, make_request(user=OTHER), channel=REMINDERS_CHANNEL, thread_ts=THREAD,
            message_ts=slack_ts(TODAY, 2), text="P7.5.3 done and P7.5.5 done",
        )  # fmt: skip
    assert isinstance(refused, SeveralItems)
    assert [type(o).__name__ for o in refused.outcomes] == ["UpdateRefused", "UpdateRefused"]
    assert status(york_engine, "P7.5.3") == "not_started"


def test_steps_described_in_a_leads_thread_are_found_under_its_actions(
    york_engine: Engine,
) -> None:
    give_role(york_engine, "Head of QA", LEAD)
    give_role(york_engine, "Director of Safeguarding", LEAD)
    claimed = claim(york_engine, LEAD, ("P7.4", "P9.3"))
    assert claimed is not None
    with session_scope(york_engine) as session:
        mark_reminder_posted(
            session, claimed.thread_id, channel=REMINDERS_CHANNEL, thread_ts=THREAD, at=noon(TODAY)
        )
    trained = say(york_engine, "the training one is done", 1)  # P9.3.4: Court Skills training
    assert isinstance(trained, UpdateApplied) and trained.item.ref == "P9.3.4"
    asked = say(york_engine, "the supervision one is in progress", 2)  # P7.4.1 or P7.4.3
    assert isinstance(asked, SeveralItems)
    [choice] = asked.outcomes
    assert isinstance(choice, StepsToChoose)
    assert [ref for _, ref, _ in choice.steps] == ["P7.4.1", "P7.4.3"]
    assert status(york_engine, "P7.4.1") == status(york_engine, "P7.4.3") == "not_started"
