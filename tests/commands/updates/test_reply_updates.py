"""Applying replies, edits, deletions, buttons and notes under a reminder, and `history`."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

import pytest
from reminder_test_helpers import (
    REMINDERS_CHANNEL,
    give_role,
    make_request,
    post_thread,
    slack_ts,
)
from sqlalchemy.engine import Engine

from commands.caller import Caller
from commands.questions.history import HistoryProblem, HistoryResult, history_command
from commands.router import handle
from commands.updates.apply import delete_reply, reply_in_thread
from commands.updates.buttons import button_update, snooze_item
from commands.updates.edits import edit_reply
from commands.updates.outcomes import (
    ReplyDeleted,
    ReplyIgnored,
    Snoozed,
    StatusQuestion,
    UpdateApplied,
    UpdateRefused,
)
from store.db import session_scope
from store.queries.history import find_item, history_of
from store.queries.reminders import get_reminder

TODAY = date(2023, 2, 15)
LEAD = "U0MASH001"
THREAD = slack_ts(TODAY)


def thread(york_engine: Engine, ref: str = "P7.5") -> int:
    give_role(york_engine, "Head of MASH", LEAD)
    return post_thread(york_engine, ref, ts=THREAD, on=TODAY)


def reply(engine: Engine, text: str, *, user: str = LEAD, n: int = 1, **kw: object) -> object:
    with session_scope(engine) as session:
        return reply_in_thread(
            session,
            make_request(user=user),
            channel=REMINDERS_CHANNEL,
            thread_ts=kw.get("thread_ts", THREAD),  # type: ignore[arg-type]
            message_ts=slack_ts(TODAY, n),
            text=text,
            permalink=f"https://york.slack.com/archives/{REMINDERS_CHANNEL}/p{n}",
            has_files=bool(kw.get("has_files")),
        )


def edit(engine: Engine, text: str, *, n: int = 1, today: date = TODAY) -> object:
    """The lead edits their reply number `n` on `today`, to read `text`."""
    with session_scope(engine) as session:
        return edit_reply(
            session,
            make_request(user=LEAD, today=today),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n),
            text=text,
        )


def state(engine: Engine, ref: str = "P7.5") -> tuple[str, str | None, date | None]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status, item.declared_rag, item.due_date


def test_a_lead_reply_updates_the_item_and_is_confirmed(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    result = reply(york_engine, "in progress, slipping to 31/3. Analyst now in post")
    assert isinstance(result, UpdateApplied)
    assert (result.old_status, result.new_status) == ("not_started", "in_progress")
    assert (result.old_due, result.new_due) == (date(2023, 1, 31), date(2023, 3, 31))
    assert result.note_saved
    assert state(york_engine) == ("in_progress", None, date(2023, 3, 31))
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        last = history_of(session, item)[-1]
        assert (last.author, last.source, last.channel) == (LEAD, "chat", REMINDERS_CHANNEL)
        assert last.source_ref and last.source_ref.startswith("https://york.slack.com/")
        assert last.note == "Analyst now in post" or "Analyst now in post" in (last.note or "")
        assert item.rebaselined == 1
        reminder = get_reminder(session, reminder_id)
        assert reminder is not None and reminder.answered_at is not None


@pytest.mark.parametrize(
    ("text", "status", "rag", "note"),
    [
        ("still red rated, waiting on police data", "blocked", "red", "waiting on police data"),
        ("overall red rating", "not_started", "red", "overall red rating"),
        ("all green rag now", "not_started", "green", None),
    ],
)
def test_a_colour_put_after_its_rating_word_is_recorded(
    york_engine: Engine, text: str, status: str, rag: str, note: str | None
) -> None:
    thread(york_engine)
    result = reply(york_engine, text)
    assert isinstance(result, UpdateApplied)
    assert state(york_engine) == (status, rag, date(2023, 1, 31))
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        last = history_of(session, item)[-1]
        assert (last.author, last.source, last.new_rag, last.note) == (LEAD, "chat", rag, note)


def test_the_same_message_twice_changes_nothing_twice(york_engine: Engine) -> None:
    thread(york_engine)
    assert isinstance(reply(york_engine, "blocked: waiting on police data"), UpdateApplied)
    again = reply(york_engine, "blocked: waiting on police data")
    assert again == ReplyIgnored("already recorded")
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert sum(1 for u in history_of(session, item) if u.source == "chat") == 1


def test_someone_else_is_refused_politely_and_nothing_changes(york_engine: Engine) -> None:
    thread(york_engine)
    result = reply(york_engine, "done", user="U0OTHER01")
    assert isinstance(result, UpdateRefused)
    assert result.who_can == (("Head of MASH", (LEAD,)),)
    assert state(york_engine) == ("not_started", None, date(2023, 1, 31))


def test_nobody_changes_nothing(york_engine: Engine) -> None:
    """A request naming no user (a reply event without `user`, an edit without `message.user`,
    a click without `user.id`) is nobody's: not the terminal's, not an admin's."""
    reminder_id = thread(york_engine)
    nobody = replace(make_request(), caller=Caller(channel_id=REMINDERS_CHANNEL))
    assert not nobody.caller.is_terminal and nobody.caller.label == "nobody"
    where = {"channel": REMINDERS_CHANNEL, "thread_ts": THREAD, "message_ts": slack_ts(TODAY, 9)}
    with session_scope(york_engine) as session:
        replied = reply_in_thread(session, nobody, text="done", **where)
        edited = edit_reply(session, nobody, text="blocked", **where)
        clicked = button_update(session, nobody, reminder_id=reminder_id, status="done")
        noted = button_update(session, nobody, reminder_id=reminder_id, note="x", source="modal")
    for result in (replied, edited, clicked, noted):
        assert isinstance(result, UpdateRefused), result
    assert state(york_engine) == ("not_started", None, date(2023, 1, 31))


