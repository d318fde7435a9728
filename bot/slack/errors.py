"""The one place a failure in the Slack app is handled: logged with its context, one calm line sent.

Bolt calls `report_failure` for errors before the ack (registered with `app.error`); the work
done after the ack runs inside `bot.slack.listeners.common.guarded` (via `after_ack`), which calls
it
too. Listeners never wrap themselves in `except Exception`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from bot.slack.client import post_to_response_url

log = logging.getLogger("planbot.slack")

CALM_LINE = (
    "Sorry, something went wrong on my side and I could not finish that. "
    "Please try again in a minute; if it keeps happening, tell a planbot admin."
)


def _id(named: object) -> object:
    """The id in `{"id": …}`, or the value itself (Slack names a user or channel either way)."""
    return named.get("id") if isinstance(named, dict) else named


def describe_request(body: dict[str, Any]) -> str:
    """Where a request came from, for the log: kind, who, where, which event or action."""
    event = body.get("event")
    event = event if isinstance(event, dict) else {}
    kind = body.get("command") or event.get("type") or body.get("type") or "request"
    user = body.get("user_id") or event.get("user") or _id(body.get("user"))
    channel = body.get("channel_id") or event.get("channel") or _id(body.get("channel"))
    actions = body.get("actions")
    parts = [
        f"kind={kind}",
        f"user={user}",
        f"channel={channel}",
        f"team={body.get('team_id') or _id(body.get('team'))}",
    ]
    if body.get("event_id"):
        parts.append(f"event_id={body['event_id']}")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        parts.append(f"action_id={actions[0].get('action_id')}")
    return " ".join(parts)


def report_failure(
    error: BaseException,
    body: dict[str, Any],
    client: WebClient | None,
    *,
    where: str,
    tell: bool = True,
) -> None:
    """Log `error` once with the request's context and, when `tell`, tell the person in one
    calm line (never for a request not shown to be Slack's: its response_url is anyone's)."""
    log.error("%s failed (%s): %s", where, describe_request(body), error, exc_info=error)
    if not tell:
        return
    try:
        tell_calmly(body, client)
    except Exception as second:  # telling them failed too: the first error is already logged
        log.error("could not tell the person about the failure: %s", second)


def tell_calmly(body: dict[str, Any], client: WebClient | None) -> None:
    if body.get("response_url"):
        post_to_response_url(
            body["response_url"],
            {"text": CALM_LINE, "response_type": "ephemeral", "replace_original": False},
        )
        return
    event = body.get("event") or {}
    channel, user = event.get("channel"), event.get("user")
    if client is None or not channel or not user:
        return
    thread_ts = event.get("thread_ts") or (
        event.get("ts") if event.get("type") == "app_mention" else None
    )
    if event.get("channel_type") == "im":
        client.chat_postMessage(channel=channel, text=CALM_LINE, thread_ts=thread_ts)
    else:
        client.chat_postEphemeral(channel=channel, user=user, text=CALM_LINE, thread_ts=thread_ts)
