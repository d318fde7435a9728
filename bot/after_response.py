"""Work after the ack starts once the HTTP response has gone to Slack, and a burst of acks first.

A listener acknowledges, then hands its work to the worker threads (`after_ack` in
bot/listeners/common.py). Handed over at once, a worker thread takes the interpreter lock for its
first millisecond or so (reading the command, passing a question to the worker processes) while
the request thread still has the response to send. In HTTP mode `bot.http_server` therefore wraps
each Slack request in `hand_offs_after_response()`: hand-offs made inside it wait until the
response bytes are written, then all go, whatever happened (nothing acknowledged is dropped).

Many requests arriving together are a burst: answering the first ones while the rest wait for
their ack costs the rest the CPU. bench/bench_slack.py measured fifty commands arriving at once
with acks of 8-12 ms in planbot against 3-6 ms in bare Bolt, and 4-7 ms when answers started 50
ms later. So work handed off this way waits while a later request is being acknowledged or began
less than `BURST_GAP` ago, and never longer than `BURST_MAX_WAIT`; a request on its own (one
person asking) is not held at all. Elsewhere (Socket Mode, tests calling the app directly)
`hand_off` submits at once.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

BURST_GAP = 0.003  # seconds without a new request that end a burst
BURST_MAX_WAIT = 0.05  # the longest an answer waits for a burst of acks

_held = threading.local()


class Acks:
    """The requests this process is acknowledging: how many, and when the latest began."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._numbers = itertools.count(1)
        self._under_way = 0
        self._latest = 0
        self._latest_at = 0.0

    def begin(self) -> int:
        """Count a request in; its number, in order of arrival."""
        with self._changed:
            self._under_way += 1
            self._latest = next(self._numbers)
            self._latest_at = time.monotonic()
            return self._latest

    def end(self) -> None:
        with self._changed:
            self._under_way -= 1
            self._changed.notify_all()

    def wait_after(self, number: int, *, gap: float, longest: float) -> None:
        """Return once no request after `number` is under way or began within `gap` seconds, or
        after `longest` seconds whatever happens."""
        deadline = time.monotonic() + longest
        with self._changed:
            while self._latest > number:
                now = time.monotonic()
                quiet_at = self._latest_at + gap
                if (self._under_way == 0 and now >= quiet_at) or now >= deadline:
                    return
                self._changed.wait(min(deadline, max(quiet_at, now + gap / 4)) - now)


ACKS = Acks()


def hand_off(executor: Executor, work: Callable[..., Any], *args: Any) -> None:
    """Run `work(*args)` on `executor`: now, or when this thread's response has been sent."""
    pending: list[tuple[Executor, Callable[..., Any], tuple[Any, ...]]] | None = getattr(
        _held, "pending", None
    )
    if pending is None:
        executor.submit(work, *args)
    else:
        pending.append((executor, work, args))


def _after_burst(number: int, work: Callable[..., Any], *args: Any) -> None:
    ACKS.wait_after(number, gap=BURST_GAP, longest=BURST_MAX_WAIT)
    work(*args)


@contextmanager
def hand_offs_after_response() -> Iterator[None]:
    """Hold this thread's hand-offs until the block ends (the response is written), then submit
    them, even if writing failed; they start once any burst of requests after this one is
    acknowledged (at most BURST_MAX_WAIT later)."""
    pending: list[tuple[Executor, Callable[..., Any], tuple[Any, ...]]] = []
    _held.pending = pending
    number = ACKS.begin()
    try:
        yield
    finally:
        _held.pending = None
        ACKS.end()
        for executor, work, args in pending:
            executor.submit(_after_burst, number, work, *args)
