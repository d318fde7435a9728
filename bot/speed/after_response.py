"""Work after the ack starts once the HTTP response has gone to Slack, and a burst of acks first.

A listener acknowledges, then hands its work to the worker threads (`after_ack` in
bot/slack/listeners/common.py). Handed over at once, a worker thread takes the interpreter lock for
its
first millisecond or so (reading the command, passing a question to the worker processes) while
the request thread still has the response to send. In HTTP mode `bot.slack.http_server` therefore
wraps
each Slack request in `hand_offs_after_response()`: hand-offs made inside it wait until the
response bytes are written, then go, whatever happened (nothing acknowledged is dropped).

Many requests arriving together are a burst: answering the first ones while the rest wait for their
ack costs the rest the CPU. So the work is held by `BURST` until no request has begun for
`BURST_GAP` and none is being acknowledged, and never longer than `BURST_MAX_WAIT`; one thread
releases it, so waiting costs the acks nothing. A request on its own waits the gap too: a burst's
first request cannot tell it is one, and answering it at once cost the rest of the burst.
`bench/bench_slack.py --bursts 50 --rounds 3` (fifty commands sent at once to an idle app) measured
planbot's ack p50 / p99 at 15.6 / 33.2 ms against bare Bolt's 7.3 / 20.9 when a lone request's
answer went at once, and 6.3 / 17.3 against 5.7 / 19.8 when it waited; a person asking alone gets
the answer about 3 ms later. Elsewhere (Socket Mode, tests calling the app directly) `hand_off`
submits at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("planbot.slack")

BURST_GAP = 0.003  # seconds without a new request that end a burst
BURST_MAX_WAIT = 0.05  # the longest work waits for a burst of acks

_held = threading.local()


Quick = Callable[..., bool]  # does the work at once if it can without waiting; whether it did


@dataclass(frozen=True)
class _Work:
    executor: Executor
    work: Callable[..., Any]
    args: tuple[Any, ...]
    quick: Quick | None = None

    def submit(self) -> None:
        """`quick` here and now when it can do the work (a question handed to a worker process
        without waiting), saving a hop to a worker thread; otherwise the work on `executor`."""
        if self.quick is not None:
            try:
                if self.quick(*self.args):
                    return
            except Exception:
                log.warning(
                    "handing the work over at once failed; a worker thread does it", exc_info=True
                )
        self.executor.submit(self.work, *self.args)


class BurstGate:
    """Counts the requests being acknowledged and holds work handed off during a burst."""

    def __init__(self, *, gap: float = BURST_GAP, longest: float = BURST_MAX_WAIT) -> None:
        self._gap, self._longest = gap, longest
        self._changed = threading.Condition()
        self._under_way = 0
        self._latest_at = 0.0
        self._held: list[tuple[float, _Work]] = []
        self._releaser: threading.Thread | None = None

    def begin(self) -> None:
        """Count a request in."""
        with self._changed:
            self._under_way += 1
            self._latest_at = time.monotonic()

    def end(self) -> None:
        with self._changed:
            self._under_way -= 1

    def release_after(self, work: list[_Work]) -> None:
        """Hold a request's work for the releasing thread, which submits it once
        requests have paused (or BURST_MAX_WAIT after it was held)."""
        if not work:
            return
        with self._changed:
            first = not self._held
            now = time.monotonic()
            self._held.extend((now, one) for one in work)
            if self._releaser is None:
                self._releaser = threading.Thread(
                    target=self._release_when_quiet, name="planbot-burst", daemon=True
                )
                self._releaser.start()
            if first:
                # Only the first needs the releaser awake: while it holds work it wakes at its own
                # deadline and reads the latest arrival then. Waking it for each request of a
                # burst cost the acks a thread switch each.
                self._changed.notify()

    def release_all(self) -> None:
        """Submit everything held now (the process is stopping)."""
        with self._changed:
            taken, self._held = self._held, []
        for _, one in taken:
            one.submit()

    def _release_when_quiet(self) -> None:
        while True:
            with self._changed:
                while not self._held:
                    self._changed.wait()
                now = time.monotonic()
                quiet_at = self._latest_at + self._gap
                if self._under_way:  # a request is being acknowledged: look again a gap later
                    quiet_at = max(quiet_at, now + self._gap)
                release_at = min(quiet_at, self._held[0][0] + self._longest)
                if now < release_at:
                    self._changed.wait(release_at - now)
                    continue
                taken, self._held = self._held, []
            for _, one in taken:
                one.submit()


BURST = BurstGate()


def hand_off(
    executor: Executor, work: Callable[..., Any], *args: Any, quick: Quick | None = None
) -> None:
    """Run `work(*args)` on `executor` (or `quick(*args)` here, if it can do it at once): now,
    or when this thread's response has been sent."""
    one = _Work(executor, work, args, quick)
    pending: list[_Work] | None = getattr(_held, "pending", None)
    if pending is None:
        one.submit()
    else:
        pending.append(one)


@contextmanager
def hand_offs_after_response(gate: BurstGate = BURST) -> Iterator[None]:
    """Hold this thread's hand-offs until the block ends (the response is written), then hand
    them to `gate`, even if writing failed: they go once requests have paused for BURST_GAP (at
    most BURST_MAX_WAIT later)."""
    pending: list[_Work] = []
    _held.pending = pending
    gate.begin()
    try:
        yield
    finally:
        _held.pending = None
        gate.end()
        gate.release_after(pending)
