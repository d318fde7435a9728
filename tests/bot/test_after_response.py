"""Work handed off after the ack starts once the HTTP response is written, and is never lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.after_response import hand_off, hand_offs_after_response


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
