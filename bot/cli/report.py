"""`planbot report scrutiny|board|challenge --as-of DATE [--since DATE] [--scope S]
[--template FILE.docx] [--settings FILE.yaml] --out FILE.docx [--xlsx FILE.xlsx]`: a committee
paper drafted from the plan, written as Word (planbot's layout or the council's own template) for
an officer to edit, with Annex A as a workbook beside it on request; `planbot report template
--paper KIND` writes a starting template."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import add_as_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from commands.measures.scorecard import ScorecardRow
    from commands.reports.facts import PaperFacts, PaperProblem
    from commands.request import Policy

DEFAULT_SCOPE = {"scrutiny": "ofsted", "board": "all", "challenge": "", "template": ""}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = subparsers.add_parser(
        "report",
        help="write a committee paper (Word) from the plan",
        description="Draft a committee paper from the plan's dated updates.",
    )
    report.add_argument(
        "kind",
        choices=tuple(DEFAULT_SCOPE),
        help="scrutiny: the committee's progress report; board: the quarterly board pack; "
        "challenge: one Head of Service's monthly support-and-challenge pack (--scope ROLE); "
        "template: write planbot's starting Word template for a council to restyle",
    )
    report.add_argument(
        "--since", type=date.fromisoformat, help="start of the period (default: 3 months)"
    )
    report.add_argument(
        "--scope",
        help="all, a plan (ofsted, ambition) or an area (OA3); default ofsted for scrutiny, "
        'all for board; for challenge, the role ("Head of MASH")',
    )
    report.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    report.add_argument("--xlsx", type=Path, help="also write Annex A (the tracker) to this file")
    report.add_argument(
        "--template", type=Path, help="write the paper into this council Word template (.docx)"
    )
    report.add_argument(
        "--paper",
        choices=("scrutiny", "board", "challenge"),
        default="scrutiny",
        help="with `template`: which paper's starting template to write (default scrutiny)",
    )
    report.add_argument(
        "--settings", type=Path, help="the council's standing text (committee, contact…), YAML"
    )
    add_as_of(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from bot.cli.common import open_runtime
    from bot.settings import load_settings
    from commands.caller import TERMINAL
    from commands.reports.facts import PaperProblem
    from store.db import session_scope
    from store.queries.governance import record_paper

    if args.kind == "template":
        from bot.render.paper_template import default_template

        args.out.write_bytes(default_template(args.paper))
        print(
            f"Wrote {args.out}: planbot's starting template for the {args.paper} paper; restyle "
            "it in Word, keep the tags."
        )
        return 0
    if args.kind == "challenge" and not args.scope:
        print('planbot: say whose pack: --scope "Head of MASH"', file=sys.stderr)
        return 1
    runtime = open_runtime(load_settings(), args.as_of if "as_of" in args else None)
    request = runtime.request("", TERMINAL)
    try:
        with session_scope(runtime.engine) as session:
            facts, measures = _facts(session, args, request.clock.today(), runtime.policy)
        if isinstance(facts, PaperProblem):
            print(f"planbot: {facts.message}", file=sys.stderr)
            return 1
        if not _write(args, facts, measures):
            return 1
        with session_scope(runtime.engine) as session:  # the next paper reports from here
            record_paper(session, args.kind, facts.scope, facts.as_of, by="terminal",
                         at=request.clock.utcnow())  # fmt: skip
    finally:
        runtime.engine.dispose()
    return 0


def _facts(
    session: Session, args: argparse.Namespace, today: date, policy: Policy
) -> tuple[PaperFacts | PaperProblem, tuple[ScorecardRow, ...]]:
    """What the paper says, from the period since the last paper of its kind (or --since)."""
    from commands.measures.scorecard import ScopeProblem, scorecard_rows
    from commands.reports.facts import PaperProblem, default_since, paper_facts
    from commands.roles.directory import match_role
    from store.queries.governance import last_paper

    scope = args.scope or DEFAULT_SCOPE[args.kind]
    if args.kind == "challenge":
        role, _ = match_role(session, scope)
        scope = role.name if role else scope
    last = last_paper(session, args.kind, scope, today)
    month = timedelta(days=30)  # support-and-challenge sessions are monthly
    fallback = today - month if args.kind == "challenge" else default_since(today)
    since = args.since or (last.as_of if last else fallback)
    if args.kind == "challenge":
        found = paper_facts(session, today, since, owned_by=scope, next_meeting=today + month)
        return found, ()
    facts = paper_facts(session, today, since, scope)
    measures: tuple[ScorecardRow, ...] = ()
    if args.kind == "board" and not isinstance(facts, PaperProblem):
        wanted = None if scope.strip().lower() in ("all", "both", "all plans") else scope
        try:
            measures = scorecard_rows(session, today, wanted, settings=policy.measures)
        except ScopeProblem:
            measures = ()  # no measure evidences this scope: Annex B says so
    return facts, measures


def _write(args: argparse.Namespace, facts: PaperFacts, measures: tuple[ScorecardRow, ...]) -> bool:
    """Write the paper (and Annex A as a workbook when asked); False when it could not be."""
    from bot.render.paper_docx import board_docx, challenge_docx, scrutiny_docx

    if args.template or args.settings:
        filled = _council_paper(args, facts, measures)
        if filled is None:
            return False
        paper = filled
    elif args.kind == "challenge":
        paper = challenge_docx(facts)
    elif args.kind == "scrutiny":
        paper = scrutiny_docx(facts)
    else:
        paper = board_docx(facts, measures)
    args.out.write_bytes(paper)
    if args.xlsx:
        from bot.render.paper_xlsx import tracker_xlsx  # openpyxl, only when a workbook is asked

        args.xlsx.write_bytes(tracker_xlsx(facts))
    exceptions = sum(len(area.exceptions) for area in facts.areas)
    annex_b = f", {len(measures)} measures in Annex B" if args.kind == "board" else ""
    also = f" Annex A also written to {args.xlsx}." if args.xlsx else ""
    print(
        f"Wrote {args.out}: {len(facts.areas)} areas, {len(facts.rows)} items, "
        f"{exceptions} exceptions{annex_b}, data as at {facts.as_of}, changes since "
        f"{facts.since}.{also}"
    )
    return True


def _council_paper(
    args: argparse.Namespace, facts: PaperFacts, measures: tuple[ScorecardRow, ...]
) -> bytes | None:
    """The paper in the council's template with its standing text; None (said why) when the
    template or settings cannot be used."""
    from bot.render.paper_template import (
        StandingText,
        TemplateProblem,
        default_template,
        fill_template,
    )

    try:
        standing = StandingText.read(args.settings) if args.settings else StandingText()
        if args.template is None:
            template = default_template(args.kind)
        else:
            try:
                template = args.template.read_bytes()
            except OSError as error:
                raise TemplateProblem(f"cannot read {args.template}: {error.strerror}") from error
        return fill_template(args.kind, template, facts, standing, measures)
    except TemplateProblem as problem:
        print(f"planbot: {problem}", file=sys.stderr)
        return None
