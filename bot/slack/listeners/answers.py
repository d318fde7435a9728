"""The buttons under an answer: "Show next 10" (the next page, privately), "Share in channel" (this
page, for everyone), "Steps" (an action's steps) and, for a question read two ways, one for each
reading. Each re-runs the question the page carries, as of now; when the day has moved on since
the answer was given, the new page says so."""

from __future__ import annotations

import json
import logging
import re
from datetime import date

from slack_bolt import App

from bot.conversation import result_for
from bot.posting.delivery import ToResponseUrl, deliver
from bot.render import render
from bot.render.answer import MORE, READING, SHARE, STEPS, answer_page
from bot.render.item_text import day
from bot.runtime import Runtime
from bot.slack.listeners.interactions import Interaction, on_action
from commands.questions.answer_result import AnswerResult

log = logging.getLogger(__name__)


def _page(value: str | None) -> tuple[str, int, date | None] | None:
    """(question, first line, day answered) from a button's value; None when it is not ours."""
    try:
        page = json.loads(value or "")
        question, first = str(page["q"]), int(page["f"])
        asked = date.fromisoformat(page["d"]) if page.get("d") else None
    except (ValueError, KeyError, TypeError):
        return None
    return (question, max(0, first), asked) if question.strip() else None


def _again(interaction: Interaction, *, share: bool) -> None:
    page = _page(interaction.value)
    if page is None or not interaction.response_url:
        log.info("answer button %s with value %r ignored", interaction.key, interaction.value)
        return
    question, first, asked = page
    runtime = interaction.runtime
    caller = runtime.caller(interaction.user_id, interaction.channel_id)
    result = result_for(runtime, question, caller, first_item=first)
    if not isinstance(result, AnswerResult):
        rendered = render(result)
    else:
        today = runtime.clock.today()
        note = (
            f"Asked again as of {day(today)}; the first answer was as of {day(asked)}."
            if asked and asked != today
            else None
        )
        rendered = answer_page(result, first, note=note)
    deliver(runtime, interaction.client, rendered, ToResponseUrl(interaction.response_url, share))


def show_next(interaction: Interaction) -> None:
    _again(interaction, share=False)


def share_page(interaction: Interaction) -> None:
    _again(interaction, share=True)


def pick_reading(interaction: Interaction) -> None:
    """One of the readings offered for a question read two ways, answered (privately)."""
    _again(interaction, share=False)


def show_steps(interaction: Interaction) -> None:
    """An action's steps, as its own answer shows them (privately)."""
    reference = (interaction.value or "").strip()
    if not reference or len(reference) > 40 or not interaction.response_url:
        return
    runtime = interaction.runtime
    caller = runtime.caller(interaction.user_id, interaction.channel_id)
    rendered = render(result_for(runtime, f"status of {reference}", caller))
    deliver(runtime, interaction.client, rendered, ToResponseUrl(interaction.response_url))


def register(app: App, runtime: Runtime) -> None:
    on_action(app, runtime, MORE, show_next)
    on_action(app, runtime, SHARE, share_page)
    on_action(app, runtime, STEPS, show_steps)
    on_action(app, runtime, re.compile(rf"^{READING}:\d+$"), pick_reading)
