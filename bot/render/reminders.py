"""Rendering reminder threads (the message that starts each one) and a reminder run's summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.render.escape import escape, truncate
from bot.render.item_text import RAG_EMOJI, day, people, status_label
from bot.render.rendered import Rendered
from bot.render.updates import ADD_NOTE, SNOOZE, status_button
from commands.reminders.policy import DueReminder, ReminderPlan

REPLY_HINT = (
    "Reply in this thread in your own words, e.g. “in progress, due 31/3”, "
    "“blocked: waiting on police data”, “done, signed off at DMT”, or use the buttons."
)


def why(reminder: DueReminder, today: date) -> str:
    """What the reminder is about, in words: "is due in 7 days (31 Mar 2023)"."""
    due = reminder.due
    if reminder.reason == "before" and due:
        days = (due - today).days
        return f"is due in {days} day{'s' if days != 1 else ''} ({day(due)})"
    if reminder.reason == "due" and due:
        if due == today:
            return f"is due today ({day(due)})"
        return f"was due on {day(due)}"
    if reminder.reason == "overdue" and due:
        late = (today - due).days
        return f"is overdue: it was due on {day(due)}, {late} days ago"
    if reminder.reason == "cadence":
        return f"needs its {reminder.cadence or 'regular'} update"
    if reminder.days_silent is not None:
        return f"has had no update for {reminder.days_silent} days"
    return "has no update recorded yet"


def _owners(reminder: DueReminder) -> str:
    if not reminder.owners:
        return "no owner recorded — an admin can assign one"
    parts = []
    for owner in reminder.owners:
        if owner.unfilled:
            parts.append(f"{escape(owner.role)} (nobody assigned — an admin can run `role assign`)")
        elif owner.cover:
            until = f" until {day(owner.cover_until)}" if owner.cover_until else ""
            fyi = f" (FYI {people(owner.holders)})" if owner.holders else ""
            parts.append(f"{escape(owner.role)}: covered by {people((owner.cover,))}{until}{fyi}")
        else:
            parts.append(f"{escape(owner.role)} {people(owner.holders)}")
    return "; ".join(parts)


def reminder_message(reminder: DueReminder, reminder_id: int, today: date) -> Rendered:
    """The message that starts a reminder's thread: item, why now, owners (mentioned), buttons."""
    ref, title = escape(reminder.ref), escape(truncate(reminder.title, 200))
    colour = reminder.colour
    rag_plain = f"{colour.rag.value.capitalize()} ({colour.reason})"
    rag = f"{RAG_EMOJI.get(colour.rag.value, '')} {rag_plain}"
    if reminder.declared_rag and reminder.declared_rag != colour.rag.value:
        rag += f" · lead says {reminder.declared_rag}"
    owners = _owners(reminder)
    reason = why(reminder, today)
    facts = (
        f"Status: {status_label(reminder.status)} · Owner: {owners} · Due: {day(reminder.due)}"
        + (
            f" ({escape(reminder.due_as_written)})"
            if reminder.due_as_written and not reminder.due
            else ""
        )
    )
    text = (
        f"Reminder: {ref} {reason}. {title}. {facts}. {rag_plain}. "
        "Reply in this thread with where it stands."
    )
    buttons: list[dict[str, Any]] = [
        status_button("done", reminder_id),
        status_button("in_progress", reminder_id),
        status_button("blocked", reminder_id),
        {
            "type": "button",
            "action_id": SNOOZE,
            "text": {"type": "plain_text", "text": "Snooze a week"},
            "value": str(reminder_id),
        },
        {
            "type": "button",
            "action_id": ADD_NOTE,
            "text": {"type": "plain_text", "text": "Add note"},
            "value": str(reminder_id),
        },
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{ref}* {reason}.\n{title}"[:3000]},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{facts}\n{rag}"[:3000]}},
        {"type": "actions", "block_id": f"reminder_{reminder_id}", "elements": buttons},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": REPLY_HINT}]},
    ]
    return Rendered(text=text, blocks=blocks, ephemeral=False)


def render_reminder_plan(plan: ReminderPlan) -> Rendered:
    return Rendered(text=plan_summary(plan))


def plan_summary(plan: ReminderPlan, *, posted: int | None = None) -> str:
    """A run's outcome for the terminal and the log: what is (or was) posted, and what is flagged"""
    lines = [f"Reminders for {day(plan.today)}:"]
    if plan.day_off:
        lines.append(f"No reminders today: {plan.day_off}. They go on the next working day.")
    else:
        if posted is None:
            lines.append(f"{len(plan.due)} would be posted:")
        else:
            lines.append(f"{posted} of {len(plan.due)} posted:")
        for reminder in plan.due:
            lines.append(
                f"  {reminder.ref} [{reminder.reason}] {why(reminder, plan.today)} -> "
                f"{reminder.channel}; "
                f"owner {'; '.join(o.role for o in reminder.owners) or 'none'}"
            )
        if plan.deferred:
            refs = ", ".join(r.ref for r in plan.deferred[:20])
            lines.append(f"{plan.deferred_count} more wait for the next working day: {refs} …")
        if plan.claimed_today:
            lines.append(f"{plan.claimed_today} posted earlier today.")
        if plan.already_sent:
            lines.append(f"{plan.already_sent} already posted earlier in their period.")
        for title in plan.no_channel:
            lines.append(
                f"No reminders channel for {title}: its reminders wait until one is set "
                "(PLANBOT_REMINDERS_CHANNEL or `channel reminders #channel`)."
            )
    if plan.unfilled:
        lines.append("Owner roles with nobody behind them:")
        for role in plan.unfilled:
            extra = (
                f" (deactivated in Slack: {', '.join(role.deactivated)})"
                if role.deactivated
                else ""
            )
            lines.append(f"  {role.role}{extra}: {', '.join(role.refs)}")
    if plan.no_owner:
        lines.append(f"Open items with no owner: {', '.join(plan.no_owner)}")
    return "\n".join(lines)
