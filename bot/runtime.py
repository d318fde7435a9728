"""The pieces every transport shares, built once: settings, clock, database engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.engine import Engine

from bot.settings import Settings
from commands.caller import Caller
from commands.clock import Clock
from commands.request import Policy, Request, UnknownWorkspace, Workspace
from store.db import make_engine
from store.seed import prepare_database


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: Engine
    # What commands may ask of the workspace; the Slack app sets one that asks Slack.
    workspace: Workspace = field(default_factory=UnknownWorkspace)

    @cached_property
    def policy(self) -> Policy:
        return self.settings.policy()

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
        return Request(
            text=text,
            caller=caller,
            clock=self.clock,
            policy=self.policy,
            workspace=self.workspace,
        )


def build_runtime(settings: Settings, *, as_of: str | None = None, seed: bool = True) -> Runtime:
    """Open the database (migrating and, when empty, seeding York's plans) and fix the clock."""
    clock = settings.clock(as_of)
    engine = make_engine(settings.database_url)
    prepare_database(engine, at=clock.utcnow(), seed=seed)
    return Runtime(settings=settings, clock=clock, engine=engine)
