"""Each Events API event acted on once, and acknowledged in time even when the database is not.

An event is claimed (its event_id written, store/queries/events.py) before the ack, so that a retry
or
a second process drops it. That write waits for any other writer: behind a long import on SQLite
it waited out the 10 s busy timeout, every ack was late, Slack retried, and requests queued
behind those waits (a `/plan help` was acknowledged after 9.5 s; Slack gives up at 3 s).

So the claim before the ack waits at most CLAIM_WAIT (and not at all for BUSY_FOR after one
gave up). When the database cannot answer in that time, the event is acknowledged anyway and
its work claims it first, after the ack (`claim_after_ack`, put in the request's context under
CLAIM_AFTER_ACK): work that finds the event claimed already drops it, so an event is still acted
on once. The claim after the ack keeps trying for CLAIM_PATIENCE, longer than an import holds
the database, and only then reports a failure (the person is told calmly). The other choice,
answering a failure so that Slack retries later, was not taken: Slack retries three times over
about six minutes, and disables an app's events when too many deliveries in an hour fail.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from bot.runtime import Runtime
from store.queries.events import claim_event_within

log = logging.getLogger("planbot.slack")

CLAIM_AFTER_ACK = "planbot_claim_after_ack"  # context key: () -> bool, True to go on
CLAIM_WAIT = 0.3  # seconds the ack waits for the database to claim an event
BUSY_FOR = 1.0  # seconds after a claim gave up during which the ack does not wait for another
CLAIM_PATIENCE = 120.0  # seconds work acknowledged without a claim keeps trying to claim it
_TRY_WAIT = 5.0  # seconds each try after the ack waits for the lock
_PAUSE = 1.0  # seconds between tries when the database does not answer at all


class DatabaseBusy(Exception):
    """An event acknowledged without a claim could not be claimed in CLAIM_PATIENCE."""


class ClaimsBeforeAck:
    """Claims made before the ack, each waiting at most CLAIM_WAIT. Once one had to give up, the
    database is busy: for BUSY_FOR the next ones do not wait at all, since each would wait out
    CLAIM_WAIT on a request thread, and a burst of events would queue every ack behind them."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._busy_until = 0.0  # time.monotonic()

    def claim(self, event_id: str, at: datetime) -> bool | None:
        """True for the event's first delivery, False for a repeat, None when the database could
        not say in time."""
        if time.monotonic() < self._busy_until:
            return None
        first = claim_event_within(self._runtime.engine, event_id, at, seconds=CLAIM_WAIT)
        if first is None:
            self._busy_until = time.monotonic() + BUSY_FOR
        return first


def claim_after_ack(runtime: Runtime, event_id: str, at: datetime) -> bool:
    """Claim an event already acknowledged: True when this is its first delivery. Raises
    DatabaseBusy after CLAIM_PATIENCE without an answer."""
    deadline = time.monotonic() + CLAIM_PATIENCE
    while True:
        started = time.monotonic()
        first = claim_event_within(runtime.engine, event_id, at, seconds=_TRY_WAIT)
        if first is not None:
            break
        if time.monotonic() >= deadline:
            raise DatabaseBusy(f"event {event_id}: no claim within {CLAIM_PATIENCE:.0f} s")
        time.sleep(max(0.0, _PAUSE - (time.monotonic() - started)))
    if not first:
        log.info("event %s delivered again; dropped after the ack", event_id)
    return first