def test_an_admin_may_update_any_item(york_engine: Engine) -> None:
    thread(york_engine)
    with session_scope(york_engine) as session:
        result = reply_in_thread(
            session,
            make_request(user="U0ADMIN01", admins=("U0ADMIN01",)),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, 5),
            text="dropped - superseded by P7.3",
        )
    assert isinstance(result, UpdateApplied) and state(york_engine)[0] == "dropped"


def test_all_hos_items_accept_any_head_of_service(york_engine: Engine) -> None:
    give_role(york_engine, "Head of QA", "U0QUAL001")
    post_thread(york_engine, "P7.10", ts=THREAD, on=TODAY)  # Virtual Head; Heads of Service
    result = reply(york_engine, "in progress", user="U0QUAL001")
    assert isinstance(result, UpdateApplied) and state(york_engine, "P7.10")[0] == "in_progress"


def test_a_thanks_changes_nothing_and_says_nothing(york_engine: Engine) -> None:
    thread(york_engine)
    assert reply(york_engine, "thanks!") == ReplyIgnored("changes nothing")
    assert reply(york_engine, "is this still needed?", n=2) == ReplyIgnored("changes nothing")
    assert state(york_engine) == ("not_started", None, date(2023, 1, 31))


def test_an_ambiguous_reply_is_kept_as_a_note_and_asks_which_status(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    result = reply(york_engine, "started but waiting on police data")
    assert isinstance(result, StatusQuestion)
    assert result.reminder_id == reminder_id and set(result.choices) == {"in_progress", "blocked"}
    assert state(york_engine)[0] == "not_started"
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert history_of(session, item)[-1].note == "started but waiting on police data"
    clicked = button_update_as(york_engine, reminder_id, "blocked")
    assert isinstance(clicked, UpdateApplied) and state(york_engine)[0] == "blocked"


def button_update_as(engine: Engine, reminder_id: int, status: str | None, **kw: object) -> object:
    with session_scope(engine) as session:
        return button_update(
            session,
            make_request(user=str(kw.pop("user", LEAD))),
            reminder_id=reminder_id,
            status=status,
            **kw,  # type: ignore[arg-type]
        )


def test_a_reply_in_an_unknown_thread_is_ignored(york_engine: Engine) -> None:
    thread(york_engine)
    result = reply(york_engine, "done", thread_ts="1676462400.999999")
    assert result == ReplyIgnored("not a reminder thread")
    assert state(york_engine)[0] == "not_started"


def test_a_file_without_text_gets_a_private_hint(york_engine: Engine) -> None:
    thread(york_engine)
    result = reply(york_engine, "", has_files=True)
    assert isinstance(result, ReplyIgnored) and result.hint and "P7.5" in result.hint


def test_an_edit_corrects_the_update_it_made(york_engine: Engine) -> None:
    thread(york_engine)
    reply(york_engine, "done")
    assert state(york_engine)[0] == "done"
    result = edit(york_engine, "not done yet, due 31/3")
    assert isinstance(result, UpdateApplied) and result.corrected
    assert state(york_engine) == ("in_progress", None, date(2023, 3, 31))
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        chat = [u for u in history_of(session, item) if u.source == "chat"]
        assert [u.superseded for u in chat] == [True, False]
        assert chat[1].corrects_id == chat[0].id


def test_an_edit_of_a_reply_that_changed_nothing_is_read_as_a_reply(york_engine: Engine) -> None:
    thread(york_engine)
    reply(york_engine, "thanks")
    result = edit(york_engine, "thanks - in progress now")
    assert isinstance(result, UpdateApplied) and state(york_engine)[0] == "in_progress"


def test_an_edit_of_a_very_old_reply_changes_nothing(york_engine: Engine) -> None:
    thread(york_engine)
    reply(york_engine, "done")
    result = edit(york_engine, "blocked", today=date(2023, 4, 3))
    assert isinstance(result, ReplyIgnored) and result.reason == "edit of an old reply"
    assert state(york_engine)[0] == "done"


def test_a_deleted_reply_keeps_its_history(york_engine: Engine) -> None:
    thread(york_engine)
    reply(york_engine, "blocked: waiting on police data")
    with session_scope(york_engine) as session:
        result = delete_reply(
            session,
            make_request(user=LEAD),
            channel=REMINDERS_CHANNEL,
            message_ts=slack_ts(TODAY, 1),
        )
    assert result == ReplyDeleted(("P7.5",))
    assert state(york_engine)[0] == "blocked"
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        assert history_of(session, item)[-1].deleted


def test_buttons_follow_the_same_rules(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    refused = button_update_as(york_engine, reminder_id, "done", user="U0OTHER01")
    assert isinstance(refused, UpdateRefused) and state(york_engine)[0] == "not_started"
    done = button_update_as(york_engine, reminder_id, "done")
    assert isinstance(done, UpdateApplied) and done.source == "button"
    assert state(york_engine)[0] == "done"


def test_the_same_button_clicked_twice_counts_once(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    assert isinstance(button_update_as(york_engine, reminder_id, "done"), UpdateApplied)
    assert button_update_as(york_engine, reminder_id, "done") == ReplyIgnored("clicked again")
    changed = button_update_as(york_engine, reminder_id, "in_progress")  # a new decision
    assert isinstance(changed, UpdateApplied) and state(york_engine)[0] == "in_progress"
    with session_scope(york_engine) as session:
        next_day = button_update(
            session,
            make_request(user=LEAD, today=date(2023, 2, 16)),
            reminder_id=reminder_id,
            status="in_progress",
        )
        assert isinstance(next_day, UpdateApplied)  # "still in progress", a day on
        item = find_item(session, "P7.5")
        assert item is not None
        clicks = [u.new_status for u in history_of(session, item) if u.source == "button"]
    assert clicks == ["done", "in_progress", "in_progress"]


def test_the_note_modal_saves_a_note_a_status_and_a_date(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    result = button_update_as(
        york_engine,
        reminder_id,
        "in_progress",
        note="Data sharing agreement signed",
        due=date(2023, 4, 28),
        source="modal",
    )
    assert isinstance(result, UpdateApplied) and result.note_saved
    assert state(york_engine) == ("in_progress", None, date(2023, 4, 28))
    empty = button_update_as(york_engine, reminder_id, None, note="   ", source="modal")
    assert isinstance(empty, ReplyIgnored)


def test_snooze_a_week(york_engine: Engine) -> None:
    reminder_id = thread(york_engine)
    with session_scope(york_engine) as session:
        result = snooze_item(session, make_request(user=LEAD), reminder_id=reminder_id)
    assert isinstance(result, Snoozed) and result.until == date(2023, 2, 22)
    with session_scope(york_engine) as session:
        reminder = get_reminder(session, reminder_id)
        assert reminder is not None and reminder.snoozed_until == date(2023, 2, 22)


def test_history_shows_every_dated_update_with_who_and_where(york_engine: Engine) -> None:
    thread(york_engine)
    reply(york_engine, "amber, slipping to end of March")
    with session_scope(york_engine) as session:
        result = history_command(session, make_request(user=LEAD), "p7.5")
    assert isinstance(result, HistoryResult)
    assert result.item.ref == "P7.5" and result.item.owner == "Head of MASH"
    assert result.item.due == date(2023, 3, 31) and result.item.declared_rag == "amber"
    first, last = result.entries[0], result.entries[-1]
    assert first.source == "document" and first.source_ref
    assert (last.author, last.source, last.new_rag, last.new_due) == (
        LEAD,
        "chat",
        "amber",
        date(2023, 3, 31),
    )
    assert last.old_due == date(2023, 1, 31)
    with session_scope(york_engine) as session:
        missing = history_command(session, make_request(), "OA99.1")
    assert isinstance(missing, HistoryProblem)


def test_every_bad_input_leaves_a_log_line(
    york_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="commands.updates.apply")
    caplog.set_level(logging.INFO, logger="commands.updates.edits")
    thread(york_engine)
    reply(york_engine, "done", thread_ts="1676462400.999999")
    reply(york_engine, "", n=2, has_files=True)
    reply(york_engine, "done", user="U0OTHER01", n=3)
    reply(york_engine, "thanks", n=4)
    edit(york_engine, "done", n=4, today=date(2023, 4, 3))
    text = caplog.text
    assert "not a reminder thread" in text
    assert "file without text" in text
    assert "refused for U0OTHER01" in text
    assert "changes nothing" in text
    assert "reply older than 14 days" in text


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("history of P7.5", "P7.5"),  # the verb, with a word before the reference
        ("history oa 4.1?", "OA4.1"),  # a reference typed with a space
        ("show me the history for P7.5", "P7.5"),  # no verb first: asked in passing
        ("what's the history of oa 4.1", "OA4.1"),
    ],
)
def test_history_is_asked_for_in_everyday_words(york_engine: Engine, text: str, ref: str) -> None:
    with session_scope(york_engine) as session:
        result = handle(session, make_request(text=text))
    assert isinstance(result, HistoryResult)
    assert result.item.ref == ref
    assert result.entries and result.entries[0].source == "document"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("history OA4", "not a whole area: try `history OA4.1`, or `what changed under OA4?`."),
        ("history of missing from home", "Asking “missing from home” finds their references."),
        ("history <!channel>", "say which, e.g. `history P7.5`. Asking “channel” finds"),
    ],
)
def test_history_without_an_item_says_how_to_ask(york_engine: Engine, text: str, said: str) -> None:
    with session_scope(york_engine) as session:
        result = handle(session, make_request(text=text))
    assert isinstance(result, HistoryProblem) and said in result.message
    assert "<!" not in result.message
