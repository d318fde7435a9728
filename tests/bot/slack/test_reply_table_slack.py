"""The replies table (tests/bot/slack/reply_table.py) through the real Slack app and the fake Slack.

One `planbot serve --http` process for the whole table: every reply is posted as Slack sends it
(a signed `message` event in a reminder thread), in sequence, and checked against the store once
the app has logged that it handled it (PLANBOT_LOG_LEVEL=INFO; no fixed sleeps). Each row gets
items of its own: an action's thread (its steps by reference) or, for one-item rows, a step's.
Every row's mismatches are gathered so that one run shows all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fake_slack import FakeSlack
from reminder_test_helpers import post_thread
from reply_table import ROWS, Expect, Row
from slack_fixtures import SlackAppProcess, message_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from store.db import make_engine, session_scope
from store.models import Action, Plan, Role, StatusUpdate, Step
from store.queries.governance import set_plan_setting
from store.queries.history import find_item
from store.queries.lead_threads import ItemClaim, claim_lead_thread
from store.queries.reminders import mark_reminder_posted
from store.queries.roles import assign, find_role
from store.queries.state import record_update

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]  # parsing; SQL pinned elsewhere

CHANNEL = "CTABLE001"
LEAD = "U0TABLE01"  # holds every owner role in York's plans
AS_OF_DAY = date(2023, 2, 15)
BOARD = date(2023, 3, 22)  # the Ambition Plan's next board; the Ofsted plan's is not set
KINDS = {
    "plain", "several", "correction", "percent", "dictated", "yorkshire", "scots", "welsh",
    "geordie", "informal", "emoji", "ack", "hedge", "quote", "uk date", "reason", "question",
    "ownership", "child",
}  # fmt: skip
DESCRIBED = ("P7.4", "P9.3", "P5.9")  # kept for the tests after the table
OUTSIDER = "U0OUTSID1"
_ts = itertools.count(1)


@dataclass
class Items:
    """Actions with enough steps for the several-item rows; the rest for one-item rows."""

    by_steps: list[tuple[str, list[str]]]  # (action ref, its step refs), open actions
    singles: list[str]  # refs of steps and actions nobody else uses
    ofsted: list[str]  # actions of the plan whose next board is not known
    still_needed: int  # several-item rows still to come

    def take_action(self, steps: int) -> tuple[str, list[str]]:
        for index, (_, step_refs) in enumerate(self.by_steps):
            if len(step_refs) >= steps:
                self.still_needed -= 1
                return self.by_steps.pop(index)
        raise AssertionError(f"no action with {steps} steps left")

    def take_single(self, row: Row) -> str:
        if row.board == "unknown":
            return self.ofsted.pop()
        spare = 0 if "next board" in row.reply else 2  # a board row needs the Ambition Plan
        if not self.singles and len(self.by_steps) > self.still_needed + spare:
            action, steps = self.by_steps.pop(0)  # an action spared: its steps and itself
            self.singles += [*steps, action]
        return (self.singles or self.ofsted).pop(0)


def _items(session: Session) -> Items:
    actions = list(session.exec(select(Action).order_by(col(Action.id))))
    plans = {p.id: p.key for p in session.exec(select(Plan))}
    steps: dict[int, list[str]] = {}
    for step in session.exec(select(Step).order_by(col(Step.action_id), col(Step.number))):
        steps.setdefault(step.action_id, []).append(step.ref)
    ambition = [
        a for a in actions if plans[a.plan_id].startswith("ambition") and a.ref not in DESCRIBED
    ]
    with_steps = [(a.ref, steps[a.id or 0]) for a in ambition if len(steps.get(a.id or 0, [])) >= 2]
    with_steps.sort(key=lambda pair: len(pair[1]))
    used = {ref for ref, _ in with_steps}
    singles = [ref for a in ambition for ref in steps.get(a.id or 0, []) if a.ref not in used]
    singles += [a.ref for a in ambition if a.ref not in used]
    ofsted = [a.ref for a in actions if not plans[a.plan_id].startswith("ambition")]
    return Items(with_steps, singles, ofsted, sum(1 for row in ROWS if row.steps))


@pytest.fixture(scope="module")
def table_app(
    fake_slack_server: FakeSlack, module_york_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SlackAppProcess, Engine]]:
    engine = make_engine(module_york_url)
    at = datetime(2023, 1, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        for role in session.exec(select(Role)):
            found = find_role(session, role.name)
            assert found is not None
            assign(session, found, LEAD, by=None, at=at)
        ambition = session.exec(select(Plan).where(col(Plan.key).startswith("ambition"))).one()
        set_plan_setting(session, ambition, "next_board", BOARD.isoformat(), by=None, at=at)
    app = SlackAppProcess(
        fake_slack_server,
        module_york_url,
        tmp_path_factory.mktemp("table-app"),
        env={"PLANBOT_SCHEDULER": "false", "PLANBOT_LOG_LEVEL": "INFO"},
    )
    yield app, engine
    app.stop()
    engine.dispose()


def _thread(engine: Engine, ref: str) -> str:
    """A reminder thread for `ref` (as the reminder run posts one), with the item open."""
    thread_ts = f"1676462400.{next(_ts):06d}"
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None, ref
        if item.status in ("done", "dropped"):  # reopened, so that a new date may be given
            record_update(
                session,
                item,
                at=datetime(2023, 2, 1, tzinfo=UTC),
                source="admin",
                status="in_progress",
            )
    post_thread(engine, ref, ts=thread_ts, on=date(2023, 2, 15), channel=CHANNEL)
    return thread_ts


def _send(app: SlackAppProcess, thread_ts: str, text: str) -> str:
    """Post `text` in the thread as the lead; return once the app has handled it."""
    ts = f"1676470000.{next(_ts):06d}"
    event = message_event(
        text, user=LEAD, channel=CHANNEL, channel_type="channel", ts=ts, thread_ts=thread_ts
    )
    since = len(app.log)
    assert app.event(event).status == 200
    app.wait_for_log(f"thread message {ts} handled", since=since, timeout=15)
    return ts


def _recorded(engine: Engine, ts: str) -> dict[str, StatusUpdate]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(StatusUpdate).where(
                StatusUpdate.channel == CHANNEL, StatusUpdate.message_ts == ts
            )
        ).all()
        found: dict[str, StatusUpdate] = {}
        for row in rows:
            item = (
                session.get(Action, row.action_id)
                if row.action_id
                else session.get(Step, row.step_id)
            )
            assert item is not None
            session.expunge(row)
            found[item.ref] = row
        return found


def _mismatches(want: Expect, got: StatusUpdate | None) -> list[str]:
    if got is None:
        return ["nothing recorded"]
    said = {
        "status": got.new_status,
        "rag": got.new_rag,
        "due": got.new_due,
        "correction": got.corrects_id is not None,
    }
    wanted = {
        "status": want.status,
        "rag": want.rag,
        "due": want.due,
        "correction": want.correction,
    }
    wrong = [f"{k} {said[k]!r} (want {wanted[k]!r})" for k in wanted if said[k] != wanted[k]]
    if want.note is not None and bool(got.note) != want.note:
        wrong.append(f"note {got.note!r} (want {'one' if want.note else 'none'})")
    for kind in want.removed:
        if kind not in (got.note or ""):
            wrong.append(f"note {got.note!r} lacks {kind}")
    return wrong


def _run_row(app: SlackAppProcess, engine: Engine, items: Items, row: Row) -> list[str]:
    if row.steps:
        action, steps = items.take_action(row.steps)
        refs = {"A": action} | {str(n): ref for n, ref in enumerate(steps, start=1)}
    else:
        refs = {"A": items.take_single(row)}
    thread_ts = _thread(engine, refs["A"])
    if row.before:
        _send(app, thread_ts, row.before)
    text = row.reply
    for key, ref in refs.items():
        text = text.replace("{" + key + "}", ref)
    ts = _send(app, thread_ts, text)
    recorded = _recorded(engine, ts)
    problems = []
    for key, want in row.expect.items():
        problems += [f"{refs[key]}: {p}" for p in _mismatches(want, recorded.pop(refs[key], None))]
    problems += [f"{ref}: recorded, but nothing expected" for ref in recorded]
    return problems


def _posted(fake: FakeSlack) -> str:
    return "\n".join(str(call.payload) for call in fake.calls)


def test_the_replies_table_reads_each_reply_as_written(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    assert len(ROWS) >= 120 and {row.kind for row in ROWS} == KINDS
    with session_scope(engine) as session:
        items = _items(session)
    failures = []
    for number, row in enumerate(ROWS):
        problems = _run_row(app, engine, items, row)
        if problems:
            failures.append(f"{number} [{row.kind}] {row.reply!r}: " + "; ".join(problems))
    assert not failures, f"{len(failures)} of {len(ROWS)} rows read wrong:\n" + "\n".join(failures)
    secrets = [s for row in ROWS for s in row.secrets]
    posted = _posted(fake_slack_server)
    with session_scope(engine) as session:
        notes = " ".join(u.note or "" for u in session.exec(select(StatusUpdate)))
    assert not [s for s in secrets if s in notes or s in posted]
    fake_slack_server.assert_valid()  # every message posted was valid Block Kit


# -- steps named by what they are about


def _state(engine: Engine, ref: str) -> str:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status


def test_steps_described_unmistakably_are_each_updated(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    thread_ts = _thread(engine, "P7.4")  # steps: supervision policy, workshops, group supervision
    ts = _send(app, thread_ts, "the two supervision steps are finished")
    recorded = _recorded(engine, ts)
    assert {ref: u.new_status for ref, u in recorded.items()} == {
        "P7.4.1": "done",
        "P7.4.3": "done",
    }
    ts = _send(app, thread_ts, "the workshops one is underway, due end of April")
    [(ref, update)] = _recorded(engine, ts).items()
    assert (ref, update.new_status, update.new_due) == ("P7.4.2", "in_progress", date(2023, 4, 30))
    ts = _send(app, _thread(engine, "P9.3"), "the training one is blocked - no trainer yet")
    assert [(r, u.new_status) for r, u in _recorded(engine, ts).items()] == [("P9.3.4", "blocked")]


def test_a_description_of_more_than_one_step_is_asked_with_a_button_each(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    thread_ts = _thread(engine, "P9.3")
    fake_slack_server.reset()
    ts = _send(app, thread_ts, "the oversight one is done")  # "oversight": P9.3.3 alone
    assert list(_recorded(engine, ts)) == ["P9.3.3"]
    ts = _send(app, thread_ts, "the court one is in progress")  # court: P9.3.2 and P9.3.4
    assert _recorded(engine, ts) == {}  # nothing written until a step is chosen
    [asked] = fake_slack_server.wait_for(
        "chat.postMessage", where=lambda c: "Which did you mean" in c.payload["text"]
    )
    buttons = [e for b in asked.payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = [button["text"]["text"].split()[0] for button in buttons]
    assert labels == ["P9.3.2", "P9.3.4"]
    chosen = buttons[1]
    # someone who holds none of the step's roles: refused privately, nothing written
    app.block_action(
        chosen["action_id"], value=chosen["value"], user=OUTSIDER, channel=CHANNEL,
        message_ts=asked.payload.get("ts", thread_ts), thread_ts=thread_ts,
    )  # fmt: skip
    [refusal] = fake_slack_server.wait_for("chat.postEphemeral")
    assert refusal.payload["user"] == OUTSIDER and "Nothing was changed" in refusal.payload["text"]
    assert _recorded(engine, ts) == {}
    app.block_action(
        chosen["action_id"], value=chosen["value"], user=LEAD, channel=CHANNEL,
        message_ts=asked.payload.get("ts", thread_ts), thread_ts=thread_ts,
    )  # fmt: skip
    fake_slack_server.wait_for(
        "chat.postMessage", where=lambda c: c.payload["text"].startswith("P9.3.4 → in progress")
    )
    assert [(r, u.new_status) for r, u in _recorded(engine, ts).items()] == [
        ("P9.3.4", "in_progress")
    ]
    assert _state(engine, "P9.3.4") == "in_progress"
    fake_slack_server.assert_valid()


def test_by_the_next_board_with_no_board_date_asks_for_it_and_keeps_the_due_date(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    thread_ts = _thread(engine, "OA7.5")  # the Ofsted plan: no next board set
    with session_scope(engine) as session:
        item = find_item(session, "OA7.5")
        assert item is not None
        due_before = item.due_date
    ts = _send(app, thread_ts, "in progress, will be done by the next board")
    [(_, update)] = _recorded(engine, ts).items()
    assert (update.new_status, update.new_due) == ("in_progress", None)
    [said] = fake_slack_server.wait_for(
        "chat.postMessage", where=lambda c: c.payload.get("thread_ts") == thread_ts
    )
    assert "When is the next board?" in said.payload["text"]
    assert "settings ofsted-2022 next_board" in said.payload["text"]
    with session_scope(engine) as session:
        item = find_item(session, "OA7.5")
        assert item is not None and item.due_date == due_before


def test_an_edited_several_item_reply_corrects_each_item_through_slack(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    thread_ts = _thread(engine, "P5.9")
    said = "P5.9.1 done, P5.9.2 blocked - waiting on IROs"
    ts = _send(app, thread_ts, said)
    assert {r: u.new_status for r, u in _recorded(engine, ts).items()} == {
        "P5.9.1": "done",
        "P5.9.2": "blocked",
    }
    edited_at = f"{float(ts) + 30:.6f}"
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "channel_type": "channel",
        "hidden": True,
        "ts": edited_at,
        "message": {
            "type": "message", "user": LEAD, "text": "P5.9.1 done, P5.9.2 in progress",
            "ts": ts, "thread_ts": thread_ts, "edited": {"user": LEAD, "ts": edited_at},
        },
        "previous_message": {"type": "message", "user": LEAD, "text": said, "ts": ts},
    }  # fmt: skip
    since = len(app.log)
    assert app.event(edited).status == 200
    app.wait_for_log(f"thread message {ts} handled", since=since, timeout=15)
    now = _recorded(engine, ts)  # only the updates that stand
    with session_scope(engine) as session:
        standing = session.exec(
            select(StatusUpdate).where(
                StatusUpdate.message_ts == ts, col(StatusUpdate.superseded).is_(False)
            )
        ).all()
    assert len(standing) == 2 and all(u.corrects_id for u in standing)  # replaced, not added
    assert _state(engine, "P5.9.2") == "in_progress" and _state(engine, "P5.9.1") == "done"
    assert "P5.9.2" in now


def test_a_reply_on_items_the_person_only_partly_holds_is_refused_privately_for_the_rest(
    table_app: tuple[SlackAppProcess, Engine], fake_slack_server: FakeSlack
) -> None:
    app, engine = table_app
    partial = "U0PARTIAL"  # holds Head of MASH (P7.5), not Head of QA (P7.4)
    with session_scope(engine) as session:
        role = find_role(session, "Head of MASH")
        assert role is not None
        assign(session, role, partial, by=None, at=datetime(2023, 1, 2, tzinfo=UTC))
        items = []
        for ref in ("P7.5", "P7.4"):
            item = find_item(session, ref)
            assert item is not None
            items.append(ItemClaim(f"due:{ref}:partial", item.id or 0, None, "due", AS_OF_DAY))
        claimed = claim_lead_thread(
            session, key=f"lead:{AS_OF_DAY}:{partial}:{CHANNEL}", lead_user_id=partial,
            channel=CHANNEL, for_date=AS_OF_DAY, items=items,
            at=datetime(2023, 2, 15, 9, tzinfo=UTC), by="test",
        )  # fmt: skip
        assert claimed is not None
        thread_ts = f"1676462400.{next(_ts):06d}"
        mark_reminder_posted(
            session, claimed.thread_id, channel=CHANNEL, thread_ts=thread_ts,
            at=datetime(2023, 2, 15, 9, tzinfo=UTC),
        )  # fmt: skip
    fake_slack_server.reset()
    ts = f"1676470000.{next(_ts):06d}"
    event = message_event(
        "P7.5 in progress, P7.4 done", user=partial, channel=CHANNEL, channel_type="channel",
        ts=ts, thread_ts=thread_ts,
    )  # fmt: skip
    since = len(app.log)
    assert app.event(event).status == 200
    app.wait_for_log(f"thread message {ts} handled", since=since, timeout=15)
    assert {ref: u.new_status for ref, u in _recorded(engine, ts).items()} == {
        "P7.5": "in_progress"
    }
    [public] = fake_slack_server.wait_for(
        "chat.postMessage", where=lambda c: c.payload.get("thread_ts") == thread_ts
    )
    assert public.payload["text"].startswith("P7.5 → in progress") and "P7.4" not in str(
        public.payload
    )
    [private] = fake_slack_server.wait_for("chat.postEphemeral")
    assert private.payload["user"] == partial
    assert "Head of QA" in private.payload["text"] and "P7.4" in private.payload["text"]
