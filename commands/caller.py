"""Who is asking, and from where: passed to every command that may act on someone's behalf."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The person behind a request: a Slack user (`user_id`), the terminal operator, or nobody.

    The terminal operator (console, CLI) runs the server and is an admin: a kind of caller of its
    own (`TERMINAL`), never read into a missing id. A request from Slack that names no user
    comes from nobody, who holds no role and may change nothing.
    """

    user_id: str | None = None
    channel_id: str | None = None
    is_admin: bool = False
    thread_ts: str | None = None
    is_terminal: bool = False
    conversation: str | None = None  # a console session's id (a Slack one is channel and thread)

    @property
    def label(self) -> str:
        if self.is_terminal:
            return "terminal"
        return self.user_id or "nobody"


TERMINAL = Caller(is_admin=True, is_terminal=True)
