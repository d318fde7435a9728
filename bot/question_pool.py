"""Questions answered in worker processes, so the process that acknowledges Slack stays quick.

Answering a question is pure Python work (understanding, fuzzy search, rendering). In the same
process as the HTTP server it holds the interpreter lock while other requests wait for their ack:
bench/bench_slack.py measured, at 50 people asking at once on two cores, a p99 ack of 129 ms and a
p99 time-to-answer of 1.2 s with questions answered in threads, against 16 ms and 0.3 s with one
worker process. `planbot serve` therefore starts PLANBOT_ANSWER_PROCESSES worker processes
(default 1; 0 answers in threads, as the console and the tests of commands do) and
`bot.listeners.common.reply` hands them every question, with where its answer goes
(bot/delivery.py); the worker answers it and sends the answer itself, with a Slack client of its
own, so the serving process only acknowledges and waits. The verbs of commands.router (role,
digest, history…) still run in the serving process.

Workers run at a lower CPU priority (nice +10) than the serving process: when the machine is busy,
an ack (which Slack needs within three seconds) goes before an answer (which can take a little
longer). On two cores, with ten people asking at once, this took planbot's p50 ack from about 3.3
ms to 1.7 ms (bench/bench_slack.py).

Each worker opens its own database engine and keeps its own search index. A worker that dies (out
of memory, killed) breaks the pool: the pool is replaced and the question asked again once, so one
crash costs one slow answer, not every answer after it (or, if it died just after sending, the
same answer twice). Workers ignore SIGINT and SIGTERM (a process manager signals the whole
group): the serving process finishes the answers under way, then closes the pool, which ends
them; if the serving process is killed outright, they notice within a second and exit.

Lower still (SCHED_IDLE, run only when a CPU has nothing else to do) made the 50-sender acks
steadier in the bench, but on a machine kept busy by other work it would leave answers waiting
indefinitely; nice +10 still gives them a share.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from slack_sdk import WebClient

from bot.delivery import Destination, deliver
from bot.render import load_renderers
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack_client import build_web_client
from store.db import make_engine

log = logging.getLogger("planbot.questions")

ANSWER_TIMEOUT_SECONDS = 120
PARENT_CHECK_SECONDS = 1.0
WORKER_NICENESS = 10

_worker_runtime: Runtime | None = None
_worker_client: WebClient | None = None
_active: QuestionPool | None = None


def _end_with_parent(parent: int) -> None:
    """Exit when the serving process is gone (killed outright, it cannot close the pool): a worker
    holds both ends of its task queue, so it would otherwise wait for work for ever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _start_worker(settings: Settings, as_of: str | None, parent: int) -> None:
    global _worker_runtime, _worker_client
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_end_with_parent, args=(parent,), daemon=True).start()
    engine = make_engine(settings.database_url)
    _worker_runtime = Runtime(settings=settings, clock=settings.clock(as_of), engine=engine)
    _worker_client = build_web_client(settings)
    load_renderers()


def _ready() -> bool:
    return _worker_runtime is not None


def _reply_in_worker(
    text: str,
    destination: Destination,
    user_id: str | None,
    channel_id: str | None,
    thread_ts: str | None,
) -> None:
    from bot.listeners.common import answer

    assert _worker_runtime is not None and _worker_client is not None
    rendered = answer(
        _worker_runtime, text, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts
    )
    deliver(_worker_runtime, _worker_client, rendered, destination)


class QuestionPool:
    """`processes` worker processes answering questions; replaced whole if one of them dies."""

    def __init__(self, settings: Settings, *, as_of: str | None, processes: int) -> None:
        self._settings, self._as_of, self._processes = settings, as_of, processes
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),  # no inherited threads or sockets
            initializer=_start_worker,
            initargs=(self._settings, self._as_of, os.getpid()),
        )
        for _ in range(self._processes):  # start every worker now, not at the first questions
            pool.submit(_ready)
        return pool

    def reply(
        self,
        text: str,
        destination: Destination,
        *,
        user_id: str | None,
        channel_id: str | None,
        thread_ts: str | None,
    ) -> None:
        """Answer `text` in a worker, which sends the answer to `destination`; returns once sent."""
        question = (text, destination, user_id, channel_id, thread_ts)
        pool = self._pool
        try:
            pool.submit(_reply_in_worker, *question).result(timeout=ANSWER_TIMEOUT_SECONDS)
            return
        except BrokenProcessPool:
            log.error("a question worker process died; starting new ones and asking again")
            self._replace(pool)
        self._pool.submit(_reply_in_worker, *question).result(timeout=ANSWER_TIMEOUT_SECONDS)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:  # another thread may have replaced it already
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._start()

    def close(self) -> None:
        """Wait for the answers under way, then end the workers."""
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=False)


def active_pool() -> QuestionPool | None:
    return _active


def use_pool(pool: QuestionPool | None) -> None:
    """Make `pool` the one `bot.listeners.common.answer` sends questions to (None: threads)."""
    global _active
    _active = pool
