"""How fast planbot answers a question: parse + search + render, per answer, on two stores.

    .venv/bin/python bench/bench_ask.py [--rounds 5] [--size 100]

Builds the York store and, beside it, York plus `bench.synthetic` plans (100 plans: about 10,000
actions and 30,000 steps), each an SQLite file in a temporary folder. For a fixed list of
questions it reports the median and p95 time per answer (understanding, the index lookup with its
store-version check, searching, and rendering Block Kit plus plain text), then the same for one raw
`rapidfuzz.process.extract` of the question over the same strings (titles, step texts, owners,
area names and aliases), and the ratio. The index is built once per store change, so its build is
timed on its own and kept out of the per-answer figures.
Aims: p95 under 30 ms on York, under 150 ms at 10,000 actions, within 3x of the raw scan.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from rapidfuzz import process
from sqlalchemy.engine import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticSize, fill_synthetic
from bot.render import render
from commands.clock import Clock
from commands.questions.answer import answer
from commands.questions.index_cache import index_for
from store.db import make_engine
from store.queries.whole_plan import load_whole_plan
from store.seed import prepare_database

QUESTIONS = (
    "what's open under OA4?",
    "anything overdue for Head of MASH?",
    "anything overdue for Head of MSAH?",
    "where are we on missing from home?",
    "status of P7.5",
    "p7.5.3",
    "what's due in March?",
    "what did we finish under OA5?",
    "priority 7 overdue",
    "supervison",
    "fostring",
    "care leavers",
    "front door timeliness",
    "return home interviews",
    "head of corp parenting",
    "what's due by the end of the month for Head of QA",
    "exploitation screening tools",
    "unicorn budget",
    "OA9",
    "what's open?",
)
CLOCK = Clock.fixed_at(date(2023, 2, 15))
SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(work: Callable[[], object], rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call of `work`, `rounds` times: wall clock, and this process's CPU time
    (which a busy shared machine inflates less)."""
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def haystack(session: Session) -> list[str]:
    """The strings the answer searches: titles, step texts, owners, area names and aliases."""
    snap = load_whole_plan(session)
    strings = [a.title for a in snap.areas]
    strings += [a.title for a in snap.actions] + [s.text for s in snap.steps]
    for role in snap.roles:
        strings += [role.name, *role.aliases]
    return strings


def summary(ours: list[float], raw: list[float]) -> dict[str, float]:
    figures = {
        "median_ms": statistics.median(ours),
        "p95_ms": percentile(ours, 0.95),
        "max_ms": max(ours),
        "raw_median_ms": statistics.median(raw),
        "raw_p95_ms": percentile(raw, 0.95),
    }
    figures["ratio_p95"] = figures["p95_ms"] / figures["raw_p95_ms"]
    figures["ratio_median"] = figures["median_ms"] / figures["raw_median_ms"]
    return figures


def bench_store(name: str, engine: Engine, rounds: int) -> dict[str, dict[str, float]]:
    with Session(engine) as session:
        start = time.perf_counter()
        index_for(session)
        build_ms = (time.perf_counter() - start) * 1000
        strings = haystack(session)
        ours_wall: list[float] = []
        ours_cpu: list[float] = []
        raw_wall: list[float] = []
        raw_cpu: list[float] = []
        for question in QUESTIONS:
            render(answer(session, question, CLOCK))  # warm the per-term cache as use would
            wall, cpu = timed(lambda q=question: render(answer(session, q, CLOCK)), rounds)
            ours_wall += wall
            ours_cpu += cpu
            wall, cpu = timed(lambda q=question: process.extract(q, strings, limit=10), rounds)
            raw_wall += wall
            raw_cpu += cpu
    actions = sum(1 for e in index_for_entries(engine) if e == "action")
    print(
        f"{name}: {actions} actions, {len(strings)} strings searched; "
        f"index built once in {build_ms:.0f} ms"
    )
    results = {}
    for clock, ours, raw in (("wall", ours_wall, raw_wall), ("cpu", ours_cpu, raw_cpu)):
        figures = summary(ours, raw)
        results[clock] = figures
        print(
            f"  {clock:<4} answer median {figures['median_ms']:6.1f} ms, p95 "
            f"{figures['p95_ms']:6.1f} ms, max {figures['max_ms']:6.1f} ms | "
            f"raw rapidfuzz.process.extract median "
            f"{figures['raw_median_ms']:6.1f} ms, p95 {figures['raw_p95_ms']:6.1f} ms | "
            f"answer/raw: p95 {figures['ratio_p95']:.2f}x, median {figures['ratio_median']:.2f}x"
        )
    return results


def index_for_entries(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [entry.kind for entry in index_for(session).entries]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per question")
    parser.add_argument("--size", type=int, default=100, help="synthetic plans (100 = 10k actions)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        york = make_engine(f"sqlite:///{folder}/york.db")
        prepare_database(york, at=SEEDED_AT)
        big = make_engine(f"sqlite:///{folder}/synthetic.db")
        prepare_database(big, at=SEEDED_AT)
        start = time.perf_counter()
        size = fill_synthetic(big, SyntheticSize(plans=args.size))
        print(
            f"synthetic store: York + {size.plans} plans, {size.actions} actions, "
            f"{size.steps} steps, written in {time.perf_counter() - start:.1f} s"
        )
        print(f"{len(QUESTIONS)} questions x {args.rounds} rounds, clock fixed at 2023-02-15")
        bench_store("York", york, args.rounds)
        bench_store("synthetic", big, args.rounds)
        york.dispose()
        big.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
