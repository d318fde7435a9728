"""A line of text from a person, answered: routed to its command and the result rendered.

Every transport ends here: a slash command, a mention, a DM, the Home tab, a question worker
process and the console each hand over the text and who wrote it, and get back the result and
how it reads. One message is one unit of work: one database session.
"""

from __future__ import annotations

from dataclasses import replace

from bot.render import Rendered, render
from bot.runtime import Runtime
from commands.caller import Caller
from commands.router import Result, handle
from store.db import session_scope


def result_for(runtime: Runtime, text: str, caller: Caller, *, first_item: int = 0) -> Result:
    """Route `text` (already through `bot.slack.text.to_command_text` where it came from Slack)
    to its command and return the command's result; `first_item` for a later page of a long
    answer."""
    request = replace(runtime.request(text, caller), first_item=first_item)
    with session_scope(runtime.engine) as session:
        return handle(session, request)


def respond(
    runtime: Runtime,
    text: str,
    *,
    user_id: str | None,
    channel_id: str | None,
    thread_ts: str | None = None,
) -> Rendered:
    """How the answer to `text` from `user_id` in `channel_id` reads."""
    return render(result_for(runtime, text, runtime.caller(user_id, channel_id, thread_ts)))
