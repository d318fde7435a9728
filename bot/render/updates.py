"""Rendering what happened to a reply, a click or a note: one line in the thread, or a private word.

The confirmation reads "OA4.1 → in progress, due 31 Mar 2023 (was 31 Jan 2023). Note saved."
"""

from __future__ import annotations

from typing import Any

from bot.render.date_changes import approval_blocks, date_change_text
from bot.render.escape import channel_mention, escape, mention
from bot.render.evidence import awaiting_text
from bot.render.item_text import day, people, status_label
from bot.render.rendered import Rendered
from commands.reminders.by_dm import ReminderDelivery, ReminderDeliveryProblem
from commands.reminders.channels import ChannelProblem, ChannelsResult
from commands.updates.outcomes import (
    ChangedMeanwhile,
    DetailsRemoved,
    ReplyDeleted,
    ReplyIgnored,
    Snoozed,
    StatusQuestion,
    StepsToChoose,
    UpdateApplied,
    UpdateRefused,
)

SET_STATUS = "reminder:set:"  # + status; value: the reminder id
SNOOZE = "reminder:snooze"
ADD_NOTE = "reminder:note"
NOTE_VIEW = "reminder_note"
BUTTON_LABELS = {
    "done": "Done",
    "in_progress": "In progress",
    "blocked": "Blocked",
    "not_started": "Not started",
    "dropped": "Dropped",
}


def status_button(status: str, reminder_id: int) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": f"{SET_STATUS}{status}",
        "text": {"type": "plain_text", "text": BUTTON_LABELS.get(status, status_label(status))},
        "value": str(reminder_id),
    }
    if status == "done":
        button["style"] = "primary"
    return button


def confirmation(result: UpdateApplied) -> str:
    parts: list[str] = []
    if result.new_status:
        same = result.new_status == result.old_status
        parts.append(("still " if same else "") + status_label(result.new_status))
    if result.new_rag:
        parts.append(f"declared {result.new_rag}")
    if result.new_due:
        was = f" (was {day(result.old_due)})" if result.old_due else ""
        parts.append(f"due {day(result.new_due)}{was}")
    ref = escape(result.item.ref)
    if result.withdrawn:
        return (
            f"Corrected: {ref}: your edit took its update back, so it stands as before "
            f"({status_label(result.item.status)})."
        )
    line = f"{ref} → {', '.join(parts)}." if parts else f"{ref}:"
    asked = result.date_change is not None and result.date_change.state == "requested"
    if result.note_saved:
        line += " Note saved."
    elif not parts and not asked:
        line += " nothing changed."
    if result.corrected:
        line = "Corrected: " + line
    if result.for_role:
        line += f" Recorded as cover for {escape(result.for_role)}."
    if asked and result.date_change is not None:
        line += " " + date_change_text(result.date_change)
    if result.awaiting:
        line += " " + awaiting_text(result.awaiting, result.item.ref)
    if result.board_unknown:
        line += (
            " When is the next board? I don't know its date, so the due date is as it was: reply "
            "with the date (e.g. “due 22/3”), or an admin can set it with "
            f"`/plan settings {escape(result.board_unknown)} next_board DATE`."
        )
    return line


def render_update_applied(result: UpdateApplied) -> Rendered:
    line = confirmation(result)
    blocks: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": line}]}
    ]
    change = result.date_change
    if change is not None and change.state == "requested":
        blocks += approval_blocks(change)
        ask = blocks[1]["text"]["text"]
        line += "\n" + ask  # the fallback text carries the question (and the mention) too
        return Rendered(text=line, blocks=blocks, ephemeral=False, pings=True)
    return Rendered(text=line, blocks=blocks, ephemeral=False)


def render_status_question(result: StatusQuestion) -> Rendered:
    ref = escape(result.item.ref)
    question = f"I saved that as a note on {ref}. Which status fits it now?"
    choices = list(result.choices) or ["in_progress", "blocked", "done"]
    buttons = [status_button(status, result.reminder_id) for status in choices[:5]]
    text = question + " (" + " / ".join(status_label(c) for c in choices) + ")"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": question}},
        {"type": "actions", "block_id": "reminder_question", "elements": buttons},
    ]
    return Rendered(text=text, blocks=blocks, ephemeral=False)


STEP_CHOICE = "reminder_step:"  # + the step's id: a button after a description of several


