"""What every listener group shares: running work after the ack, and answering a line of text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.answering import Asked, answerer_for
from bot.runtime import Runtime
from bot.slack.errors import report_failure
from bot.slack.event_claims import CLAIM_AFTER_ACK
from bot.speed.after_response import Quick, hand_off

Work = Callable[[dict[str, Any], WebClient, BoltContext], None]


def ack_only(ack: Callable[..., Any]) -> None:
    """The acknowledgement every listener sends at once; the work runs after it."""
    ack()


def guarded(work: Work) -> Callable[[dict[str, Any], WebClient, BoltContext], None]:
    """Wrap post-ack `work` so a failure reaches `report_failure` (Bolt would only log it), and
    so an event acknowledged before it was claimed is claimed first (bot/slack/event_claims.py).

    `after_ack` uses it; it also fits Bolt's lazy listeners, `lazy=[guarded(work)]` (Bolt passes
    arguments by name, so the wrapper keeps the names `body`, `client` and `context`).
    """

    def run(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        try:
            claim = context.get(CLAIM_AFTER_ACK)  # an event the ack could not claim in time
            if claim is None or claim():
                work(body, client, context)
        except Exception as error:
            report_failure(error, body, client, where=work.__name__)

    run.__name__ = work.__name__  # Bolt tells lazy functions apart by name
    return run


def after_ack(app: App, work: Work, *, quick: Quick | None = None) -> Callable[..., None]:
    """A listener that acknowledges at once, then runs `work(body, client, context)` on the app's
    worker threads (PLANBOT_WORKERS), a failure going to `report_failure`; over HTTP the work
    starts once the ack has been sent (bot/speed/after_response.py).

    Use as `app.event("x")(after_ack(app, work))`. It does what Bolt's lazy listeners do without
    their cost on the ack path (Bolt deep-copies every request before acknowledging it).
    """
    executor = app.listener_runner.listener_executor
    run = guarded(work)

    def acknowledge(
        ack: Callable[..., Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        # An event still to be claimed goes to a worker thread, which claims it first.
        now = quick if CLAIM_AFTER_ACK not in context else None
        hand_off(executor, run, body, client, context, quick=now)

    acknowledge.__name__ = f"ack_{work.__name__}"
    return acknowledge


Read = Callable[[dict[str, Any], BoltContext], Asked | None]  # None: nothing to answer


def answering(runtime: Runtime, read: Read, *, name: str) -> tuple[Work, Quick]:
    """A listener's work after the ack when its request is a line to answer (`read` from the
    request), and the quick form of it, which hands the line on at once when the answerer can
    take it without waiting (`after_ack(app, work, quick=quick)`; bot/answering.py)."""

    def work(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        asked = read(body, context)
        if asked is not None:
            answerer_for(runtime).answer(asked, body=body, client=client)

    def quick(body: dict[str, Any], client: WebClient, context: BoltContext) -> bool:
        asked = read(body, context)
        return asked is None or answerer_for(runtime).answer_now(asked, body=body, client=client)

    work.__name__ = f"answer_{name}"
    return work, quick


_SHARE = re.compile(r"^(?:(?:please|pls|can\s+you|could\s+you)\s+)?share\b[\s:,-]*", re.IGNORECASE)


def split_share(text: str) -> tuple[bool, str]:
    """(True, "what's open?") for "share what's open?" ("Share: …", "please share …", "can you
    share …"). A mention is answered in its channel's thread and a DM privately whatever, so
    there the word is only dropped."""
    match = _SHARE.match(text)
    if match is None:
        return False, text
    return True, text[match.end() :].strip()
