"""`planbot settings show|set`, `planbot cover …` and `planbot approve [ID [--reject]]`: each
plan's governance settings, cover during leave and date changes awaiting approval, from the
terminal (the operator is an admin)."""

from __future__ import annotations

import argparse

from bot.cli.common import add_as_of


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    settings = subparsers.add_parser(
        "settings",
        help="each plan's settings (approval, blue_needs, approver, slip_weeks, reminder_threads)",
        description="Show every plan's settings, or set one: planbot settings set ofsted "
        "approval required.",
    )
    verbs = settings.add_subparsers(dest="settings_verb", metavar="VERB", required=True)
    verbs.add_parser("show", help="every plan's settings, defaults marked")
    chosen = verbs.add_parser("set", help="set one plan's setting")
    chosen.add_argument("plan", help="the plan: ofsted, ambition or its key")
    chosen.add_argument(
        "key", help="approval, blue_needs, approver, slip_weeks or reminder_threads"
    )
    chosen.add_argument("value", nargs="+", help="the new value")
    add_as_of(settings)
    settings.set_defaults(func=run_settings)

    cover = subparsers.add_parser(
        "cover",
        help="cover during leave: list, set or end",
        description='planbot cover list · planbot cover set "Head of MASH" U0DEPUTY1 until '
        '2023-08-18 · planbot cover end "Head of MASH"',
    )
    cover_verbs = cover.add_subparsers(dest="cover_verb", metavar="VERB", required=True)
    cover_verbs.add_parser("list", help="current and booked cover")
    book = cover_verbs.add_parser("set", help="someone covers a role until a date")
    book.add_argument("role", help='the role, e.g. "Head of MASH"')
    book.add_argument("user", metavar="USER_ID", help="the Slack user id of the cover")
    book.add_argument("when", nargs="+", help="until DATE [from DATE]")
    end = cover_verbs.add_parser("end", help="end a role's cover now")
    end.add_argument("role", help='the role, e.g. "Head of MASH"')
    add_as_of(cover)
    cover.set_defaults(func=run_cover)

    approve = subparsers.add_parser(
        "approve",
        help="list new due dates awaiting approval, or approve (or --reject) one",
        description="planbot approve · planbot approve 12 · planbot approve 12 --reject",
    )
    approve.add_argument("id", nargs="?", type=int, help="the request's number (from the list)")
    approve.add_argument("--reject", action="store_true", help="reject it: the date stays")
    add_as_of(approve)
    approve.set_defaults(func=run_approve)


def _run(text: str, as_of: str | None) -> int:
    from bot.cli.ask import terminal_text
    from bot.cli.common import open_runtime
    from bot.render import render
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from commands.governance.plan_settings import PlanSettingsProblem
    from commands.roles.cover import CoverProblem
    from commands.router import handle
    from store.db import session_scope

    runtime = open_runtime(load_settings(), as_of)
    try:
        with session_scope(runtime.engine) as session:
            result = handle(session, runtime.request(text, TERMINAL))
    finally:
        runtime.engine.dispose()
    print(terminal_text(render(result)))
    return 1 if isinstance(result, CoverProblem | PlanSettingsProblem) else 0


def run_settings(args: argparse.Namespace) -> int:
    if args.settings_verb == "show":
        return _run("settings show", args.as_of)
    return _run(f"settings set {args.plan} {args.key} {' '.join(args.value)}", args.as_of)


def run_cover(args: argparse.Namespace) -> int:
    if args.cover_verb == "list":
        return _run("cover list", args.as_of)
    role = args.role.replace('"', "")
    if args.cover_verb == "end":
        return _run(f'cover end "{role}"', args.as_of)
    return _run(f'cover "{role}" <@{args.user}> {" ".join(args.when)}', args.as_of)


def run_approve(args: argparse.Namespace) -> int:
    from bot.cli.ask import terminal_text
    from bot.cli.common import open_runtime
    from bot.render import render
    from bot.render.item_text import day
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from commands.governance.date_changes import DateChangeProblem, decide
    from store.db import session_scope
    from store.queries.governance import waiting_date_changes

    runtime = open_runtime(load_settings(), args.as_of if "as_of" in args else None)
    request = runtime.request("", TERMINAL)
    try:
        with session_scope(runtime.engine) as session:
            if args.id is None:
                waiting = waiting_date_changes(session)
                if not waiting:
                    print("No new due date is waiting for approval.")
                for change in waiting:
                    reason = f" — {change.reason}" if change.reason else " — no reason given"
                    print(
                        f"{change.id}: {change.ref} from {day(change.previous_due)} to "
                        f"{day(change.new_due)}, asked by {change.requested_by} on "
                        f"{day(change.requested_at.date())}{reason}"
                    )
                return 0
            result = decide(session, request, args.id, "reject" if args.reject else "approve")
    finally:
        runtime.engine.dispose()
    print(terminal_text(render(result)))
    return 1 if isinstance(result, DateChangeProblem) else 0
