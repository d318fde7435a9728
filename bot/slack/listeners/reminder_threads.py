"""Slack's side of reminder threads: replies, edits and deletions in channels, the reminder
buttons, and the Add-note modal, each handed to commands.updates.apply and answered in the thread.

Thread messages arrive through bot/slack/listeners/threads.py; buttons and the modal through the
registry in bot/slack/listeners/interactions.py (`reminder:` actions, `reminder_note:` views). A
confirmation
goes in the thread for everyone; a refusal or a hint goes privately to the person (ephemeral).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.jobs.reminders import settle_in_doubt
from bot.posting.delivery import ToConversation, deliver, message_payload
from bot.posting.outbox import post_that_matters
from bot.render import Renderable, Rendered, render
from bot.render.date_changes import DECIDE
from bot.render.escape import escape
from bot.render.evidence import SIGN_OFF
from bot.render.updates import ADD_NOTE, BUTTON_LABELS, NOTE_VIEW, SET_STATUS, SNOOZE, STEP_CHOICE
from bot.runtime import Runtime
from bot.slack.client import message_link
from bot.slack.listeners.home import publish_home
from bot.slack.listeners.interactions import Interaction, on_action, on_view
from bot.slack.listeners.ownership import ask_admins
from commands.governance.date_changes import DateChangeProblem, decide
from commands.governance.evidence import SignOffProblem, sign_off
from commands.request import Request
from commands.updates.apply import chosen_step, delete_reply, reply_in_thread
from commands.updates.buttons import button_update, reminder_target, snooze_item
from commands.updates.edits import edit_reply
from commands.updates.outcomes import (
    NOT_A_REMINDER_THREAD,
    ChangedMeanwhile,
    DetailsRemoved,
    OwnershipClaimed,
    PendingUpdate,
    ReplyIgnored,
    SeveralItems,
    StatusQuestion,
    StepsToChoose,
    ThreadTarget,
    UpdateApplied,
    UpdateRefused,
    details_removed,
)
from store.db import session_scope
from store.queries.reminders import get_reminder, reminder_for_thread

log = logging.getLogger("planbot.reminders")

NOTE_BLOCK, NOTE_INPUT = "note", "note_text"
STATUS_BLOCK, STATUS_INPUT = "status", "status_choice"
DUE_BLOCK, DUE_INPUT = "due", "due_date"
PRIVATE = (
    UpdateRefused,
    ReplyIgnored,
    DetailsRemoved,
    DateChangeProblem,
    SignOffProblem,
    ChangedMeanwhile,
)
NOTICED = (UpdateApplied, StatusQuestion, UpdateRefused, StepsToChoose)  # may carry details removed


def _found_in_doubt(
    runtime: Runtime, client: WebClient, channel: str | None, thread_ts: str
) -> bool:
    """Whether a reminder in `channel` that was in doubt (its post's answer was lost) turns out
    to have started `thread_ts`: a lead's reply to it is then read, not dropped until the next
    run. Only asked when the thread is not a reminder's planbot knows of."""
    if not channel:
        return False
    try:
        settle_in_doubt(runtime, client, thread=(channel, thread_ts))
    except Exception:  # the message is most likely not for planbot: nobody is told
        log.warning(
            "looking for a reminder in doubt behind %s/%s failed",
            channel,
            thread_ts,
            exc_info=True,
        )
        return False
    with session_scope(runtime.engine) as session:
        return reminder_for_thread(session, channel, thread_ts) is not None


def _answer(
    runtime: Runtime,
    client: WebClient,
    result: Renderable,
    *,
    channel: str | None,
    thread_ts: str | None,
    user: str | None,
) -> None:
    """Post the result in the thread, or privately to `user` when it is a refusal or a hint;
    and tell `user` privately when a child's details were taken out of their message."""
    if isinstance(result, SeveralItems):  # each part's private word apart, the rest as one
        public = tuple(part for part in result.outcomes if not isinstance(part, PRIVATE))
        for part in result.outcomes:
            if isinstance(part, PRIVATE):
                _answer(runtime, client, part, channel=channel, thread_ts=thread_ts, user=user)
            elif isinstance(part, NOTICED) and (notice := details_removed(part)) is not None:
                _answer(runtime, client, notice, channel=channel, thread_ts=thread_ts, user=user)
        if public and channel:
            deliver(
                runtime, client, render(SeveralItems(public)), ToConversation(channel, thread_ts)
            )
        return
    rendered: Rendered = render(result)
    if not channel:
        return
    notice = details_removed(result) if isinstance(result, NOTICED) else None
    if notice is not None:
        _answer(runtime, client, notice, channel=channel, thread_ts=thread_ts, user=user)
    if rendered.quiet:
        return
    if not isinstance(result, PRIVATE):
        deliver(runtime, client, rendered, ToConversation(channel, thread_ts))
        return
    if user:
        payload = message_payload(rendered, client) | {"channel": channel, "user": user}
        if thread_ts:
            payload["thread_ts"] = thread_ts
        post_that_matters(runtime, client, "chat.postEphemeral", payload)


def on_channel_message(
    runtime: Runtime, event: dict[str, Any], client: WebClient, *, bot_user_id: str | None = None
) -> None:
    """A message event in a channel: a reminder-thread reply, an edit of one, or a deletion.

    A reply that mentions the bot is a question for it (bot/slack/listeners/mentions.py answers it),
    not an update. An edit that leaves the text as it was (Slack unfurling a link, say) is not a
    correction."""
    subtype = event.get("subtype")
    channel = event.get("channel")
    if subtype == "message_deleted":
        _on_deleted(runtime, event, channel)
        return
    if subtype == "message_changed":
        message = event.get("message") or {}
        if message.get("text") == (event.get("previous_message") or {}).get("text"):
            return
    elif subtype in (None, "thread_broadcast", "file_share"):
        message = event
    else:
        return  # joins, topic changes, bot messages and the like
    thread_ts, ts = message.get("thread_ts"), message.get("ts")
    if not thread_ts or thread_ts == ts:
        return  # a top-level message, not a reply
    text = str(message.get("text") or "")
    if bot_user_id and f"<@{bot_user_id}" in text:
        log.info("message %s mentions the bot: left to the mention handler", ts)
        return
    user = message.get("user")
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    reply = _ThreadMessage(
        edited=subtype == "message_changed",
        channel=channel,
        thread_ts=thread_ts,
        message_ts=str(ts),
        text=text,
        has_files=bool(message.get("files")),
        link=message_link(client, channel, str(ts), thread_ts),
    )
    result = reply.apply(runtime, request)
    if _not_a_reminder_thread(result) and _found_in_doubt(runtime, client, channel, thread_ts):
        result = reply.apply(runtime, request)
    if _not_a_reminder_thread(result):
        log.info("message %s in thread %s/%s: not a reminder thread", ts, channel, thread_ts)
        return
    _afterwards(runtime, client, result, user)  # before the answer: it closes the exchange
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)
    log.info("thread message %s handled: %s", ts, type(result).__name__)


