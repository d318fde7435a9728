"""HTTP mode: Bolt behind waitress, with `POST /slack/events` and `GET /healthz`.

Every POST is checked at the door (bot/slack/requests.py: size, signature, shape) before Bolt
builds its request from it; waitress itself refuses a body over the same size before reading it.

waitress is a production WSGI server in pure Python (no compiler, no C extension, runs on every
platform the council may host on) with a fixed pool of request threads; Bolt's own
`app.start()` server is for development only. Each process serves one port; run several behind
the load balancer, all on one PostgreSQL (the store makes event handling and posts exactly-once).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.runtime import Runtime
from bot.slack.requests import MAX_BODY_BYTES, SIGNED_BY_SLACK, Refused, check_request
from bot.speed.after_response import hand_offs_after_response
from store.health import database_answers

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("planbot.http")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def health(runtime: Runtime) -> tuple[int, dict[str, Any]]:
    """200 when the database answers, 503 when it does not (the load balancer stops routing)."""
    if database_answers(runtime.engine):
        return 200, {"ok": True, "database": "reachable"}
    return 503, {"ok": False, "database": "unreachable"}


def wsgi_application(app: App, runtime: Runtime) -> WSGIApplication:
    verifier = SignatureVerifier(runtime.settings.slack_signing_secret or "")

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            status, body = health(runtime)
            return respond(start_response, status, json.dumps(body), "application/json")
        if path != EVENTS_PATH or method != "POST":
            return respond(start_response, 404, "Not Found")
        return acknowledge_then_work(environ, start_response)

    def acknowledge_then_work(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Bolt's response, written before any work handed off after the ack starts.

        The body goes out through start_response's `write` (waitress sends it on the socket at
        once), so the worker threads only start once Slack has its ack: an empty body would
        otherwise be sent after this function returned, while they hold the interpreter lock.
        """
        checked = check_request(environ, verifier)
        if isinstance(checked, Refused):
            # An unsigned request is anyone's (scanners, a wrong URL): not worth a warning.
            level = logging.INFO if checked.status == 401 else logging.WARNING
            log.log(level, "request refused with %s: %s", checked.status, checked.reason)
            return respond(start_response, checked.status, "")
        request = BoltRequest(
            body=checked.text,
            query=str(environ.get("QUERY_STRING") or ""),
            headers=checked.headers,  # type: ignore[arg-type]
            context={SIGNED_BY_SLACK: True},
        )
        with hand_offs_after_response():
            response = app.dispatch(request)
            answer = WsgiHttpResponse(response.status, response.headers, response.body)
            write = start_response(answer.status, answer.get_headers())
            for chunk in answer.get_body():
                write(chunk)
            write(b"")  # the status line and headers, when the body is empty
        return []

    return application


def respond(
    start_response: StartResponse, status: int, body: str, content_type: str = "text/plain"
) -> Iterable[bytes]:
    answer = WsgiHttpResponse(status, {"content-type": [content_type]}, body)
    start_response(answer.status, answer.get_headers())
    return answer.get_body()


def serve_http(
    app: App,
    runtime: Runtime,
    *,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until SIGTERM/SIGINT raise SystemExit/KeyboardInterrupt in the main thread; waitress
    then stops accepting, lets running requests finish (up to 5 s) and returns."""
    server = create_server(
        wsgi_application(app, runtime),
        host=host,
        port=port,
        threads=runtime.settings.planbot_http_threads,
        ident="planbot",
        clear_untrusted_proxy_headers=True,
        channel_timeout=60,
        max_request_body_size=MAX_BODY_BYTES + 1,  # waitress refuses a body of this size or more
    )
    # One listening address gives one TCP server, which knows the port it bound (0: any free).
    address = f"http://{host}:{getattr(server, 'effective_port', port)}"
    log.info("planbot listening on %s%s", address, EVENTS_PATH)
    if on_ready is not None:
        on_ready(address)
    server.run()
