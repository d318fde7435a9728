"""Measures tests' helpers: a request as a given person on a fixed day, a role given to someone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from commands.caller import TERMINAL, Caller
from commands.clock import Clock
from commands.request import Policy, Request
from store.models import Role
from store.queries.roles import assign, find_role

TODAY = date(2024, 3, 15)


def request_as(
    user: str | None = None, *, today: date = TODAY, admins: tuple[str, ...] = ()
) -> Request:
    caller = TERMINAL if user is None else Caller(user_id=user, channel_id="CPLAN0001")
    return Request("", caller, Clock.fixed_at(today), Policy(admins=admins))


def give_role(session: Session, role_name: str, user: str) -> Role:
    role = find_role(session, role_name)
    assert role is not None
    assign(session, role, user, by=None, at=datetime(2024, 1, 1, tzinfo=UTC))
    session.flush()
    return role
