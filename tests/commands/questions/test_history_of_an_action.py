"""An action's history takes in the updates made on its steps, each naming its step."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from bot.render import render
from commands.questions.history import HistoryResult, history_command
from commands.updates.apply import reply_in_thread
from commands.updates.outcomes import UpdateApplied
from store.db import session_scope

TODAY = date(2023, 2, 15)
LEAD = "U0MASH001"


def test_an_update_on_a_step_shows_in_its_actions_history(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    thread = slack_ts(TODAY, 7)
    post_thread(york_engine, "P7.5.2", ts=thread, on=TODAY)
    with session_scope(york_engine) as session:
        applied = reply_in_thread(
            session,
            make_request(user=LEAD),
            channel=REMINDERS_CHANNEL,
            thread_ts=thread,
            message_ts=slack_ts(TODAY, 8),
            text="in progress, terms of reference drafted",
        )
    assert isinstance(applied, UpdateApplied)
    with session_scope(york_engine) as session:
        action = history_command(session, make_request(user=LEAD), "P7.5")
        step = history_command(session, make_request(user=LEAD), "P7.5.2")
    assert isinstance(action, HistoryResult) and isinstance(step, HistoryResult)
    assert [e.step for e in action.entries if e.source == "chat"] == ["P7.5.2"]
    text = render(action).text
    assert "P7.5.2 not started → in progress" in text
    assert "terms of reference drafted" in text
    assert all(e.step is None for e in step.entries)  # a step's own history needs no label
