"""Rendering cover during leave (`cover …`), a leaver's roles transferred (`role transfer`) and
each plan's settings (`settings …`)."""

from __future__ import annotations

import contextlib
from datetime import date

from bot.render.escape import escape, mention
from bot.render.item_text import day, people
from bot.render.rendered import Rendered
from commands.governance.plan_settings import (
    KEYS,
    PlanSettingChanged,
    PlanSettingsProblem,
    PlanSettingsShown,
)
from commands.roles.cover import CoverEnded, CoverList, CoverProblem, CoverRow, CoverSet
from commands.roles.directory import RolesTransferred


def _say(text: str, *, ephemeral: bool = True) -> Rendered:
    return Rendered(
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        ephemeral=ephemeral,
    )


def _span(row: CoverRow) -> str:
    return f"from {day(row.starts_on)} until {day(row.ends_on)}"


def render_cover_set(result: CoverSet) -> Rendered:
    row = result.row
    text = (
        f"{mention(row.cover)} covers *{escape(row.role)}* {_span(row)} (for "
        f"{people(row.holders)}). Reminders for its items go to {mention(row.cover)} with an FYI "
        f"to the holder; updates they make are recorded as made for {escape(row.role)}. Cover "
        f"ends by itself after {day(row.ends_on)}."
    )
    for old in result.replaced:
        text += f" This replaces {mention(old.cover)}'s cover ({_span(old)}): the later wins."
    return _say(text)


def render_cover_ended(result: CoverEnded) -> Rendered:
    parts = [f"{mention(r.cover)} no longer covers *{escape(r.role)}*." for r in result.rows]
    return _say(" ".join(parts) + " Reminders go to the role's holders again.")


def render_cover_list(result: CoverList) -> Rendered:
    if not result.rows:
        return _say("Nobody is covering a role now, and no cover is booked.")
    lines = ["*Cover during leave*"]
    for row in result.rows:
        now = " (now)" if row.starts_on <= result.today else ""
        lines.append(
            f"• *{escape(row.role)}*: {mention(row.cover)} for {people(row.holders)}, "
            f"{_span(row)}{now}"
        )
    return _say("\n".join(lines))


def render_cover_problem(result: CoverProblem) -> Rendered:
    text = escape(result.message)
    if result.suggestions:
        text += " Did you mean: " + "; ".join(escape(s) for s in result.suggestions) + "?"
    return _say(text)


def render_roles_transferred(result: RolesTransferred) -> Rendered:
    roles = ", ".join(escape(r) for r in result.roles)
    return _say(
        f"{mention(result.successor)} now holds {roles} in place of {mention(result.leaver)}, "
        "who holds none of them any more."
    )


def render_plan_settings(result: PlanSettingsShown) -> Rendered:
    if not result.rows:
        return _say("No plan is loaded yet, so there are no plan settings.")
    lines = []
    for row in result.rows:
        values = []
        for key in KEYS:
            value = escape(_setting(getattr(row.policy, key)))
            values.append(f"{key} {value}" + ("" if key in row.set_keys else " (default)"))
        lines.append(f"*{escape(row.title)}* ({escape(row.plan)}): " + " · ".join(values))
    lines.append("Change one (admins): `settings PLAN KEY VALUE`.")
    return _say("\n".join(lines))


def _setting(value: object) -> str:
    """A setting as people read it: a date as "22 Mar 2023", an empty one as "not set"."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return "not set" if value in (None, "") else str(value)


def render_setting_changed(result: PlanSettingChanged) -> Rendered:
    return _say(
        f"{escape(result.plan)}: {result.key} is now {escape(_setting(result.value))} "
        f"(was {escape(_setting(result.before))})."
    )


def render_settings_problem(result: PlanSettingsProblem) -> Rendered:
    return _say(escape(result.message))
