"""The Home tab a person sees: their items grouped by colour, each with a menu of Done / In
progress / Blocked / Snooze; their cover duties; links to their last reminder threads; or, for
someone with no role, the plans' headline and how to get one. Block Kit for views.publish."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.render.digest import UNVERIFIED_MARK
from bot.render.escape import escape, truncate
from bot.render.item_text import day, people, status_label
from bot.render.rendered import Rendered
from commands.brag import EMOJI
from commands.home.buttons import CHOICES, SNOOZE, ChangedSince, HomeChoice
from commands.home.my_items import HomeItem, MyHome

MENU = "home:item"
REFRESH = "home:refresh"
MARKS = {rag.value.capitalize(): emoji for rag, emoji in EMOJI.items()} | {
    "Unverified": UNVERIFIED_MARK
}
LABELS = {
    "done": "Done",
    "in_progress": "In progress",
    "blocked": "Blocked",
    SNOOZE: "Snooze a week",
}
NO_ROLE = (
    "You don't hold a role in the plan yet, so there is nothing of yours to show. An admin can "
    'give you one with `/plan role assign "Head of MASH" @you`; `/plan whoami` says what you '
    "hold."
)


def home_view(
    home: MyHome,
    help_blocks: list[dict[str, Any]],
    *,
    notice: str | None = None,
    links: Mapping[tuple[str, str], str] | None = None,
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "My actions"}},
    ]
    if notice:
        blocks.append(_section(notice))
    blocks += _mine(home, links or {}) if home.roles or home.covering else _no_role(home)
    blocks += [{"type": "divider"}, *help_blocks, _refresh()]
    return {"type": "home", "blocks": blocks}


def _mine(home: MyHome, links: Mapping[tuple[str, str], str]) -> list[dict[str, Any]]:
    counts = " · ".join(f"{MARKS[name]} {len(items)} {name.lower()}" for name, items in home.groups)
    roles = ", ".join(escape(role) for role in home.roles) or "no role of your own"
    lines = [f"You hold: {roles}."]
    for duty in home.covering:
        lines.append(
            f"You are covering *{escape(duty.role)}* for {people(duty.holders)} until "
            f"{day(duty.until)}: its items are listed here too."
        )
    lines.append(
        f"{home.items} open item{'s' if home.items != 1 else ''}"
        + (f": {counts}" if counts else "")
        + f"; {home.done} done."
    )
    blocks = [_section("\n".join(lines))]
    for name, items in home.groups:
        blocks.append(_section(f"*{MARKS[name]} {name}*"))
        blocks += [_item(item) for item in items]
    if home.hidden:
        blocks.append(
            _context(f"…and {home.hidden} more, less urgent. Ask `/plan what's mine` for all.")
        )
    threads = [
        f"<{links[(t.channel, t.thread_ts)]}|{escape(t.ref)} ({day(t.for_date)})>"
        for t in home.threads
        if (t.channel, t.thread_ts) in links
    ]
    if threads:
        blocks.append(_context("Your last reminder threads: " + " · ".join(threads)))
    return blocks


def _item(item: HomeItem) -> dict[str, Any]:
    """One line an item: reference, short title, why its colour, due date, status; a menu."""
    due = f"overdue {item.overdue_days} days" if item.overdue_days else f"due {day(item.due)}"
    text = (
        f"*{escape(item.ref)}* {escape(truncate(item.title, 90))}\n"
        f"{escape(item.reason)} · {due} · {status_label(item.status)}"
    )
    options = [
        {
            "text": {"type": "plain_text", "text": LABELS[choice]},
            "value": HomeChoice(choice, item.kind, item.id, item.seen).value,
        }
        for choice in CHOICES
        if choice != item.status
    ]
    section = _section(text)
    section["accessory"] = {"type": "overflow", "action_id": MENU, "options": options}
    return section


def _no_role(home: MyHome) -> list[dict[str, Any]]:
    lines = [NO_ROLE]
    for plan, tally in home.headline:
        counts = " · ".join(f"{MARKS[name]} {n} {name.lower()}" for name, n in tally.items())
        lines.append(f"*{escape(plan)}*: {counts}")
    return [_section("\n".join(lines))]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _refresh() -> dict[str, Any]:
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": REFRESH,
                "text": {"type": "plain_text", "text": "Refresh"},
                "value": "refresh",
            }
        ],
    }


def render_changed_since(result: ChangedSince) -> Rendered:
    item = result.item
    text = (
        f"{escape(item.ref)} was updated by someone else since this tab was drawn: it is now "
        f"{status_label(item.status)}, due {day(item.due)}. Nothing was changed; choose again "
        "if you still mean it."
    )
    return Rendered(text=text, blocks=[_section(text)])
