"""Work handed off after the ack starts once the HTTP response is written, and is never lost."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.after_response import Acks, hand_off, hand_offs_after_response


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


def test_a_request_on_its_own_is_not_held_for_a_burst() -> None:
    acks = Acks()
    number = acks.begin()
    acks.end()
    started = time.monotonic()
    acks.wait_after(number, gap=30, longest=30)
    assert time.monotonic() - started < 5


def test_work_waits_while_a_later_request_is_acknowledged_then_goes() -> None:
    acks = Acks()
    first = acks.begin()
    acks.end()
    acks.begin()  # a second request arrives and is being acknowledged
    done = threading.Event()
    waiter = threading.Thread(
        target=lambda: (acks.wait_after(first, gap=0.01, longest=30), done.set())
    )
    waiter.start()
    assert not done.wait(0.3), "the first answer started while the second ack was under way"
    acks.end()
    assert done.wait(5)
    waiter.join()


def test_a_burst_that_never_ends_holds_work_no_longer_than_the_limit() -> None:
    acks = Acks()
    first = acks.begin()
    acks.end()
    acks.begin()  # never ends
    started = time.monotonic()
    acks.wait_after(first, gap=0.01, longest=0.2)
    assert 0.2 <= time.monotonic() - started < 5


def test_work_handed_off_in_a_burst_starts_once_the_burst_is_acknowledged() -> None:
    ran = threading.Event()
    second_began, second_may_end = threading.Event(), threading.Event()

    def second_request() -> None:
        with hand_offs_after_response():
            second_began.set()
            second_may_end.wait(5)

    with ThreadPoolExecutor(2) as executor:
        with hand_offs_after_response():
            hand_off(executor, ran.set)
            later = threading.Thread(target=second_request)
            later.start()
            assert second_began.wait(5)
        assert not ran.wait(0.03), "the answer started while a later ack was under way"
        second_may_end.set()
        later.join()
        assert ran.wait(5)
