"""Where a question from Slack is answered and its answer sent: one small interface, two ways.

`InThread` answers in the thread that calls it and needs nothing else; it is what the console,
Socket Mode, the tests and `PLANBOT_ANSWER_PROCESSES=0` use. `planbot serve` may instead install
the question worker processes of bot/speed/ (`use`), which exist only so that a busy serving
process keeps its CPU for acknowledgements; listeners cannot tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk import WebClient

from bot.conversation import respond
from bot.posting.delivery import Destination, deliver
from bot.runtime import Runtime


@dataclass(frozen=True)
class Asked:
    """A line of text to answer (already through `to_command_text`), where the answer goes, and
    who asked where."""

    text: str
    destination: Destination
    user_id: str | None
    channel_id: str | None
    thread_ts: str | None = None


class Answerer(Protocol):
    def answer(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> None:
        """Answer `asked` and send the answer; may wait. `body` is the Slack request, to tell the
        person if answering fails."""

    def answer_now(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> bool:
        """Hand `asked` on here and now if that cannot wait, saving a hop to a worker thread;
        False when it must go through `answer` instead."""


@dataclass(frozen=True)
class InThread:
    """Answer in the calling thread: route, render, send."""

    runtime: Runtime

    def answer(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> None:
        rendered = respond(
            self.runtime,
            asked.text,
            user_id=asked.user_id,
            channel_id=asked.channel_id,
            thread_ts=asked.thread_ts,
        )
        deliver(self.runtime, client, rendered, asked.destination)

    def answer_now(self, asked: Asked, *, body: dict[str, Any], client: WebClient) -> bool:
        return False  # answering may take milliseconds: never on the thread that acknowledges


_installed: Answerer | None = None


def use(answerer: Answerer | None) -> None:
    """Make `answerer` the one every listener uses in this process (None: `InThread`)."""
    global _installed
    _installed = answerer


def answerer_for(runtime: Runtime) -> Answerer:
    """The answerer `planbot serve` installed, or one answering in the calling thread."""
    return _installed if _installed is not None else InThread(runtime)
