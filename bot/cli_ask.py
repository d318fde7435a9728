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
import os
import sys
from typing import Any, TextIO

from bot.render import Rendered, load_renderers, render
from bot.runtime import Runtime, build_runtime
from bot.settings import load_settings
from commands.ask import AnswerResult
from commands.router import handle
from store.db import session_scope

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
    ask.add_argument("--as-of", dest="as_of_here", metavar="DATE", help="fix the clock")
    ask.set_defaults(func=ask_cli)

    console = subparsers.add_parser(
        "console",
        help="chat with planbot in the terminal (reads lines from a pipe too)",
        description="A chat session in the terminal: the same commands the Slack bot "
        "understands. One message per line; quit, exit or end of input to leave.",
    )
    console.add_argument("--as-of", dest="as_of_here", metavar="DATE", help="fix the clock")
    console.set_defaults(func=console_cli)


def _runtime(args: argparse.Namespace) -> Runtime:
    return build_runtime(
        load_settings(), as_of=getattr(args, "as_of_here", None) or getattr(args, "as_of", None)
    )


def terminal_text(rendered: Rendered) -> str:
    """The plain text of an answer as a terminal shows it (Slack's escaping undone)."""
    return html.unescape(rendered.text)


def respond(runtime: Runtime, text: str) -> object:
    """One message, one unit of work: route it and return the command's result."""
    with session_scope(runtime.engine) as session:
        return handle(session, runtime.request(text, runtime.caller(None)))


def reply_text(runtime: Runtime, text: str) -> str:
    """The console's reply to one line; a failure is logged and answered with one calm line."""
    try:
        return terminal_text(render(respond(runtime, text)))
    except Exception:
        log.exception("console: could not answer %r", text[:200])
        return CALM_LINE


def ask_cli(args: argparse.Namespace) -> int:
    try:
        return _ask(args)
    except BrokenPipeError:
        return _reader_went_away()


def _ask(args: argparse.Namespace) -> int:
    runtime = _runtime(args)
    load_renderers()
    text = " ".join(args.text)
    try:
        result = respond(runtime, text)
    except Exception:
        log.exception("ask: could not answer %r", text[:200])
        print(CALM_LINE, file=sys.stderr)
        return 1
    if args.json:
        payload: dict[str, Any]
        if isinstance(result, AnswerResult):
            payload = result.as_json()
        else:
            payload = {"items": [], "text": terminal_text(render(result))}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(terminal_text(render(result)))
    return 0


def run_console(runtime: Runtime, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    """Read messages until quit or end of input; answer each. Prompts only when interactive."""
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
        print(reply_text(runtime, text), file=stdout)
        print(file=stdout)
        stdout.flush()


def _reader_went_away() -> int:
    """Output piped into `head` and the like may close early: stop quietly, as cat does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def console_cli(args: argparse.Namespace) -> int:
    runtime = _runtime(args)
    load_renderers()
    try:
        return run_console(runtime, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    except BrokenPipeError:
        return _reader_went_away()