def render_steps_to_choose(result: StepsToChoose) -> Rendered:
    """ "the supervision one is done" fits more than one step: a button per step it could be."""
    refs = [ref for _, ref, _ in result.steps]
    question = (
        f"“{escape(result.phrase)}” could be {', '.join(refs[:-1])} or {refs[-1]}. "
        "Which did you mean? Nothing is changed until you choose."
    )
    buttons = [
        {
            "type": "button",
            "action_id": f"{STEP_CHOICE}{step_id}",
            "text": {"type": "plain_text", "text": _label(f"{ref} {text}")},
            "value": result.pending.as_value(),
        }
        for step_id, ref, text in result.steps
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": question}},
        {"type": "actions", "block_id": "reminder_steps", "elements": buttons},
    ]
    return Rendered(text=question, blocks=blocks, ephemeral=False)


def _label(text: str, limit: int = 75) -> str:
    """A button's text, at most Slack's 75 characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_update_refused(result: UpdateRefused) -> Rendered:
    owners = [f"{escape(role)} ({people(users)})" for role, users in result.who_can]
    who = " or ".join(owners) if owners else "its owner (none is recorded)"
    text = (
        f"Sorry, only {who} or an admin can update {escape(result.item.ref)}. Nothing was changed."
    )
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_reply_ignored(result: ReplyIgnored) -> Rendered:
    if result.hint:
        text = escape(result.hint)
        return Rendered(
            text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        )
    return Rendered(text="", quiet=True)


def render_details_removed(result: DetailsRemoved) -> Rendered:
    """The private word to someone whose message held a child's details: what kinds were taken
    out (never the details), and that Slack still holds their message."""
    kinds = [kind.strip("[]") for kind in result.kinds]
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    on = f" on {escape(result.ref)}" if result.ref else ""
    kept = (
        f"I recorded your update{on} without the {listed}"
        if result.kept
        else f"I took the {listed} out of your message{on}"
    )
    text = (
        f"{kept}: planbot must not keep a child's details, since the plan is about services. "
        "Please edit or delete your message in Slack, which still holds them."
    )
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_reply_deleted(result: ReplyDeleted) -> Rendered:
    return Rendered(text="", quiet=True)


def render_snoozed(result: Snoozed) -> Rendered:
    text = f"No reminders for {escape(result.item.ref)} until {day(result.until)}."
    return Rendered(
        text=text,
        blocks=[{"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}],
        ephemeral=False,
    )


def render_channels(result: ChannelsResult) -> Rendered:
    lines = []
    for title, channel in result.plans:
        where = (
            _channel(channel)
            if channel
            else (f"{_channel(result.fallback)} (the default)" if result.fallback else "*not set*")
        )
        lines.append(f"{escape(title)}: {where}")
    head = "Reminders now go to:" if result.changed else "Reminder threads are posted to:"
    text = head + "\n" + "\n".join(lines)
    if any(channel is None for _, channel in result.plans) and not result.fallback:
        text += "\nSet one with `channel reminders #channel` (admins)."
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def _channel(channel_id: str | None) -> str:
    return channel_mention(channel_id) if channel_id else ""


def render_channel_problem(result: ChannelProblem) -> Rendered:
    text = escape(result.message)
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_changed_meanwhile(result: ChangedMeanwhile) -> Rendered:
    """Privately, to whoever pressed a button on an item changed since its reminder: who changed
    it and when, how it stands now, and nothing changed."""
    item = result.item
    ref = escape(item.ref)
    who = mention(result.by) if result.by and result.by.startswith(("U", "W")) else "someone"
    due = f", due {day(item.due)}" if item.due else ""
    text = (
        f"{ref} was updated by {who} on {day(result.at.date())} after this reminder went out: it "
        f"is now {status_label(item.status)}{due} ({item.rag}). Nothing changed. If it should "
        f"still be {status_label(result.pressed)}, reply in this thread: “{ref} "
        f"{status_label(result.pressed)}”."
    )
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_reminder_delivery(result: ReminderDelivery) -> Rendered:
    where = "by direct message" if result.by_dm else "in the plan's reminders channel"
    text = (
        f"Your reminder thread now comes {where}."
        if result.changed
        else (
            f"Your reminder thread comes {where}. Change it with `/plan reminders dm "
            f"{'off' if result.by_dm else 'on'}`."
        )
    )
    return Rendered(
        text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    )


def render_reminder_delivery_problem(result: ReminderDeliveryProblem) -> Rendered:
    return render_channel_problem(ChannelProblem(result.message))
