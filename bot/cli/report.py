"""`planbot report scrutiny --as-of DATE [--since DATE] [--scope S] --out FILE.docx`: the
committee paper drafted from the plan, written as Word for an officer to edit."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.cli.common import add_as_of


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report",
        help="write a committee paper (Word) from the plan",
        description="Draft a committee paper from the plan's dated updates.",
    )
    report.add_argument("kind", choices=("scrutiny",), help="the kind of paper")
    report.add_argument(
        "--since", type=date.fromisoformat, help="start of the period (default: 3 months)"
    )
    report.add_argument(
        "--scope", help="a plan (ofsted, ambition) or an area (OA3); default ofsted"
    )
    report.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    add_as_of(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from bot.cli.common import open_runtime
    from bot.render.paper_docx import scrutiny_docx
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from commands.reports.facts import PaperProblem, paper_facts
    from store.db import session_scope

    runtime = open_runtime(load_settings(), args.as_of if "as_of" in args else None)
    today = runtime.request("", TERMINAL).clock.today()
    try:
        with session_scope(runtime.engine) as session:
            facts = paper_facts(session, today, args.since, args.scope)
    finally:
        runtime.engine.dispose()
    if isinstance(facts, PaperProblem):
        print(f"planbot: {facts.message}", file=sys.stderr)
        return 1
    args.out.write_bytes(scrutiny_docx(facts))
    exceptions = sum(len(area.exceptions) for area in facts.areas)
    print(
        f"Wrote {args.out}: {len(facts.areas)} areas, {len(facts.rows)} items, "
        f"{exceptions} exceptions, data as at {facts.as_of}."
    )
    return 0
