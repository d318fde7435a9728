"""`planbot roles list|assign|remove|whoami|import|export` and `planbot remind [--dry-run]`.

The terminal operator runs the server and is an admin. `planbot remind --dry-run` lists what the
reminder run would post today (and the unfilled owner roles) and posts and claims nothing.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.ask import plain_text, terminal_text
from bot.cli.common import add_as_of, open_runtime
from bot.cli.role_files import add_role_file_verbs, run_role_file
from bot.settings import load_settings
from commands.caller import TERMINAL
from commands.roles.directory import RoleProblem, role_command, whoami_command
from store.db import session_scope

if TYPE_CHECKING:
    from bot.render import Renderable


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roles = subparsers.add_parser(
        "roles",
        help="the role directory: who stands behind each owner role",
        description="List roles, assign or remove people, or show what a person holds.",
    )
    roles_verbs = roles.add_subparsers(dest="roles_verb", metavar="VERB", required=True)
    listing = roles_verbs.add_parser("list", help="every role, its holders and unfilled roles")
    listing.add_argument("role", nargs="?", default="", help="only this role (matched loosely)")
    for verb in ("assign", "remove"):
        change = roles_verbs.add_parser(verb, help=f"{verb} a role for Slack users")
        change.add_argument("role", help='the role, e.g. "Head of MASH"')
        change.add_argument("users", nargs="+", metavar="USER_ID", help="Slack user ids (U…)")
    whoami = roles_verbs.add_parser("whoami", help="the roles a Slack user holds and what they own")
    whoami.add_argument("user", metavar="USER_ID")
    add_role_file_verbs(roles_verbs)
    roles.set_defaults(func=run_roles)
    add_as_of(roles)

    remind = subparsers.add_parser(
        "remind",
        help="post today's due reminders now (or list them with --dry-run)",
        description="Run the reminder policy for today: post each due reminder thread once.",
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="list what would be posted; post and claim nothing"
    )
    add_as_of(remind)
    remind.set_defaults(func=run_remind)


def run_roles(args: argparse.Namespace) -> int:
    from bot.render import render  # every renderer, loaded when a verb prints, not at start

    if args.roles_verb in ("import", "export"):
        return run_role_file(args)
    runtime = open_runtime(load_settings(), args.as_of)
    request = runtime.request("", TERMINAL)
    verb = args.roles_verb
    try:
        with session_scope(runtime.engine) as session:
            if verb == "whoami":
                result: Renderable = whoami_command(session, request, args.user)
            elif verb == "list":
                result = role_command(session, request, f"list {args.role}")
            else:
                role = args.role.replace('"', "")
                rest = f'{verb} "{role}" {" ".join(args.users)}'
                result = role_command(session, request, rest)
    finally:
        runtime.engine.dispose()
    print(terminal_text(render(result)))
    return 1 if isinstance(result, RoleProblem) else 0


def run_remind(args: argparse.Namespace) -> int:
    # The reminder run and Slack's SDK load when a run is asked for, not with `planbot --help`.
    from bot.jobs.reminders import run_reminders
    from bot.slack.client import build_web_client

    settings = load_settings()
    client = None
    if not args.dry_run:
        settings.require("SLACK_BOT_TOKEN")
        client = build_web_client(settings)
    runtime = open_runtime(settings, args.as_of)
    try:
        report = run_reminders(runtime, client, dry_run=args.dry_run)
    finally:
        runtime.engine.dispose()
    print(plain_text(report.summary))
    return 1 if report.failed else 0
