"""How fast the scorecard, a chart and a values import are: 500 measures × 60 monthly periods.

    .venv/bin/python bench/bench_measures.py [--measures 500] [--periods 60] [--rounds 3]

Builds York's seeded store in an SQLite file (or DATABASE_URL), then:
1. imports a 30,000-row values file (`--create`: the 500 measures are new) through
   `import_values`, checked whole then written in one transaction. Aim: under 10 s.
2. composes the scorecard over every measure (`scorecard_rows`, XmR for each). Aim: under 1 s.
3. draws one measure's XmR chart as PNG (`chart_png`), after one warm-up draw (matplotlib's
   first figure loads its fonts). Aim: under 300 ms.
The median of `--rounds` runs of 2 and 3 is reported. Baseline: before issue 19 planbot kept
measures as text and had no scorecard, so each figure is reported against its aim.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bot.render.measure_chart import chart_png  # noqa: E402
from commands.caller import TERMINAL  # noqa: E402
from commands.clock import Clock  # noqa: E402
from commands.measures.numbers import month_end  # noqa: E402
from commands.measures.record import MeasureChart, chart_of  # noqa: E402
from commands.measures.scorecard import scorecard_rows  # noqa: E402
from commands.measures.values_import import MeasuresImported, import_values  # noqa: E402
from commands.request import Policy, Request  # noqa: E402
from store.db import make_engine, session_scope  # noqa: E402
from store.seed import prepare_database  # noqa: E402

TODAY = date(2026, 1, 15)


def values_csv(measures: int, periods: int) -> bytes:
    rng = random.Random(19)
    lines = ["measure,period_start,period_end,value,note,target,unit,polarity"]
    for m in range(measures):
        level = rng.uniform(10, 90)
        for p in range(periods):
            year, month = 2021 + p // 12, p % 12 + 1
            start = date(year, month, 1)
            value = min(100.0, max(0.0, level + rng.gauss(0, 3) + (p * 0.2 if m % 3 == 0 else 0)))
            target = f"{level:.1f}" if p == 0 else ""
            note = "Figures from the monthly performance pack" if p == periods - 1 else ""
            lines.append(
                f"Bench measure {m:03d},{start},{month_end(start)},{value:.2f},{note},{target},"
                "percent,higher"
            )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--periods", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="planbot-bench-measures-"))
    engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
    prepare_database(engine, at=datetime(2026, 1, 1, tzinfo=UTC))
    request = Request("", TERMINAL, Clock.fixed_at(TODAY), Policy())
    raw = values_csv(args.measures, args.periods)
    rows = raw.count(b"\n") - 1

    started = time.perf_counter()
    with session_scope(engine) as session:
        result = import_values(session, request, "bench.csv", raw, create=True)
    imported = time.perf_counter() - started
    assert isinstance(result, MeasuresImported) and result.recorded == rows, result

    composes, charts = [], []
    with session_scope(engine) as session:
        found = chart_of(session, request, "Bench measure 000")
        assert isinstance(found, MeasureChart)
        chart_png(found.series, 5)  # warm-up: fonts
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            card = scorecard_rows(session, TODAY)
            composes.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            chart_png(found.series, 5)
            charts.append(time.perf_counter() - t0)
    assert len(card) >= args.measures
    print(f"import of {rows:,} rows: {imported:.2f} s (aim 10 s)")
    print(f"scorecard of {len(card)} measures: {statistics.median(composes):.3f} s (aim 1 s)")
    print(f"one XmR chart ({args.periods} points): {statistics.median(charts) * 1000:.0f} ms "
          "(aim 300 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
