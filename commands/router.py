"""One entry for every text command, whichever transport brings it (slash, mention, DM, console).

The first word picks the verb ("role", "history", "digest"...); anything else is a question for
`commands.questions.ask`. Handlers take `(session, request, rest_of_text)` and return a result
dataclass.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from commands.caller import Caller
from commands.clock import Clock

# verb -> "module:function"; each capability adds its verbs here.
VERBS: dict[str, str] = {
    "help": "commands.questions.help:help_command",
    "role": "commands.roles.directory:role_command",
    "roles": "commands.roles.directory:role_command",
    "whoami": "commands.roles.directory:whoami_command",
    "history": "commands.questions.history:history_command",
    "channel": "commands.reminders.channels:channel_command",
    "digest": "commands.digest.subscriptions:digest_command",
}
ASK = "commands.questions.ask:ask_command"


@dataclass(frozen=True)
class Request:
    text: str
    caller: Caller
    clock: Clock
    settings: dict[str, Any] = field(default_factory=dict)  # reminder offsets and the like


Handler = Callable[[Session, Request, str], object]


def _load(target: str) -> Handler:
    module, _, name = target.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


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
    target = VERBS[verb] if verb else ASK
    return _load(target)(session, request, rest)
