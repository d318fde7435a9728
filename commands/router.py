"""One entry for every text command, whichever transport brings it (slash, mention, DM, console).

The first word picks the verb ("role", "history", "digest"...); anything else is a question for
`commands.questions.ask`. Handlers take `(session, request, rest_of_text)` and return a result
dataclass. A new verb gets its line in `VERBS`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from commands.digest.subscriptions import digest_command
from commands.questions.ask import ask_command
from commands.questions.help import help_command
from commands.questions.history import history_command
from commands.reminders.channels import channel_command
from commands.request import Request
from commands.roles.directory import role_command, whoami_command

__all__ = ["VERBS", "Request", "handle", "split_verb"]

Handler = Callable[[Session, Request, str], object]

VERBS: dict[str, Handler] = {
    "help": help_command,
    "role": role_command,
    "roles": role_command,
    "whoami": whoami_command,
    "history": history_command,
    "channel": channel_command,
    "digest": digest_command,
}


def split_verb(text: str) -> tuple[str | None, str]:
    """("role", "assign ...") for a known verb, else (None, text)."""
    stripped = text.strip()
    first, _, rest = stripped.partition(" ")
    verb = first.lower().rstrip(":")
    if verb in VERBS:
        return verb, rest.strip()
    return None, stripped


def handle(session: Session, request: Request) -> object:
    """Route one message to its command and return that command's result."""
    verb, rest = split_verb(request.text)
    handler = VERBS[verb] if verb else ask_command
    return handler(session, request, rest)
