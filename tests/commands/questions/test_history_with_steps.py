"""`history P5.4` shows the updates made on its steps, each labelled with the step."""

from __future__ import annotations

from datetime import UTC, datetime

from reminder_test_helpers import make_request
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.render import render
from commands.questions.history import HistoryResult, history_command
from store.db import session_scope
from store.models import Action, StatusUpdate, Step


def add_update(engine: Engine, ref: str, at: datetime, note: str) -> None:
    with session_scope(engine) as session:
        step = session.exec(select(Step).where(Step.ref == ref)).first()
        action = session.exec(select(Action).where(Action.ref == ref)).first()
        session.add(
            StatusUpdate(
                action_id=action.id if action else None,
                step_id=step.id if step else None,
                at=at,
                author="U0CORP001",
                source="chat",
                old_status="not_started",
                new_status="in_progress",
                note=note,
            )
        )


def history(engine: Engine, ref: str) -> HistoryResult:
    with session_scope(engine) as session:
        result = history_command(session, make_request(), ref)
    assert isinstance(result, HistoryResult)
    return result


def test_an_actions_history_includes_its_steps_updates_labelled_and_in_time_order(
    york_engine: Engine,
) -> None:
    add_update(york_engine, "P5.4.2", datetime(2023, 2, 10, 9, tzinfo=UTC), "group meets monthly")
    add_update(york_engine, "P5.4", datetime(2023, 2, 8, 9, tzinfo=UTC), "panel dates set")
    add_update(york_engine, "P5.4.1", datetime(2023, 2, 6, 9, tzinfo=UTC), "first reviews held")
    result = history(york_engine, "P5.4")
    mine = [(e.step_ref, e.note) for e in result.entries if e.source == "chat"]
    assert mine == [
        ("P5.4.1", "first reviews held"),
        (None, "panel dates set"),
        ("P5.4.2", "group meets monthly"),
    ]
    assert all(e.step_ref is None for e in result.entries if e.source == "document")
    text = render(result).text
    assert "[step P5.4.1]" in text and "[step P5.4.2]" in text
    assert text.index("first reviews held") < text.index("group meets monthly")


def test_a_steps_history_is_its_own_and_other_actions_steps_stay_out(york_engine: Engine) -> None:
    add_update(york_engine, "P5.4.1", datetime(2023, 2, 6, 9, tzinfo=UTC), "first reviews held")
    add_update(york_engine, "P5.3.1", datetime(2023, 2, 7, 9, tzinfo=UTC), "another action's step")
    step = history(york_engine, "P5.4.1")
    assert [e.note for e in step.entries if e.source == "chat"] == ["first reviews held"]
    assert all(e.step_ref is None for e in step.entries)
    action = history(york_engine, "P5.4")
    assert "another action's step" not in {e.note for e in action.entries}
