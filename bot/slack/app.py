"""The Bolt app: one Web API client, Slack's checks, redelivery filter, central errors, listeners.

`create_app(runtime)` holds no plan logic; listener groups in bot/listeners/ turn Slack requests
into calls to commands/. Every listener acknowledges at once (`process_before_response=True`, so
the same code answers Slack in HTTP and Socket Mode) and does its work after the ack on a pool of
PLANBOT_WORKERS threads (`bot.slack.listeners.common.after_ack`); questions go on to worker
processes
when `planbot serve` started them (bot/speed/question_pool.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.slack.client import SlackWorkspace, build_web_client, workspace_url
from bot.slack.errors import describe_request, report_failure
from bot.slack.event_claims import CLAIM_AFTER_ACK, ClaimsBeforeAck, claim_after_ack
from bot.slack.listeners import register_listeners
from bot.slack.requests import SIGNED_BY_SLACK
from bot.slack.text import USER_NAMES
from store.db import session_scope
from store.queries.people import remember_name

log = logging.getLogger("planbot.slack")


class _TokenFromClient(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that the client's token wins: it is the same
    token, so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_TokenFromClient())


def from_a_bot(event: dict[str, Any]) -> bool:
    """True for a message or mention written by a bot (this one included) or an integration."""
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return True
    edited = event.get("message") or {}
    return event.get("subtype") == "message_changed" and bool(edited.get("bot_id"))


class SkipBotsAndRedeliveries(Middleware):
    """Acknowledge and drop other bots' events and any event_id already handled anywhere.

    Bolt would run a listener again for a retried event; the store's primary key on event_id makes
    the first process to see an event its only handler, whatever X-Slack-Retry-Num says; when
    the database cannot say at once, the work claims it after the ack (bot/slack/event_claims.py).
    A class, not a decorated function: Bolt calls it directly, where it would work out a
    function's arguments by name on every request (a third of the cost of acknowledging a
    command).
    """

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._claims = ClaimsBeforeAck(runtime)

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if body.get("type") != "event_callback":
            return next()
        if from_a_bot(body.get("event") or {}):
            return BoltResponse(status=200, body="")
        event_id = body.get("event_id")
        if event_id:
            event_id, at = str(event_id), self._runtime.clock.utcnow()
            first = self._claims.claim(event_id, at)
            if first is None:
                log.warning("database busy: event %s acknowledged, claimed after the ack", event_id)
                req.context[CLAIM_AFTER_ACK] = partial(claim_after_ack, self._runtime, event_id, at)
            elif not first:
                log.info("event %s delivered again; acknowledged and ignored", event_id)
                return BoltResponse(status=200, body="")
        return next()


class NoteRateLimits(Middleware):
    """`app_rate_limited`: Slack tells every app, subscribed or not, when it has sent it more
    than 30,000 events in an hour and is holding the rest back. Acknowledged (a failure here
    counts against the app's delivery record) and logged for the operator."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if body.get("type") != "app_rate_limited":
            return next()
        log.warning(
            "Slack is holding back events for planbot (app_rate_limited, team %s, from minute "
            "%s): events sent in this hour beyond its limit will not arrive",
            body.get("team_id"),
            body.get("minute_rate_limited"),
        )
        return BoltResponse(status=200, body="")


def _keep_name(runtime: Runtime, user_id: str, name: str) -> None:
    """A name users.info gave, kept for the terminal (bot/cli prints names, not ids)."""
    with session_scope(runtime.engine) as session:
        remember_name(session, user_id, name, at=runtime.clock.real_utcnow())


def create_app(
    runtime: Runtime,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    executor: ThreadPoolExecutor | None = None,
) -> App:
    """The Slack app for `runtime`.

    `client` defaults to one built from the settings (SLACK_API_URL, token, retry handlers); Bolt
    derives every per-request client from it. HTTP mode verifies each request's signature with
    SLACK_SIGNING_SECRET; Socket Mode has no signatures to verify. `executor` runs the work after
    the ack (the caller may shut it down to finish that work before exiting).
    """
    settings = runtime.settings
    app = App(
        name="planbot",
        client=client or build_web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        raise_error_for_unhandled_request=True,  # answered in on_error, not with a 404
        listener_executor=executor
        or ThreadPoolExecutor(max_workers=settings.planbot_workers, thread_name_prefix="planbot"),
    )

    app.middleware(NoteRateLimits())
    app.middleware(SkipBotsAndRedeliveries(runtime))

    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], client: WebClient, request: BoltRequest
    ) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            # Slack sent it, and would only send it again after a 404.
            log.warning("no listener for this request (%s); acknowledged", describe_request(body))
            return BoltResponse(status=200, body="")
        # Before the ack: Slack retries an event that failed, so only commands and buttons
        # (which have a response_url) hear about it now, and only when the request is Slack's:
        # the response_url of any other is an address its sender chose.
        authentic = request.mode == "socket_mode" or bool(request.context.get(SIGNED_BY_SLACK))
        report_failure(
            error,
            body,
            client if body.get("type") != "event_callback" else None,
            where="handling a Slack request",
            tell=authentic,
        )
        return None

    # Role commands ask Slack whether a holder is deactivated (users.info `deleted`).
    runtime.workspace = SlackWorkspace(app.client)
    USER_NAMES.found = partial(_keep_name, runtime)
    # The workspace's address, for the links kept with updates, asked once now rather than in
    # the middle of the first reply (if Slack cannot say yet, the first reply asks again).
    workspace_url(app.client)
    register_listeners(app, runtime)
    return app
