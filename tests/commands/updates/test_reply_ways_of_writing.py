"""Replies as leads really write them: part-way figures, hedges and double negatives, regional
and informal English, dictated punctuation, beliefs and questions, reasons that name a month,
"w/c" dates, and corrections of one's own last update. Today is Wednesday 15 February 2023."""

from __future__ import annotations

from datetime import date

import pytest
from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from commands.updates.apply import reply_in_thread
from commands.updates.outcomes import UpdateApplied
from commands.updates.replies import parse_reply
from store.db import session_scope
from store.queries.history import find_item, history_of

TODAY = date(2023, 2, 15)
D = date

# (reply, status, rag, due, correction)
WAYS = [
    # part-way figures: in progress, and 100% only where it reads as done
    ("75% complete", "in_progress", None, None, False),
    ("about 60 per cent there", "in_progress", None, None, False),
    ("three quarters of the way there", "in_progress", None, None, False),
    ("half done, rest after the panel", "in_progress", None, None, False),
    ("100% complete", "done", None, None, False),
    ("100 percent done, signed off Friday", "done", None, None, False),
    # hedges and double negatives
    ("done apart from the sign-off", "in_progress", None, None, False),
    ("finished except for the final report", "in_progress", None, None, False),
    ("complete, pending DMT approval", "in_progress", None, None, False),
    ("it's moving, just not fast", "in_progress", None, None, False),
    ("it isn't not started", "in_progress", None, None, False),
    # regional and informal English
    ("nowt happened yet", "not_started", None, None, False),
    ("nothing has happened on this", "not_started", None, None, False),
    ("aye it's no done yet", "in_progress", None, None, False),
    ("getting there", "in_progress", None, None, False),
    ("canny close now", "in_progress", None, None, False),
    ("I'll do it now in a minute", "in_progress", None, None, False),
    ("dreckly", "in_progress", None, None, False),
    ("under control", "in_progress", "green", None, False),
    ("done and dusted", "done", None, None, False),
    ("job done", "done", None, None, False),
    ("completely finished", "done", None, None, False),
    ("not yet but soon", "in_progress", None, None, False),
    # dictated punctuation
    (
        "in progress comma slipping to end of April full stop",
        "in_progress",
        None,
        D(2023, 4, 30),
        False,
    ),
    ("blocked full stop waiting on police", "blocked", None, None, False),
    # dates as UK people write them
    ("w/c 13th March", None, None, D(2023, 3, 13), False),
    ("moving to week commencing 6 March", None, None, D(2023, 3, 6), False),
    ("01.04.23", None, None, D(2023, 4, 1), False),
    # a reason that names a month is not a new due date
    ("delayed because staff are off until March", None, None, None, False),
    ("amber as the analyst is away until April", None, "amber", None, False),
    ("slipping to May because staff are off until March", None, None, D(2023, 5, 31), False),
    # corrections of one's own last update
    ("oops, should have said red", None, "red", None, True),
    ("sorry, I meant amber", None, "amber", None, True),
    ("make that 30 June, not 31 May", None, None, D(2023, 6, 30), True),
    ("correction: blocked", "blocked", None, None, True),
]

# Beliefs, questions and acknowledgements are not updates.
NOT_UPDATES = [
    "I thought this was closed",
    "isn't this already done?",
    "wasn't this signed off in January",
    "I was told this was finished",
    "👀",
    "👍",
    "thanks, will update next week",
]


@pytest.mark.parametrize(("text", "status", "rag", "due", "correction"), WAYS)
def test_each_way_of_writing_reads_as_meant(
    text: str, status: str | None, rag: str | None, due: date | None, correction: bool
) -> None:
    parsed = parse_reply(text, TODAY)
    assert (parsed.status, parsed.rag, parsed.due, parsed.correction) == (
        status,
        rag,
        due,
        correction,
    )


@pytest.mark.parametrize("text", NOT_UPDATES)
def test_beliefs_questions_and_acknowledgements_change_nothing(text: str) -> None:
    parsed = parse_reply(text, TODAY)
    assert (parsed.status, parsed.rag, parsed.due) == (None, None, None)


LEAD = "U0MASH001"
THREAD = slack_ts(TODAY)


def test_a_correction_replaces_the_authors_last_update_in_the_thread(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=THREAD, on=TODAY)

    def reply(text: str, n: int) -> object:
        with session_scope(york_engine) as session:
            return reply_in_thread(
                session,
                make_request(user=LEAD),
                channel=REMINDERS_CHANNEL,
                thread_ts=THREAD,
                message_ts=slack_ts(TODAY, n),
                text=text,
            )

    first = reply("in progress, amber, analyst recruited", 1)
    fixed = reply("oops, should have said red", 2)
    assert isinstance(first, UpdateApplied) and isinstance(fixed, UpdateApplied)
    assert fixed.corrected
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert (item.status, item.declared_rag) == ("in_progress", "red")
        standing = [u for u in history_of(session, item) if u.source == "chat" and not u.superseded]
        assert len(standing) == 1
        assert standing[0].note == "analyst recruited"