def _afterwards(runtime: Runtime, client: WebClient, result: Renderable, user: str | None) -> None:
    """What an outcome sets going beyond the thread: the admins asked about a new owner, the
    author's Home tab redrawn after an update."""
    parts = result.outcomes if isinstance(result, SeveralItems) else (result,)
    for part in parts:
        if isinstance(part, OwnershipClaimed):
            ask_admins(runtime, client, part)
    if any(isinstance(part, UpdateApplied) for part in parts) and user:
        try:
            publish_home(runtime, client, user)
        except Exception:  # the update stands; the tab is redrawn when next opened
            log.warning("could not redraw %s's Home tab", user, exc_info=True)


def _not_a_reminder_thread(result: Renderable) -> bool:
    return isinstance(result, ReplyIgnored) and result.reason == NOT_A_REMINDER_THREAD


@dataclass(frozen=True)
class _ThreadMessage:
    """A reply (or an edit of one) under a thread that may be a reminder's."""

    edited: bool
    channel: str | None
    thread_ts: str
    message_ts: str
    text: str
    has_files: bool
    link: str | None

    def apply(self, runtime: Runtime, request: Request) -> Renderable:
        """Look the thread up, read the reply, authorise and write, in one session."""
        with session_scope(runtime.engine) as session:
            if self.edited:
                return edit_reply(
                    session,
                    request,
                    channel=self.channel,
                    thread_ts=self.thread_ts,
                    message_ts=self.message_ts,
                    text=self.text,
                    permalink=self.link,
                )
            return reply_in_thread(
                session,
                request,
                channel=self.channel,
                thread_ts=self.thread_ts,
                message_ts=self.message_ts,
                text=self.text,
                permalink=self.link,
                has_files=self.has_files,
            )


