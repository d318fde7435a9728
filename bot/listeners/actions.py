"""The interactivity endpoint: buttons (`block_actions`) and modal submissions (`view_submission`).

A registry, like commands.router.VERBS: add your action ids here rather than a listener of your own.

    ACTIONS["reminder:"] = "bot.listeners.reminder_buttons:on_reminder_button"
    VIEWS["reminder_note"] = "bot.listeners.reminder_buttons:on_note_submitted"

A key ending in ":" matches every action_id that starts with it (`reminder:done`,
`reminder:snooze`…); an exact id wins over a prefix. Each handler is called after the ack as
`handler(interaction: Interaction) -> None`, in its own thread, with failures reported centrally.
A modal may also have a check in VIEW_CHECKS, `check(view) -> {block_id: message}`, run before
the ack: when it finds problems the modal stays open with each message under its field
(response_action "errors") and the handler does not run; otherwise the ack closes the modal.
A check must be quick and must not touch Slack (Slack waits for the ack).
An action nobody registered is acknowledged and logged, never answered with a 404; a modal closed
without saving (`view_closed`, sent when a view asks `notify_on_close`) is acknowledged.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.after_response import hand_off
from bot.listeners.common import ack_only, after_ack, guarded
from bot.runtime import Runtime

log = logging.getLogger("planbot.slack")

ACTIONS: dict[str, str] = {
    "home:refresh": "bot.listeners.home:refresh_home",
    "reminder:": "bot.reminder_replies:on_reminder_button",
}
VIEWS: dict[str, str] = {
    "reminder_note:": "bot.reminder_replies:on_note_submitted",
}
VIEW_CHECKS: dict[str, str] = {
    "reminder_note:": "bot.reminder_replies:check_note",
}


@dataclass(frozen=True)
class Interaction:
    """One click or submission, with what a handler needs to act on it."""

    runtime: Runtime
    client: WebClient
    body: dict[str, Any]
    key: str  # the action_id or the view's callback_id
    value: str | None  # the button's value, or the selected option's
    user_id: str | None
    channel_id: str | None
    message_ts: str | None  # the message the button sits on
    thread_ts: str | None
    response_url: str | None
    trigger_id: str | None  # for views.open, valid for 3 seconds after the click

    @property
    def action(self) -> dict[str, Any]:
        actions = self.body.get("actions") or [{}]
        return dict(actions[0])

    @property
    def view(self) -> dict[str, Any]:
        return dict(self.body.get("view") or {})


Handler = Callable[[Interaction], None]
ViewCheck = Callable[[dict[str, Any]], dict[str, str]]


def _resolve(table: dict[str, str], key: str) -> Callable[..., Any] | None:
    target = table.get(key)
    if target is None:
        prefixes = [k for k in table if k.endswith(":") and key.startswith(k)]
        target = table[max(prefixes, key=len)] if prefixes else None
    if target is None:
        return None
    module, _, name = target.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def find_handler(table: dict[str, str], key: str) -> Handler | None:
    """The handler registered for `key` (an exact id, else the longest matching prefix)."""
    return _resolve(table, key)


def view_problems(view: dict[str, Any]) -> dict[str, str]:
    """What the check registered for this modal finds wrong, by block_id (empty: nothing)."""
    check: ViewCheck | None = _resolve(VIEW_CHECKS, str(view.get("callback_id", "")))
    return dict(check(view)) if check is not None else {}


def _interaction(
    runtime: Runtime, client: WebClient, body: dict[str, Any], key: str
) -> Interaction:
    action = (body.get("actions") or [{}])[0]
    value = action.get("value") or (action.get("selected_option") or {}).get("value")
    message = body.get("message") or {}
    container = body.get("container") or {}
    response_urls = body.get("response_urls") or [{}]
    return Interaction(
        runtime=runtime,
        client=client,
        body=body,
        key=key,
        value=value,
        user_id=(body.get("user") or {}).get("id"),
        channel_id=(body.get("channel") or {}).get("id") or container.get("channel_id"),
        message_ts=message.get("ts") or container.get("message_ts"),
        thread_ts=message.get("thread_ts") or container.get("thread_ts"),
        response_url=body.get("response_url") or response_urls[0].get("response_url"),
        trigger_id=body.get("trigger_id"),
    )


def register(app: App, runtime: Runtime) -> None:
    def run_action(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
        handler = find_handler(ACTIONS, action_id)
        if handler is None:
            log.warning("no handler for action_id %r; ignored", action_id)
            return
        handler(_interaction(runtime, client, body, action_id))

    def run_view_submission(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        callback_id = str((body.get("view") or {}).get("callback_id", ""))
        handler = find_handler(VIEWS, callback_id)
        if handler is None:
            log.warning("no handler for view callback_id %r; ignored", callback_id)
            return
        handler(_interaction(runtime, client, body, callback_id))

    submitted = guarded(run_view_submission)
    executor = app.listener_runner.listener_executor

    def acknowledge_view(
        ack: Callable[..., Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        problems = view_problems(body.get("view") or {})
        if problems:
            ack(response_action="errors", errors=problems)
            return
        ack()
        hand_off(executor, submitted, body, client, context)

    everything = re.compile(".*")
    app.action(everything)(after_ack(app, run_action))
    app.view(everything)(acknowledge_view)
    app.view_closed(everything)(ack_only)  # a modal cancelled: nothing to do
