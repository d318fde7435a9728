"""Questions answered in worker processes, so the process that acknowledges Slack stays quick.

Answering a question is pure Python work (understanding, fuzzy search, rendering). In the same
process as the HTTP server it would hold the interpreter lock while other requests wait for their
ack. `planbot serve` therefore starts PLANBOT_ANSWER_PROCESSES worker processes (0: answer in
threads) and `bot.listeners.common.answer` hands them every question; the verbs of
commands.router (role, digest, history…) still run in the serving process, beside the Slack client.
Each worker opens its own database engine and keeps its own search index.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import Future, ProcessPoolExecutor

from bot.render import Rendered, load_renderers
from bot.runtime import Runtime
from bot.settings import Settings
from store.db import make_engine

ANSWER_TIMEOUT_SECONDS = 120

_worker_runtime: Runtime | None = None
_active: QuestionPool | None = None


def _start_worker(settings: Settings, as_of: str | None) -> None:
    global _worker_runtime
    # The serving process decides when to stop: it finishes the answers under way, then ends us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    engine = make_engine(settings.database_url)
    _worker_runtime = Runtime(settings=settings, clock=settings.clock(as_of), engine=engine)
    load_renderers()


def _ready() -> bool:
    return _worker_runtime is not None


def _answer_in_worker(
    text: str, user_id: str | None, channel_id: str | None, thread_ts: str | None
) -> Rendered:
    from bot.listeners.common import answer_here

    assert _worker_runtime is not None
    return answer_here(
        _worker_runtime, text, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts
    )


class QuestionPool:
    def __init__(self, settings: Settings, *, as_of: str | None, processes: int) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),  # no inherited threads or sockets
            initializer=_start_worker,
            initargs=(settings, as_of),
        )
        self._warming: list[Future[bool]] = [self._pool.submit(_ready) for _ in range(processes)]

    def answer(
        self, text: str, *, user_id: str | None, channel_id: str | None, thread_ts: str | None
    ) -> Rendered:
        future = self._pool.submit(_answer_in_worker, text, user_id, channel_id, thread_ts)
        return future.result(timeout=ANSWER_TIMEOUT_SECONDS)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


def active_pool() -> QuestionPool | None:
    return _active


def use_pool(pool: QuestionPool | None) -> None:
    """Make `pool` the one `bot.listeners.common.answer` sends questions to (None: threads)."""
    global _active
    _active = pool
