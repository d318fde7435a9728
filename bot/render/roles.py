"""Rendering the role directory: `role list`, `role assign|remove`, `whoami`, and their refusals."""

from __future__ import annotations

from typing import Any

from bot.render.escape import escape, mention
from bot.render.item_text import item_line, people
from bot.render.rendered import Rendered
from commands.roles.directory import (
    RoleChangeResult,
    RoleListResult,
    RoleProblem,
    RoleRow,
    WhoAmIResult,
)

SECTION_LIMIT = 2900


def _row(row: RoleRow) -> str:
    name = escape(row.name)
    if row.group:
        name += " (every Head of Service)"
    line = f"*{name}*: {people(row.holders)}"
    if row.deactivated:
        line += f" · deactivated in Slack: {', '.join(mention(u) for u in row.deactivated)}"
    if row.open_actions:
        refs = ", ".join(row.open_actions[:12]) + (" …" if len(row.open_actions) > 12 else "")
        line += f" · owns {len(row.open_actions)} open: {escape(refs)}"
    if row.unfilled:
        line = ":warning: " + line + " · *nobody behind it*"
    return line


def _chunks(lines: list[str]) -> list[dict]:
    blocks: list[dict] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": current}})
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": current}})
    return blocks[:45]


def render_role_list(result: RoleListResult) -> Rendered:
    unfilled = result.unfilled
    count = len(result.rows)
    head = f"{count} role{'s' if count != 1 else ''}"
    if unfilled:
        head += f"; {len(unfilled)} with open actions and nobody behind them: " + ", ".join(
            escape(row.name) for row in unfilled
        )
    lines = [_row(row) for row in result.rows]
    text = head + "\n" + "\n".join(line.replace("*", "") for line in lines)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(head)[:3000]}}
    ]
    blocks += _chunks(lines)
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": 'Admins: `role assign "Head of MASH" @someone` · `role remove …`',
                }
            ],
        }
    )
    return Rendered(text=text, blocks=blocks)


def _hold(users: tuple[str, ...]) -> str:
    return "holds" if len(users) == 1 else "hold"


def render_role_change(result: RoleChangeResult) -> Rendered:
    role = escape(result.role)
    if result.verb == "assign":
        parts = []
        if result.changed:
            parts.append(f"{people(result.changed)} now {_hold(result.changed)} {role}.")
        if result.unchanged:
            parts.append(f"{people(result.unchanged)} already held {role}.")
        if result.deactivated:
            parts.append(
                f":warning: Slack reports {people(result.deactivated)} deactivated: "
                f"{role} counts as unfilled until someone active holds it."
            )
    else:
        parts = []
        if result.changed:
            parts.append(f"{people(result.changed)} no longer {_hold(result.changed)} {role}.")
        if result.unchanged:
            parts.append(f"{people(result.unchanged)} did not hold {role}.")
    text = " ".join(parts)
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_role_problem(result: RoleProblem) -> Rendered:
    text = escape(result.message)
    if result.suggestions:
        text += " Did you mean: " + "; ".join(escape(s) for s in result.suggestions) + "?"
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_who_am_i(result: WhoAmIResult) -> Rendered:
    who = mention(result.user_id) if result.user_id else "You"
    if not result.roles:
        text = (
            f"{who}: no roles in the plan directory yet. An admin can add you with `role assign`."
        )
        if result.is_admin:
            text += " (You are an admin.)"
        return Rendered(
            text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        )
    roles = ", ".join(escape(r) for r in result.roles)
    head = f"{who}: {roles}" + (" · admin" if result.is_admin else "")
    head += f". {len(result.items)} open action{'s' if len(result.items) != 1 else ''}."
    mrkdwn_lines, plain_lines = [], []
    for item in result.items:
        mrkdwn, plain = item_line(item.ref, item.title, item.status, item.owner, item.due, None)
        mrkdwn_lines.append(mrkdwn)
        plain_lines.append(plain)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    blocks += _chunks(mrkdwn_lines)
    return Rendered(text="\n".join([head, *plain_lines]), blocks=blocks)
