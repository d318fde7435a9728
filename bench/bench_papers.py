"""How fast a committee paper is written: York's board pack, and one 300-action plan's pack in a
10,000-action store (issue 18).

    .venv/bin/python bench/bench_papers.py [--rounds 5] [--size 98] [--profile] [--whole-store]

Builds two SQLite stores in a temporary folder: York's (both plans as seeded, with 24 monthly
values, Apr 2021 to Mar 2023, for each of its success measures, so Annex B is full), and York
plus `bench.synthetic` plans (`--size 98`: one plan of 10 areas x 30 actions, `synthetic-saa`,
beside 97 of 100 actions; 10,084 actions, 30,118 steps in all). The large store gets a quarter's
activity before the paper's date: 120 chat updates with notes on the 300-action plan (some moving
a due date) and 1,000 more spread over the other plans.

Each paper is the board pack as of 31 Mar 2023, changes since 28 Dec 2022 (what the command line
defaults to: `default_since`, three months back with the day capped at 28):
1. In process: `paper_facts` (what the paper says), `scorecard_rows` (Annex B) and `board_docx`
   (the Word file), timed apart, after one cold call (imports, matplotlib's fonts) shown on its
   own; `tracker_xlsx` (Annex A as a workbook, `--xlsx`) beside it, not in the pack's total.
   Peak memory: tracemalloc's peak over one more pack, traced on its own (tracing slows it). It
   sees only Python's allocator, not libxml2's, where python-docx keeps the document, nor
   matplotlib's drawing buffer: the command line's ru_maxrss below is the whole process.
2. The command line as a subprocess, `planbot report board --as-of 2023-03-31 --out x.docx`
   (`--scope synthetic-saa` on the large store), each run on a fresh copy of the store, since the
   command records the paper and the next run would report from it. Wall time includes Python's
   start-up; `planbot --help` is timed as its floor. Peak memory: the child's ru_maxrss, read
   with resource.getrusage(RUSAGE_CHILDREN) in a small launcher process that starts it. (Not in
   this process: Linux keeps a child's ru_maxrss at least the RSS of the process that forked it,
   which here, holding the 10,000-action store, is larger than planbot's own.)
Median and max of `--rounds`. Aims: York ≤ 3 s; the 300-action plan in 10,000 actions ≤ 10 s.
`--profile` prints cProfile's top functions for each pack in process; `--whole-store` also times
one pack over every plan of the large store (the board's default scope is all plans): minutes,
with the growth of this process's peak RSS (VmHWM, reset through /proc/self/clear_refs).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from slack_fixtures import clean_environment, planbot_command  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench.synthetic import SyntheticSize, fill_synthetic  # noqa: E402
from bot.render.paper_docx import board_docx  # noqa: E402
from bot.render.paper_xlsx import tracker_xlsx  # noqa: E402
from commands.caller import TERMINAL  # noqa: E402
from commands.clock import Clock  # noqa: E402
from commands.measures.numbers import month_end  # noqa: E402
from commands.measures.scorecard import ScopeProblem, ScorecardRow, scorecard_rows  # noqa: E402
from commands.measures.values_import import MeasuresImported, import_values  # noqa: E402
from commands.reports.facts import PaperFacts, PaperProblem, default_since, paper_facts  # noqa: E402
from commands.request import Policy, Request  # noqa: E402
from store.db import make_engine, session_scope  # noqa: E402
from store.models import Action, Plan  # noqa: E402
from store.queries.measures import all_measures  # noqa: E402
from store.queries.state import record_update  # noqa: E402
from store.seed import prepare_database  # noqa: E402

SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)
AS_OF = date(2023, 3, 31)
SINCE = default_since(AS_OF)  # what the command line uses when no paper was issued before
LARGE_PLAN = "synthetic-saa"  # bench.synthetic's first plan: 10 areas x 30 actions
YORK_AIM = 3.0
LARGE_AIM = 10.0
MB = 1024 * 1024


@dataclass
class Case:
    """One paper's figures: seconds per part, and what was written."""

    name: str
    parts: dict[str, list[float]] = field(default_factory=dict)
    cold: float = 0.0
    peak_mb: float = 0.0
    rss_growth_mb: float | None = None
    facts: PaperFacts | None = None
    measures: int = 0
    docx_bytes: int = 0

    def add(self, part: str, seconds: float) -> None:
        self.parts.setdefault(part, []).append(seconds)


