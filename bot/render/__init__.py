"""Turning command results into what people see: Block Kit plus a plain-text fallback.

Each result type registers its renderer with `@render.register`; transports call `render(result)`
and get a `Rendered` whose `text` reads well on its own (notifications, screen readers, console).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = True  # slash-command answers are private unless shared
    quiet: bool = False  # nothing worth saying (a "thanks" in a reminder thread)


@singledispatch
def render(result: object) -> Rendered:
    raise TypeError(f"no renderer for {type(result).__name__}")


# Modules that register renderers; imported once so `render` knows every result type.
RENDERER_MODULES = (
    "bot.render.help",
    "bot.render.answer",
    "bot.render.roles",
    "bot.render.history",
    "bot.render.changes",
    "bot.render.updates",
    "bot.render.reminders",
    "bot.render.digest",
)


def load_renderers() -> None:
    for name in RENDERER_MODULES:
        importlib.import_module(name)
