"""The Home tab's "my actions" read from York on 15 Feb 2023: a lead's own items by colour with
the most overdue first, cover duties, a reminder thread to go back to; someone with no role gets
the headline; a choice updates the item by a reply's rules, and a choice on a tab drawn before
someone else's update changes nothing and says where the item stands."""

from __future__ import annotations

import json
from datetime import date

from reminder_test_helpers import give_role, make_request, post_thread, slack_ts
from sqlalchemy import Engine

from bot.render import render
from bot.render.home import MENU, home_view
from commands.home.buttons import ChangedSince, HomeChoice, home_press
from commands.home.my_items import GROUPS, MyHome, my_home
from commands.router import handle
from commands.updates.outcomes import Snoozed, UpdateApplied, UpdateRefused
from store.db import session_scope
from store.queries.history import find_item

LEAD, DEPUTY, NOBODY, ADMIN = "U0MASH001", "U0DEPUTY1", "U0NOBODY1", "U0ADMIN01"
TODAY = date(2023, 2, 15)


def shown(view: dict[str, object]) -> str:
    """The view's text as Slack draws it (not Python's repr, which escapes quotes)."""
    return json.dumps(view, ensure_ascii=False)


def home_of(engine: Engine, user: str) -> MyHome:
    with session_scope(engine) as session:
        return my_home(session, make_request(user=user), user)


def test_a_lead_sees_their_items_by_colour_most_overdue_first(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=slack_ts(TODAY), on=TODAY)
    home = home_of(york_engine, LEAD)
    assert "Head of MASH" in home.roles
    assert [name for name, _ in home.groups] == [n for n in GROUPS if n in dict(home.groups)]
    red = dict(home.groups)["Red"]
    assert "P7.5" in [item.ref for item in red]
    overdue = [item.overdue_days for item in red if item.overdue_days]
    assert overdue == sorted(overdue, reverse=True)
    with session_scope(york_engine) as session:
        p75 = find_item(session, "P7.5")
        assert p75 is not None
        assert next(i for i in red if i.ref == "P7.5").due == p75.due_date
    assert [t.ref for t in home.threads] == ["P7.5"]

    view = home_view(
        home, [], links={(t.channel, t.thread_ts): "https://x/t" for t in home.threads}
    )
    assert len(view["blocks"]) <= 100  # Slack's limit for a Home tab
    sections = [b for b in view["blocks"] if b.get("accessory", {}).get("action_id") == MENU]
    assert len(sections) == sum(len(items) for _, items in home.groups)
    p75_menu = next(b for b in sections if b["text"]["text"].startswith("*P7.5*"))
    labels = [o["text"]["text"] for o in p75_menu["accessory"]["options"]]
    assert labels == ["Done", "In progress", "Blocked", "Snooze a week"]
    assert all(len(o["value"]) <= 150 for o in p75_menu["accessory"]["options"])
    assert "<https://x/t|P7.5 (15 Feb 2023)>" in shown(view)


def test_cover_duties_and_someone_with_no_role(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    with session_scope(york_engine) as session:
        handle(session, make_request(f'cover "Head of MASH" <@{DEPUTY}> until 3 March', user=LEAD))
    deputy = home_of(york_engine, DEPUTY)
    assert deputy.roles == ()
    [duty] = deputy.covering
    assert (duty.role, duty.holders, duty.until) == ("Head of MASH", (LEAD,), date(2023, 3, 3))
    lead = home_of(york_engine, LEAD)

    def refs(home: MyHome) -> set[str]:
        return {item.ref for _, items in home.groups for item in items}

    # the role's own items; not All HoS's, which the lead holds as a Head of Service (no cascade)
    assert "P7.5" in refs(deputy) and refs(deputy) < refs(lead)
    assert "You are covering *Head of MASH* for <@U0MASH001> until 3 Mar 2023" in shown(
        home_view(deputy, [])
    )

    nobody = home_of(york_engine, NOBODY)
    assert nobody.groups == () and nobody.items == 0
    plans = dict(nobody.headline)
    assert sum(plans["Ofsted Action Plan"].values()) == 32
    assert sum(plans["Ambition Plan"].values()) == 52
    text = shown(home_view(nobody, []))
    assert "You don't hold a role in the plan yet" in text and "Ambition Plan" in text


def test_a_choice_updates_the_item_and_a_stale_one_changes_nothing(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=slack_ts(TODAY), on=TODAY)
    item = next(
        i for _, items in home_of(york_engine, LEAD).groups for i in items if i.ref == "P7.5"
    )
    drawn = HomeChoice("in_progress", item.kind, item.id, item.seen)

    def press(value: str, user: str = LEAD) -> object:
        with session_scope(york_engine) as session:
            return home_press(session, make_request(user=user), value)

    stranger = press(drawn.value, NOBODY)
    assert isinstance(stranger, UpdateRefused)
    done = press(drawn.value)
    assert isinstance(done, UpdateApplied) and done.new_status == "in_progress"
    assert done.source == "home"
    with session_scope(york_engine) as session:
        p75 = find_item(session, "P7.5")
        assert p75 is not None and p75.status == "in_progress"
    # the same tab, drawn before that update: nothing changes, and it says where P7.5 stands
    stale = press(HomeChoice("blocked", item.kind, item.id, item.seen).value)
    assert isinstance(stale, ChangedSince) and stale.item.status == "in_progress"
    assert render(stale).text.startswith("P7.5 was updated by someone else since this tab")
    with session_scope(york_engine) as session:
        p75 = find_item(session, "P7.5")
        assert p75 is not None and p75.status == "in_progress"
    fresh = next(
        i for _, items in home_of(york_engine, LEAD).groups for i in items if i.ref == "P7.5"
    )
    snoozed = press(HomeChoice("snooze", fresh.kind, fresh.id, fresh.seen).value)
    assert isinstance(snoozed, Snoozed) and snoozed.until == date(2023, 2, 22)
    assert render(press("nonsense|x|1|-")).text == "That item is no longer in the plan."
