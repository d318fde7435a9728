"""A child's details in a reply, an edit, a note or a question: the update stands, the details
are never stored, echoed or logged, and the author is told privately."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from bot.render import render
from commands.router import handle
from commands.updates.apply import reply_in_thread
from commands.updates.buttons import button_update
from commands.updates.edits import edit_reply
from commands.updates.outcomes import (
    DetailsRemoved,
    ReplyIgnored,
    UpdateApplied,
    UpdateRefused,
    details_removed,
)
from store.db import session_scope
from store.plan_files.exporter import export_plans
from store.plan_files.formats import read_plan_file, render_plans
from store.plan_files.plan_doc import PlanFileError
from store.queries.history import find_item, history_of

TODAY = date(2023, 2, 15)
LEAD = "U0MASH001"
THREAD = slack_ts(TODAY)
DETAILS = ("Jayden", "12/03/2015", "943 476 5919", "YO24 1AB")


def reply(engine: Engine, text: str, *, user: str = LEAD, n: int = 1) -> object:
    with session_scope(engine) as session:
        return reply_in_thread(
            session,
            make_request(user=user),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n),
            text=text,
        )


def stored_notes(engine: Engine, ref: str = "P7.5") -> list[str]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return [u.note or "" for u in history_of(session, item)]


def exported(engine: Engine) -> str:
    with session_scope(engine) as session:
        text = render_plans(export_plans(session), "yaml")
    assert isinstance(text, str)
    return text


def assert_nowhere(engine: Engine, *texts: str) -> None:
    everything = "\n".join([*stored_notes(engine), exported(engine), *texts])
    for detail in DETAILS:
        assert detail not in everything


@pytest.fixture
def thread(york_engine: Engine) -> Engine:
    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=THREAD, on=TODAY)
    return york_engine


def test_a_reply_with_a_childs_details_updates_the_item_and_keeps_none_of_them(
    thread: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    result = reply(
        thread,
        "blocked, Jayden Smith (12/03/2015) NHS 943 476 5919 moved to YO24 1AB, chasing",
    )
    assert isinstance(result, UpdateApplied)
    assert result.new_status == "blocked"
    assert result.new_due is None  # a date of birth is never read as a new due date
    assert "[child's name]" in stored_notes(thread)[-1]
    assert "[NHS number]" in stored_notes(thread)[-1]
    confirmation = render(result).text
    notice = details_removed(result)
    assert isinstance(notice, DetailsRemoved) and notice.kept
    private = render(notice).text
    assert "child's name" in private and "NHS number" in private and "delete" in private
    assert_nowhere(thread, confirmation, private, caplog.text)
    assert "#" in caplog.text  # the log names the kinds and a salted hash


def test_a_date_of_birth_beside_a_real_new_date_leaves_the_real_one(thread: Engine) -> None:
    result = reply(thread, "slipping to 31/3 - DOB 12/03/2015 was wrong on the referral")
    assert isinstance(result, UpdateApplied)
    assert result.new_due == date(2023, 3, 31)
    assert_nowhere(thread)


def test_someone_without_the_role_is_refused_and_still_told_about_the_details(
    thread: Engine,
) -> None:
    result = reply(thread, "done, child Jayden placed", user="U0STRANGER")
    assert isinstance(result, UpdateRefused)
    notice = details_removed(result)
    assert notice is not None and not notice.kept
    assert "Jayden" not in render(notice).text
    assert stored_notes(thread)[-1] != "child [child's name] placed"


def test_an_edit_and_a_note_are_screened_too(thread: Engine) -> None:
    assert isinstance(reply(thread, "in progress"), UpdateApplied)
    with session_scope(thread) as session:
        edited = edit_reply(
            session,
            make_request(user=LEAD),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, 1),
            text="in progress, Jayden Smith (12/03/2015) is the delay",
        )
    assert isinstance(edited, UpdateApplied) and edited.removed
    with session_scope(thread) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        reminder_id = post_thread(thread, "P7.5.2", ts=slack_ts(TODAY, 50), on=TODAY)
    with session_scope(thread) as session:
        noted = button_update(
            session,
            make_request(user=LEAD),
            reminder_id=reminder_id,
            note="waiting on GP for NHS 943 476 5919",
            source="modal",
        )
    assert isinstance(noted, UpdateApplied) and noted.removed == ("[NHS number]",)
    assert_nowhere(thread)
    assert any("[NHS number]" in n for n in stored_notes(thread, "P7.5.2"))


def test_a_reply_that_is_only_a_childs_details_keeps_them_out_of_the_note(thread: Engine) -> None:
    result = reply(thread, "Jayden Smith (12/03/2015)")
    assert isinstance(result, UpdateApplied | ReplyIgnored)
    assert_nowhere(thread)


def test_a_question_with_a_childs_name_is_answered_without_echoing_it(york_engine: Engine) -> None:
    with session_scope(york_engine) as session:
        result = handle(session, make_request("what's overdue for child Jayden Smith in P7?"))
    text = render(result).text
    assert "Jayden" not in text
    assert "child's name" in text


def test_an_import_holding_a_childs_details_is_refused_naming_the_field(
    york_engine: Engine, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "plan_key,plan_title,plan_prefix,kind,ref,title,progress\n"
        "borset-2023,Borset plan,BP,area,BP1,Front door,\n"
        "borset-2023,Borset plan,BP,action,BP1.1,Review MASH,Jayden Smith DOB 12/03/2015 seen\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanFileError) as refused:
        read_plan_file(plan)
    message = str(refused.value)
    assert "row 3" in message and "progress" in message
    assert "child's name" in message and "date of birth" in message
    assert "Jayden" not in message and "12/03/2015" not in message