def _on_deleted(runtime: Runtime, event: dict[str, Any], channel: str | None) -> None:
    previous = event.get("previous_message") or {}
    ts = event.get("deleted_ts") or previous.get("ts")
    if not ts or not previous.get("thread_ts"):
        return
    with session_scope(runtime.engine) as session:
        result = delete_reply(
            session,
            runtime.request("", runtime.caller(previous.get("user"), channel)),
            channel=channel,
            message_ts=str(ts),
        )
    log.info("message %s in %s deleted: %s", ts, channel, result)


def _reminder_id(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _thread_of(runtime: Runtime, reminder_id: int) -> tuple[str | None, str | None]:
    with session_scope(runtime.engine) as session:
        reminder = get_reminder(session, reminder_id)
        return (reminder.channel, reminder.thread_ts) if reminder else (None, None)


def on_reminder_button(interaction: Interaction) -> None:
    """Done, In progress, Blocked, a status offered after an ambiguous reply, Snooze, Add note."""
    runtime, client = interaction.runtime, interaction.client
    reminder_id = _reminder_id(interaction.value)
    user = interaction.user_id
    if reminder_id is None:
        log.warning("reminder button %s without a reminder id; ignored", interaction.key)
        return
    channel, thread_ts = _thread_of(runtime, reminder_id)
    if interaction.channel_id:  # the thread the button sits in: a lead's, for a shared item
        channel = interaction.channel_id
        thread_ts = interaction.thread_ts or interaction.message_ts or thread_ts
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    if interaction.key == ADD_NOTE:
        with session_scope(runtime.engine) as session:
            target = reminder_target(session, request, reminder_id=reminder_id)
        if isinstance(target, ThreadTarget):
            if interaction.trigger_id:
                client.views_open(trigger_id=interaction.trigger_id, view=note_modal(target))
            else:  # Slack always sends one with a click; nothing to open the modal with
                log.warning("Add note on reminder %s came without a trigger_id", reminder_id)
            return
        _answer(runtime, client, target, channel=channel, thread_ts=thread_ts, user=user)
        return
    result: Renderable
    if interaction.key == SNOOZE:
        with session_scope(runtime.engine) as session:
            result = snooze_item(session, request, reminder_id=reminder_id)
    elif interaction.key.startswith(SET_STATUS):
        status = interaction.key.removeprefix(SET_STATUS)
        link = message_link(client, interaction.channel_id, interaction.message_ts)
        with session_scope(runtime.engine) as session:
            result = button_update(
                session, request, reminder_id=reminder_id, status=status, permalink=link
            )
    else:
        log.warning("unknown reminder action %s; ignored", interaction.key)
        return
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)


def note_modal(target: ThreadTarget) -> dict[str, Any]:
    """Add note: the note, and optionally a new status and due date."""
    item = target.item
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": status}
        for status, label in BUTTON_LABELS.items()
    ]
    title = escape(item.title)
    return {
        "type": "modal",
        "callback_id": f"{NOTE_VIEW}:{target.reminder_id}",
        "private_metadata": str(target.reminder_id),
        "title": {"type": "plain_text", "text": f"Note on {item.ref}"[:24]},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{escape(item.ref)}* {title}"[:3000]},
            },
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": "Progress note"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "multiline": True,
                    "max_length": 3000,
                },
            },
            {
                "type": "input",
                "block_id": STATUS_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Status"},
                "element": {
                    "type": "static_select",
                    "action_id": STATUS_INPUT,
                    "placeholder": {"type": "plain_text", "text": "Leave as it is"},
                    "options": options,
                },
            },
            {
                "type": "input",
                "block_id": DUE_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "New due date"},
                "element": {"type": "datepicker", "action_id": DUE_INPUT},
            },
        ],
    }


def _value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    """One input's state in a submitted view (empty when the person left it blank)."""
    values = (view.get("state") or {}).get("values") or {}
    return dict((values.get(block) or {}).get(action) or {})