def build_york(folder: Path) -> tuple[str, int]:
    """York as seeded, plus 24 monthly values for each of its success measures (so Annex B has
    a row per measure, with an XmR reading); the number of values."""
    url = f"sqlite:///{folder / 'york.db'}"
    engine = make_engine(url)
    prepare_database(engine, at=SEEDED_AT)
    rng = random.Random(19)
    with session_scope(engine) as session:
        names = [measure.name for measure in all_measures(session)]
        text = io.StringIO()
        sheet = csv.writer(text, lineterminator="\n")
        sheet.writerow(["measure", "period_start", "period_end", "value", "unit", "target"])
        for name in names:
            level = rng.uniform(20, 80)
            for month in range(24):
                start = date(2021 + (month + 3) // 12, (month + 3) % 12 + 1, 1)
                value = max(0.0, min(100.0, level + rng.gauss(0, 4) + month * 0.3))
                target = f"{level + 10:.0f}" if month == 0 else ""
                sheet.writerow([name, start, month_end(start), f"{value:.1f}", "percent", target])
        request = Request("", TERMINAL, Clock.fixed_at(AS_OF), Policy())
        done = import_values(session, request, "york-values.csv", text.getvalue().encode())
        assert isinstance(done, MeasuresImported), done
    engine.dispose()
    return url, done.recorded


def build_large(folder: Path, plans: int) -> tuple[str, SyntheticSize]:
    """York plus `plans` synthetic plans, the first of 300 actions, with a quarter's updates."""
    url = f"sqlite:///{folder / 'large.db'}"
    engine = make_engine(url)
    prepare_database(engine, at=SEEDED_AT)
    made = fill_synthetic(engine, SyntheticSize(plans=plans, first_plan_actions_per_area=30))
    rng = random.Random(18)
    start = datetime(2023, 1, 3, 9, tzinfo=UTC)
    with session_scope(engine) as session:
        plan_id = session.exec(select(Plan.id).where(Plan.key == LARGE_PLAN)).one()
        ours = list(session.exec(select(Action.id).where(Action.plan_id == plan_id)))
        others = list(session.exec(select(Action.id).where(col(Action.plan_id) != plan_id)))
        picked = [(i, True) for i in rng.sample(ours, 120)]
        picked += [(i, False) for i in rng.sample(others, min(1000, len(others)))]
        for action_id, in_plan in picked:
            action = session.get(Action, action_id)
            assert action is not None
            moved = in_plan and rng.random() < 0.2 and action.due_date is not None
            record_update(
                session,
                action,
                at=start + timedelta(minutes=rng.randint(0, 85 * 24 * 60)),
                source="chat",
                author=f"U{rng.randint(1, 400):08d}",
                status=rng.choice(["in_progress", "in_progress", "blocked", "done"]),
                rag=rng.choice([None, "green", "amber", "red"]),
                due=action.due_date + timedelta(days=60) if moved and action.due_date else None,
                note="Progress reported at the performance session; audit sample due next month.",
            )
    engine.dispose()
    return url, made


def pack(session: Session, scope: str) -> tuple[PaperFacts, tuple[ScorecardRow, ...], bytes]:
    """What `planbot report board` works out and writes, without the command line around it."""
    facts = paper_facts(session, AS_OF, SINCE, scope)
    assert not isinstance(facts, PaperProblem), facts
    measures = board_measures(session, scope)
    return facts, measures, board_docx(facts, measures)


def board_measures(session: Session, scope: str) -> tuple[ScorecardRow, ...]:
    wanted = None if scope == "all" else scope
    try:
        return scorecard_rows(session, AS_OF, wanted, settings=Policy().measures)
    except ScopeProblem:
        return ()  # as the command line: no measure is under this scope, Annex B says so


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def in_process(name: str, url: str, scope: str, rounds: int, *, once: bool = False) -> Case:
    """`rounds` packs timed in parts, after a cold one; then one traced by tracemalloc. `once`:
    a single pack, timed in parts, with the growth of the peak RSS over it, nothing else."""
    case = Case(name)
    engine = make_engine(url)
    if not once:
        with Session(engine) as session:
            case.cold = timed(lambda: pack(session, scope))[0]
    before = reset_peak_rss() if once else None
    for _ in range(rounds):
        with Session(engine) as session:
            wall, cpu = time.perf_counter(), time.process_time()
            facts = paper_facts(session, AS_OF, SINCE, scope)
            assert not isinstance(facts, PaperProblem), facts
            case.add("facts", time.perf_counter() - wall)
            t0 = time.perf_counter()
            measures = board_measures(session, scope)
            case.add("scorecard", time.perf_counter() - t0)
            t0 = time.perf_counter()
            paper = board_docx(facts, measures)
            case.add("docx", time.perf_counter() - t0)
            case.add("pack", time.perf_counter() - wall)
            case.add("pack_cpu", time.process_time() - cpu)
            t0 = time.perf_counter()
            tracker_xlsx(facts)
            case.add("xlsx", time.perf_counter() - t0)
            case.facts, case.measures, case.docx_bytes = facts, len(measures), len(paper)
    if once:
        if before is not None:
            case.rss_growth_mb = (rss_kib("VmHWM") - before) / 1024
        engine.dispose()
        return case
    with Session(engine) as session:
        tracemalloc.start()
        pack(session, scope)
        case.peak_mb = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    engine.dispose()
    return case


def rss_kib(field: str) -> int:
    """VmRSS or VmHWM (the peak) of this process, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak_rss() -> int | None:
    """Set this process's peak RSS back to its current RSS (Linux); that RSS in KiB, or None
    when the peak cannot be reset here."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return rss_kib("VmRSS")
    except OSError:
        return None


def command_line(name: str, url: str, scope: str | None, rounds: int, folder: Path) -> Case:
    """`planbot report board` as a subprocess on a fresh copy of the store each time."""
    case = Case(name)
    store = Path(url.removeprefix("sqlite:///"))
    for n in range(rounds):
        copy = folder / f"cli-{n}.db"
        shutil.copyfile(store, copy)
        out = folder / f"cli-{n}.docx"
        argv = ["report", "board", "--as-of", AS_OF.isoformat(), "--out", str(out)]
        argv += ["--scope", scope] if scope else []
        wall, rss, cpu, said = run_child(argv, f"sqlite:///{copy}")
        case.add("wall", wall)
        case.add("child_cpu", cpu)
        case.peak_mb = max(case.peak_mb, rss)
        case.docx_bytes = out.stat().st_size
        if n == 0:
            print(f"  {name}: {said}")
        copy.unlink()
    return case


LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kib": used.ru_maxrss, "cpu": used.ru_utime + used.ru_stime,
                  "code": done.returncode, "said": (done.stdout + done.stderr).strip()}))
