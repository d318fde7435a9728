"""Buttons (`block_actions`) and modal submissions (`view_submission`), routed by Bolt.

A module that owns buttons or a modal registers them in its own `register(app, runtime)` with
`on_action(app, runtime, pattern, handler)` and `on_view(app, runtime, pattern, handler, check)`:
Bolt matches the `action_id` or `callback_id` against the pattern (a string, or a compiled regex
for a family such as `reminder:done`, `reminder:snooze`). Each handler runs after the ack as
`handler(interaction: Interaction) -> None`, with failures reported centrally. A modal's
`check(view) -> {block_id: message}` runs before the ack: when it finds problems the modal stays
open with each message under its field (response_action "errors") and the handler does not run.
A check must be quick and must not touch Slack (Slack waits for the ack). `register_fallbacks`,
wired last, acknowledges and logs any action or view nobody registered, never a 404; a modal
closed without saving (`view_closed`) is acknowledged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.listeners.common import ack_only, after_ack, guarded
from bot.speed.after_response import hand_off

log = logging.getLogger("planbot.slack")


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


Pattern = str | re.Pattern[str]


def on_action(app: App, runtime: Runtime, pattern: Pattern, handler: Handler) -> None:
    """Run `handler` after the ack for every button whose action_id matches `pattern`."""

    def run(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        action_id = str((body.get("actions") or [{}])[0].get("action_id", ""))
        handler(_interaction(runtime, client, body, action_id))

    run.__name__ = getattr(handler, "__name__", "action")
    app.action(pattern)(after_ack(app, run))


def on_view(
    app: App,
    runtime: Runtime,
    pattern: Pattern,
    handler: Handler,
    *,
    check: ViewCheck | None = None,
) -> None:
    """Run `handler` after the ack for every modal submitted whose callback_id matches
    `pattern`; `check` first, keeping the modal open with its messages when it finds problems."""

    def run(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        callback_id = str((body.get("view") or {}).get("callback_id", ""))
        handler(_interaction(runtime, client, body, callback_id))

    run.__name__ = getattr(handler, "__name__", "view")
    submitted = guarded(run)
    executor = app.listener_runner.listener_executor

    def acknowledge_view(
        ack: Callable[..., Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        problems = dict(check(body.get("view") or {})) if check is not None else {}
        if problems:
            ack(response_action="errors", errors=problems)
            return
        ack()
        hand_off(executor, submitted, body, client, context)

    app.view(pattern)(acknowledge_view)


def register_fallbacks(app: App) -> None:
    """Wired after every other group: an action or view nobody registered is acknowledged and
    logged (Bolt would answer 404, and Slack shows the person an error)."""

    def unknown_action(ack: Callable[..., Any], body: dict[str, Any]) -> None:
        ack()
        action_id = (body.get("actions") or [{}])[0].get("action_id")
        log.warning("no handler for action_id %r; ignored", action_id)

    def unknown_view(ack: Callable[..., Any], body: dict[str, Any]) -> None:
        ack()
        log.warning("no handler for view %r; ignored", (body.get("view") or {}).get("callback_id"))

    everything = re.compile(".*")
    app.action(everything)(unknown_action)
    app.view(everything)(unknown_view)
    app.view_closed(everything)(ack_only)  # a modal cancelled (`notify_on_close`): nothing to do
