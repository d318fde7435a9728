"""Times as UTC: the store keeps every time in UTC, SQLite hands them back without a zone and
PostgreSQL with one; a time read from a plan file without an offset is taken as UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC: a naive time is taken to be UTC already, an aware one is converted."""
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)
