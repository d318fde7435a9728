"""`planbot measures import|export|chart|seed` and `planbot scorecard [--json]`: success measures
from the terminal (the performance team's monthly figures come in as CSV or Excel)."""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import add_as_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from commands.request import Request


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    measures = subparsers.add_parser(
        "measures",
        help="import, export or chart success measures' values",
        description="Success measures: import values (CSV/XLSX), export them, draw a chart.",
    )
    verbs = measures.add_subparsers(dest="measures_verb", metavar="VERB", required=True)
    imported = verbs.add_parser("import", help="record values from a CSV or XLSX file")
    imported.add_argument("file", type=Path, help="measure,period_start,period_end,value[,note…]")
    imported.add_argument(
        "--create", action="store_true", help="create measures the file names that do not exist"
    )
    exported = verbs.add_parser("export", help="write every current value as CSV or XLSX")
    exported.add_argument(
        "--out", type=Path, help="write to this .csv or .xlsx file (default: print CSV)"
    )
    exported.add_argument(
        "--exact", action="store_true", help="write small counts as they are (not 'fewer than 5')"
    )
    chart = verbs.add_parser("chart", help="draw a measure's XmR chart as PNG")
    chart.add_argument("name", help='the measure, e.g. "Staff turnover"')
    chart.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    verbs.add_parser("seed", help="add York's measures from the plans' text (no values)")
    define = verbs.add_parser("set", help="set a measure's unit, target, owner, benchmarks…")
    define.add_argument("name", help='the measure, e.g. "Staff turnover"')
    for option, text in (
        ("--unit", "count, %, fraction, rate or days"), ("--polarity", "higher, lower or near"),
        ("--target", "the target, in the measure's unit"), ("--tolerance", "the band around it"),
        ("--frequency", "monthly, quarterly or annual"), ("--owner", "the owner role"),
        ("--neighbours", "statistical neighbours' average"), ("--england", "England's figure"),
        ("--rebase", "a change point (2023-04-01): XmR limits start again from it"),
    ):  # fmt: skip
        define.add_argument(option, help=text)
    for parser in (imported, exported, chart):
        add_as_of(parser)
    measures.set_defaults(func=run_measures)

    scorecard = subparsers.add_parser(
        "scorecard",
        help="each measure's latest value, target, RAG, direction, SPC signals and commentary",
        description="Print the scorecard (or --json: one object per measure).",
    )
    scorecard.add_argument("scope", nargs="?", help="a plan, area, action or owner role")
    scorecard.add_argument("--json", action="store_true", help="one JSON object per measure")
    scorecard.add_argument(
        "--all", action="store_true", help="list measures with no values or target too"
    )
    add_as_of(scorecard)
    scorecard.set_defaults(func=run_scorecard)


def run_measures(args: argparse.Namespace) -> int:
    from bot.cli.common import open_runtime
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from store.db import session_scope

    runtime = open_runtime(load_settings(), args.as_of if "as_of" in args else None)
    request = runtime.request("", TERMINAL)
    try:
        with session_scope(runtime.engine) as session:
            if args.measures_verb == "import":
                return _import(session, request, args)
            if args.measures_verb == "export":
                return _export(session, request, args)
            if args.measures_verb == "chart":
                return _chart(session, request, args)
            if args.measures_verb == "set":
                return _define(session, request, args)
            from store.measure_seed import seed_measures

            added = seed_measures(session, at=request.clock.utcnow())
            print(f"Added {added} measures from the plans' text.")
            return 0
    finally:
        runtime.engine.dispose()


def _import(session: Session, request: Request, args: argparse.Namespace) -> int:
    from commands.measures.values_import import MeasuresImported, import_values

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        print(f"planbot: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    result = import_values(session, request, args.file.name, raw, create=args.create)
    if isinstance(result, MeasuresImported):
        print(
            f"{result.file}: {result.recorded} values recorded, {result.replaced} corrected "
            f"(the old values kept in the history), {result.unchanged} unchanged."
        )
        if result.created:
            print(f"Created {len(result.created)} measures: " + "; ".join(result.created))
        return 0
    session.rollback()
    print(f"{result.file}: nothing imported.", file=sys.stderr)
    for problem in result.problems:
        print(f"  {problem}", file=sys.stderr)
    if result.more:
        print(f"  … and {result.more} more problems", file=sys.stderr)
    return 1


def _export(session: Session, request: Request, args: argparse.Namespace) -> int:
    from commands.measures.values_export import as_workbook, export_rows
    from store.plan_files.measure_values import write_csv

    rows = export_rows(session, request.policy.measures, exact=args.exact)
    if args.out and args.out.suffix.lower() == ".xlsx":
        args.out.write_bytes(as_workbook(rows))
        print(f"Wrote {len(rows) - 1} values to {args.out}.")
        return 0
    text = write_csv(rows)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Wrote {text.count(chr(10)) - 1} values to {args.out}.")
    else:
        sys.stdout.write(text)
    return 0


def _chart(session: Session, request: Request, args: argparse.Namespace) -> int:
    from bot.render import render
    from bot.render.measure_chart import chart_png
    from commands.measures.record import MeasureChart, chart_of

    result = chart_of(session, request, args.name)
    if not isinstance(result, MeasureChart):
        print(html.unescape(render(result).text), file=sys.stderr)
        return 1
    args.out.write_bytes(chart_png(result.series, result.small_count))
    print(f"Wrote {args.out}. {html.unescape(render(result).text)}")
    return 0


def _define(session: Session, request: Request, args: argparse.Namespace) -> int:
    from commands.measures.define import MeasureChanges, MeasureDefined, define_measure

    fields = ("unit", "polarity", "target", "tolerance", "frequency", "owner", "neighbours",
              "england", "rebase")  # fmt: skip
    changes = MeasureChanges(**{field: getattr(args, field) for field in fields})
    result = define_measure(session, request, args.name, changes)
    if isinstance(result, MeasureDefined):
        print(f"{result.name}: " + ("; ".join(result.changed) or "nothing to change") + ".")
        return 0
    session.rollback()
    print(result.message, file=sys.stderr)
    return 1


def run_scorecard(args: argparse.Namespace) -> int:
    from bot.cli.common import open_runtime
    from bot.render.measures import render_scorecard
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from commands.measures.scorecard import ScopeProblem, compose
    from store.db import session_scope

    runtime = open_runtime(load_settings(), args.as_of if "as_of" in args else None)
    request = runtime.request("", TERMINAL)
    try:
        with session_scope(runtime.engine) as session:
            result = compose(
                session,
                request.clock.today(),
                args.scope,
                request.policy.measures,
                include_empty=args.all,
            )
    except ScopeProblem as problem:
        print(str(problem), file=sys.stderr)
        return 1
    finally:
        runtime.engine.dispose()
    if args.json:
        print(json.dumps([row.as_json() for row in result.rows], indent=2, ensure_ascii=False))
    else:
        print(html.unescape(render_scorecard(result).text))
    return 0
