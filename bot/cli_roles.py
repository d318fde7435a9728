"""`planbot roles list|assign|remove|whoami` and `planbot remind [--dry-run]` from the terminal.

The terminal operator runs the server and is an admin. `planbot remind --dry-run` lists what the
reminder run would post today (and the unfilled owner roles) and posts and claims nothing.
"""

from __future__ import annotations

import argparse

from bot.reminder_jobs import run_reminders
from bot.render import load_renderers, render
from bot.runtime import build_runtime
from bot.settings import load_settings
from bot.slack_client import build_web_client
from commands.caller import TERMINAL
from commands.roles import RoleProblem, role_command, whoami_command
from store.db import session_scope


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


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """`--as-of` after the verb too (`planbot remind --dry-run --as-of 2023-02-13`); given before
    the verb, planbot's own option still counts."""
    parser.add_argument(
        "--as-of",
        dest="as_of",
        default=argparse.SUPPRESS,
        metavar="DATE",
        help="fix the clock, e.g. 2023-02-13 (or PLANBOT_TODAY)",
    )


def run_roles(args: argparse.Namespace) -> int:
    load_renderers()
    runtime = build_runtime(load_settings(), as_of=args.as_of)
    request = runtime.request("", TERMINAL)
    verb = args.roles_verb
    with session_scope(runtime.engine) as session:
        if verb == "whoami":
            result: object = whoami_command(session, request, args.user)
        elif verb == "list":
            result = role_command(session, request, f"list {args.role}")
        else:
            role = args.role.replace('"', "")
            rest = f'{verb} "{role}" {" ".join(args.users)}'
            result = role_command(session, request, rest)
    print(render(result).text)
    return 1 if isinstance(result, RoleProblem) else 0


def run_remind(args: argparse.Namespace) -> int:
    load_renderers()
    settings = load_settings()
    runtime = build_runtime(settings, as_of=args.as_of)
    client = None
    if not args.dry_run:
        settings.require("SLACK_BOT_TOKEN")
        client = build_web_client(settings)
    report = run_reminders(runtime, client, dry_run=args.dry_run)
    print(report.summary)
    return 1 if report.failed else 0
