"""HTTP mode: Bolt behind waitress, with `POST /slack/events` and `GET /healthz`.

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

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.runtime import Runtime
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
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            status, body = health(runtime)
            payload = json.dumps(body).encode()
            start_response(
                "200 OK" if status == 200 else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
            )
            return [payload]
        return acknowledge_then_work(environ, start_response)

    def acknowledge_then_work(
        environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Bolt's response, written before any work handed off after the ack starts.

        The body goes out through start_response's `write` (waitress sends it on the socket at
        once), so the worker threads only start once Slack has its ack: an empty body would
        otherwise be sent after this function returned, while they hold the interpreter lock.
        """
        write: Callable[[bytes], object] | None = None

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            nonlocal write
            write = start_response(status, headers, exc_info)
            return write

        with hand_offs_after_response():
            chunks = slack(environ, start)
            assert write is not None
            for chunk in chunks:
                write(chunk)
            write(b"")  # the status line and headers, when the body is empty
        return []

    return application


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
    server = waitress.create_server(
        wsgi_application(app, runtime),
        host=host,
        port=port,
        threads=runtime.settings.planbot_http_threads,
        ident="planbot",
        clear_untrusted_proxy_headers=True,
        channel_timeout=60,
    )
    address = f"http://{host}:{server.effective_port}"  # type: ignore[union-attr]
    log.info("planbot listening on %s%s", address, EVENTS_PATH)
    if on_ready is not None:
        on_ready(address)
    server.run()