"""


def run_child(argv: list[str], url: str) -> tuple[float, float, float, str]:
    """(wall s, ru_maxrss MB, user+system CPU s, last line printed) of one planbot command, run
    by a fresh small Python process (`LAUNCHER`) so that its ru_maxrss is planbot's own."""
    env = clean_environment(DATABASE_URL=url)
    launched = subprocess.run(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *planbot_command(), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    got = json.loads(launched.stdout)
    if got["code"] != 0:
        raise SystemExit(f"planbot {' '.join(argv)} failed ({got['code']}): {got['said']}")
    return got["wall"], got["maxrss_kib"] / 1024, got["cpu"], got["said"].splitlines()[-1]


def start_up(url: str, rounds: int) -> Case:
    case = Case("planbot --help")
    for _ in range(rounds):
        wall, rss, _, _ = run_child(["--help"], url)
        case.add("wall", wall)
        case.peak_mb = max(case.peak_mb, rss)
    return case


def profile(url: str, scope: str, top: int = 18) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        profiler = cProfile.Profile()
        profiler.runcall(pack, session, scope)
    engine.dispose()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile, one pack in process, scope {scope} (cumulative, top {top}):")
    print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[-4000:])


def med(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}"


def row(case: str, median: str, most: str, aim: str, memory: str) -> None:
    print(f"{case:<44} {median:>8} {most:>8} {aim:>7}  {memory}")


