"""Work after the ack starts once the HTTP response has gone to Slack, not while it is being sent.

A listener acknowledges, then hands its work to the worker threads (`after_ack` in
bot/listeners/common.py). Handed over at once, a worker thread takes the interpreter lock for its
first millisecond or so (reading the command, passing a question to the worker processes) while
the request thread still has the response to send. In HTTP mode `bot.http_server` therefore wraps
each Slack request in `hand_offs_after_response()`: hand-offs made inside it wait until the
response bytes are written, then all go, whatever happened (nothing acknowledged is dropped).
Elsewhere (Socket Mode, tests calling the app directly) `hand_off` submits at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

_held = threading.local()


def hand_off(executor: Executor, work: Callable[..., Any], *args: Any) -> None:
    """Run `work(*args)` on `executor`: now, or when this thread's response has been sent."""
    pending: list[tuple[Executor, Callable[..., Any], tuple[Any, ...]]] | None = getattr(
        _held, "pending", None
    )
    if pending is None:
        executor.submit(work, *args)
    else:
        pending.append((executor, work, args))


@contextmanager
def hand_offs_after_response() -> Iterator[None]:
    """Hold this thread's hand-offs until the block ends (the response is written), then submit
    them, even if writing failed."""
    pending: list[tuple[Executor, Callable[..., Any], tuple[Any, ...]]] = []
    _held.pending = pending
    try:
        yield
    finally:
        _held.pending = None
        for executor, work, args in pending:
            executor.submit(work, *args)
