"""Reminders and the replies to them, driven through the real Slack app against the fake Slack.

The module's York store gets role holders, then `planbot remind` (a real process) posts the day's
reminder threads; leads then reply, edit, delete, click and fill in the modal as Slack sends it.
The clock is fixed at Wednesday 15 February 2023.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fake_slack import BOT_USER_ID, Call, FakeSlack, post_message
from reminder_test_helpers import threads_per_item
from slack_fixtures import (
    AS_OF,
    SlackAppProcess,
    clean_environment,
    interaction_envelope,
    message_event,
    planbot_command,
)
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.cli import main
from store.db import make_engine, session_scope
from store.models import Reminder, StatusUpdate
from store.queries.history import find_item, history_of
from store.queries.reminders import posted_reminders, reminder_for_thread
from store.queries.roles import assign, find_role

CHANNEL = "CREMIND01"
MASH = "U0MASH001"  # Head of MASH: owns P7.5
CORP = "U0CORP001"  # Head of Corporate Parenting: owns P6.3, P5.4, P5.8
QUAL = "U0QUAL001"  # Head of QA: owns P7.4, P1.5
ADMIN = "U0ADMIN01"  # holds "planbot admin"
OUTSIDER = "U0OTHER01"
NAMES = {MASH: "Jo MASH", CORP: "Kim Corporate", QUAL: "Sam QA", ADMIN: "Ash Admin"}


def settle(seconds: float = 0.6) -> None:
    """Time for work that should NOT happen to show itself before asserting it did not."""
    time.sleep(seconds)


def remind(fake: FakeSlack, database_url: str, *args: str, **env: str) -> subprocess.Popen[str]:
    """`planbot remind` as the operator runs it, talking to the fake Slack."""
    settings = {
        "SLACK_BOT_TOKEN": fake.token,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database_url,
        "PLANBOT_TODAY": AS_OF,
        "PLANBOT_REMINDERS_CHANNEL": CHANNEL,
    }
    settings.update(env)
    return subprocess.Popen(
        [*planbot_command(), "remind", *args],
        env=clean_environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass(frozen=True)
class Ran:
    code: int
    out: str


RemindHere = Callable[..., Ran]


@pytest.fixture
def remind_here(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> RemindHere:
    """`planbot remind` run in this process (no interpreter to start), with the settings `remind`
    gives a real process."""
    monkeypatch.chdir(tmp_path)  # no stray .env

    def run(fake: FakeSlack, database_url: str, *args: str, **env: str) -> Ran:
        for name in list(os.environ):
            if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
                monkeypatch.delenv(name)
        settings = {
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database_url,
            "PLANBOT_TODAY": AS_OF,
            "PLANBOT_REMINDERS_CHANNEL": CHANNEL,
        }
        for name, value in (settings | env).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(["remind", *args])
        return Ran(code, capsys.readouterr().out)

    return run


def give(engine: Engine, role: str, user: str) -> None:
    with session_scope(engine) as session:
        found = find_role(session, role)
        assert found is not None
        assign(session, found, user, by=None, at=datetime(2023, 1, 2, tzinfo=UTC))


@dataclass
class Threads:
    engine: Engine
    posts: list[Call]  # the reminder messages `planbot remind` posted
    by_ref: dict[str, Reminder]

    def ts(self, ref: str) -> str:
        return str(self.by_ref[ref].thread_ts)

    def id(self, ref: str) -> int:
        return int(self.by_ref[ref].id or 0)


@pytest.fixture(scope="module")
def threads(
    slack_app: SlackAppProcess, fake_slack_server: FakeSlack, module_york_url: str
) -> Iterator[Threads]:
    threads_per_item(module_york_url)  # this module pins an item's own thread
    engine = make_engine(module_york_url)
    give(engine, "Head of MASH", MASH)
    give(engine, "Head of Corporate Parenting", CORP)
    give(engine, "Head of QA", QUAL)
    give(engine, "planbot admin", ADMIN)
    for user, name in NAMES.items():
        fake_slack_server.users[user] = {
            "id": user,
            "name": user.lower(),
            "profile": {"display_name": name},
        }
    fake_slack_server.reset()
    process = remind(fake_slack_server, module_york_url)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, out + err
    posts = fake_slack_server.calls_to("chat.postMessage")
    by_ref: dict[str, Reminder] = {}
    with session_scope(engine) as session:
        posted = posted_reminders(session)
        for ref in ("P7.5", "P6.3", "P7.4", "P5.4", "P5.8", "P1.5", "P8.1", "P9.3", "P1.4"):
            item = find_item(session, ref)
            assert item is not None
            rows = [r for r in posted if r.action_id == item.id and r.step_id is None]
            assert len(rows) == 1, f"no reminder thread for {ref}:\n{out}"
            by_ref[ref] = rows[0]
    yield Threads(engine, posts, by_ref)
    engine.dispose()


def reply(
    app: SlackAppProcess, threads: Threads, ref: str, text: str, *, user: str, **extra: Any
) -> dict[str, Any]:
    event = message_event(
        text, user=user, channel=CHANNEL, channel_type="channel", thread_ts=threads.ts(ref), **extra
    )
    assert app.event(event).status == 200
    return event


def in_thread(fake: FakeSlack, ts: str, method: str = "chat.postMessage") -> list[Call]:
    return fake.wait_for(method, where=lambda c: c.payload.get("thread_ts") == ts)


def item_state(engine: Engine, ref: str) -> tuple[str, str | None, date | None]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.status, item.declared_rag, item.due_date


def chat_updates(engine: Engine, ref: str) -> list[StatusUpdate]:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return [u for u in history_of(session, item) if u.source != "document"]


# -- the reminder run


def test_reminders_are_threads_that_mention_the_role_holders_with_buttons(
    threads: Threads,
) -> None:
    assert len(threads.posts) == 25  # the per-run limit; the rest follow on the next working days
    post = next(p for p in threads.posts if p.payload["text"].startswith("Reminder: P7.5 "))
    payload = post.payload
    assert payload["channel"] == CHANNEL and "thread_ts" not in payload
    assert f"<@{MASH}>" in payload["text"]  # the fallback text is what notifies
    assert "is overdue: it was due on 31 Jan 2023" in payload["text"]
    actions = next(b for b in payload["blocks"] if b["type"] == "actions")
    ids = [element["action_id"] for element in actions["elements"]]
    assert ids == [
        "reminder:set:done",
        "reminder:set:in_progress",
        "reminder:set:blocked",
        "reminder:snooze",
        "reminder:note",
    ]
    assert {element["value"] for element in actions["elements"]} == {str(threads.id("P7.5"))}
    p93 = next(p for p in threads.posts if p.payload["text"].startswith("Reminder: P9.3 "))
    assert "Director of Safeguarding (nobody assigned" in p93.payload["text"]


def test_a_second_run_the_same_day_posts_nothing(
    threads: Threads, fake_slack: FakeSlack, module_york_url: str, remind_here: RemindHere
) -> None:
    ran = remind_here(fake_slack, module_york_url)
    assert ran.code == 0
    assert fake_slack.calls_to("chat.postMessage") == []
    assert "Owner roles with nobody behind them" in ran.out  # flagged in every run


def test_two_processes_at_once_post_each_reminder_once(
    fake_slack: FakeSlack, york_url: str
) -> None:
    threads_per_item(york_url)
    first, second = remind(fake_slack, york_url), remind(fake_slack, york_url)
    for process in (first, second):
        out, err = process.communicate(timeout=90)
        assert process.returncode == 0, out + err
    posts = fake_slack.calls_to("chat.postMessage")
    refs = [post.payload["text"].split()[1] for post in posts]
    assert len(refs) == 25 and len(set(refs)) == 25
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        posted = posted_reminders(session)
        assert len(posted) == 25 and len({r.key for r in posted}) == 25
    engine.dispose()


def test_a_failed_post_is_not_lost(
    fake_slack: FakeSlack, york_url: str, remind_here: RemindHere
) -> None:
    threads_per_item(york_url)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found")
    ran = remind_here(fake_slack, york_url)
    assert ran.code == 1 and "Not posted" in ran.out
    fake_slack.reset()
    assert remind_here(fake_slack, york_url).code == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # only the one that failed


# -- replies in the thread


def test_a_lead_reply_updates_the_plan_and_is_confirmed_in_one_line(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    event = reply(
        slack_app, threads, "P7.5", "in progress, slipping to 31/3. Analyst now in post", user=MASH
    )
    [confirm] = in_thread(fake_slack, threads.ts("P7.5"))
    assert confirm.payload["text"] == (
        "P7.5 → in progress, due 31 Mar 2023 (was 31 Jan 2023). Note saved."
    )
    assert item_state(threads.engine, "P7.5") == ("in_progress", None, date(2023, 3, 31))
    [update] = chat_updates(threads.engine, "P7.5")
    assert (update.author, update.channel, update.message_ts) == (MASH, CHANNEL, event["ts"])
    assert update.source_ref and update.source_ref.startswith("https://york-council.slack.com/")
    assert (update.old_status, update.new_status) == ("not_started", "in_progress")


def test_a_childs_details_in_a_reply_are_kept_nowhere_and_the_author_told_privately(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    with session_scope(threads.engine) as session:  # a thread no other test answers
        used = {r.id for r in threads.by_ref.values()}
        spare = next(r for r in posted_reminders(session) if r.id not in used and r.action_id)
        thread_ts = str(spare.thread_ts)
    log_from = len(slack_app.log)
    event = message_event(
        "blocked - Jayden Smith (12/03/2015), NHS 943 476 5919, placement broke down",
        user=ADMIN,
        channel=CHANNEL,
        channel_type="channel",
        thread_ts=thread_ts,
    )
    assert slack_app.event(event).status == 200
    [confirm] = in_thread(fake_slack, thread_ts)
    [notice] = in_thread(fake_slack, thread_ts, "chat.postEphemeral")
    assert "→ blocked" in confirm.payload["text"]
    assert notice.payload["user"] == ADMIN
    assert "child's name" in notice.payload["text"] and "delete" in notice.payload["text"]
    with session_scope(threads.engine) as session:
        note = (
            session.exec(select(StatusUpdate).where(StatusUpdate.message_ts == event["ts"]))
            .one()
            .note
        )
    sent = json.dumps([c.payload for c in fake_slack.calls])
    for detail in ("Jayden", "12/03/2015", "943 476 5919"):
        assert detail not in (note or "")
        assert detail not in sent
        assert detail not in slack_app.log[log_from:]


def test_a_retried_event_changes_nothing_twice(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    event = message_event(
        "blocked: waiting on police data",
        user=CORP,
        channel=CHANNEL,
        channel_type="channel",
        thread_ts=threads.ts("P6.3"),
    )
    first = slack_app.event(event)
    slack_app.event(event, event_id=first.event_id, retry_num=1)
    slack_app.event(event)  # the same message under a new event id
    in_thread(fake_slack, threads.ts("P6.3"))
    settle()
    assert len(in_thread(fake_slack, threads.ts("P6.3"))) == 1
    assert len(chat_updates(threads.engine, "P6.3")) == 1
    assert item_state(threads.engine, "P6.3")[0] == "blocked"


def test_someone_else_is_told_privately_who_can_and_nothing_changes(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    before = item_state(threads.engine, "P7.4")
    reply(slack_app, threads, "P7.4", "done", user=OUTSIDER)
    [refusal] = in_thread(fake_slack, threads.ts("P7.4"), "chat.postEphemeral")
    assert refusal.payload["user"] == OUTSIDER
    assert refusal.payload["text"] == (
        "Sorry, only Head of QA (@Sam QA) or an admin can update P7.4. Nothing was changed."
    )
    assert fake_slack.calls_to("chat.postMessage") == []
    assert (
        item_state(threads.engine, "P7.4") == before and chat_updates(threads.engine, "P7.4") == []
    )


def test_thanks_and_questions_get_no_answer(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    reply(slack_app, threads, "P1.5", "thanks :+1:", user=QUAL)
    reply(slack_app, threads, "P1.5", "who else is working on this?", user=QUAL)
    settle()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert fake_slack.calls_to("chat.postEphemeral") == []
    assert chat_updates(threads.engine, "P1.5") == []


def test_an_ambiguous_reply_is_kept_and_one_question_asked(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    reply(slack_app, threads, "P5.8", "started but waiting on the events team", user=CORP)
    [question] = in_thread(fake_slack, threads.ts("P5.8"))
    assert question.payload["text"].startswith("I saved that as a note on P5.8.")
    buttons = question.payload["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == ["reminder:set:in_progress", "reminder:set:blocked"]
    assert item_state(threads.engine, "P5.8")[0] == "not_started"
    [note] = chat_updates(threads.engine, "P5.8")
    assert note.note == "started but waiting on the events team" and note.new_status is None
    slack_app.block_action(
        "reminder:set:blocked",
        value=buttons[1]["value"],
        user=CORP,
        channel=CHANNEL,
        message_ts=question.payload.get("ts", "1700000000.999999"),
        thread_ts=threads.ts("P5.8"),
    )
    fake_slack.wait_for("chat.postMessage", count=2)
    assert item_state(threads.engine, "P5.8")[0] == "blocked"


def test_an_edited_reply_corrects_its_update(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    original = reply(slack_app, threads, "P5.4", "done", user=CORP)
    in_thread(fake_slack, threads.ts("P5.4"))
    assert item_state(threads.engine, "P5.4")[0] == "done"
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "channel_type": "channel",
        "hidden": True,
        "ts": f"{float(original['ts']) + 30:.6f}",
        "message": {
            "type": "message",
            "user": CORP,
            "text": "not done yet, due 28/4",
            "ts": original["ts"],
            "thread_ts": threads.ts("P5.4"),
            "edited": {"user": CORP, "ts": f"{float(original['ts']) + 30:.6f}"},
        },
        "previous_message": {"type": "message", "user": CORP, "text": "done", "ts": original["ts"]},
    }
    unfurled = json.loads(json.dumps(edit))  # Slack adding a link preview: same text
    unfurled["message"] |= {"text": "done", "attachments": [{"id": 1, "title": "a page"}]}
    del unfurled["message"]["edited"]
    slack_app.event(unfurled)
    slack_app.event(edit)
    posts = fake_slack.wait_for("chat.postMessage", count=2)
    assert posts[1].payload["text"].startswith("Corrected: P5.4 → in progress, due 28 Apr 2023")
    assert item_state(threads.engine, "P5.4") == ("in_progress", None, date(2023, 4, 28))
    updates = chat_updates(threads.engine, "P5.4")
    assert [u.superseded for u in updates] == [True, False]
    settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # the unfurl corrected nothing


def test_a_deleted_reply_keeps_its_history(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    original = reply(
        slack_app, threads, "P8.1", "amber - waiting on QA framework sign-off", user=QUAL
    )
    in_thread(fake_slack, threads.ts("P8.1"))
    slack_app.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": CHANNEL,
            "channel_type": "channel",
            "ts": f"{float(original['ts']) + 60:.6f}",
            "deleted_ts": original["ts"],
            "previous_message": {
                "type": "message",
                "user": QUAL,
                "text": original["text"],
                "ts": original["ts"],
                "thread_ts": threads.ts("P8.1"),
            },
        }
    )
    deadline = time.monotonic() + 10
    while not chat_updates(threads.engine, "P8.1")[-1].deleted and time.monotonic() < deadline:
        time.sleep(0.1)
    [update] = chat_updates(threads.engine, "P8.1")
    assert update.deleted and update.new_rag == "amber"
    assert item_state(threads.engine, "P8.1")[1] == "amber"


def test_replies_elsewhere_and_files_without_text(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    slack_app.event(
        message_event(
            "done",
            user=MASH,
            channel=CHANNEL,
            channel_type="channel",
            thread_ts="1690000000.000100",
        )
    )
    slack_app.event(message_event("done", user=MASH, channel=CHANNEL, channel_type="channel"))
    reply(
        slack_app,
        threads,
        "P9.3",
        "",
        user=ADMIN,
        subtype="file_share",
        files=[{"id": "F0PHOTO01", "name": "whiteboard.jpg", "mimetype": "image/jpeg"}],
    )
    [hint] = in_thread(fake_slack, threads.ts("P9.3"), "chat.postEphemeral")
    assert hint.payload["user"] == ADMIN and "I can only read text" in hint.payload["text"]
    settle()
    assert fake_slack.calls_to("chat.postMessage") == []
    assert chat_updates(threads.engine, "P9.3") == []


def test_a_very_long_reply_with_markup_is_recorded_safely(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    text = "in progress <!channel> <@U0SOMEONE1|someone> " + "workshop notes " * 2000
    reply(slack_app, threads, "P1.4", text, user=ADMIN)
    [confirm] = in_thread(fake_slack, threads.ts("P1.4"))
    assert confirm.payload["text"] == "P1.4 → in progress. Note saved."
    [update] = chat_updates(threads.engine, "P1.4")
    assert update.note and len(update.note) <= 4000 and "<!channel>" not in update.note


def test_a_request_naming_no_user_changes_nothing(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    """Signed, but naming nobody: a reply without `user`, an edit without `message.user`, a
    click with `user: {}`. Nobody is not the terminal: nothing changes, nobody is answered."""
    before, log_from = item_state(threads.engine, "P9.3"), len(slack_app.log)
    anonymous = message_event(
        "done", user="", channel=CHANNEL, channel_type="channel", thread_ts=threads.ts("P9.3")
    )
    del anonymous["user"]
    assert slack_app.event(anonymous).status == 200
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "channel_type": "channel",
        "hidden": True,
        "ts": "1676462500.000200",
        "message": {"type": "message", "text": "done", "ts": "1676462500.000100"},
        "previous_message": {"type": "message", "text": "thanks", "ts": "1676462500.000100"},
    }
    edit["message"]["thread_ts"] = threads.ts("P9.3")
    assert slack_app.event(edit).status == 200
    click = interaction_envelope("block_actions", "UNUSED") | {"user": {}}
    click |= {
        "actions": [{"action_id": "reminder:set:done", "value": str(threads.id("P9.3"))}],
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": threads.ts("P9.3")},
        "response_url": fake_slack.new_response_url(),
    }
    form = urlencode({"payload": json.dumps(click)}).encode()
    assert slack_app.post(form, "application/x-www-form-urlencoded").status == 200
    settle()
    assert item_state(threads.engine, "P9.3") == before
    assert chat_updates(threads.engine, "P9.3") == []
    assert [c.method for c in fake_slack.calls if c.method != "auth.test"] == []
    assert " ERROR " not in slack_app.log[log_from:]


def test_a_reply_keeps_its_link_without_a_call_to_slack_per_message(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    """The link is made as chat.getPermalink makes it, from the workspace's address: the reply
    is looked up, read and written in one go, with no Web API call before the confirmation."""
    event = reply(slack_app, threads, "P1.4", "blocked: waiting on the new case system", user=ADMIN)
    [confirm] = in_thread(fake_slack, threads.ts("P1.4"))
    assert confirm.payload["text"].startswith("P1.4 → blocked")
    update = chat_updates(threads.engine, "P1.4")[-1]
    ts, thread = event["ts"], threads.ts("P1.4")
    assert update.source_ref == (
        f"https://york-council.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}"
        f"?thread_ts={thread}&cid={CHANNEL}"
    )
    assert not [c for c in fake_slack.calls if c.method == "chat.getPermalink"]


# -- buttons and the modal


def test_the_add_note_button_opens_a_modal_that_saves_a_note_status_and_date(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    reminder_id = threads.id("P7.4")
    slack_app.block_action(
        "reminder:note",
        value=str(reminder_id),
        user=QUAL,
        channel=CHANNEL,
        message_ts=threads.ts("P7.4"),
    )
    [opened] = fake_slack.wait_for("views.open")
    view = opened.payload["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert view["callback_id"] == f"reminder_note:{reminder_id}"
    slack_app.view_submission(
        view["callback_id"],
        {
            "note": {
                "note_text": {"type": "plain_text_input", "value": "Supervision audit booked"}
            },
            "status": {
                "status_choice": {
                    "type": "static_select",
                    "selected_option": {"value": "in_progress"},
                }
            },
            "due": {"due_date": {"type": "datepicker", "selected_date": "2023-05-31"}},
        },
        user=QUAL,
    )
    [confirm] = in_thread(fake_slack, threads.ts("P7.4"))
    assert confirm.payload["text"] == (
        "P7.4 → in progress, due 31 May 2023 (was 31 Dec 2022). Note saved."
    )
    [update] = chat_updates(threads.engine, "P7.4")
    assert (update.source, update.author, update.note) == (
        "modal",
        QUAL,
        "Supervision audit booked",
    )


def test_a_blank_note_is_refused_inside_the_modal(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    blank = {"note": {"note_text": {"type": "plain_text_input", "value": "  \n "}}}
    sent = slack_app.view_submission(f"reminder_note:{threads.id('P7.5')}", blank, user=MASH)
    assert sent.status == 200
    assert sent.json["response_action"] == "errors"
    assert sent.json["errors"]["note"].startswith("Write a line on where it stands")
    settle()
    assert fake_slack.calls == []
    assert [u for u in chat_updates(threads.engine, "P7.5") if u.source == "modal"] == []


def test_the_done_button_from_someone_else_is_refused(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    before = item_state(threads.engine, "P9.3")
    slack_app.block_action(
        "reminder:set:done",
        value=str(threads.id("P9.3")),
        user=OUTSIDER,
        channel=CHANNEL,
        message_ts=threads.ts("P9.3"),
    )
    [refusal] = fake_slack.wait_for("chat.postEphemeral")
    assert refusal.payload["user"] == OUTSIDER and "Nothing was changed" in refusal.payload["text"]
    assert item_state(threads.engine, "P9.3") == before


def test_snooze_a_week(slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack) -> None:
    slack_app.block_action(
        "reminder:snooze",
        value=str(threads.id("P1.5")),
        user=QUAL,
        channel=CHANNEL,
        message_ts=threads.ts("P1.5"),
    )
    [post] = in_thread(fake_slack, threads.ts("P1.5"))
    assert post.payload["text"] == "No reminders for P1.5 until 22 Feb 2023."
    with session_scope(threads.engine) as session:
        reminder = reminder_for_thread(session, CHANNEL, threads.ts("P1.5"))
        assert reminder is not None and reminder.snoozed_until == date(2023, 2, 22)


# -- commands


def test_history_shows_who_and_where_from(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    reply(slack_app, threads, "P6.3", "in progress, due end of April", user=CORP)
    fake_slack.wait_for("chat.postMessage")
    answer = fake_slack.answer_to(slack_app.command("/plan history P6.3", user=CORP).response_url)
    text = answer.payload["text"]
    assert text.startswith("P6.3 ")
    assert (
        "by @Kim Corporate via a reply (https://york-council.slack.com/archives/CREMIND01/p" in text
    )
    assert "due 30 Apr 2023 (was 31 Jan 2023)" in text
    assert "from the plan document" in text
    shared = fake_slack.answer_to(slack_app.command("/plan share history P6.3").response_url)
    assert shared.payload["response_type"] == "in_channel"
    assert "by @Kim Corporate via <https://york-council.slack.com/archives/CREMIND01/p" in str(
        shared.payload["blocks"]
    )
    assert "<@" not in json.dumps(shared.payload)  # nobody who updated it is pinged


def test_role_assign_of_a_deactivated_user_is_flagged(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    fake_slack.users["U0GONE001"] = {"id": "U0GONE001", "name": "gone", "deleted": True}
    sent = slack_app.command('/plan role assign "Head of SEND" <@U0GONE001|gone>', user=ADMIN)
    text = fake_slack.answer_to(sent.response_url).payload["text"]
    assert "Slack reports @gone deactivated" in text
    listing = fake_slack.answer_to(
        slack_app.command("/plan role list SEND", user=ADMIN).response_url
    )
    assert "deactivated in Slack" in listing.payload["text"]
    refused = slack_app.command('/plan role assign "Head of SEND" <@U0OTHER01>', user=OUTSIDER)
    assert "Only" in fake_slack.answer_to(refused.response_url).payload["text"]


def test_whoami_and_the_reminders_channel(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    whoami = fake_slack.answer_to(slack_app.command("/plan whoami", user=MASH).response_url)
    assert whoami.payload["text"].startswith("@Jo MASH: Head of MASH, All HoS.")
    assert "P7.5 " in whoami.payload["text"]
    sent = slack_app.command(
        "/plan channel reminders <#C0NEWREM1|plan-reminders> ambition", user=ADMIN
    )
    text = fake_slack.answer_to(sent.response_url).payload["text"]
    assert "Ambition Plan: <#C0NEWREM1>" in text
    refused = slack_app.command("/plan channel reminders <#C0NEWREM1>", user=OUTSIDER)
    assert "Only an admin" in fake_slack.answer_to(refused.response_url).payload["text"]


def test_a_question_to_the_bot_in_a_reminder_thread_is_not_an_update(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    reply(slack_app, threads, "P9.3", f"<@{BOT_USER_ID}> status of P9.3", user=ADMIN)
    settle()
    assert chat_updates(threads.engine, "P9.3") == []


def test_no_reminders_on_good_friday(
    fake_slack: FakeSlack, york_url: str, remind_here: RemindHere
) -> None:
    ran = remind_here(fake_slack, york_url, PLANBOT_TODAY="2023-04-07")
    assert ran.code == 0
    assert "No reminders today: Good Friday (bank holiday)" in ran.out
    assert "Owner roles with nobody behind them" in ran.out
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_holder_slack_reports_deactivated_is_flagged_not_mentioned(
    fake_slack: FakeSlack, york_url: str, remind_here: RemindHere
) -> None:
    threads_per_item(york_url)
    engine = make_engine(york_url)
    give(engine, "Head of MASH", "U0LEFT001")
    engine.dispose()
    fake_slack.users["U0LEFT001"] = {"id": "U0LEFT001", "name": "left", "deleted": True}
    out = remind_here(fake_slack, york_url).out
    assert "Slack reports deactivated: U0LEFT001" in out
    assert "Head of MASH (deactivated in Slack: U0LEFT001)" in out
    post = next(
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.payload["text"].startswith("Reminder: P7.5 ")
    )
    assert "U0LEFT001" not in post.payload["text"]
    assert "Head of MASH (nobody assigned" in post.payload["text"]


# -- a reminder whose post's answer was lost


def in_doubt_reminder(engine: Engine, fake: FakeSlack, ref: str, key: str) -> tuple[int, str]:
    """A reminder thread Slack took though planbot never heard back (the channel could not be
    read just then): its row has no thread and no holder. Returns (row id, the thread's ts)."""
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        now = datetime.now(UTC)
        row = Reminder(
            key=key,
            action_id=item.id,
            reason="overdue",
            for_date=date(2023, 2, 15),
            channel=CHANNEL,
            claimed_at=now,
            tried_at=now,
        )
        session.add(row)
        session.flush()
        row_id = int(row.id or 0)
    metadata = {"event_type": "planbot_reminder", "event_payload": {"key": key}}
    posted = post_message(
        fake, {"channel": CHANNEL, "text": f"Reminder: {ref}", "metadata": metadata}
    )
    return row_id, str(posted["ts"])


def reminder_row(engine: Engine, row_id: int) -> Reminder:
    with session_scope(engine) as session:
        row = session.get(Reminder, row_id)
        assert row is not None
        session.expunge(row)
        return row


def test_a_reply_to_a_reminder_in_doubt_is_read_not_dropped(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    """The lead sees the reminder (Slack has it) and answers before the next run has settled it:
    the thread is looked for at once, recorded, and the reply read as an update."""
    row_id, thread = in_doubt_reminder(threads.engine, fake_slack, "P2.1", "P2.1:doubt:read")
    event = message_event(
        "done", user=ADMIN, channel=CHANNEL, channel_type="channel", thread_ts=thread
    )
    assert slack_app.event(event).status == 200
    [confirm] = in_thread(fake_slack, thread)
    assert confirm.payload["text"].startswith("P2.1 → done")
    assert item_state(threads.engine, "P2.1")[0] == "done"
    row = reminder_row(threads.engine, row_id)
    assert (row.thread_ts, row.channel) == (thread, CHANNEL) and row.posted_at is not None
    assert len(fake_slack.calls_to("conversations.history")) == 1


def test_a_reply_while_the_reminders_channel_cannot_be_read_leaves_the_doubt_as_it_was(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    """The look a reply prompts is extra: an unreadable history neither records the reply nor
    counts against the runs' looks, after which a reminder is given back and posted again."""
    row_id, thread = in_doubt_reminder(threads.engine, fake_slack, "P2.2", "P2.2:doubt:unread")
    fake_slack.fail_next("conversations.history", error="internal_error")
    event = message_event(
        "done", user=ADMIN, channel=CHANNEL, channel_type="channel", thread_ts=thread
    )
    assert slack_app.event(event).status == 200
    fake_slack.wait_for("conversations.history")
    settle()
    assert [c for c in fake_slack.calls_to("chat.postMessage") if c.payload.get("thread_ts")] == []
    assert item_state(threads.engine, "P2.2")[0] != "done"
    row = reminder_row(threads.engine, row_id)
    assert (row.thread_ts, row.claimed_by, row.posted_at, row.unsettled_checks) == (
        None,
        None,
        None,
        0,
    )


def test_a_reply_in_an_older_thread_does_not_send_planbot_looking(
    slack_app: SlackAppProcess, threads: Threads, fake_slack: FakeSlack
) -> None:
    """Only a reminder in doubt that could have started the thread is looked for: talk in the
    channel's other threads costs no history reads."""
    row_id, _ = in_doubt_reminder(threads.engine, fake_slack, "P2.3", "P2.3:doubt:elsewhere")
    event = message_event(
        "done", user=ADMIN, channel=CHANNEL, channel_type="channel", thread_ts="1600000000.000100"
    )
    assert slack_app.event(event).status == 200
    settle()
    assert fake_slack.calls_to("conversations.history") == []
    assert reminder_row(threads.engine, row_id).claimed_by is None  # still in doubt, untouched
