"""Text from people and plan files never becomes a link or a mention, in any answer planbot gives.

York's store is given hostile text everywhere people and files write it: a plan, area, action and
step, a role name, an imported update's author, source and note, and a lead's reply. Every answer
is rendered, and no `<…>` in its blocks or its fallback text may be one the text opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.render import Rendered, render
from bot.render.escape import link
from bot.render.reminders import reminder_message
from commands.caller import Caller
from commands.clock import Clock
from commands.digest.scope import ALL, resolve_scope
from commands.digest.summary import compose_digest
from commands.reminders.policy import plan_reminders
from commands.request import Policy, Request
from commands.router import handle
from commands.updates.buttons import button_update
from commands.updates.outcomes import UpdateRefused
from store.db import session_scope
from store.models import Area, Plan, Role
from store.queries.history import find_item
from store.queries.reminders import claim_reminder, mark_reminder_posted
from store.queries.roles import assign
from store.queries.state import record_update

# what people read: the answers' queries are pinned on PostgreSQL in tests/commands
pytestmark = pytest.mark.engine_independent

TODAY = date(2023, 2, 15)
CLOCK = Clock.fixed_at(datetime(2023, 2, 15, 10, 0))
LEAD = "U0MASH001"
LINK = "<https://evil.example|click here>"
HOSTILE = f"{LINK} <!channel> <@U0EVIL001> https://evil.example|x &lt;!here&gt; "
PERMALINK = "https://york.slack.com/archives/CREMIND01/p1676462400000100"
TOKEN = re.compile(r"<([^<>]*)>")


@pytest.fixture
def hostile(york_engine: Engine) -> Iterator[Engine]:
    with session_scope(york_engine) as session:
        plan = session.exec(select(Plan).where(Plan.key == "ambition-2022")).one()
        plan.title = HOSTILE + plan.title
        area = session.exec(select(Area).where(Area.ref == "P7")).one()
        area.title = HOSTILE + area.title
        role = session.exec(select(Role).where(Role.name == "Head of MASH")).one()
        role.name = HOSTILE + role.name
        session.add_all([plan, area, role])
        assign(session, role, LEAD, by=None, at=datetime(2023, 1, 2, tzinfo=UTC))
        action, step = find_item(session, "P7.5"), find_item(session, "P7.5.1")
        assert action is not None and step is not None
        action.title = HOSTILE + action.title
        step.text = HOSTILE + step.text
        session.add_all([action, step])
        record_update(
            session,
            action,
            at=datetime(2023, 2, 14, 9, 0, tzinfo=UTC),
            source="import",
            author=HOSTILE + "Eve",
            source_ref="https://evil.example|click",
            status="blocked",
            note=HOSTILE + "see",
        )
        record_update(
            session,
            action,
            at=datetime(2023, 2, 14, 10, 0, tzinfo=UTC),
            source="chat",
            author=LEAD,
            source_ref=PERMALINK,
            channel="CREMIND01",
            message_ts="1676462400.000100",
            rag="red",
            note=HOSTILE + "waiting on police data",
        )
    yield york_engine


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def links_and_mentions(rendered: Rendered) -> list[str]:
    return [
        token for text in strings([rendered.text, rendered.blocks]) for token in TOKEN.findall(text)
    ]


def assert_nothing_opened(rendered: Rendered) -> None:
    for token in links_and_mentions(rendered):
        assert "evil" not in token.lower(), token
        assert not token.startswith(("!", "@U0EVIL")), token


def request(text: str, user: str | None = LEAD) -> Request:
    caller = Caller(user_id=user, channel_id="CREMIND01", is_admin=False)
    return Request(
        text=text, caller=caller, clock=CLOCK, policy=Policy(reminders_channel="CREMIND01")
    )


@pytest.mark.parametrize(
    "text",
    [
        "history P7.5",
        "history P7.5.1",
        "what changed this week",
        "what's overdue under P7",
        "P7.5",
        "what's blocked",
        "role list",
        "role list mash",
        "whoami",
        "channel reminders",
    ],
)
def test_no_answer_opens_a_link_or_mention_from_stored_text(hostile: Engine, text: str) -> None:
    with Session(hostile) as session:
        rendered = render(handle(session, request(text)))
    assert "evil" in rendered.text  # the hostile text is there, shown as text
    assert_nothing_opened(rendered)


@pytest.mark.parametrize(
    "text",
    [
        f"what's open {LINK} <!here>",
        f"history {LINK}",
        f"role assign {LINK} <@U0MASH001>",
        f"role list {LINK}",
        f"digest subscribe {LINK}",
    ],
)
def test_no_answer_opens_a_link_or_mention_from_the_question(hostile: Engine, text: str) -> None:
    with Session(hostile) as session:
        rendered = render(handle(session, request(text)))
    assert_nothing_opened(rendered)


def test_history_links_only_to_slack_and_shows_a_files_address_as_text(hostile: Engine) -> None:
    with Session(hostile) as session:
        rendered = render(handle(session, request("history P7.5")))
    tokens = links_and_mentions(rendered)
    assert f"{PERMALINK}|a reply" in tokens  # the lead's reply, as Slack gave its permalink
    assert "an import (https://evil.example|click)" in rendered.text


def test_the_weekly_summary_and_a_reminder_open_nothing(hostile: Engine) -> None:
    with Session(hostile) as session:
        digests = [
            compose_digest(session, scope, CLOCK) for scope in (ALL, resolve_scope(session, "P7"))
        ]
        plan = plan_reminders(session, today=TODAY, policy=Policy(reminders_channel="CREMIND01"))
    for digest in digests:
        rendered = render(digest)
        assert "evil" in rendered.text
        assert_nothing_opened(rendered)
    [p75] = [r for r in plan.due if r.ref == "P7.5"]
    rendered = reminder_message(p75, 1, TODAY)
    assert "evil" in rendered.text
    assert_nothing_opened(rendered)


def test_a_refusal_naming_the_owner_role_opens_nothing(hostile: Engine) -> None:
    with session_scope(hostile) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        row = claim_reminder(
            session,
            key="test:P7.5",
            action_id=item.id,
            step_id=None,
            reason="overdue",
            for_date=TODAY,
            at=datetime(2023, 2, 15, 9, tzinfo=UTC),
            by="test",
        )
        assert row is not None and row.id is not None
        mark_reminder_posted(
            session,
            row.id,
            channel="CREMIND01",
            thread_ts="1676451600.000100",
            at=datetime(2023, 2, 15, 9, tzinfo=UTC),
        )
        result = button_update(
            session, request("", user="U0OTHER01"), reminder_id=row.id, status="done"
        )
    assert isinstance(result, UpdateRefused)
    rendered = render(result)
    assert "evil" in rendered.text
    assert_nothing_opened(rendered)


def test_a_link_planbot_makes_cannot_be_ended_early_by_its_address_or_label() -> None:
    assert link("https://x.example/a|b>c d&e", "a <b>|c") == (
        "<https://x.example/a%7Cb%3Ec%20d&amp;e|a &lt;b&gt;|c>"
    )
