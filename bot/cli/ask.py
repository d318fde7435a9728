"""`planbot ask "TEXT" [--json]` and `planbot console`: the bot's text commands in a terminal.

Both go through `commands.router.handle`, so every verb the Slack bot understands (`help`, and the
role, history and digest verbs) works here too, on the embedded database seeded with York's plans
unless DATABASE_URL says otherwise. The console reads one message per line; it prints a prompt
only when a person is typing, so it can be driven through a pipe, and it ends at `quit`, `exit`
or the end of input.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from bot.cli.common import PEOPLE, as_of_date

if TYPE_CHECKING:
    from bot.render import Rendered
    from bot.runtime import Runtime
    from commands.caller import Caller

log = logging.getLogger("planbot.console")

CALM_LINE = "Sorry, something went wrong answering that; it has been logged. Try another way."
GOODBYE = ("quit", "exit", "bye", ":q")
BANNER = (
    'planbot console: ask about the plan ("what\'s open under OA4?"), '
    "type help for more, quit to leave."
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ask = subparsers.add_parser(
        "ask",
        help='answer one question about the plan, e.g. planbot ask "what\'s open under OA4?"',
        description="Answer one message as the bot would in Slack and print it. Any text "
        "command works (help, role list...); anything else is a question about the plan.",
    )
    ask.add_argument("text", nargs="+", metavar="TEXT", help="the question or command")
    ask.add_argument(
        "--json", action="store_true", help="print the answer as a JSON object for scripts"
    )
    ask.add_argument(
        "--as-of", dest="as_of_here", metavar="DATE", type=as_of_date, help="fix the clock"
    )
    ask.set_defaults(func=ask_cli)

    console = subparsers.add_parser(
        "console",
        help="chat with planbot in the terminal (reads lines from a pipe too)",
        description="A chat session in the terminal: the same commands the Slack bot "
        "understands. One message per line; quit, exit or end of input to leave.",
    )
    console.add_argument(
        "--as-of", dest="as_of_here", metavar="DATE", type=as_of_date, help="fix the clock"
    )
    console.set_defaults(func=console_cli)


def _runtime(args: argparse.Namespace) -> Runtime:
    # Imported when a verb runs, not when the `planbot` parser is built: opening the database
    # brings in the store and its importers, which `planbot --help` should not wait for.
    from bot.cli.common import open_runtime
    from bot.settings import load_settings

    return open_runtime(
        load_settings(), getattr(args, "as_of_here", None) or getattr(args, "as_of", None)
    )


def terminal_text(rendered: Rendered) -> str:
    """The plain text of an answer as a terminal shows it: no Slack markup (a mention is the
    person's id or name, a link its label and address, an emoji code a plain sign or nothing)
    and Slack's escaping undone."""
    return plain_text(rendered.whole_text or rendered.text)


_MENTION = re.compile(r"<([@#!])([A-Za-z0-9_.\-]+)(?:\|([^<>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)(?:\|([^<>]*))?>")
_EMOJI_SIGNS = {":warning:": "(!)", ":white_check_mark:": "✓", ":x:": "✗"}
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


def plain_text(text: str) -> str:
    """`text` (Slack mrkdwn) as a terminal should print it."""

    def mention(match: re.Match[str]) -> str:
        sign, target, label = match.groups()
        if sign == "!":
            return f"@{label or target}"
        if sign == "@":
            return f"@{PEOPLE.get(target) or label or target}"
        return f"#{label or target}"

    def link(match: re.Match[str]) -> str:
        address, label = match.groups()
        return f"{label} ({address})" if label and label != address else address

    text = _LINK.sub(link, _MENTION.sub(mention, text))
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
    for code, sign in _EMOJI_SIGNS.items():
        text = text.replace(code, sign)
    text = _EMOJI_CODE.sub("", text)
    return html.unescape(re.sub(r"[ \t]+\n", "\n", text)).replace("  ", " ")


def answer_line(
    runtime: Runtime, text: str, caller: Caller | None = None
) -> tuple[object, Rendered] | None:
    """The command's result and how it reads, or None when answering failed; `caller` is the
    terminal operator, in a console session of their own when there is one.

    The terminal's one error handler (as bot.slack.errors is Slack's): the failure is logged with
    the text that caused it, and the caller prints one calm line instead of a traceback.
    """
    from bot.conversation import result_for
    from bot.render import render
    from commands.caller import TERMINAL

    try:
        result = result_for(runtime, text, caller or TERMINAL)
        return result, render(result)
    except Exception:
        log.exception("could not answer %r", text[:200])
        return None


def reply_text(runtime: Runtime, text: str, caller: Caller | None = None) -> str:
    """The console's reply to one line; a failure is answered with one calm line."""
    answered = answer_line(runtime, text, caller)
    return terminal_text(answered[1]) if answered else CALM_LINE


def ask_cli(args: argparse.Namespace) -> int:
    from commands.questions.answer_result import AnswerResult
    from commands.questions.grouped import GroupedCount

    runtime = _runtime(args)
    answered = answer_line(runtime, " ".join(args.text))
    if answered is None:
        print(CALM_LINE, file=sys.stderr)
        return 1
    result, rendered = answered
    if args.json:
        payload: dict[str, Any]
        if isinstance(result, AnswerResult | GroupedCount):
            payload = result.as_json()
        else:
            payload = {"items": [], "text": terminal_text(rendered)}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(terminal_text(rendered))
    return 0


def run_console(runtime: Runtime, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    """Read messages until quit or end of input; answer each. Prompts only when interactive.
    The session is one conversation: a follow-up ("and for P7?") reads with its last question."""
    from commands.caller import TERMINAL

    session = replace(TERMINAL, conversation=uuid.uuid4().hex)
    if interactive:
        print(BANNER, file=stdout)
    while True:
        if interactive:
            stdout.write("planbot> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            if interactive:
                stdout.write("\n")
            return 0
        text = line.strip()
        if not text:
            continue
        if text.lower() in GOODBYE:
            return 0
        print(reply_text(runtime, text, session), file=stdout)
        print(file=stdout)
        stdout.flush()


def console_cli(args: argparse.Namespace) -> int:
    runtime = _runtime(args)
    return run_console(runtime, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
