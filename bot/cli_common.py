"""What the terminal verbs of the Slack side share: `--as-of` after the verb, opening the store."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, SettingsError


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


def open_runtime(settings: Settings, as_of: str | None) -> Runtime:
    """The runtime, or one line naming DATABASE_URL when the database cannot be opened."""
    try:
        return build_runtime(settings, as_of=as_of)
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise SettingsError(f"DATABASE_URL: cannot open the database ({reason})") from None
