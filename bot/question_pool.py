"""Questions answered in worker processes, so the process that acknowledges Slack stays quick.

Answering a question is pure Python work (understanding, fuzzy search, rendering). In the same
process as the HTTP server it holds the interpreter lock while other requests wait for their ack:
bench/bench_slack.py measured, at 50 people asking at once on two cores, a p99 ack of 129 ms and a
p99 time-to-answer of 1.2 s with questions answered in threads, against 16 ms and 0.3 s with one
worker process. `planbot serve` therefore starts PLANBOT_ANSWER_PROCESSES worker processes
(default 1; 0 answers in threads, as the console and the tests of commands do) and
`bot.listeners.common.reply` hands them every question, with where its answer goes
(bot/delivery.py); the worker answers it and sends the answer itself, with a Slack client of its
own, and tells the person calmly if that fails. The verbs of commands.router (role, digest,
history…) still run in the serving process.

A question goes to the worker with the fewest unfinished, down a pipe of its own, and nothing comes
back: the worker counts the questions it has finished in shared memory, which the serving process
reads without waking. An answer used to come back through `concurrent.futures`, which woke two
threads of the serving process per answer just as the asker's next command might arrive; at one
sender that cost planbot's p99 ack up to 1.8x bare Bolt's (bench/bench_slack.py, README).

Workers run at a lower CPU priority (nice +10) than the serving process: when the machine is busy,
an ack (which Slack needs within three seconds) goes before an answer (which can take a little
longer). Lower still (SCHED_IDLE, run only when a CPU has nothing else to do) made the 50-sender
acks steadier in the bench, but on a machine kept busy by other work it would leave answers waiting
indefinitely; nice +10 still gives them a share.

Each worker opens its own database engine and keeps its own search index. A worker that dies (out
of memory, killed) is replaced at once: the questions it had not started go to the new one, and the
one it was answering is asked again once (twice lost, the person gets the calm line), so one crash
costs one slow answer, not every answer after it (or, if it died just after sending, the same
answer twice). Workers ignore SIGINT and SIGTERM (a process manager signals the whole group): the
serving process closes the pool once its own work is done, and each worker ends after the questions
already sent to it. If the serving process is killed outright, its end of every pipe closes and
the workers exit.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from slack_sdk import WebClient

from bot.cli_common import LOG_FORMAT
from bot.delivery import Destination, deliver
from bot.render import load_renderers
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack_client import build_web_client
from bot.slack_errors import report_failure
from store.db import make_engine

log = logging.getLogger("planbot.questions")

CLOSE_TIMEOUT_SECONDS = 120  # the longest `close` waits for a worker to finish its questions
START_RETRY_MAX_SECONDS = 60.0  # the longest wait before starting again a worker that failed to
TELL_AFTER_FAILED_STARTS = 3
WORKER_NICENESS = 10

Question = tuple[Any, ...]  # the arguments of the job, as sent down the pipe

_worker_runtime: Runtime | None = None
_worker_client: WebClient | None = None
_active: QuestionPool | None = None


def _set_up_worker(settings: Settings, as_of: str | None) -> None:
    global _worker_runtime, _worker_client
    engine = make_engine(settings.database_url)
    _worker_runtime = Runtime(settings=settings, clock=settings.clock(as_of), engine=engine)
    _worker_client = build_web_client(settings)
    load_renderers()


def _reply_in_worker(
    text: str,
    destination: Destination,
    user_id: str | None,
    channel_id: str | None,
    thread_ts: str | None,
    body: dict[str, Any],
) -> None:
    from bot.listeners.common import answer

    assert _worker_runtime is not None and _worker_client is not None
    try:
        rendered = answer(
            _worker_runtime, text, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts
        )
        deliver(_worker_runtime, _worker_client, rendered, destination)
    except Exception as error:
        report_failure(error, body, _worker_client, where="answering a question")


def _work(
    questions: Connection,
    finished: ctypes.c_ulonglong,
    ready: ctypes.c_bool,
    log_level: int,
    set_up: Callable[[], None],
    job: Callable[..., None],
) -> None:
    """A worker's life: set up, then answer each question sent until told to stop (None) or the
    serving process is gone (the pipe closes)."""
    logging.basicConfig(level=log_level, format=LOG_FORMAT)  # a fresh process logs as serve does
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    set_up()
    ready.value = True
    while True:
        try:
            question = questions.recv()
        except EOFError:
            return
        if question is None:
            return
        try:
            job(*question)
        except Exception:  # the job reports its own failures; this is a last resort
            log.exception("a question worker's job failed")
        finished.value += 1


@dataclass
class _Sent:
    question: Question
    body: dict[str, Any]  # the Slack request, to tell the person if the question is lost
    client: WebClient  # the serving process's, for the same
    number: int = 0  # the worker's count of questions sent to it, this one included
    died_answering: int = 0  # workers that died while this was the question they were on


@dataclass
class _Worker:
    process: BaseProcess
    pipe: Connection
    finished: ctypes.c_ulonglong  # shared with the worker, which counts what it has finished
    ready: ctypes.c_bool  # shared: set once the worker has set up
    sent: deque[_Sent] = field(default_factory=deque)
    count: int = 0
    replaced: bool = False
    sending: threading.Lock = field(default_factory=threading.Lock)  # numbers match pipe order

    def unfinished(self) -> int:
        done = self.finished.value
        while self.sent and self.sent[0].number <= done:
            self.sent.popleft()
        return len(self.sent)

    def take_unfinished(self) -> list[_Sent]:
        """Empty the list of questions sent and not finished (the caller holds `sending`)."""
        self.unfinished()
        taken = list(self.sent)
        self.sent.clear()
        return taken


class QuestionPool:
    """`processes` worker processes answering questions, each replaced if it dies.

    `set_up()` runs once in each worker, then `job(*arguments, body)` for each question (`body`,
    the Slack request, tells the job where to report a failure); both must be module-level
    functions (or partials of them), as workers are started fresh ("spawn"). A worker that cannot
    set up is started again after 1 s, then 2, 4… at most a minute; from the third failure in a row
    the questions waiting for it get the calm line rather than waiting on.
    """

    def __init__(
        self,
        processes: int,
        *,
        set_up: Callable[[], None],
        job: Callable[..., None] = _reply_in_worker,
    ) -> None:
        self._set_up, self._job = set_up, job
        self._context = multiprocessing.get_context("spawn")  # no inherited threads or sockets
        self._lock = threading.Lock()  # guards the list of workers; taken before `sending`
        self._closing = threading.Event()
        self._failed_starts = 0  # in a row
        self._workers = [self._start() for _ in range(processes)]
        self._watcher = threading.Thread(
            target=self._replace_the_dead, name="planbot-question-workers", daemon=True
        )
        self._watcher.start()

    def _start(self) -> _Worker:
        reader, writer = self._context.Pipe(duplex=False)
        finished = self._context.RawValue(ctypes.c_ulonglong, 0)
        ready = self._context.RawValue(ctypes.c_bool, False)
        level = logging.getLogger().getEffectiveLevel()
        process = self._context.Process(
            target=_work,
            args=(reader, finished, ready, level, self._set_up, self._job),
            name="planbot-question-worker",
            daemon=True,
        )
        process.start()
        reader.close()  # the worker's end: once it has gone, sending to it fails at once
        return _Worker(process, writer, finished, ready)

    def reply(self, *arguments: Any, body: dict[str, Any], client: WebClient) -> None:
        """Hand a question to the worker with the fewest unfinished; returns once it is on its way.
        If it is lost (workers die answering it twice, or cannot start), the person hears so
        through `client`."""
        self._hand(_Sent((*arguments, body), body, client))

    def _hand(self, sent: _Sent) -> None:
        while True:
            with self._lock:
                if self._closing.is_set():
                    raise RuntimeError("the question workers are stopping")
                worker = min(self._workers, key=_Worker.unfinished)
            with worker.sending:
                if worker.replaced:  # it died while this thread chose it: choose again
                    continue
                worker.count += 1
                sent.number = worker.count
                worker.sent.append(sent)
                # If it has just died, the watcher hands its unfinished questions on.
                with contextlib.suppress(OSError):
                    worker.pipe.send(sent.question)
                return

    def _replace_the_dead(self) -> None:
        while not self._closing.is_set():
            with self._lock:
                alive = {worker.process.sentinel: worker for worker in self._workers}
            for sentinel in wait(list(alive)):
                self._replace(alive[sentinel])  # type: ignore[index]

    def _replace(self, dead: _Worker) -> None:
        if self._closing.is_set():
            return
        code = dead.process.exitcode
        if dead.ready.value:
            self._failed_starts = 0
            log.error("a question worker process died (exit code %s); starting a new one", code)
        else:
            self._failed_starts += 1
            delay = min(START_RETRY_MAX_SECONDS, 2.0 ** (self._failed_starts - 1))
            log.error(
                "a question worker process could not start (exit code %s, its error is above); "
                "trying again in %.0f s",
                code,
                delay,
            )
            if self._failed_starts >= TELL_AFTER_FAILED_STARTS:
                with self._lock, dead.sending:  # the lock: no `_hand` is tidying `dead.sent`
                    waiting = dead.take_unfinished()
                self._tell_lost(waiting, "no question worker could start")
            if self._closing.wait(delay):
                return
        with self._lock:
            if self._closing.is_set():
                return
            self._workers[self._workers.index(dead)] = self._start()
            with dead.sending:
                dead.replaced = True
                unfinished = dead.take_unfinished()
        dead.pipe.close()
        dead.process.join()
        dead.process.close()
        if unfinished and dead.ready.value:  # the first was being answered when it died
            unfinished[0].died_answering += 1
        for sent in unfinished:
            try:
                if sent.died_answering >= 2:
                    raise RuntimeError("question workers died twice while answering it")
                self._hand(sent)
            except RuntimeError as error:  # that, or the pool is closing
                self._tell_lost([sent], str(error))

    @staticmethod
    def _tell_lost(lost: list[_Sent], why: str) -> None:
        for sent in lost:
            report_failure(RuntimeError(why), sent.body, sent.client, where="answering a question")

    def close(self) -> None:
        """Let each worker finish the questions sent to it, then end it. Questions a worker could
        not finish (it died, or did not start) get the calm line."""
        with self._lock:
            self._closing.set()
            workers = list(self._workers)
        for worker in workers:
            with worker.sending, contextlib.suppress(OSError):
                worker.pipe.send(None)
        for worker in workers:
            worker.process.join(CLOSE_TIMEOUT_SECONDS)
            if worker.process.is_alive():
                log.error("a question worker did not finish within %ss", CLOSE_TIMEOUT_SECONDS)
                worker.process.kill()
                worker.process.join()
            worker.pipe.close()
            with worker.sending:
                self._tell_lost(worker.take_unfinished(), "the question workers stopped first")


def start_question_pool(settings: Settings, *, as_of: str | None, processes: int) -> QuestionPool:
    """The pool `planbot serve` uses: each worker with its own engine, search index and client."""
    return QuestionPool(processes, set_up=partial(_set_up_worker, settings, as_of))


def active_pool() -> QuestionPool | None:
    return _active


def use_pool(pool: QuestionPool | None) -> None:
    """Make `pool` the one `bot.listeners.common.reply` sends questions to (None: threads)."""
    global _active
    _active = pool
