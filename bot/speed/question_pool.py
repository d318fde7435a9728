"""Questions answered in worker processes, so the process that acknowledges Slack stays quick.

Answering a question is pure Python work (understanding, fuzzy search, rendering). In the same
process as the HTTP server it holds the interpreter lock while other requests wait for their ack:
bench/bench_slack.py measured, at 50 people asking at once on two cores, a p99 ack of 129 ms and a
p99 time-to-answer of 1.2 s with questions answered in threads, against 16 ms and 0.3 s with one
worker process. `planbot serve` therefore starts PLANBOT_ANSWER_PROCESSES worker processes
(default 1; 0 answers in threads, as the console and the tests of commands do) and installs
`WorkerProcesses` as the listeners' answerer (bot/answering.py), which hands them every question
with where its answer goes (bot/posting/delivery.py); the worker answers it and sends the answer
itself, with a Slack client of its own, and tells the person calmly if that fails. The verbs of
commands.router (role, digest, history…) still run in the serving process.

A question goes to the worker with the fewest unfinished, down a pipe of its own, and nothing comes
back: the worker counts the questions it has finished in shared memory, which the serving process
reads without waking. An answer used to come back through `concurrent.futures`, which woke two
threads of the serving process per answer just as the asker's next command might arrive; at one
sender that cost planbot's p99 ack up to 1.8x bare Bolt's (bench/bench_slack.py,
docs/performance.md).

Workers run at a lower CPU priority (nice +10) than the serving process: when the machine is busy,
an ack (which Slack needs within three seconds) goes before an answer (which can take a little
longer). Lower still (SCHED_IDLE, run only when a CPU has nothing else to do) made the 50-sender
acks steadier in the bench, but on a machine kept busy by other work it would leave answers waiting
indefinitely; nice +10 still gives them a share.

Each worker opens its own database engine and keeps its own search index. A worker that dies (out of
memory, killed) is replaced at once: the questions it had not started go to the other workers (or
its replacement), and the one it was answering is asked again once (twice lost, the person gets the
calm line), so one crash costs one slow answer, not every answer after it (or, if it died just after
sending, the same answer twice). One stuck on a question for two minutes is killed and replaced, and
that question's asker gets the calm line: asked again, it would most likely hang again, and every
question queued behind it would wait as long. Workers ignore SIGINT and SIGTERM (a process manager
signals the whole group): the serving process closes the pool once its own work is done, and each
worker ends after the questions already sent to it. If the serving process is killed outright, its
end of every pipe closes and the workers exit.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from typing import Any

from slack_sdk import WebClient

from bot.answering import Asked, InThread
from bot.conversation import respond
from bot.posting.delivery import Destination, deliver
from bot.runtime import Runtime
from bot.settings import LOG_FORMAT, Settings
from bot.slack.client import build_web_client
from bot.slack.errors import report_failure
from commands.router import split_verb
from store.db import make_engine

log = logging.getLogger("planbot.questions")

ANSWER_TIMEOUT_SECONDS = 120  # a worker this long on one question is stopped and replaced
CLOSE_TIMEOUT_SECONDS = 120  # the longest `close` waits for a worker to finish its questions
WATCH_SECONDS = 5.0  # how often the watcher looks for a stuck worker
FRAME_BYTES = 4  # Connection.send_bytes writes a length before each message
PIPE_PAGE = 4096  # a pipe's buffers are pages
PIPE_MARGIN_PAGES = 2  # pages of a pipe reply_now leaves unused
START_RETRY_MAX_SECONDS = 60.0  # the longest wait before starting again a worker that failed to
TELL_AFTER_FAILED_STARTS = 3
WORKER_NICENESS = 10

_worker_runtime: Runtime | None = None
_worker_client: WebClient | None = None


def _set_up_worker(settings: Settings, as_of: str | None) -> None:
    global _worker_runtime, _worker_client
    engine = make_engine(settings.database_url)
    _worker_runtime = Runtime(settings=settings, clock=settings.clock(as_of), engine=engine)
    _worker_client = build_web_client(settings)


def _reply_in_worker(
    text: str,
    destination: Destination,
    user_id: str | None,
    channel_id: str | None,
    thread_ts: str | None,
    body: dict[str, Any],
) -> None:
    assert _worker_runtime is not None and _worker_client is not None
    try:
        rendered = respond(
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
    """A worker's life: set up, then answer each question sent until the pipe closes (the pool
    is closing, or the serving process is gone) and it has answered every question in it."""
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
        try:
            job(*question)
        except Exception:  # the job reports its own failures; this is a last resort
            log.exception("a question worker's job failed")
        finished.value += 1


@dataclass
class _Sent:
    data: bytes  # the question, pickled once, as it goes down a pipe
    body: dict[str, Any]  # the Slack request, to tell the person if the question is lost
    client: WebClient  # the serving process's, for the same
    number: int = 0  # the worker's count of questions sent to it, this one included
    delivered: bool = False  # written to the worker's pipe
    died_answering: int = 0  # workers that died while this was the question they were on
    stuck: bool = False  # a worker was stopped for taking too long on it: not asked again


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    pipe: Connection
    finished: ctypes.c_ulonglong  # shared with the worker, which counts what it has finished
    ready: ctypes.c_bool  # shared: set once the worker has set up
    failed_starts: int  # workers in a row that could not start before this one
    room: int = 0  # pages its pipe takes without blocking the writer, less a margin
    sent: deque[_Sent] = field(default_factory=deque)
    count: int = 0
    gone: bool = False  # dead or closed: choose another
    sending: threading.Lock = field(default_factory=threading.Lock)  # numbers match pipe order
    # (finished, when last seen to change), for the watchdog
    progress: tuple[int, float] = field(default_factory=lambda: (0, time.monotonic()))

    def unfinished(self) -> int:
        done = self.finished.value
        while self.sent and self.sent[0].number <= done:
            self.sent.popleft()
        return len(self.sent)

    def load(self) -> tuple[bool, int]:
        """For choosing a worker: one that has set up first, then the fewest unfinished."""
        return (not self.ready.value, self.unfinished())

    def pages_with(self, size: int) -> int:
        """At most how many pages of its pipe the questions not finished (the one being
        answered included) and one more of `size` bytes take. Linux packs a write into the
        pipe's last page only if it fits whole, so a page holds at least a page less the
        largest write, plus one byte. The caller holds the pool's lock and `sending`."""
        self.unfinished()
        sizes = [len(sent.data) + FRAME_BYTES for sent in self.sent] + [size + FRAME_BYTES]
        largest = max(sizes)
        if largest >= PIPE_PAGE:
            return 1 << 30  # a question this long waits on a worker thread
        return -(-sum(sizes) // (PIPE_PAGE - largest + 1))

    def take_unfinished(self) -> list[_Sent]:
        """Empty the list of questions sent and not finished (the caller holds `sending`)."""
        self.unfinished()
        taken = list(self.sent)
        self.sent.clear()
        return taken


def _pipe_room(pipe: Connection) -> int:
    """How many pages `pipe` holds before a write blocks, less a margin; 0 where the size cannot
    be read (not Linux), so that nothing is written where it might block."""
    try:
        import fcntl

        size = int(fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ))
    except (ImportError, AttributeError, OSError):
        return 0
    return max(0, size // PIPE_PAGE - PIPE_MARGIN_PAGES)


def _retry_delay(failed_starts: int) -> float:
    return min(START_RETRY_MAX_SECONDS, 2.0 ** (failed_starts - 1)) if failed_starts else 0.0


class QuestionPool:
    """`processes` worker processes answering questions, each replaced if it dies.

    `set_up()` runs once in each worker, then `job(*arguments, body)` for each question (`body`,
    the Slack request, tells the job where to report a failure); both must be module-level
    functions (or partials of them), as workers are started fresh ("spawn").

    One thread, the watcher, looks after the workers. A worker that dies is taken out of use at
    once and its questions go to the others, or wait if there are none; a new one starts at once,
    or, if the dead one never finished setting up, after 1 s, then 2, 4… at most a minute, and
    from the third such failure in a row the questions waiting for a worker get the calm line. A
    worker that has spent `answer_timeout` seconds on one question is killed, and so replaced.
    """

    def __init__(
        self,
        processes: int,
        *,
        set_up: Callable[[], None],
        job: Callable[..., None] = _reply_in_worker,
        answer_timeout: float = ANSWER_TIMEOUT_SECONDS,
    ) -> None:
        self._set_up, self._job = set_up, job
        self._answer_timeout = answer_timeout
        self._context = multiprocessing.get_context("spawn")  # no inherited threads or sockets
        self._lock = threading.Lock()  # guards what follows; taken before any worker's `sending`
        self._closing = False
        self._waiting: deque[_Sent] = deque()  # questions with no worker to go to
        self._restarts: list[tuple[float, int]] = []  # (when, failed starts in a row so far)
        self._workers = [self._start(0) for _ in range(processes)]
        self._wake, self._waker = multiprocessing.Pipe(duplex=False)
        self._watcher = threading.Thread(
            target=self._watch, name="planbot-question-workers", daemon=True
        )
        self._watcher.start()
        atexit.register(self._let_go)

    def _start(self, failed_starts: int) -> _Worker:
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
        return _Worker(process, writer, finished, ready, failed_starts, _pipe_room(writer))

    def reply(self, *arguments: Any, body: dict[str, Any], client: WebClient) -> None:
        """Hand a question to the worker with the fewest unfinished; returns once it is on its way.
        If it is lost (workers die answering it twice, or none can start), the person hears so
        through `client`."""
        data = bytes(ForkingPickler.dumps((*arguments, body)))  # before numbering: may fail
        self._hand(_Sent(data, body, client))

    def reply_now(self, *arguments: Any, body: dict[str, Any], client: WebClient) -> bool:
        """`reply`, but only if it cannot wait: a worker has set up, nobody else is writing to
        it, and its pipe has room, so the write cannot block. False (nothing sent) otherwise;
        the caller then hands the question to `reply` on a thread that may wait.

        The burst gate's releasing thread calls this once requests have paused
        (bot/speed/after_response.py): one hop to a worker thread less per question."""
        data = bytes(ForkingPickler.dumps((*arguments, body)))
        with self._lock:
            if self._closing or not self._workers:
                return False
            worker = min(self._workers, key=_Worker.load)
            if not worker.ready.value or not worker.sending.acquire(blocking=False):
                return False
            if worker.gone or worker.pages_with(len(data)) > worker.room:
                worker.sending.release()
                return False
        try:
            self._send(worker, _Sent(data, body, client))
        finally:
            worker.sending.release()
        return True

    def _hand(self, sent: _Sent) -> None:
        while True:
            with self._lock:
                if self._closing:
                    raise RuntimeError("the question workers are stopping")
                if not self._workers:
                    self._waiting.append(sent)
                    return
                worker = min(self._workers, key=_Worker.load)
            with worker.sending:
                if worker.gone:  # it died while this thread chose it: choose again
                    continue
                self._send(worker, sent)
                return

    @staticmethod
    def _send(worker: _Worker, sent: _Sent) -> None:
        """Number `sent` and write it to the worker's pipe; the caller holds `worker.sending`."""
        worker.count += 1
        sent.number, sent.delivered = worker.count, False
        worker.sent.append(sent)
        # If it has just died, the watcher hands its unfinished questions on.
        with contextlib.suppress(OSError):
            worker.pipe.send_bytes(sent.data)
            sent.delivered = True

    def _watch(self) -> None:
        interval = min(WATCH_SECONDS, self._answer_timeout / 4)
        while True:
            with self._lock:
                if self._closing:
                    return
                alive = {worker.process.sentinel: worker for worker in self._workers}
                soonest = min((when for when, _ in self._restarts), default=None)
            timeout = interval
            if soonest is not None:
                timeout = max(0.0, min(timeout, soonest - time.monotonic()))
            try:
                for ready in wait([*alive, self._wake], timeout):
                    if ready is not self._wake:
                        self._take_out(alive[ready])  # type: ignore[index]
                self._start_due()
                self._stop_stuck()
            except Exception:  # the watcher must outlive any one mishap
                log.exception("looking after the question workers failed; going on")
                time.sleep(interval)

    def _take_out(self, dead: _Worker) -> None:
        """Replace a worker that has died, and pass its questions on."""
        with self._lock:
            self._workers.remove(dead)
            with dead.sending:
                dead.gone = True
                unfinished = dead.take_unfinished()
            started = bool(dead.ready.value)
            failed_starts = 0 if started else dead.failed_starts + 1
            self._restarts.append((time.monotonic() + _retry_delay(failed_starts), failed_starts))
        dead.process.join()
        dead.pipe.close()
        code = dead.process.exitcode
        if started:
            log.error("a question worker process died (exit code %s); starting a new one", code)
        else:
            log.error(
                "a question worker process could not start (exit code %s, its error is above); "
                "trying again in %.0f s",
                code,
                _retry_delay(failed_starts),
            )
        if started and unfinished and unfinished[0].delivered:  # it was answering this one
            unfinished[0].died_answering += 1
        self._hand_on_later(unfinished, "question workers died twice while answering it")
        self._give_up_if_none_can_start()

    def _hand_on_later(self, questions: list[_Sent], why_lost: str) -> None:
        """Hand `questions` on from a thread of their own: a full pipe must not stop the watcher,
        which is what kills a stuck worker and so empties it."""
        if questions:
            threading.Thread(
                target=self._hand_on, args=(questions, why_lost), name="planbot-hand-on"
            ).start()

    def _hand_on(self, questions: list[_Sent], why_lost: str) -> None:
        for sent in questions:
            try:
                if sent.stuck:
                    raise RuntimeError(f"answering it took over {self._answer_timeout:.0f} s")
                if sent.died_answering >= 2:
                    raise RuntimeError(why_lost)
                self._hand(sent)
            except RuntimeError as error:  # that, or the pool is closing
                self._tell_lost([sent], str(error))

    def _start_due(self) -> None:
        now = time.monotonic()
        with self._lock:
            due = [restart for restart in self._restarts if restart[0] <= now]
            if not due or self._closing:
                return
            self._restarts = [restart for restart in self._restarts if restart[0] > now]
            for _, failed_starts in due:
                try:
                    self._workers.append(self._start(failed_starts))
                except Exception:
                    log.exception("could not start a question worker process")
                    again = failed_starts + 1
                    self._restarts.append((now + _retry_delay(again), again))
            waiting: list[_Sent] = []
            if self._workers:
                waiting, self._waiting = list(self._waiting), deque()
        self._give_up_if_none_can_start()
        self._hand_on_later(waiting, "no question worker could start")

    def _give_up_if_none_can_start(self) -> None:
        """With no worker alive and every restart to come after a third failure in a row, the
        questions waiting get the calm line rather than wait on."""
        stranded: list[_Sent] = []
        with self._lock:
            failures = min((failed for _, failed in self._restarts), default=0)
            if not self._workers and failures >= TELL_AFTER_FAILED_STARTS:
                stranded, self._waiting = list(self._waiting), deque()
        self._tell_lost(stranded, "no question worker could start")

    def _stop_stuck(self) -> None:
        now = time.monotonic()
        with self._lock:
            for worker in self._workers:
                done = worker.finished.value
                setting_up = not worker.ready.value  # its own errors end it; it is not stuck
                if setting_up or not worker.unfinished() or done != worker.progress[0]:
                    worker.progress = (done, now)
                elif now - worker.progress[1] > self._answer_timeout:
                    log.error(
                        "a question worker spent over %.0f s on one question; stopping it",
                        self._answer_timeout,
                    )
                    # A question that hung once most likely hangs again, and everyone queued
                    # behind it would wait as long: its asker is told instead.
                    worker.sent[0].stuck = True
                    worker.process.kill()  # the watcher then replaces it
                    worker.progress = (done, now)

    @staticmethod
    def _tell_lost(lost: list[_Sent], why: str) -> None:
        for sent in lost:
            report_failure(RuntimeError(why), sent.body, sent.client, where="answering a question")

    def close(self) -> None:
        """Let each worker finish the questions sent to it, then end it. Questions a worker could
        not finish (it died, or never started) get the calm line."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
        self._waker.send_bytes(b"stop")
        self._watcher.join()
        workers, lost = list(self._workers), list(self._waiting)
        for worker in workers:
            with worker.sending:  # closing the pipe is the signal: the worker ends once it is empty
                worker.gone = True
                worker.pipe.close()
        deadline = time.monotonic() + CLOSE_TIMEOUT_SECONDS  # for them all, not each
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                log.error("a question worker did not finish within %ss", CLOSE_TIMEOUT_SECONDS)
                worker.process.kill()
                worker.process.join()
            with worker.sending:
                lost += worker.take_unfinished()
        self._tell_lost(lost, "the question workers stopped first")
        self._wake.close()
        self._waker.close()
        atexit.unregister(self._let_go)

    def _let_go(self) -> None:
        """At exit without `close` (a second Ctrl-C during shutdown): close every pipe, so each
        worker ends once it has answered what it holds, instead of keeping the exit waiting."""
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.pipe.close()


def start_question_pool(settings: Settings, *, as_of: str | None, processes: int) -> QuestionPool:
    """The pool `planbot serve` uses: each worker with its own engine, search index and client."""
    return QuestionPool(processes, set_up=partial(_set_up_worker, settings, as_of))


@dataclass(frozen=True)
class WorkerProcesses:
    """The `bot.answering.Answerer` that sends questions to `pool`; a verb (role, digest…) is
    answered in the calling thread, as it may write and is rarely asked in a burst."""

    pool: QuestionPool
    in_thread: InThread

    def _is_question(self, asked: Asked) -> bool:
        return split_verb(asked.text)[0] is None

    def answer(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> None:
        if not self._is_question(asked):
            self.in_thread.answer(asked, body=body, client=client)
            return
        self.pool.reply(*_arguments(asked), body=body, client=client)

    def answer_now(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> bool:
        return self._is_question(asked) and self.pool.reply_now(
            *_arguments(asked), body=body, client=client
        )


def _arguments(asked: Asked) -> tuple[Any, ...]:
    return (asked.text, asked.destination, asked.user_id, asked.channel_id, asked.thread_ts)
