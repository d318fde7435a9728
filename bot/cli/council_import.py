"""The `planbot import` options for a council's own layout: --map, --status-map, --keep-extra,
--assign-people, --key/--title/--prefix/--council and --york (docs/PLAN_FORMAT.md)."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from commands.clock import parse_when
from store.plan_files.plan_doc import PlanFileError

if TYPE_CHECKING:
    from store.plan_files.council_table import CouncilOptions


def add_council_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--map",
        metavar="COLUMN=FIELD,...",
        default="",
        help='say what a column means, e.g. "Who=owner,When=due,Notes=extra,Cost=skip"',
    )
    parser.add_argument(
        "--status-map",
        metavar="WRITTEN=STATUS,...",
        default="",
        help='read statuses your way, e.g. "Partly=in_progress:amber,5=dropped"',
    )
    parser.add_argument(
        "--keep-extra", action="store_true", help="keep unmapped columns as text on the action"
    )
    parser.add_argument(
        "--assign-people",
        action="store_true",
        help='give a "U123…, Role" owner cell\'s person the role (names are only reported)',
    )
    parser.add_argument("--key", default="", help="plan key for a council file (default: name)")
    parser.add_argument("--title", default="", help="plan title for a council file")
    parser.add_argument("--prefix", default="", help="area prefix, e.g. TB (default: initials)")
    parser.add_argument("--council", default=None, help="the council's name")
    parser.add_argument(
        "--york", action="store_true", help="load City of York's shipped plans into this store"
    )


def council_options_from(args: argparse.Namespace) -> CouncilOptions:
    """The council options given; PlanFileError names the option that is wrong."""
    # Imported here: the council readers (rapidfuzz, date words) only matter to an import.
    from store.plan_files.council_table import CouncilOptions
    from store.plan_files.headers import parse_map
    from store.plan_files.status_words import parse_status_map

    try:
        column_map = parse_map(args.map)
    except ValueError as error:
        raise PlanFileError("--map", "", str(error)) from None
    try:
        status_map = parse_status_map(args.status_map)
    except ValueError as error:
        raise PlanFileError("--status-map", "", str(error)) from None
    as_of = getattr(args, "as_of", None)
    when = parse_when(as_of) if as_of else None
    day = when.date() if isinstance(when, datetime) else when
    return CouncilOptions(
        key=args.key,
        title=args.title,
        prefix=args.prefix,
        council=args.council,
        column_map=column_map,
        status_map=status_map,
        keep_extra=args.keep_extra,
        as_of=day,
    )
