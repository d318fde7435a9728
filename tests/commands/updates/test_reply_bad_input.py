"""Bad input in a reminder thread, each ending in a clear outcome with nothing half-written: a
40,000-character reply, 50 references, references that do not exist or are another plan's, and a
several-item reply from someone who holds only some of the items' roles."""

from __future__ import annotations

import time
from datetime import date

from reminder_test_helpers import (
    REMINDERS_CHANNEL,
    give_role,
    make_request,
    noon,
    post_thread,
    slack_ts,
)
from sqlalchemy.engine import Engine

from commands.updates.apply import reply_in_thread
from commands.updates.outcomes import ReplyIgnored, SeveralItems, UpdateApplied, UpdateRefused
from store.db import session_scope
from store.queries.history import find_item, updates_for_message
from store.queries.lead_threads import ItemClaim, claim_lead_thread
from store.queries.reminders import mark_reminder_posted

TODAY = date(2023, 2, 15)
MASH = "U0MASH001"
THREAD = slack_ts(TODAY)


def lead_thread(engine: Engine, refs: tuple[str, ...]) -> None:
    """A lead's thread listing `refs` for MASH (who holds only Head of MASH)."""
    give_role(engine, "Head of MASH", MASH)
    with session_scope(engine) as session:
        items = []
        for ref in refs:
            item = find_item(session, ref)
            assert item is not None
            items.append(ItemClaim(f"due:{ref}:{TODAY}", item.id or 0, None, "due", TODAY))
        claimed = claim_lead_thread(
            session, key=f"lead:{TODAY}:{MASH}:{REMINDERS_CHANNEL}", lead_user_id=MASH,
            channel=REMINDERS_CHANNEL, for_date=TODAY, items=items, at=noon(TODAY), by="test",
        )  # fmt: skip
        assert claimed is not None
        mark_reminder_posted(
            session, claimed.thread_id, channel=REMINDERS_CHANNEL, thread_ts=THREAD, at=noon(TODAY)
        )


def say(engine: Engine, text: str, n: int = 1) -> object:
    with session_scope(engine) as session:
        return reply_in_thread(
            session, make_request(user=MASH), channel=REMINDERS_CHANNEL, thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n), text=text,
        )  # fmt: skip


def status(engine: Engine, ref: str) -> str:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status


def recorded(engine: Engine, n: int = 1) -> int:
    with session_scope(engine) as session:
        return len(updates_for_message(session, REMINDERS_CHANNEL, slack_ts(TODAY, n)))


def test_a_40000_character_reply_keeps_its_status_and_a_cut_note(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", MASH)
    post_thread(york_engine, "P7.5", ts=THREAD, on=TODAY)
    text = ("blocked: waiting on police data. " + "Minutes of the meeting follow. " * 1300)[:40000]
    started = time.perf_counter()
    result = say(york_engine, text)
    assert time.perf_counter() - started < 2.0
    assert isinstance(result, UpdateApplied) and result.new_status == "blocked"
    with session_scope(york_engine) as session:
        [update] = updates_for_message(session, REMINDERS_CHANNEL, slack_ts(TODAY, 1))
        assert update.note is not None and len(update.note) <= 4000


def test_fifty_references_update_the_threads_items_and_name_the_rest_privately(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine, ("P7.5", "P7.8"))
    every = [f"P{a}.{b}" for a in range(1, 10) for b in range(1, 7)]
    others = [ref for ref in every if ref not in ("P7.5", "P7.8")][:48]
    text = "P7.5 done, P7.8 blocked, " + ", ".join(f"{ref} done" for ref in others)
    assert text.count("P") == 50
    result = say(york_engine, text)
    assert isinstance(result, SeveralItems)
    applied = [(o.item.ref, o.new_status) for o in result.outcomes if isinstance(o, UpdateApplied)]
    assert applied == [("P7.5", "done"), ("P7.8", "blocked")]
    [hint] = [o for o in result.outcomes if isinstance(o, ReplyIgnored)]
    assert hint.hint and "and 40 more" in hint.hint and "nothing changed for them" in hint.hint
    assert recorded(york_engine) == 2  # nothing written for the 48 others
    assert status(york_engine, "P5.4") == "not_started"


def test_references_that_do_not_exist_or_are_another_plans_change_nothing(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine, ("P7.5",))
    before = status(york_engine, "OA2.1")
    result = say(york_engine, "P7.5 in progress; P99.9 done; OA2.1 blocked - see P7.3")
    assert isinstance(result, SeveralItems)
    assert [o.item.ref for o in result.outcomes if isinstance(o, UpdateApplied)] == ["P7.5"]
    [hint] = [o for o in result.outcomes if isinstance(o, ReplyIgnored)]
    assert hint.hint and hint.hint.startswith("P99.9, OA2.1:")  # P7.3 is only mentioned
    assert status(york_engine, "P7.5") == "in_progress" and status(york_engine, "OA2.1") == before
    assert recorded(york_engine) == 1


def test_a_reply_on_items_of_roles_the_person_only_partly_holds_applies_those_it_may(
    york_engine: Engine,
) -> None:
    lead_thread(york_engine, ("P7.5", "P7.4"))  # P7.4 is Head of QA's, which MASH does not hold
    result = say(york_engine, "P7.5 done, P7.4 done")
    assert isinstance(result, SeveralItems)
    [applied] = [o for o in result.outcomes if isinstance(o, UpdateApplied)]
    [refused] = [o for o in result.outcomes if isinstance(o, UpdateRefused)]
    assert applied.item.ref == "P7.5" and refused.item.ref == "P7.4"
    assert [role for role, _ in refused.who_can] == ["Head of QA"]  # refused by name
    assert status(york_engine, "P7.5") == "done" and status(york_engine, "P7.4") != "done"
    assert recorded(york_engine) == 1
