"""The shapes of request planbot handles, as Slack documents them: a body of any other shape,
even one signed by Slack, is acknowledged and dropped before Bolt or a listener reads it.

Bolt and the listeners read these bodies with `body["event"]["channel"]`, `"id" in user`,
`actions[0]` and the like; each model below lists the fields they read, with the type they
expect, and nothing else (other fields pass unchecked). `handled_shape(body)` says whether a parsed
body is one of them; it costs a few microseconds, on the ack path.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

Named = str | dict[str, Any] | None  # a user, team, channel or enterprise: an id, or {"id": …}


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _ResponseUrl(_Shape):
    response_url: str


class _Envelope(_Shape):
    """What Bolt reads of every request to know who and where it is from."""

    enterprise: Named = None
    team: Named = None
    user: Named = None
    channel: Named = None
    authorizations: list[dict[str, Any]] | None = None
    response_url: str | None = None
    response_urls: list[_ResponseUrl] | None = None


class _Message(_Shape):
    """A message as an event carries it (the event itself, or an edit's before and after)."""

    user: str | None = None
    text: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    subtype: str | None = None
    bot_id: str | None = None
    files: list[dict[str, Any]] | None = None


class _Event(_Message):
    type: str
    channel: str | None = None
    channel_type: str | None = None
    tab: str | None = None
    deleted_ts: str | None = None
    message: _Message | None = None
    previous_message: _Message | None = None

    @model_validator(mode="after")
    def _where(self) -> _Event:
        # Every message and mention Slack sends says where it was written and when.
        if self.type in ("message", "app_mention") and not (self.channel and self.ts):
            raise ValueError(f"a {self.type} event without its channel and ts")
        return self


class UrlVerification(_Envelope):
    type: Literal["url_verification"]
    challenge: str


class SslCheck(_Envelope):
    ssl_check: str


class AppRateLimited(_Envelope):
    type: Literal["app_rate_limited"]


class EventCallback(_Envelope):
    type: Literal["event_callback"]
    event_id: str
    event: _Event


class _Person(_Shape):
    id: str


class _Option(_Shape):
    value: str


class _Action(_Shape):
    action_id: str
    value: str | None = None
    selected_option: _Option | None = None


class _Input(_Shape):
    value: str | None = None
    selected_option: _Option | None = None
    selected_date: str | None = None


class _State(_Shape):
    values: dict[str, dict[str, _Input]]


class _View(_Shape):
    callback_id: str
    private_metadata: str | None = None
    state: _State | None = None


class _Container(_Shape):
    channel_id: str | None = None
    message_ts: str | None = None
    thread_ts: str | None = None


class _Channel(_Shape):
    id: str


class BlockActions(_Envelope):
    type: Literal["block_actions"]
    user: _Person  # type: ignore[assignment]  # narrower than any request's
    actions: list[_Action] = Field(min_length=1)
    channel: _Channel | None = None  # type: ignore[assignment]
    container: _Container | None = None
    message: _Message | None = None
    view: dict[str, Any] | None = None  # the Home tab or a modal the button is in
    trigger_id: str | None = None


class ViewPayload(_Envelope):
    type: Literal["view_submission", "view_closed"]
    user: _Person  # type: ignore[assignment]
    view: _View


class SlashCommand(_Envelope):
    command: str
    response_url: str  # required of a command
    user_id: str  # who typed it: Slack always says
    text: str = ""


_HANDLED = TypeAdapter(
    UrlVerification
    | SslCheck
    | AppRateLimited
    | EventCallback
    | BlockActions
    | ViewPayload
    | SlashCommand
)


def handled_shape(body: object) -> bool:
    """Whether `body` (a request body, parsed) is of a shape planbot handles."""
    try:
        _HANDLED.validate_python(body)
    except ValidationError:
        return False
    return True


def describe_shape(body: object) -> str:
    """A few words on a body, for the log line that drops it (never the whole of it)."""
    if not isinstance(body, dict):
        return f"a JSON {type(body).__name__}"
    kind = body.get("type") or body.get("command") or "no type"
    return f"type={str(kind)[:40]!r} fields={sorted(map(str, body))[:12]}"
