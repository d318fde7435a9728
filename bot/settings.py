"""Settings, read once from the environment and `.env`; everything below receives them as values."""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from commands.clock import Clock, parse_when
from commands.measures.settings import MeasureSettings
from commands.request import Policy
from store.db import normalise_url

SLACK_DEFAULT_API = "https://slack.com/api/"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # every process logs alike


class SettingsError(SystemExit):
    """A setting that stops start-up; the message names it in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(f"planbot: {message}")
        self.message = message


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_DEFAULT_API
    database_url: str | None = None
    planbot_timezone: str = "Europe/London"
    planbot_today: str | None = None
    planbot_admins: Annotated[tuple[str, ...], NoDecode] = ()
    planbot_reminder_days_before: int = 7
    planbot_reminder_stale_days: int = 28
    planbot_reminder_max_per_day: int = 25  # the rest wait for the next working day
    planbot_reminder_hour: int = 9
    planbot_reminders_channel: str | None = None
    planbot_stale_days: int = 28
    planbot_amber_days: int = 14
    planbot_summary_after_bank_holiday: bool = True  # a summary due on one waits a working day
    planbot_http_threads: int = Field(default=8, ge=1, le=256)  # waitress request threads
    planbot_workers: int = Field(default=8, ge=1, le=256)  # threads for work after the ack
    planbot_scheduler: bool = True  # run summaries, reminders and retries in this process
    planbot_answer_processes: int = Field(default=1, ge=0, le=64)  # 0: answer in threads
    # Salt for the hashes logged in place of a child's details; unset, one per process.
    planbot_log_level: str = "WARNING"  # INFO: what became of each reminder-thread reply
    planbot_log_salt: str = Field(default_factory=lambda: secrets.token_hex(16))
    planbot_spc_run: int = Field(default=7, ge=3, le=20)  # points on one side of the mean
    planbot_spc_trend: int = Field(default=7, ge=3, le=20)  # points rising or falling
    planbot_spc_min_points: int = Field(default=10, ge=2, le=100)  # fewer: direction only
    planbot_small_count: int = Field(default=5, ge=0, le=100)  # counts below: "fewer than 5"

    @field_validator("planbot_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        parts = value.replace(",", " ").split() if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        for part in parts:
            if not str(part).startswith(("U", "W")):
                raise ValueError(f"'{part}' is not a Slack user id (U… or W…)")
        return tuple(str(part) for part in parts)

    @field_validator("planbot_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a timezone name such as Europe/London") from None
        return value

    @field_validator("planbot_today")
    @classmethod
    def _today(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            parse_when(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date such as 2023-02-15") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            make_url(normalise_url(value))
        except ArgumentError:
            raise ValueError(
                f"'{value}' is not a database URL such as postgresql://host/planbot"
            ) from None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    def clock(self, as_of: str | None = None) -> Clock:
        when = as_of or self.planbot_today
        if when:
            parsed: date | datetime = parse_when(when)
            return Clock.fixed_at(parsed, self.planbot_timezone)
        return Clock(ZoneInfo(self.planbot_timezone))

    def policy(self) -> Policy:
        """The settings commands may read, as one frozen value."""
        return Policy(
            admins=self.planbot_admins,
            reminder_days_before=self.planbot_reminder_days_before,
            reminder_stale_days=self.planbot_reminder_stale_days,
            reminder_max_per_day=self.planbot_reminder_max_per_day,
            stale_days=self.planbot_stale_days,
            amber_days=self.planbot_amber_days,
            reminders_channel=self.planbot_reminders_channel,
            summary_after_bank_holiday=self.planbot_summary_after_bank_holiday,
            timezone=self.planbot_timezone,
            log_salt=self.planbot_log_salt,
            measures=MeasureSettings(
                run_length=self.planbot_spc_run,
                trend_length=self.planbot_spc_trend,
                min_points=self.planbot_spc_min_points,
                small_count=self.planbot_small_count,
            ),
        )

    @property
    def log_level(self) -> int:
        """PLANBOT_LOG_LEVEL as a logging level; a name logging does not know stops start-up."""
        level = logging.getLevelName(self.planbot_log_level.strip().upper())
        if not isinstance(level, int):
            raise SettingsError(
                "PLANBOT_LOG_LEVEL should be DEBUG, INFO or WARNING, "
                f"not {self.planbot_log_level!r}"
            )
        return level

    def require(self, *names: str) -> None:
        """Stop with one line naming the first of `names` that is unset."""
        for name in names:
            if not getattr(self, name.lower()):
                raise SettingsError(f"{name.upper()} is not set (see .env.example)")

    def require_slack(self, *, socket: bool) -> None:
        self.require("SLACK_BOT_TOKEN")
        if not (self.slack_bot_token or "").startswith("xoxb-"):
            raise SettingsError(
                "SLACK_BOT_TOKEN should start with xoxb- (the Bot User OAuth Token)"
            )
        if socket:
            self.require("SLACK_APP_TOKEN")
            if not (self.slack_app_token or "").startswith("xapp-"):
                raise SettingsError("SLACK_APP_TOKEN should start with xapp- (an app-level token)")
        else:
            self.require("SLACK_SIGNING_SECRET")


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a malformed one stops start-up with one clear line naming it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
