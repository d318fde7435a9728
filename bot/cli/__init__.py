"""The `planbot` command: one verb per capability, each group of verbs in a module of bot/cli/."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.cli import ask, digest, governance, measures, plan, report, roles, serve
from bot.cli.common import as_of_date
from bot.settings import LOG_FORMAT, SettingsError

CLI_MODULES = (
    ask,  # ask, console
    plan,  # import, export, db
    serve,  # serve
    roles,  # roles, remind
    digest,  # digest
    measures,  # measures, scorecard
    report,  # report
    governance,  # settings, cover
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planbot",
        description="Slack assistant for a council's children's services improvement plan.",
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        type=as_of_date,
        help="fix the bot's clock, e.g. 2023-02-15 (or PLANBOT_TODAY)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    subparsers = parser.add_subparsers(dest="verb", metavar="COMMAND")
    for module in CLI_MODULES:
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format=LOG_FORMAT,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SettingsError as error:
        print(error.code, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """Output piped into `head` and the like may close early: stop quietly, as cat does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not fail again
    return 0


if __name__ == "__main__":
    sys.exit(main())
