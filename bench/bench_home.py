"""How fast the App Home tab is drawn: `commands.home.my_items.my_home` (the person's items read
and coloured) and `bot.render.home.home_view` (the Block Kit), for a lead with about 40 items and
for someone with no role (the plans' headline), on York and on York plus `bench.synthetic`'s
100 plans (about 10,000 actions and 30,000 steps).

    .venv/bin/python bench/bench_home.py [--rounds 200] [--size 100]

Aim (issue 17): ≤ 50 ms at p95 for a lead with 40 items.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticSize, fill_synthetic
from bot.render.home import home_view
from commands.caller import Caller
from commands.clock import Clock
from commands.home.my_items import my_home
from commands.request import Request
from store.db import make_engine, session_scope
from store.queries.roles import assign, find_role
from store.seed import prepare_database

SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2023, 2, 15)
LEAD, NOBODY = "U0MASH001", "U0NOBODY1"
AIM_MS = 50.0


def timed(rounds: int, run: Callable[[], object]) -> tuple[float, float]:
    """(median, p95) in milliseconds over `rounds` runs, after one to warm up."""
    run()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def draw(engine: object, user: str) -> Callable[[], object]:
    request = request_for(user)

    def run() -> object:
        with session_scope(engine) as session:  # type: ignore[arg-type]
            home = my_home(session, request, user)
        return home_view(home, [])

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--size", type=int, default=100, help="synthetic plans to add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/home.db")
        prepare_database(engine, at=SEEDED_AT)
        with session_scope(engine) as session:
            role = find_role(session, "Head of MASH")
            assert role is not None
            assign(session, role, LEAD, by=None, at=SEEDED_AT)
        with session_scope(engine) as session:
            items = my_home(session, request_for(LEAD), LEAD).items
        rows = [("York", items, *timed(args.rounds, draw(engine, LEAD)),
                 *timed(args.rounds, draw(engine, NOBODY)))]  # fmt: skip
        size = fill_synthetic(engine, SyntheticSize(plans=args.size))
        rows.append((f"York + {size.actions:,} actions", items,
                     *timed(args.rounds, draw(engine, LEAD)),
                     *timed(max(20, args.rounds // 10), draw(engine, NOBODY))))  # fmt: skip
        engine.dispose()
    print(f"App Home tab drawn ({args.rounds} rounds; aim ≤ {AIM_MS:.0f} ms p95 for a lead)")
    print(f"{'store':<26}{'lead items':>11}{'lead p50':>10}{'lead p95':>10}"
          f"{'no role p50':>13}{'no role p95':>13}")  # fmt: skip
    for store, count, lead50, lead95, none50, none95 in rows:
        print(f"{store:<26}{count:>11}{lead50:>8.1f}ms{lead95:>8.1f}ms{none50:>11.1f}ms"
              f"{none95:>11.1f}ms")  # fmt: skip
    return 0


def request_for(user: str) -> Request:
    return Request(text="", caller=Caller(user_id=user), clock=Clock.fixed_at(TODAY))


if __name__ == "__main__":
    sys.exit(main())
