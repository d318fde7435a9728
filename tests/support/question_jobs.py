"""Jobs for the question workers of tests/bot/speed/test_question_pool.py.

They run in worker processes started fresh, so they live at module level and talk to the test
through files: each answered question is a line in `answered`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def no_set_up() -> None:
    """Workers of these tests need no database or Slack client."""


def record(answered: str, text: str, body: dict[str, Any]) -> None:
    """Answer `text` by writing it, with the worker's pid, as a line of `answered`."""
    with open(answered, "a", encoding="utf-8") as lines:
        lines.write(f"{text} {os.getpid()}\n")


def record_slowly(answered: str, text: str, body: dict[str, Any]) -> None:
    time.sleep(0.05)  # slower than the asker, so its pipe fills
    record(answered, text, body)


def die_once_on_crash(answered: str, text: str, body: dict[str, Any]) -> None:
    """ "crash" kills the worker the first time it is asked (a marker file remembers), "always
    crash" every time; anything else is recorded."""
    marker = Path(answered).with_suffix(".crashed")
    if text == "always crash" or (text == "crash" and not marker.exists()):
        marker.touch()
        os._exit(9)  # as if killed: no clean-up, no reply
    record(answered, text, body)


def fail_set_up() -> None:
    """A worker that cannot set up (its database gone, say)."""
    raise RuntimeError("cannot reach the database")


def fail_first_set_up(marker: str) -> None:
    """The first worker to set up fails (it creates `marker`); the rest set up."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    raise RuntimeError("cannot reach the database")


def hang_on_hang(answered: str, text: str, body: dict[str, Any]) -> None:
    """ "hang" never finishes (a question stuck in a loop); anything else is recorded."""
    if text == "hang":
        time.sleep(3600)
    record(answered, text, body)


def slow_set_up() -> None:
    """A worker slow to set up (a cold disk, a busy machine)."""
    time.sleep(2)
