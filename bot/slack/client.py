"""The one Slack Web API client, built from settings: retries what is worth it, logs the rest.

Bolt copies this client's base URL and retry handlers into the per-request clients it hands to
listeners (`client`, `say`), so every call goes to `SLACK_API_URL`. Answers to slash commands and
buttons go to the `response_url` Slack gives (a full URL); `post_to_response_url` sends them with
the same retry handlers.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from bot.posting.findable import is_findable, unanswered
from bot.settings import Settings

log = logging.getLogger("planbot.slack")

TIMEOUT_SECONDS = 10


class TransientServerErrorRetryHandler(ServerErrorRetryHandler):
    """Retries the 5xx answers that mean "try again" (slack_sdk's own stops at 500 and 503),
    except for a post planbot can look for (bot.posting.findable): Slack may have taken it."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code not in (500, 502, 503, 504):
            return False
        return not _findable_post(request)


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Retries a call whose connection failed, unless Slack may already have carried it out and
    repeating it would post a message twice that planbot can look for instead.

    urllib wraps an error met while connecting or sending in URLError: the request never reached
    Slack whole, so sending it again is safe. A bare RemoteDisconnected or ConnectionResetError
    came while waiting for the answer, after Slack had the request. A post carrying planbot's
    metadata (a reminder, a weekly summary) is then left to its caller, which looks for it in the
    channel's history before posting it again. Other calls are repeated: a read does no harm,
    and a second copy of an answer is better than none.
    """

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return error is None or not unanswered(error) or not _findable_post(request)


class FinalFailureLogger(RetryHandler):
    """Last in the chain: never retries, logs a call that still failed once the others gave up.

    slack_sdk asks the handlers in order and stops at the first that retries, so this one only sees
    a response (or error) that no handler would retry any more: the call's final outcome. It logs
    a warning: the failure reaches the caller (as SlackApiError, or a response_url post's False),
    which knows whether it matters (a permalink lookup that fails is not an error; an answer
    lost is one) and logs it at its own level.
    """

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = _method_of(request.url)
        if error is not None and response is None:
            log.warning("Slack call %s failed: %s", method, error)
            return False
        if response is None:
            return False
        if response.status_code >= 400:
            log.warning(
                "Slack call %s failed: HTTP %s after %s retries",
                method,
                response.status_code,
                state.current_attempt,
            )
            return False
        body = response.body or _json_or_empty(response.data)
        if isinstance(body, dict) and body.get("ok") is False:
            log.warning("Slack call %s failed: %s", method, body.get("error", "unknown error"))
        return False


def _method_of(url: str | None) -> str:
    """`chat.postMessage` for a Web API URL; `response_url` for Slack's one-off answer URLs."""
    if url and "/api/" in url:
        return url.split("/api/", 1)[1].split("?", 1)[0].strip("/")
    return "response_url"


def _findable_post(request: HttpRequest) -> bool:
    """A chat.postMessage whose metadata marks it as one planbot can look for, or the call that
    shares an uploaded file (the summary's chart), which its caller looks for by name."""
    method = _method_of(request.url)
    if method == "files.completeUploadExternal":
        return True
    if method != "chat.postMessage":
        return False
    return is_findable(_json_or_empty(request.data).get("metadata"))


def _json_or_empty(data: bytes | None) -> dict[str, Any]:
    if not data or not data.startswith(b"{"):
        return {}
    try:
        parsed = json.loads(data)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def retry_handlers() -> list[RetryHandler]:
    """429 (honouring Retry-After), transient 5xx and dropped connections (see
    SafeConnectionErrorRetryHandler), then the failure log."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=3),
        TransientServerErrorRetryHandler(max_retry_count=3),
        SafeConnectionErrorRetryHandler(max_retry_count=2),
        FinalFailureLogger(),
    ]


def build_web_client(settings: Settings) -> WebClient:
    """The client Bolt and the scheduler share; its base URL is `SLACK_API_URL`."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )


_workspace_urls: dict[tuple[str, str | None], str] = {}


def workspace_url(client: WebClient) -> str | None:
    """The workspace's address (`https://york.slack.com/`), asked of auth.test once per token;
    None (logged) when Slack cannot say just now."""
    key = (client.base_url, client.token)
    if key not in _workspace_urls:
        try:
            url = client.auth_test().get("url")
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("auth.test gave no workspace address (%s)", error)
            return None
        if not url:
            return None
        _workspace_urls[key] = str(url)
    return _workspace_urls[key]


def message_link(
    client: WebClient, channel: str | None, ts: str | None, thread_ts: str | None = None
) -> str | None:
    """A message's permalink, made as chat.getPermalink makes it (the workspace's address,
    `/archives/<channel>/p<ts without its dot>`, and for a reply its thread), without a call per
    message; None when there is no message or no address."""
    if not channel or not ts:
        return None
    base = workspace_url(client)
    if base is None:
        return None
    link = f"{base.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


def post_to_response_url(url: str, message: dict[str, Any]) -> bool:
    """Send `message` to a slash command's or button's response_url; False (logged) if it failed."""
    response = WebhookClient(
        url=url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers()
    ).send_dict(message)
    if response.status_code != 200:
        log.error("an answer for a response_url was lost: HTTP %s", response.status_code)
        return False
    return True


class SlackWorkspace:
    """What commands may ask of the workspace (commands.request.Workspace), asked of Slack."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def user_active(self, user_id: str) -> bool | None:
        """True/False from users.info (`deleted`), None when Slack could not say."""
        try:
            response = self._client.users_info(user=user_id)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("users.info %s failed (%s); treated as active", user_id, error)
            return None
        user = response.get("user") or {}
        return not bool(user.get("deleted"))

    def status(self, user_id: str) -> tuple[str, str] | None:
        """(status text, status emoji) the person set, from users.profile.get; None when Slack
        could not say (the app lacks `users.profile:read`, a network error)."""
        try:
            response = self._client.users_profile_get(user=user_id)
        except (SlackApiError, SlackClientError, OSError) as error:
            log.info("users.profile.get %s failed (%s); status unknown", user_id, error)
            return None
        profile = response.get("profile") or {}
        return str(profile.get("status_text") or ""), str(profile.get("status_emoji") or "")