EMPTY_NOTE = "Write a line on where it stands, e.g. “audit booked for March”."


def check_note(view: dict[str, Any]) -> dict[str, str]:
    """Before the Add-note modal closes: a note of nothing but spaces is refused in the modal
    (Slack itself refuses an empty one, since the field is required)."""
    note = _value(view, NOTE_BLOCK, NOTE_INPUT).get("value")
    return {} if (note or "").strip() else {NOTE_BLOCK: EMPTY_NOTE}


def on_note_submitted(interaction: Interaction) -> None:
    """The Add-note modal was saved: the same rules as a reply, confirmed in the thread."""
    runtime, client, user = interaction.runtime, interaction.client, interaction.user_id
    view = interaction.view
    reminder_id = _reminder_id(
        view.get("private_metadata") or interaction.key.removeprefix(f"{NOTE_VIEW}:")
    )
    if reminder_id is None:
        log.warning("note modal without a reminder id; ignored")
        return
    note = _value(view, NOTE_BLOCK, NOTE_INPUT).get("value")
    status = (_value(view, STATUS_BLOCK, STATUS_INPUT).get("selected_option") or {}).get("value")
    due_text = _value(view, DUE_BLOCK, DUE_INPUT).get("selected_date")
    try:
        due = date.fromisoformat(due_text) if due_text else None
    except ValueError:
        due = None
    channel, thread_ts = _thread_of(runtime, reminder_id)
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    with session_scope(runtime.engine) as session:
        result = button_update(
            session,
            request,
            reminder_id=reminder_id,
            status=status,
            note=note,
            due=due,
            source="modal",
        )
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)


def on_step_choice(interaction: Interaction) -> None:
    """A step's button after a reply describing more than one: the reply's update applied to
    that step (authorised as any update)."""
    runtime, client, user = interaction.runtime, interaction.client, interaction.user_id
    pending = PendingUpdate.from_value(interaction.value or "")
    step_id = _reminder_id(interaction.key.removeprefix(STEP_CHOICE))
    channel = interaction.channel_id
    thread_ts = interaction.thread_ts or interaction.message_ts
    if pending is None or step_id is None:
        log.warning("step choice %s without its update; ignored", interaction.key)
        return
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    with session_scope(runtime.engine) as session:
        result = chosen_step(session, request, step_id, pending)
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)


def on_date_change_button(interaction: Interaction) -> None:
    """Approve, Reject or Ask for more on a lead's new date, pressed by the approver."""
    runtime, client = interaction.runtime, interaction.client
    change_id = _reminder_id(interaction.value)
    verdict = interaction.key.removeprefix(DECIDE)
    channel = interaction.channel_id
    thread_ts = interaction.thread_ts or interaction.message_ts
    user = interaction.user_id
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    result: Renderable
    if change_id is None:
        result = DateChangeProblem("That request is no longer in my records.")
    else:
        with session_scope(runtime.engine) as session:
            result = decide(session, request, change_id, verdict)
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)


def on_sign_off_button(interaction: Interaction) -> None:
    """The approver's Sign off on an evidenced item."""
    runtime, client = interaction.runtime, interaction.client
    channel = interaction.channel_id
    thread_ts = interaction.thread_ts or interaction.message_ts
    user = interaction.user_id
    request = runtime.request("", runtime.caller(user, channel, thread_ts))
    with session_scope(runtime.engine) as session:
        result: Renderable = sign_off(session, request, interaction.value or "")
    _answer(runtime, client, result, channel=channel, thread_ts=thread_ts, user=user)


def register(app: App, runtime: Runtime) -> None:
    """The reminder buttons (`reminder:…`), the approver's buttons on a new date
    (`date_change:…`) and the Add-note modal (`reminder_note:…`)."""
    on_action(app, runtime, re.compile(r"^reminder:"), on_reminder_button)
    on_action(app, runtime, re.compile(rf"^{STEP_CHOICE}"), on_step_choice)
    on_action(app, runtime, re.compile(rf"^{DECIDE}"), on_date_change_button)
    on_action(app, runtime, SIGN_OFF, on_sign_off_button)
    on_view(app, runtime, re.compile(rf"^{NOTE_VIEW}(:|$)"), on_note_submitted, check=check_note)
