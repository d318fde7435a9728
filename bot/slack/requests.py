"""The door of the HTTP endpoint: what reaches Bolt is a bounded body, signed by Slack, of a shape
planbot handles; anything else is answered here, calmly, and nothing runs.

Bolt checks the signature in a middleware, after building its request, which parses the body:
a body that did not parse, or parsed to a list, raised before the check, and a timestamp that
was not a number made the check itself raise, into the error path that answers the person at the
body's response_url. So `check_request` runs first, each step trusting only what the one before
proved:

1. size: a Content-Length over MAX_BODY_BYTES is refused (413) before a byte of the body is read
   (waitress refuses it even earlier, and cuts a chunked body off at the same size);
2. the signature: the body must be UTF-8 (400), the headers must have Slack's form (a timestamp
   of digits, `v0=` and 64 hex digits), then slack_sdk's SignatureVerifier (which also refuses a
   timestamp more than five minutes off) — otherwise 401, the body never parsed;
3. the body, parsed as Bolt parses it, must be a JSON object (400), of a shape planbot handles
   (bot/slack/shapes.py; otherwise 200: Slack sent it, and a failure would only be retried).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from bot.slack.shapes import describe_shape, handled_shape

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

SIGNED_BY_SLACK = "planbot_signed_by_slack"  # set in the Bolt context of an admitted request
MAX_BODY_BYTES = 1024 * 1024  # Slack's own requests are a few kilobytes
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # seconds since 1970, as Slack writes them
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


@dataclass(frozen=True)
class Refused:
    """A request answered at the door: its HTTP status and, for the log, why."""

    status: int
    reason: str


@dataclass(frozen=True)
class Admitted:
    """A request for Bolt: its body, signed by Slack and of a shape planbot handles."""

    text: str
    headers: dict[str, str]


def headers_of(environ: WSGIEnvironment) -> dict[str, str]:
    """The request's headers, named as Bolt names them (lower case, dashes)."""
    headers = {
        key[5:].lower().replace("_", "-"): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.lower().replace("_", "-")] = str(environ[key])
    return headers


def read_body(environ: WSGIEnvironment) -> bytes | Refused:
    """The body, read only when it is at most MAX_BODY_BYTES long."""
    stream: Any = environ.get("wsgi.input")
    length = str(environ.get("CONTENT_LENGTH") or "")
    if stream is None:
        return b""
    if length:
        if not length.isascii() or not length.isdigit():
            return Refused(400, f"Content-Length {length[:20]!r}")
        if int(length) > MAX_BODY_BYTES:
            return Refused(413, f"a body of {length} bytes")
        return bytes(stream.read(int(length)))
    if not environ.get("wsgi.input_terminated"):
        return b""  # no length and a stream that may not end: nothing is read
    body = bytes(stream.read(MAX_BODY_BYTES + 1))
    if len(body) > MAX_BODY_BYTES:
        return Refused(413, f"a body over {MAX_BODY_BYTES} bytes")
    return body


def signed_by_slack(verifier: SignatureVerifier, headers: dict[str, str], text: str) -> bool:
    """Whether Slack signed `text` just now; False (never an error) for any header out of form."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    return verifier.is_valid(text, timestamp, signature)


def check_request(environ: WSGIEnvironment, verifier: SignatureVerifier) -> Admitted | Refused:
    """The request at the door: admitted for Bolt, or refused with the status to answer."""
    raw = read_body(environ)
    if isinstance(raw, Refused):
        return raw
    headers = headers_of(environ)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Refused(400, "a body that is not UTF-8")  # Slack's never are; nothing can run
    if not signed_by_slack(verifier, headers, text):
        return Refused(401, "not signed by Slack with this app's signing secret")
    content_type = headers.get("content-type", "").split(";")[0].strip() or None
    try:
        body = parse_body(text, content_type)
    except ValueError as error:
        return Refused(400, f"a body that does not parse ({error})")
    if not isinstance(body, dict):
        return Refused(400, f"a body that is {describe_shape(body)}, not an object")
    if not handled_shape(body):
        return Refused(200, f"signed, but of no shape planbot handles ({describe_shape(body)})")
    return Admitted(text, headers)
