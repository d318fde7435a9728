"""Slack's side of "someone else owns this now": each admin asked in a direct message, and their
Move / Keep buttons, whose answer takes the question's place. The thread's own word goes with
the reply's result (bot/slack/listeners/reminder_threads.py)."""

from __future__ import annotations

import json
import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.posting.delivery import ToConversation, deliver, direct_channel, message_payload
from bot.render import render
from bot.render.escape import escape
from bot.render.ownership import KEEP, MOVE, admin_question
from bot.render.rendered import Rendered
from bot.runtime import Runtime
from bot.slack.client import post_to_response_url
from bot.slack.listeners.interactions import Interaction, on_action
from commands.updates.outcomes import OwnershipClaimed
from commands.updates.ownership import decide_reassign
from store.db import session_scope

log = logging.getLogger(__name__)


def ask_admins(runtime: Runtime, client: WebClient, claim: OwnershipClaimed) -> None:
    """Each admin gets the question privately, once."""
    question = admin_question(claim)
    for admin in dict.fromkeys(claim.admins):
        channel = direct_channel(client, admin)
        if channel is None:
            log.warning("could not ask admin %s about %s's owner", admin, claim.item.ref)
            continue
        deliver(runtime, client, question, ToConversation(channel))


def move(interaction: Interaction) -> None:
    """Move: the action's owners become the role named (admins only; anyone else is told)."""
    runtime = interaction.runtime
    try:
        asked = json.loads(interaction.value or "")
        ref, role = str(asked["ref"]), str(asked["role"])
    except (ValueError, KeyError, TypeError):
        log.info("ownership button with value %r ignored", interaction.value)
        return
    request = runtime.request("", runtime.caller(interaction.user_id))
    with session_scope(runtime.engine) as session:
        result = decide_reassign(session, request, ref, role)
    _answer(interaction, render(result))


def keep(interaction: Interaction) -> None:
    ref = escape((interaction.value or "the action")[:40])
    text = f"Left {ref} with its owners."
    _answer(interaction, Rendered(text=text, blocks=[]))


def _answer(interaction: Interaction, rendered: Rendered) -> None:
    """The decision in place of the question, so no admin presses it twice."""
    if interaction.response_url:
        payload = message_payload(rendered, interaction.client) | {"replace_original": True}
        post_to_response_url(interaction.response_url, payload)


def register(app: App, runtime: Runtime) -> None:
    on_action(app, runtime, MOVE, move)
    on_action(app, runtime, KEEP, keep)
