"""A fake Slack Web API on localhost: records every call, injects failures, validates Block Kit.

Start one with `FakeSlack()` (or the `fake_slack` fixture in tests/support/slack_fixtures.py) and
point the
app at `fake.api_url` (SLACK_API_URL). It answers the Web API methods planbot uses, the one-off
`response_url`s it hands out (`fake.new_response_url()`), and the files upload v2 flow
(files.getUploadURLExternal, the upload URL, files.completeUploadExternal, files.info); a file
shared in a channel is a message there, with its `files`.

- `fake.calls_to("chat.postMessage")`, `fake.wait_for("chat.postMessage", count=2)`: what arrived.
- `fake.fail_next("chat.postMessage", times=2, status=429, retry_after=1)`, `status=500`, or
  `error="channel_not_found"` (HTTP 200 with ok:false): the next N calls of that method fail.
  With `kept=True` the call is carried out first (a message is posted) and only its answer is
  the failure: Slack took it, the caller cannot tell. `status=0` closes the connection with no
  answer at all (the client sees RemoteDisconnected).
- Every `blocks` payload (messages, response_url posts, views) is parsed with slack_sdk.models
  (Block.parse, validate_json) and must round-trip unchanged through to_dict(), so unknown block
  types and fields are caught; messages with blocks must carry a `text` fallback. Failures are
  kept in `fake.validation_errors`; tests assert it stays empty (`fake.assert_valid()`).
- Messages posted with chat.postMessage are kept per channel (`fake.history`), with their
  blocks, and answered by conversations.history: newest first, filtered by `oldest`/`latest`
  against when the fake took them (its ts values are counters, not times), metadata only with
  `include_all_metadata` and only while `fake.metadata_readable` (False: an app without the
  metadata.message:read scope).
- `fake.users[...]`, `fake.channels[...]` shape users.info / conversations.info answers;
  `fake.handlers["method"] = fn(payload) -> dict` answers a method this fake does not know.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from slack_sdk.models.blocks import Block

TOKEN = "xoxb-fake-0001-planbot"
TEAM_ID = "T0YORK01"
BOT_USER_ID = "UPLANBOT1"
BOT_ID = "BPLANBOT1"
MESSAGE_LIMIT = 50  # blocks in a message
VIEW_LIMIT = 100  # blocks in a modal or the Home tab
TEXT_FALLBACK_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"}


@dataclass(frozen=True)
class Call:
    method: str
    payload: dict[str, Any]
    headers: dict[str, str]
    at: float
    answered: int  # HTTP status the fake answered with (0: none, the connection was dropped)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    kept: bool = False  # carried out before failing


@dataclass
class FakeSlack:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    validation_errors: list[str] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)  # file id -> its filename
    on_call: Callable[[Call], None] | None = None  # told of every call as it arrives (bench)
    extra_tokens: dict[str, set[str]] = field(default_factory=dict)  # token -> methods it may call
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel -> messages
    metadata_readable: bool = True  # False: history without metadata (no metadata.message:read)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._ts_lock = threading.Lock()
        self._last_ts = 0
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    # -- addresses
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    def new_response_url(self) -> str:
        """A response_url as Slack puts in a slash command or button payload."""
        return f"{self.url}commands/{TEAM_ID}/{next(self._ids)}/hook{next(self._ids)}"

    # -- control
    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        kept: bool = False,
    ) -> None:
        """The next `times` calls of `method` fail: HTTP `status` (429 sends Retry-After; 0 drops
        the connection unanswered), or HTTP 200 with ok:false and `error`. With `kept` each is
        carried out (and recorded as such) before its answer fails."""
        if status == 200 and error is None:
            error = "fatal_error"
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            for _ in range(times):
                self._failures[method].append(Failure(status, error, retry_after, kept))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.validation_errors.clear()
            self._failures.clear()
            self.uploads.clear()
            self.file_names.clear()
            self.handlers.clear()
            self.extra_tokens.clear()
            self.history.clear()
            self.metadata_readable = True

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- reading what arrived
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def answered_ok(self, method: str) -> list[Call]:
        """Calls of `method` the fake accepted (HTTP 200 and ok:true)."""
        return [
            c for c in self.calls_to(method) if c.answered == 200 and not c.payload.get("_failed")
        ]

    def carried_out(self, method: str) -> list[Call]:
        """Calls of `method` that took effect (say, a message now in its channel), whether or not
        the caller heard so: accepted ones and those failed with `kept`."""
        return [c for c in self.calls_to(method) if not c.payload.get("_failed")]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` calls of `method` (matching `where`) arrived; return them all."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [
                    c for c in self.calls if c.method == method and (where is None or where(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} {method} call(s) within {timeout}s, got "
                        f"{len(found)}; calls seen: {seen}"
                    )
                self._lock.wait(left)

    def answer_to(self, response_url: str, *, timeout: float = 10.0) -> Call:
        """The one post the app made to `response_url` (a slash command's or a button's)."""
        calls = self.wait_for(
            "response_url", timeout=timeout, where=lambda c: c.payload["_url"] == response_url
        )
        assert len(calls) == 1, f"{len(calls)} answers to one response_url"
        return calls[0]

    def assert_valid(self) -> None:
        assert self.validation_errors == [], self.validation_errors

    # -- the server side
    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        if self.on_call is not None:
            self.on_call(call)

    def _take_failure(self, method: str) -> Failure | None:
        with self._lock:
            queue = self._failures.get(method)
            return queue.popleft() if queue else None

    def next_ts(self) -> str:
        """A message ts as Slack makes them: when it was taken, unique in the workspace."""
        with self._ts_lock:
            now = max(round(time.time() * 1_000_000), self._last_ts + 1)
            self._last_ts = now
        return f"{now // 1_000_000}.{now % 1_000_000:06d}"

    def validate(self, method: str, payload: dict[str, Any]) -> None:
        problems: list[str] = []
        if "blocks" in payload:
            problems += _check_blocks(payload["blocks"], MESSAGE_LIMIT)
            if method in TEXT_FALLBACK_METHODS and not str(payload.get("text") or "").strip():
                problems.append("blocks without a text fallback")
        view = payload.get("view")
        if isinstance(view, dict):
            if view.get("type") not in ("home", "modal"):
                problems.append(f"view type {view.get('type')!r}")
            problems += _check_blocks(view.get("blocks"), VIEW_LIMIT)
        if problems:
            with self._lock:
                self.validation_errors.extend(f"{method}: {p}" for p in problems)

    def answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        if method in self.handlers:
            return self.handlers[method](payload)
        answer = _ANSWERS.get(method)
        if answer is None:
            return {"ok": False, "error": "unknown_method"}
        return answer(self, payload)


def _check_blocks(blocks: Any, limit: int) -> list[str]:
    if not isinstance(blocks, list):
        return [f"blocks is {type(blocks).__name__}, not a list"]
    problems = [f"{len(blocks)} blocks, more than {limit}"] if len(blocks) > limit else []
    for index, raw in enumerate(blocks):
        if not isinstance(raw, dict):
            problems.append(f"block {index} is not an object")
            continue
        if raw.get("type") == "header" and (raw.get("text") or {}).get("type") != "plain_text":
            problems.append(f"block {index}: a header's text must be plain_text")
            continue
        parsed = Block.parse(raw)
        if parsed is None:
            problems.append(f"block {index}: unknown type {raw.get('type')!r}")
            continue
        try:
            parsed.validate_json()
            if parsed.to_dict() != raw:
                problems.append(f"block {index}: unknown or malformed fields in {raw!r}")
        except Exception as error:
            problems.append(f"block {index} ({raw.get('type')}): {error}")
    return problems


def _decode_form(raw: bytes) -> dict[str, Any]:
    payload: dict[str, Any] = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
    for key in ("blocks", "attachments", "view", "files", "metadata"):
        value = payload.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                payload[key] = json.loads(value)
    return payload


def _ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def _need(payload: dict[str, Any], *names: str) -> dict[str, Any] | None:
    for name in names:
        if not payload.get(name):
            return {"ok": False, "error": f"missing_argument_{name}"}
    return None


def post_message(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    """chat.postMessage as the fake answers it (kept in the channel's history)."""
    if missing := _need(p, "channel"):
        return missing
    if not p.get("text") and not p.get("blocks") and not p.get("attachments"):
        return {"ok": False, "error": "no_text"}
    channel = fake.channels.get(p["channel"])
    if channel is not None and channel.get("is_archived"):
        return {"ok": False, "error": "is_archived"}
    ts = fake.next_ts()
    message = {"type": "message", "text": p.get("text", ""), "user": BOT_USER_ID, "bot_id": BOT_ID}
    message["ts"] = ts
    if p.get("thread_ts"):
        message["thread_ts"] = p["thread_ts"]
    if isinstance(p.get("blocks"), list):
        message["blocks"] = p["blocks"]
    kept = {**message, "_taken": time.time()}
    if isinstance(p.get("metadata"), dict):
        kept["metadata"] = p["metadata"]
    with fake._lock:
        fake.history.setdefault(p["channel"], []).append(kept)
    return _ok(channel=p["channel"], ts=ts, message=message)


def _history(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    if missing := _need(p, "channel"):
        return missing
    oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
    with fake._lock:
        kept = list(fake.history.get(p["channel"], []))
    found = [m for m in reversed(kept) if oldest <= m["_taken"] <= latest]
    limit = int(p.get("limit") or 100)
    metadata = fake.metadata_readable and str(p.get("include_all_metadata")).lower() == "true"
    messages = [
        {k: v for k, v in m.items() if k != "_taken" and (metadata or k != "metadata")}
        for m in found[:limit]
    ]
    return _ok(messages=messages, has_more=len(found) > limit)


def _user(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    if missing := _need(p, "user"):
        return missing
    user_id = p["user"]
    user = fake.users.get(user_id)
    if user is None:
        user = {"id": user_id, "name": user_id.lower(), "real_name": f"Person {user_id}"}
        user |= {"deleted": False, "is_bot": False, "tz": "Europe/London"}
    return _ok(user=user)


def _channel(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    if missing := _need(p, "channel"):
        return missing
    channel = fake.channels.get(p["channel"])
    if channel is None:
        channel = {"id": p["channel"], "name": p["channel"].lower(), "is_channel": True}
        channel |= {"is_private": False, "is_member": True, "is_archived": False}
    return _ok(channel=channel)


def _upload_url(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    if missing := _need(p, "filename", "length"):
        return missing
    file_id = f"F{next(fake._ids):08d}"
    fake.file_names[file_id] = str(p["filename"])
    return _ok(upload_url=f"{fake.url}upload/{file_id}", file_id=file_id)


def _complete_upload(fake: FakeSlack, p: dict[str, Any]) -> dict[str, Any]:
    files = p.get("files")
    if isinstance(files, str):
        files = json.loads(files)
    if not files:
        return {"ok": False, "error": "missing_argument_files"}
    for entry in files:
        if entry.get("id") not in fake.uploads:
            return {"ok": False, "error": "file_not_found"}
    shared = [
        {"id": f["id"], "name": fake.file_names.get(f["id"], ""), "title": f.get("title", "")}
        for f in files
    ]
    if p.get("channel_id"):  # shared: Slack posts a message carrying the files
        message = {"type": "message", "text": p.get("initial_comment") or "", "user": BOT_USER_ID}
        message |= {"files": shared, "upload": True, "ts": fake.next_ts(), "_taken": time.time()}
        if p.get("thread_ts"):
            message["thread_ts"] = p["thread_ts"]
        with fake._lock:
            fake.history.setdefault(p["channel_id"], []).append(message)
    return _ok(files=[{"id": f["id"], "title": f["title"]} for f in shared])


_ANSWERS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": lambda fake, p: _ok(
        url="https://york-council.slack.com/",
        team="City of York Council",
        user="planbot",
        team_id=TEAM_ID,
        user_id=BOT_USER_ID,
        bot_id=BOT_ID,
        is_enterprise_install=False,
    ),
    "chat.postMessage": post_message,
    "conversations.history": _history,
    "chat.postEphemeral": lambda fake, p: (
        _need(p, "channel", "user") or _ok(message_ts=fake.next_ts())
    ),
    "chat.update": lambda fake, p: (
        _need(p, "channel", "ts") or _ok(channel=p["channel"], ts=p["ts"], text=p.get("text", ""))
    ),
    "chat.delete": lambda fake, p: (
        _need(p, "channel", "ts") or _ok(channel=p["channel"], ts=p["ts"])
    ),
    "chat.getPermalink": lambda fake, p: (
        _need(p, "channel", "message_ts")
        or _ok(
            channel=p["channel"],
            permalink=f"https://york-council.slack.com/archives/{p['channel']}/"
            f"p{str(p['message_ts']).replace('.', '')}",
        )
    ),
    "reactions.add": lambda fake, p: _need(p, "channel", "timestamp", "name") or _ok(),
    "views.publish": lambda fake, p: (
        _need(p, "user_id", "view") or _ok(view={"id": f"V{next(fake._ids):08d}", **p["view"]})
    ),
    "views.open": lambda fake, p: (
        _need(p, "trigger_id", "view") or _ok(view={"id": f"V{next(fake._ids):08d}", **p["view"]})
    ),
    "views.update": lambda fake, p: _need(p, "view") or _ok(view=p["view"]),
    "users.info": _user,
    "conversations.open": lambda fake, p: (
        _need(p, "users") or _ok(channel={"id": f"D{str(p['users'])[1:]}"})
    ),
    "users.profile.get": lambda fake, p: (
        _need(p, "user") or _ok(profile=(fake.users.get(p["user"]) or {}).get("profile") or {})
    ),
    "conversations.info": _channel,
    "conversations.join": _channel,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
    "files.info": lambda fake, p: _need(p, "file") or _ok(file={"id": p["file"]}),
}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            content_type = "text/plain" if isinstance(body, bytes) else "application/json"
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlparse(self.path).path
            headers = {k.lower(): v for k, v in self.headers.items()}
            if path.startswith("/api/"):
                self._api(path[len("/api/") :], raw, headers)
            elif path.startswith("/commands/"):
                self._response_url(raw, headers)
            elif path.startswith("/upload/"):
                file_id = path.rsplit("/", 1)[-1]
                fake.uploads[file_id] = raw
                fake._record(
                    Call(
                        "upload", {"file_id": file_id, "size": len(raw)}, headers, time.time(), 200
                    )
                )
                self._send(200, f"OK - {len(raw)}".encode())
            else:
                self._send(404, b"not found")

        def _failure(self, method: str, payload: dict[str, Any], headers: dict[str, str]) -> bool:
            failure = fake._take_failure(method)
            if failure is None:
                return False
            took = failure.kept and (
                method == "response_url" or bool(fake.answer(method, payload).get("ok"))
            )
            recorded = payload if took else {**payload, "_failed": True}
            fake._record(Call(method, recorded, headers, time.time(), failure.status))
            if failure.status == 0:
                self.close_connection = True  # nothing written: the client sees no answer
                return True
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            body: Any = {"ok": False, "error": failure.error or f"http_{failure.status}"}
            if method == "response_url":
                body = (failure.error or "internal_error").encode()
            self._send(failure.status, body, extra)
            return True

        def _api(self, method: str, raw: bytes, headers: dict[str, str]) -> None:
            if headers.get("content-type", "").startswith("application/json"):
                payload = json.loads(raw or b"{}")
            else:
                payload = _decode_form(raw)
            token = headers.get("authorization", "").removeprefix("Bearer ") or payload.get("token")
            if self._failure(method, payload, headers):
                return
            if token != fake.token and method not in fake.extra_tokens.get(str(token), set()):
                fake._record(Call(method, {**payload, "_failed": True}, headers, time.time(), 200))
                self._send(200, {"ok": False, "error": "invalid_auth"})
                return
            fake.validate(method, payload)
            answer = fake.answer(method, payload)
            recorded = payload if answer.get("ok") else {**payload, "_failed": True}
            fake._record(Call(method, recorded, headers, time.time(), 200))
            self._send(200, answer)

        def _response_url(self, raw: bytes, headers: dict[str, str]) -> None:
            payload = json.loads(raw or b"{}")
            payload["_url"] = f"{fake.url.rstrip('/')}{self.path}"
            if self._failure("response_url", payload, headers):
                return
            fake.validate("response_url", payload)
            fake._record(Call("response_url", payload, headers, time.time(), 200))
            self._send(200, b"ok")

    return Handler
