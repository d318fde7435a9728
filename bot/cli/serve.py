"""`planbot serve --http --port 3000` (Events API) or `planbot serve --socket` (Socket Mode).

One code path: the same runtime, Slack app, listeners and scheduler; only the transport differs.
Start-up stops with one line naming the setting at fault (missing token, unreachable database,
token Slack refuses). SIGTERM or Ctrl-C stops it cleanly: no new requests, running work finished,
scheduler stopped, database connections closed.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import TYPE_CHECKING
from urllib.error import URLError

from bot.cli.common import add_as_of, open_runtime
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from slack_bolt import App
    from slack_sdk import WebClient

log = logging.getLogger("planbot.serve")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Slack app (Events API over HTTP, or Socket Mode)",
        description="Run planbot in Slack. See README, 'Run it in Slack'.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--http", action="store_true", help="serve the Events API at /slack/events (production)"
    )
    mode.add_argument(
        "--socket", action="store_true", help="connect by Socket Mode (no public URL needed)"
    )
    parser.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default 0.0.0.0)")
    add_as_of(parser)
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    # Slack's SDK and the speed machinery load when the server starts, not with `planbot --help`.
    from bot.answering import InThread, use
    from bot.speed.after_response import BURST
    from bot.speed.question_pool import WorkerProcesses, start_question_pool

    settings = load_settings()
    settings.require_slack(socket=args.socket)
    if not getattr(args, "verbose", False):
        logging.getLogger().setLevel(settings.log_level)
    runtime = open_runtime(settings, args.as_of)
    executor = ThreadPoolExecutor(settings.planbot_workers, thread_name_prefix="planbot")
    questions = None
    try:
        # Asks Slack who the bot is: a token Slack refuses stops start-up before any worker starts.
        app = _create_app(runtime, socket_mode=args.socket, executor=executor)
        if settings.planbot_answer_processes:
            questions = start_question_pool(
                settings, as_of=args.as_of, processes=settings.planbot_answer_processes
            )
            use(WorkerProcesses(questions, InThread(runtime)))
        scheduler = _start_scheduler(runtime, app.client) if settings.planbot_scheduler else None
        _freeze_start_up_objects()
        try:
            if args.socket:
                _serve_socket(app, settings)
            else:
                _serve_http(app, runtime, host=args.host, port=args.port)
        finally:
            _stop(scheduler)
    finally:
        try:
            BURST.release_all()  # work held back during a burst of requests goes now
            executor.shutdown(wait=True, cancel_futures=False)  # let answers already started finish
        finally:  # even after a second Ctrl-C: the workers finish what they hold, then end
            if questions is not None:
                use(None)
                questions.close()
            runtime.engine.dispose()
    print("planbot: stopped", file=sys.stderr, flush=True)
    return 0


def _freeze_start_up_objects() -> None:
    """Keep what start-up built (Bolt, the models, SQLAlchemy's mappers) out of every later
    garbage collection. It lives as long as the process, yet a full collection walks all of it:
    about 120,000 objects and 50-65 ms on a 2-core machine, during which no request is
    acknowledged. Frozen, a full collection walks only what was made since."""
    gc.collect()
    gc.freeze()


def _create_app(runtime: Runtime, *, socket_mode: bool, executor: ThreadPoolExecutor) -> App:
    from slack_bolt.error import BoltError

    from bot.slack.app import create_app

    url = runtime.settings.slack_api_url
    try:
        return create_app(runtime, socket_mode=socket_mode, executor=executor)
    except BoltError as error:
        reason = str(error).split("auth.test result:")[-1].strip()[:200]
        raise SettingsError(f"SLACK_BOT_TOKEN: Slack at {url} refused it ({reason})") from None
    except (URLError, OSError) as error:
        raise SettingsError(f"SLACK_API_URL: cannot reach {url} ({error})") from None


def _start_scheduler(runtime: Runtime, client: WebClient) -> BackgroundScheduler:
    from bot.jobs.scheduler import start_scheduler

    return start_scheduler(runtime, client)


def _stop(scheduler: BackgroundScheduler | None) -> None:
    if scheduler is not None:
        scheduler.shutdown()  # waits for a job under way (a summary or reminder being posted)


def _raise_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _serve_http(app: App, runtime: Runtime, *, host: str, port: int) -> None:
    from bot.slack.http_server import serve_http

    def ready(address: str) -> None:
        print(f"planbot: serving {address}/slack/events", file=sys.stderr, flush=True)

    # waitress catches SystemExit in its loop, stops accepting and lets running requests finish.
    previous = signal.signal(signal.SIGTERM, _raise_exit)
    try:
        serve_http(app, runtime, host=host, port=port, on_ready=ready)
    except OSError as error:
        raise SettingsError(f"--port {port}: cannot listen on {host}:{port} ({error})") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve_socket(app: App, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    handler = SocketModeHandler(app, settings.slack_app_token)
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        handler.connect()
        print("planbot: connected to Slack by Socket Mode", file=sys.stderr, flush=True)
        stopping.wait()
    finally:
        handler.close()
        for sig, old in previous.items():
            signal.signal(sig, old)
