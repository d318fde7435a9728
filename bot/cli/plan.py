"""`planbot import`, `planbot export` and `planbot db upgrade|status`: plans in and out.

An import reads every file first, then applies them in one transaction: a bad file stops it with
one line naming the file, row and field, and the database is left exactly as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.cli.common import add_as_of, database_trouble, open_runtime, shown_url
from bot.cli.council_import import add_council_options, council_options_from
from bot.settings import load_settings
from store.db import make_engine, missing_sqlite_file, session_scope
from store.plan_files.plan_doc import FORMATS, PlanFileError

# The readers and writers of plan files (openpyxl, python-docx, the importer) and the migrations
# are imported by the verb that uses them, so every other `planbot` command starts without them.


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser(
        "import",
        help="load plans from YAML, CSV, XLSX or a council's own Word/Excel layout (--dry-run)",
        description="Load plan files into the store. Re-importing a plan updates texts and dates "
        "in place and keeps all status history; rows missing from the file are reported, not "
        "deleted. A council's own spreadsheet or Word plan is read by its headers (--map to "
        "correct the mapping). See docs/PLAN_FORMAT.md and docs/plan-formats.md.",
    )
    importer.add_argument(
        "files", nargs="*", metavar="FILE", help=".yaml, .csv, .xlsx or .docx (a council's own)"
    )
    importer.add_argument("--dry-run", action="store_true", help="show the report, write nothing")
    add_council_options(importer)
    add_as_of(importer)
    importer.add_argument(
        "--roles",
        metavar="FILE",
        help="a role directory (names, aliases) to load first, like store/plans/york-roles.yaml",
    )
    importer.set_defaults(func=import_command)

    exporter = subparsers.add_parser(
        "export",
        help="write the store's plans as YAML (with history), CSV or XLSX",
        description="Write plans out. Without --out the export goes to standard output.",
    )
    exporter.add_argument("--format", choices=FORMATS, help="default: from --out, else yaml")
    exporter.add_argument("--plan", action="append", metavar="KEY", help="only this plan")
    exporter.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    exporter.set_defaults(func=export_command)

    db = subparsers.add_parser("db", help="database schema: upgrade or status")
    db_verbs = db.add_subparsers(dest="db_verb", metavar="upgrade|status", required=True)
    upgrade = db_verbs.add_parser(
        "upgrade", help="migrate to the current schema; a fresh database gets York's plans"
    )
    upgrade.add_argument(
        "--no-seed", action="store_true", help="do not load York's plans into an empty store"
    )
    upgrade.set_defaults(func=db_upgrade_command)
    status = db_verbs.add_parser("status", help="show the schema revision and the plans held")
    status.set_defaults(func=db_status_command)


def _fail(message: str) -> int:
    print("planbot: " + " ".join(message.split()), file=sys.stderr)
    return 1


def import_command(args: argparse.Namespace) -> int:
    from store.plan_files.formats import read_plan_files
    from store.plan_files.import_report import ImportReport
    from store.plan_files.importer import apply_plan
    from store.queries.roles import RoleDirectory, ensure_directory
    from store.seed import keep_york_out, seed_york

    if not args.files and not args.york:
        return _fail("give the plan files to import (or --york for City of York's plans)")
    try:
        options = council_options_from(args)
        plans = read_plan_files([Path(name) for name in args.files], options)
        directory = RoleDirectory.load(Path(args.roles)) if args.roles else RoleDirectory.load()
    except PlanFileError as error:
        return _fail(f"cannot import {error}")
    except OSError as error:
        return _fail(f"cannot read the role directory {args.roles}: {error.strerror}")
    except ValueError as error:
        return _fail(f"cannot read the role directory {error}")
    # Importing loads plans by hand: a fresh database is migrated but not seeded with York's.
    runtime = open_runtime(load_settings(), args.as_of, seed=False)
    at = runtime.clock.utcnow()
    report = ImportReport()
    with Session(runtime.engine, expire_on_commit=False) as session:
        try:
            if args.roles:
                ensure_directory(session, directory, at=at)
            if args.york:
                report.merge(seed_york(session, at=at))
            else:
                # An empty store given another plan is that council's: York stays out of it.
                keep_york_out(session, f"created by importing {', '.join(args.files)}")
            for plan in plans:
                report.merge(
                    apply_plan(
                        session, plan, at=at, directory=directory, assign_people=args.assign_people
                    )
                )
            if args.dry_run:
                session.rollback()
            else:
                session.commit()
        except PlanFileError as error:
            session.rollback()
            return _fail(f"cannot import {error}; nothing was changed")
        except SQLAlchemyError as error:
            session.rollback()
            cause = str(getattr(error, "orig", error)).splitlines()[0]
            return _fail(f"the import failed in the database ({cause}); nothing was changed")
    runtime.engine.dispose()
    print(report.render(dry_run=args.dry_run))
    return 0


def export_command(args: argparse.Namespace) -> int:
    from store.plan_files.exporter import UnknownPlanError, export_plans
    from store.plan_files.formats import format_of, render_plans

    out = Path(args.out) if args.out else None
    kind = args.format or (format_of(out) if out else None) or "yaml"
    if out is None and kind == "xlsx" and sys.stdout.isatty():
        return _fail("an .xlsx workbook is binary: give --out FILE.xlsx or redirect the output")
    runtime = open_runtime(load_settings(), args.as_of)
    try:
        with Session(runtime.engine) as session:
            plans = export_plans(session, args.plan)
    except UnknownPlanError as error:
        return _fail(str(error))
    finally:
        runtime.engine.dispose()
    content = render_plans(plans, kind)
    if out is not None:
        try:
            if isinstance(content, bytes):
                out.write_bytes(content)
            else:
                # A byte-order mark tells Excel the CSV is UTF-8.
                encoding = "utf-8-sig" if kind == "csv" else "utf-8"
                out.write_text(content, encoding=encoding, newline="")
        except OSError as error:
            return _fail(f"cannot write {out}: {error.strerror}")
        print(f"Wrote {len(plans)} plan(s) to {out} ({kind}).", file=sys.stderr)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)
    return 0


@contextmanager
def _engine(url: str | None) -> Iterator[Engine]:
    """An engine for the `db` verbs, disposed of when they are done."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def db_upgrade_command(args: argparse.Namespace) -> int:
    from store.migrate import current_revision
    from store.plan_files.exporter import plan_keys
    from store.seed import keep_york_out, prepare_database, without_york

    settings = load_settings()
    clock = settings.clock(args.as_of)
    where = shown_url(settings.database_url)
    try:
        with _engine(settings.database_url) as engine:
            before = current_revision(engine)
            seeded = prepare_database(engine, at=clock.utcnow(), seed=not args.no_seed)
            if args.no_seed:
                with session_scope(engine) as session:
                    keep_york_out(session, "created with planbot db upgrade --no-seed")
            after = current_revision(engine)
            with Session(engine) as session:
                keys = plan_keys(session)
                no_york = without_york(session)
    except (SQLAlchemyError, OSError) as error:
        raise database_trouble(error, "upgrade", settings.database_url) from None
    if before == after:
        print(f"{where}: schema already current (revision {after}).")
    else:
        print(f"{where}: schema upgraded from {before or 'empty'} to revision {after}.")
    if seeded:
        print("Seeded City of York's plans.")
    elif no_york and not args.no_seed:
        print("This store was created with --no-seed: York's plans are not loaded into it.")
    print(f"Plans: {', '.join(keys) or 'none'}.")
    return 0


def db_status_command(args: argparse.Namespace) -> int:
    from store.migrate import current_revision, head_revision
    from store.plan_files.exporter import plan_keys

    settings = load_settings()
    missing = missing_sqlite_file(settings.database_url)
    if missing is not None:
        print(f"Database: {shown_url(settings.database_url)}")
        print(
            f"No database at {missing} yet. `planbot db upgrade` would create it and load City "
            "of York's plans; `planbot db upgrade --no-seed` would create an empty store that "
            "never gets York's."
        )
        return 1
    try:
        with _engine(settings.database_url) as engine:
            current = current_revision(engine)
            head = head_revision(engine)
            keys: list[str] = []
            if current is not None:
                with Session(engine) as session:
                    keys = plan_keys(session)
    except (SQLAlchemyError, OSError) as error:
        raise database_trouble(error, "open", settings.database_url) from None
    state = "current" if current == head else "needs `planbot db upgrade`"
    print(f"Database: {shown_url(settings.database_url)}")
    print(f"Schema: revision {current or 'none (empty database)'}; latest {head} ({state}).")
    print(f"Plans: {', '.join(keys) or 'none'}.")
    return 0 if current == head else 1
