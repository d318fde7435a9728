"""The pieces every transport shares, built once: settings, clock, database engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.settings import Settings
from commands.caller import Caller
from commands.clock import Clock
from commands.router import Request
from store.db import make_engine
from store.seed import prepare_database


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: Engine
    # Set by the Slack app: True/False when Slack says a user is active/deactivated, None unknown.
    user_active: Callable[[str], bool | None] | None = None

    def caller(
        self, user_id: str | None, channel_id: str | None = None, thread_ts: str | None = None
    ) -> Caller:
        """The Slack user `user_id`; without an id, nobody (never the terminal: see TERMINAL)."""
        return Caller(
            user_id=user_id or None,
            channel_id=channel_id,
            is_admin=bool(user_id) and user_id in self.settings.planbot_admins,
            thread_ts=thread_ts,
        )

    def request(self, text: str, caller: Caller) -> Request:
        return Request(text=text, caller=caller, clock=self.clock, settings=self.command_settings())

    def command_settings(self) -> dict[str, object]:
        s = self.settings
        return {
            "admins": s.planbot_admins,
            "reminder_days_before": s.planbot_reminder_days_before,
            "reminder_stale_days": s.planbot_reminder_stale_days,
            "reminder_max_per_day": s.planbot_reminder_max_per_day,
            "stale_days": s.planbot_stale_days,
            "amber_days": s.planbot_amber_days,
            "reminders_channel": s.planbot_reminders_channel,
            "timezone": s.planbot_timezone,
            "user_active": self.user_active,
        }


def build_runtime(settings: Settings, *, as_of: str | None = None, seed: bool = True) -> Runtime:
    """Open the database (migrating and, when empty, seeding York's plans) and fix the clock."""
    clock = settings.clock(as_of)
    engine = make_engine(settings.database_url)
    prepare_database(engine, at=clock.utcnow(), seed=seed)
    return Runtime(settings=settings, clock=clock, engine=engine)
