"""`channel reminders #channel [plan]`: where each plan's reminder threads are posted."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.request import Request
from commands.roles.directory import is_admin
from store.queries.reminders import find_plan_key, reminders_channels, set_reminders_channel

log = logging.getLogger(__name__)

_CHANNEL = re.compile(r"<#(?P<id>[CG][A-Z0-9]+)(?:\|(?P<name>[^>]*))?>|#(?P<plain>[\w\-]{1,80})")


@dataclass(frozen=True)
class ChannelsResult:
    """Each plan's reminders channel; `changed` names the plans just pointed somewhere new."""

    plans: tuple[tuple[str, str | None], ...]  # (plan title, channel id or #name)
    fallback: str | None
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChannelProblem:
    message: str


def _show(session: Session, request: Request, changed: tuple[str, ...] = ()) -> ChannelsResult:
    rows = tuple((title, channel) for _, title, channel in reminders_channels(session))
    return ChannelsResult(rows, request.policy.reminders_channel or None, changed)


def channel_command(
    session: Session, request: Request, rest: str
) -> ChannelsResult | ChannelProblem:
    """`channel reminders` shows; `channel reminders #ch|here [ofsted|ambition]` sets (admins)."""
    words = rest.strip().split(maxsplit=1)
    if not words or words[0].lower() not in ("reminders", "reminder"):
        return ChannelProblem(
            "I understand `channel reminders` (where reminders go) and "
            "`channel reminders #channel` (admins)."
        )
    args = words[1].strip() if len(words) > 1 else ""
    if not args:
        return _show(session, request)
    if not is_admin(session, request):
        log.info("channel reminders refused for %s: not an admin", request.caller.label)
        return ChannelProblem("Only an admin can choose where reminders are posted.")
    match = _CHANNEL.search(args)
    remainder = _CHANNEL.sub(" ", args).strip().lower()
    if match:
        channel = match.group("id") or "#" + match.group("plain")
    elif remainder.split()[:1] == ["here"] and request.caller.channel_id:
        channel = request.caller.channel_id
        remainder = remainder.removeprefix("here").strip()
    else:
        return ChannelProblem("Say which channel, e.g. `channel reminders #plan-reminders`.")
    plan_key = None
    if remainder:
        plan_key = find_plan_key(session, remainder.split()[0])
        if plan_key is None:
            return ChannelProblem(f"I don't know a plan called “{remainder[:40]}”.")
    titles = set_reminders_channel(session, channel, plan_key)
    log.info("reminders channel set to %s for %s by %s", channel, titles, request.caller.label)
    return _show(session, request, tuple(titles))
