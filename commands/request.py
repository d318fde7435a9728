"""What every command receives: the text, who asks, the clock, and the settings it may read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commands.caller import Caller
from commands.clock import Clock


@dataclass(frozen=True)
class Request:
    text: str
    caller: Caller
    clock: Clock
    settings: dict[str, Any] = field(default_factory=dict)  # reminder offsets and the like
