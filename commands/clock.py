"""The one clock: every "today" and "now" in planbot comes from here, so tests can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/London"  # PLANBOT_TIMEZONE's default
LONDON = ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True)
class Clock:
    """Local time in the council's timezone; `fixed` pins it (PLANBOT_TODAY, --as-of, tests)."""

    timezone: ZoneInfo = LONDON
    fixed: datetime | None = None

    @classmethod
    def fixed_at(cls, when: date | datetime, timezone: str = DEFAULT_TIMEZONE) -> Clock:
        """A clock stopped at `when` (a date means 09:00 local on that day)."""
        zone = ZoneInfo(timezone)
        if not isinstance(when, datetime):
            when = datetime.combine(when, time(9, 0))
        if when.tzinfo is None:
            when = when.replace(tzinfo=zone)
        return cls(zone, when)

    def now(self) -> datetime:
        """Aware local time."""
        if self.fixed is not None:
            return self.fixed.astimezone(self.timezone)
        return datetime.now(self.timezone)

    def utcnow(self) -> datetime:
        """Aware UTC time, for storing."""
        return self.now().astimezone(UTC)

    def today(self) -> date:
        return self.now().date()

    @staticmethod
    def real_utcnow() -> datetime:
        """The real time even when the clock is fixed: for comparing with Slack's timestamps."""
        return datetime.now(UTC)

    def advanced(self, delta: timedelta) -> Clock:
        """A fixed clock `delta` later (tests that step through weeks)."""
        return Clock(self.timezone, self.now() + delta)


def parse_when(text: str) -> date | datetime:
    """PLANBOT_TODAY / --as-of: `2023-02-15` or `2023-02-15T08:30`. Raises ValueError."""
    text = text.strip()
    if "T" in text or " " in text:
        return datetime.fromisoformat(text)
    return date.fromisoformat(text)
