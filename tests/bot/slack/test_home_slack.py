"""The Home tab through the fake Slack: a lead opens it and sees their items with a menu each;
choosing In progress on one records it and redraws the tab saying so; someone with no role sees
the plans' headline and how to get one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fake_slack import FakeSlack
from reminder_test_helpers import give_role

from bot.render.home import MENU
from store.db import make_engine, session_scope
from store.queries.history import find_item
from store.queries.state import record_update

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]  # queries pinned in commands/home

LEAD, NOBODY = "U0MASH001", "U0NOBODY1"


def opened(app: Any, fake: FakeSlack, user: str) -> dict[str, Any]:
    fake.reset()
    event = {"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": "home"}
    assert app.event(event).status == 200
    [publish] = fake.wait_for("views.publish")
    assert publish.payload["user_id"] == user
    view: dict[str, Any] = publish.payload["view"]
    return view


def test_a_lead_updates_an_item_from_the_home_tab(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str
) -> None:
    engine = make_engine(york_url)
    give_role(engine, "Head of MASH", LEAD)
    app = start_slack_app(york_url, PLANBOT_SCHEDULER="false")

    view = opened(app, fake_slack, LEAD)
    menus = [b for b in view["blocks"] if b.get("accessory", {}).get("action_id") == MENU]
    p75 = next(b for b in menus if b["text"]["text"].startswith("*P7.5*"))
    assert "overdue" in p75["text"]["text"]
    assert len(view["blocks"]) <= 100
    choice = next(o for o in p75["accessory"]["options"] if o["text"]["text"] == "In progress")

    fake_slack.reset()
    sent = app.block_action(
        MENU, user=LEAD, in_view=view | {"id": "VHOME1"}, selected=choice["value"]
    )
    assert sent.status == 200
    [redrawn] = fake_slack.wait_for("views.publish")
    notice = redrawn.payload["view"]["blocks"][1]["text"]["text"]
    assert "P7.5" in notice and "in progress" in notice
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None and item.status == "in_progress"

    # the same choice again from the old tab: nothing changes, and the tab says why
    fake_slack.reset()
    app.block_action(MENU, user=LEAD, in_view=view | {"id": "VHOME1"}, selected=choice["value"])
    [again] = fake_slack.wait_for("views.publish")
    assert "was updated by someone else since this tab was drawn" in str(again.payload["view"])

    # an action's history, asked in Slack, carries its steps' updates, each named by its step
    with session_scope(engine) as session:
        step = find_item(session, "P7.5.2")
        assert step is not None
        record_update(session, step, at=datetime(2023, 2, 14, 10, tzinfo=UTC), source="chat",
                      author=LEAD, status="in_progress", note="ToR drafted")  # fmt: skip
    fake_slack.reset()
    history = fake_slack.answer_to(app.command("/plan history P7.5", user=LEAD).response_url)
    assert "P7.5.2" in history.payload["text"] and "ToR drafted" in history.payload["text"]

    headline = opened(app, fake_slack, NOBODY)
    text = " ".join(b.get("text", {}).get("text", "") for b in headline["blocks"])
    assert "You don't hold a role in the plan yet" in text
    assert "*Ofsted Action Plan*" in text and "*Ambition Plan*" in text
