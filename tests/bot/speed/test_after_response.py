"""Work handed off after the ack starts once the HTTP response is written, and is never lost."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.speed.after_response import BurstGate, hand_off, hand_offs_after_response


def test_work_waits_for_the_response_then_runs() -> None:
    ran = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with hand_offs_after_response():
            hand_off(executor, ran.set)
            assert not ran.wait(0.05), "work started before the response was written"
        assert ran.wait(5)


def test_work_runs_even_when_writing_the_response_fails() -> None:
    ran = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with pytest.raises(ConnectionResetError), hand_offs_after_response():
            hand_off(executor, ran.set)
            raise ConnectionResetError("Slack hung up")
        assert ran.wait(5)


def test_without_a_response_to_wait_for_work_starts_at_once() -> None:
    ran = threading.Event()
    with ThreadPoolExecutor(1) as executor:
        hand_off(executor, ran.set)
        assert ran.wait(5)


def test_a_request_on_its_own_waits_only_for_the_gap() -> None:
    """A burst's first request cannot tell it is one, so even a lone request's work waits until
    no other has begun for the gap; then it goes."""
    gate, ran = BurstGate(gap=0.2, longest=30), threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with hand_offs_after_response(gate):
            hand_off(executor, ran.set)
        done = time.monotonic()
        assert not ran.wait(0.1), "work went before the gap had passed"
        assert ran.wait(5)
        assert time.monotonic() - done >= 0.15


class LaterRequest:
    """A second request that has arrived and is being acknowledged until `finish()`."""

    def __init__(self, gate: BurstGate) -> None:
        self._began, self._may_end = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, args=(gate,))
        self._thread.start()
        assert self._began.wait(5)

    def _run(self, gate: BurstGate) -> None:
        with hand_offs_after_response(gate):
            self._began.set()
            self._may_end.wait(10)

    def finish(self) -> None:
        self._may_end.set()
        self._thread.join()


def test_work_waits_while_a_later_request_is_acknowledged_then_goes() -> None:
    gate, ran = BurstGate(gap=0.01, longest=30), threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with hand_offs_after_response(gate):
            hand_off(executor, ran.set)
            later = LaterRequest(gate)
        assert not ran.wait(0.3), "the answer started while a later ack was under way"
        later.finish()
        assert ran.wait(5)


def test_a_burst_that_never_ends_holds_work_no_longer_than_the_limit() -> None:
    gate, ran = BurstGate(gap=0.01, longest=0.2), threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with hand_offs_after_response(gate):
            hand_off(executor, ran.set)
            later = LaterRequest(gate)  # still being acknowledged throughout
        started = time.monotonic()
        assert ran.wait(5)
        assert time.monotonic() - started >= 0.15
        later.finish()


def test_work_held_for_a_burst_is_sent_at_once_when_the_process_stops() -> None:
    gate, ran = BurstGate(gap=30, longest=30), threading.Event()
    with ThreadPoolExecutor(1) as executor:
        with hand_offs_after_response(gate):
            hand_off(executor, ran.set)
            later = LaterRequest(gate)
        assert not ran.wait(0.1)
        gate.release_all()
        assert ran.wait(5)
        later.finish()


def test_quick_work_runs_here_after_the_response_and_the_rest_on_a_worker_thread() -> None:
    """A hand-off with `quick` is done by the gate's releasing thread once the response is
    written and requests have paused, when quick can do it; when quick declines, or fails, the
    work goes to the executor as before."""
    done_here: list[str] = []
    on_worker = threading.Event()

    def quick(name: str) -> bool:
        if name == "broken":
            raise RuntimeError("quick failed")
        done_here.append(f"{name} in {threading.current_thread().name}")
        return name == "quick"

    with ThreadPoolExecutor(1, thread_name_prefix="worker") as executor:
        with hand_offs_after_response():
            hand_off(executor, lambda name: on_worker.set(), "quick", quick=quick)
            time.sleep(0.05)
            assert done_here == []  # not before the response
        deadline = time.monotonic() + 5
        while not done_here and time.monotonic() < deadline:
            time.sleep(0.005)
        assert done_here == ["quick in planbot-burst"]
        assert not on_worker.wait(0.1)
        for name in ("declined", "broken"):
            on_worker.clear()
            hand_off(executor, lambda name: on_worker.set(), name, quick=quick)
            assert on_worker.wait(5), name  # nothing is lost
