"""What the terminal verbs of the Slack side share: `--as-of` after the verb, opening the store."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, SettingsError
from commands.clock import parse_when
from store.db import default_database_url, normalise_url


def as_of_date(text: str) -> str:
    """An --as-of value, checked as argparse reads it, so a typo gets one line, not a traceback."""
    try:
        parse_when(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date such as 2023-02-15 (or 2023-02-15T08:30)"
        ) from None
    return text


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


# People's names as Slack gave them (store.queries.people), read when the store is opened: the
# terminal prints a role holder as "@Jo Bloggs", never as "@U0MASH001" when the name is known.
PEOPLE: dict[str, str] = {}


def open_runtime(settings: Settings, as_of: str | None, *, seed: bool = True) -> Runtime:
    """The runtime (the database migrated and, with `seed`, York's plans loaded when it holds
    none), or a SettingsError naming DATABASE_URL when the database cannot be opened."""
    from store.db import session_scope
    from store.queries.people import names

    try:
        runtime = build_runtime(settings, as_of=as_of, seed=seed)
        with session_scope(runtime.engine) as session:
            PEOPLE.clear()
            PEOPLE.update(names(session))
        return runtime
    except (SQLAlchemyError, OSError) as error:
        raise database_trouble(error, "open", settings.database_url) from None


def shown_url(url: str | None) -> str:
    """The database URL as planbot uses it, password hidden."""
    return make_url(normalise_url(url or default_database_url())).render_as_string(
        hide_password=True
    )


def database_trouble(error: Exception, what: str, url: str | None) -> SettingsError:
    """One line: `DATABASE_URL: cannot open the database sqlite:///x.db: file is not a database`."""
    cause = error.strerror if isinstance(error, OSError) else getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines() or [type(error).__name__]
    return SettingsError(f"DATABASE_URL: cannot {what} the database {shown_url(url)}: {lines[0]}")
