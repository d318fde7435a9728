"""Who is asking, and from where: passed to every command that may act on someone's behalf."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The person behind a request. `user_id` is a Slack user id, or None for the terminal.

    The terminal operator (console, CLI) runs the server and is treated as an admin.
    """

    user_id: str | None = None
    channel_id: str | None = None
    is_admin: bool = False
    thread_ts: str | None = None

    @property
    def is_terminal(self) -> bool:
        return self.user_id is None

    @property
    def label(self) -> str:
        return self.user_id or "terminal"


TERMINAL = Caller(is_admin=True)