def described(case: Case) -> str:
    facts = case.facts
    assert facts is not None
    actions = sum(area.total for area in facts.areas)
    return (
        f"{len(facts.areas)} areas, {actions} actions, {len(facts.rows)} tracker rows, "
        f"{sum(len(a.exceptions) for a in facts.areas)} exceptions, "
        f"{sum(len(a.notes) for a in facts.areas)} notes in the period, {case.measures} measures, "
        f"{case.docx_bytes / 1024:.0f} KiB docx"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each case")
    parser.add_argument(
        "--size", type=int, default=98, help="synthetic plans (98: 300 + 97 x 100 actions)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the large pack once")
    parser.add_argument(
        "--whole-store", action="store_true", help="also one pack over every plan, large store"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planbot-bench-papers-") as name:
        folder = Path(name)
        york, values = build_york(folder)
        print(f"York store: as seeded, plus {values:,} monthly values of its success measures")
        start = time.perf_counter()
        large, size = build_large(folder, args.size)
        print(
            f"large store: York (84 actions) + {size.actions:,} synthetic actions in "
            f"{size.plans} plans, {LARGE_PLAN} of 300; 1,120 chat updates in the quarter "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        print(
            f"board pack as of {AS_OF}, since {SINCE}; {args.rounds} rounds; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; Python {sys.version.split()[0]}"
        )
        cases = [
            in_process("York, in process", york, "all", args.rounds),
            in_process(f"{LARGE_PLAN} (300 of 10,084), in process", large, LARGE_PLAN, args.rounds),
        ]
        for case in cases:
            print(f"  {case.name}: {described(case)}")
        floor = start_up(york, args.rounds)
        clis = [
            command_line("York, command line", york, None, args.rounds, folder),
            command_line(f"{LARGE_PLAN}, command line", large, LARGE_PLAN, args.rounds, folder),
        ]
        launchers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        whole = in_process("whole store", large, "all", 1, once=True) if args.whole_store else None

        print()
        row("case (seconds, wall)", "median", "max", "aim", "peak memory")
        for case, cli, aim in zip(cases, clis, (YORK_AIM, LARGE_AIM), strict=True):
            pack_s = case.parts["pack"]
            row(case.name, med(pack_s), f"{max(pack_s):.2f}", f"≤ {aim:.0f} s",
                f"{case.peak_mb:.1f} MB traced (tracemalloc)")  # fmt: skip
            split = " / ".join(med(case.parts[p]) for p in ("facts", "scorecard", "docx"))
            row("  facts / scorecard / docx (medians)", "", "", "", split)
            row("  cold first call (imports, fonts)", f"{case.cold:.2f}", "", "", "")
            row("  CPU (median)", med(case.parts["pack_cpu"]), "", "", "")
            row("  Annex A as xlsx (beside, not in pack)", med(case.parts["xlsx"]),
                f"{max(case.parts['xlsx']):.2f}", "", "")  # fmt: skip
            wall = cli.parts["wall"]
            row(cli.name, med(wall), f"{max(wall):.2f}", f"≤ {aim:.0f} s",
                f"{cli.peak_mb:.0f} MB max RSS (child)")  # fmt: skip
            row("  child CPU, user + system (median)", med(cli.parts["child_cpu"]), "", "", "")
        row("planbot --help (start-up floor)", med(floor.parts["wall"]),
            f"{max(floor.parts['wall']):.2f}", "", f"{floor.peak_mb:.0f} MB max RSS")  # fmt: skip
        print(
            f"(this process's own getrusage(RUSAGE_CHILDREN).ru_maxrss says {launchers_mb:.0f} MB: "
            "the launchers, each born with this process's RSS)"
        )
        if whole is not None:
            grew = "" if whole.rss_growth_mb is None else f", RSS +{whole.rss_growth_mb:.0f} MB"
            print(
                f"whole large store (scope all, the board's default), one pack in process: "
                f"{whole.parts['pack'][0]:.1f} s (facts {whole.parts['facts'][0]:.1f}, docx "
                f"{whole.parts['docx'][0]:.1f}){grew}; {described(whole)}"
            )
        if args.profile:
            profile(york, "all")
            profile(large, LARGE_PLAN)
        missed = [
            c.name
            for c, aim in zip(cases + clis, (YORK_AIM, LARGE_AIM) * 2, strict=True)
            if statistics.median(c.parts.get("pack") or c.parts["wall"]) > aim
        ]
        print("every median within its aim" if not missed else f"OVER AIM: {', '.join(missed)}")
        return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
