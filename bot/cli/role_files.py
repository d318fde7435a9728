"""`planbot roles import FILE` and `planbot roles export`: the role directory as a YAML or CSV
file (docs/roles.md). An import is one transaction: a bad entry changes nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.cli.common import open_runtime
from bot.settings import load_settings
from store.queries.role_file import (
    RoleFileError,
    apply_role_file,
    read_role_file,
    role_entries,
    role_file_text,
)


def add_role_file_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = verbs.add_parser(
        "import", help="add and update roles from a YAML or CSV role file (docs/roles.md)"
    )
    importer.add_argument("file", metavar="FILE", help=".yaml or .csv")
    importer.add_argument("--dry-run", action="store_true", help="show the report, write nothing")
    exporter = verbs.add_parser("export", help="write the role directory as YAML or CSV")
    exporter.add_argument(
        "--format", choices=("yaml", "csv"), help="default: from --out, else yaml"
    )
    exporter.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")


def _fail(message: str) -> int:
    print(f"planbot: {message}", file=sys.stderr)
    return 1


def run_role_file(args: argparse.Namespace) -> int:
    if args.roles_verb == "export":
        return _export(args)
    try:
        entries = read_role_file(Path(args.file))
    except RoleFileError as error:
        return _fail(f"cannot import {error}")
    runtime = open_runtime(load_settings(), args.as_of)
    try:
        with Session(runtime.engine) as session:
            try:
                report = apply_role_file(session, entries, at=runtime.clock.utcnow())
            except (RoleFileError, SQLAlchemyError) as error:
                session.rollback()
                return _fail(f"cannot import {args.file}: {error}; nothing was changed")
            if args.dry_run:
                session.rollback()
            else:
                session.commit()
    finally:
        runtime.engine.dispose()
    print(report.render(dry_run=args.dry_run))
    return 0


def _export(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    kind = args.format or ("csv" if out and out.suffix.lower() == ".csv" else "yaml")
    runtime = open_runtime(load_settings(), args.as_of)
    try:
        with Session(runtime.engine) as session:
            text = role_file_text(role_entries(session), kind)
    finally:
        runtime.engine.dispose()
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        return _fail(f"cannot write {out}: {error.strerror}")
    print(f"Wrote the role directory to {out} ({kind}).", file=sys.stderr)
    return 0
