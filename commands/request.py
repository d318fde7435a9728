"""What every command receives: the text, who asks, the clock, the policy and the workspace.

`Policy` is the settings commands may read, fixed when the process starts (bot/settings.py
builds it from the environment); `Workspace` is the one thing a command may ask of the chat
workspace. Commands never see the environment or a Slack client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from commands.brag import BragThresholds
from commands.caller import Caller
from commands.clock import DEFAULT_TIMEZONE, Clock
from commands.measures.settings import MeasureSettings


@dataclass(frozen=True)
class Policy:
    """How planbot is set up for this council: admins, reminder rhythm, colour thresholds."""

    admins: tuple[str, ...] = ()
    reminder_days_before: int = 7  # remind this many days before a due date
    reminder_stale_days: int = 28  # nudge an item with no update for this long
    reminder_max_per_day: int = 25  # reminders in one working day; the rest wait
    stale_days: int = 28  # an open item with no update for this long is unverified
    amber_days: int = 14  # not started this close to its due date: Amber
    reminders_channel: str | None = None  # for plans with no reminders channel of their own
    summary_after_bank_holiday: bool = True  # a summary due on one goes on the next working day
    timezone: str = DEFAULT_TIMEZONE
    log_salt: str = ""  # salts the hashes logged in place of a child's details
    measures: MeasureSettings = field(default_factory=MeasureSettings)

    @property
    def thresholds(self) -> BragThresholds:
        return BragThresholds(stale_days=self.stale_days, amber_days=self.amber_days)


class Workspace(Protocol):
    """What a command may ask of the chat workspace."""

    def user_active(self, user_id: str) -> bool | None:
        """True or False when the workspace says the person is active or deactivated; None
        when it cannot tell."""


class UnknownWorkspace:
    """No workspace to ask (the terminal, tests): nobody is known to be deactivated."""

    def user_active(self, user_id: str) -> bool | None:
        return None


@dataclass(frozen=True)
class Request:
    text: str
    caller: Caller
    clock: Clock
    policy: Policy = field(default_factory=Policy)
    workspace: Workspace = field(default_factory=UnknownWorkspace)
    first_item: int = 0  # a long answer's later page ("Show next 10"): list at least this far
