"""How fast the weekly summaries are composed and posted: 200 subscriptions over ~10,000 actions.

    .venv/bin/python bench/bench_digest.py [--size 100] [--subscriptions 200] [--channels 50]
                                           [--p429 0.05] [--rounds 3] [--charts]

Builds York plus `bench.synthetic` plans (100 plans: about 10,000 actions, 30,000 steps) in an
SQLite file, adds 1,000 chat updates in the week before Monday 13 Feb 2023 (so "changes" sections
have content), and subscribes 200 channels' worth of summaries (a mix of whole-store, plan, area and
role scopes) spread over `--channels` channels.

1. Composing: one `DigestComposer` composes and renders all 200 (one store load per timezone, one
   composition per distinct scope, a render per subscription), `--rounds` times; the median is
   reported, split into the store load, composing and rendering. Aim: under 5 s in all.
2. Posting: the catch-up sweep (`run_due_digests`, as the scheduler runs it) posts every summary
   to the fake Slack API of tests/support/fake_slack.py, which answers a share `--p429` of
   chat.postMessage
   calls with HTTP 429 (Retry-After: 1). Two "processes" (threads, each with its own engine and
   worker id) sweep at once; sweeps repeat, as the 5-minute catch-up would, until nothing is left.
   The sweep keeps at least one second between two summaries in one channel. Reported: wall time,
   429s met, the smallest gap seen between two posts in one channel, and the check that each
   subscription has exactly one accepted post and one recorded ts (none lost, none doubled).
   Charts are drawn and uploaded only with `--charts`; their drawing time is reported either way.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from fake_slack import Failure, FakeSlack  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.synthetic import SyntheticSize, fill_synthetic  # noqa: E402
from bot.jobs.digest import DigestComposer, run_due_digests  # noqa: E402
from bot.render.chart import chart_png  # noqa: E402
from bot.render.digest import render_digest  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.slack.client import build_web_client  # noqa: E402
from commands.clock import Clock  # noqa: E402
from commands.digest.summary import DigestData  # noqa: E402
from store.db import make_engine, session_scope  # noqa: E402
from store.models import Action, Area, DigestPost, Plan, Role  # noqa: E402
from store.queries.digests import add_subscription  # noqa: E402
from store.queries.state import record_update  # noqa: E402
from store.seed import prepare_database  # noqa: E402

SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)
MONDAY = datetime(2023, 2, 13, 8, 30)  # Europe/London


class RateLimitingFake(FakeSlack):
    """The tests' fake Slack, answering a share of chat.postMessage calls with 429."""

    def __init__(self, share: float, seed: int = 11) -> None:
        super().__init__()
        self.share = share
        self.rng = random.Random(seed)
        self.limited = 0

    def _take_failure(self, method: str) -> Failure | None:
        if method == "chat.postMessage" and self.rng.random() < self.share:
            self.limited += 1
            return Failure(status=429, retry_after=1)
        return super()._take_failure(method)


def build_store(folder: Path, size: int) -> tuple[str, SyntheticSize]:
    url = f"sqlite:///{folder / 'digest-bench.db'}"
    engine = make_engine(url)
    prepare_database(engine, at=SEEDED_AT)
    made = fill_synthetic(engine, SyntheticSize(plans=size))
    rng = random.Random(5)
    with session_scope(engine) as session:
        ids = list(session.exec(select(Action.id)))
        for action_id in rng.sample(ids, 1000):
            action = session.get(Action, action_id)
            assert action is not None
            record_update(
                session,
                action,
                at=datetime(2023, 2, 6, 9, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 9000)),
                source="chat",
                author=f"U{rng.randint(1, 400):08d}",
                status=rng.choice(["in_progress", "blocked", "done"]),
                note="Progress reported at the performance session.",
            )
    engine.dispose()
    return url, made


def subscribe(engine: Engine, count: int, channels: int) -> Counter[str]:
    """`count` subscriptions over `channels` channels: 5% whole store, 25% a plan, 50% an area,
    20% a role."""
    rng = random.Random(3)
    kinds: Counter[str] = Counter()
    with Session(engine) as session:
        plans = list(session.exec(select(Plan.key)))
        areas = sorted({a for a in session.exec(select(Area.ref))})
        roles = list(session.exec(select(Role.name)))
    with session_scope(engine) as session:
        for n in range(count):
            pick = n % 20
            if pick == 0:
                kind, value = "all", None
            elif pick <= 5:
                kind, value = "plan", rng.choice(plans)
            elif pick <= 15:
                kind, value = "area", rng.choice(areas)
            else:
                kind, value = "role", rng.choice(roles)
            kinds[kind] += 1
            add_subscription(
                session,
                channel=f"CBENCH{n % channels:04d}",
                scope_kind=kind,
                scope_value=value,
                weekday=0,
                hour=8,
                minute=30,
                timezone="Europe/London",
                created_by="UBENCH001",
                at=SEEDED_AT,
            )
    return kinds


def runtime_for(url: str, fake: FakeSlack) -> Runtime:
    settings = load_settings(
        slack_bot_token=fake.token, slack_api_url=fake.api_url, database_url=url, planbot_today=None
    )
    return Runtime(settings, Clock.fixed_at(MONDAY), make_engine(url))


def time_composing(runtime: Runtime, rounds: int) -> dict[str, float]:
    """Median wall and CPU seconds: the store load alone, then composing and rendering all."""
    from store.queries.digests import active_subscriptions

    with Session(runtime.engine) as session:
        subscriptions = active_subscriptions(session)
    figures: dict[str, list[float]] = defaultdict(list)
    now = runtime.clock.utcnow()
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        with Session(runtime.engine) as session:
            DigestData.load(session, as_of=runtime.clock.now())
        figures["load_wall"].append(time.perf_counter() - wall)
        figures["load_cpu"].append(time.process_time() - cpu)
        composer = DigestComposer(runtime)  # loads the store again, then composes
        wall, cpu = time.perf_counter(), time.process_time()
        results = [composer.compose(s, now) for s in subscriptions]
        figures["compose_wall"].append(time.perf_counter() - wall)
        figures["compose_cpu"].append(time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        texts = [render_digest(r) for r in results]
        figures["render_wall"].append(time.perf_counter() - wall)
        figures["render_cpu"].append(time.process_time() - cpu)
        figures["distinct_scopes"].append(len({id(r) for r in results}))
        assert len(texts) == len(subscriptions)
    return {key: statistics.median(values) for key, values in figures.items()}


def time_charts(runtime: Runtime, samples: int = 8) -> float:
    from store.queries.digests import active_subscriptions

    with Session(runtime.engine) as session:
        subscriptions = active_subscriptions(session)[:samples]
    composer = DigestComposer(runtime)
    results = [composer.compose(s, runtime.clock.utcnow()) for s in subscriptions]
    start = time.perf_counter()
    for result in results:
        chart_png(result)
    return (time.perf_counter() - start) / len(results)


def post_all(url: str, fake: RateLimitingFake, charts: bool) -> dict[str, object]:
    runtimes = [runtime_for(url, fake), runtime_for(url, fake)]
    sweeps = 0
    start = time.perf_counter()
    outcomes: Counter[str] = Counter()
    while True:
        sweeps += 1
        barrier = threading.Barrier(len(runtimes))

        def sweep(runtime: Runtime, worker: str, barrier: threading.Barrier) -> None:
            barrier.wait()
            client = build_web_client(runtime.settings)
            for delivery in run_due_digests(runtime, client, worker=worker, chart=charts):
                outcomes[delivery.outcome] += 1

        threads = [
            threading.Thread(target=sweep, args=(runtime, f"bench-{n}", barrier))
            for n, runtime in enumerate(runtimes)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with Session(runtimes[0].engine) as session:
            left = [p for p in session.exec(select(DigestPost)) if p.posted_at is None]
        if not left or sweeps >= 6:
            break
    wall = time.perf_counter() - start
    # the summaries themselves: replies in their threads (the rest of long lists) carry no metadata
    accepted = [c for c in fake.answered_ok("chat.postMessage") if "thread_ts" not in c.payload]
    per_subscription = Counter(
        c.payload["metadata"]["event_payload"]["subscription_id"] for c in accepted
    )
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in accepted:
        by_channel[call.payload["channel"]].append(call.at)
    gaps = [
        b - a
        for times in by_channel.values()
        for a, b in zip(sorted(times), sorted(times)[1:], strict=False)
    ]
    with Session(runtimes[0].engine) as session:
        rows = list(session.exec(select(DigestPost)))
    for runtime in runtimes:
        runtime.engine.dispose()
    return {
        "wall": wall,
        "sweeps": sweeps,
        "outcomes": dict(outcomes),
        "posts_accepted": len(accepted),
        "subscriptions_posted_once": sum(1 for n in per_subscription.values() if n == 1),
        "subscriptions_posted_twice_or_more": sum(1 for n in per_subscription.values() if n > 1),
        "rows_recorded": sum(1 for r in rows if r.posted_at and r.ts),
        "distinct_ts": len({r.ts for r in rows if r.ts}),
        "rate_limited_answers": fake.limited,
        "min_gap_same_channel": min(gaps) if gaps else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="synthetic plans (100 each)")
    parser.add_argument("--subscriptions", type=int, default=200)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--p429", type=float, default=0.05, help="share of posts answered 429")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--charts", action="store_true", help="draw and upload charts as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        url, size = build_store(Path(folder), args.size)
        engine = make_engine(url)
        kinds = subscribe(engine, args.subscriptions, args.channels)
        engine.dispose()
        print(
            f"store: York + {size.actions:,} synthetic actions, {size.steps:,} steps, "
            f"1,000 chat updates this week (built in {time.perf_counter() - start:.1f} s)"
        )
        print(f"subscriptions: {args.subscriptions} over {args.channels} channels {dict(kinds)}")
        fake = RateLimitingFake(args.p429)
        try:
            runtime = runtime_for(url, fake)
            figures = time_composing(runtime, args.rounds)
            total_wall = figures["compose_wall"] + figures["render_wall"]
            total_cpu = figures["compose_cpu"] + figures["render_cpu"]
            print(
                f"compose + render {args.subscriptions} summaries, median of {args.rounds}: "
                f"{total_wall:.2f} s wall, {total_cpu:.2f} s CPU in all "
                f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
            )
            print(
                f"  store load {figures['load_wall']:.2f} s wall / {figures['load_cpu']:.2f} s CPU"
                f" (included above); composing "
                f"{figures['compose_wall'] - figures['load_wall']:.2f} s wall / "
                f"{figures['compose_cpu'] - figures['load_cpu']:.2f} s CPU for "
                f"{int(figures['distinct_scopes'])} distinct scopes; rendering "
                f"{figures['render_wall']:.2f} s wall / {figures['render_cpu']:.2f} s CPU"
            )
            print(f"chart drawing: {time_charts(runtime):.2f} s per chart (Agg, 1100x500)")
            runtime.engine.dispose()
            posted = post_all(url, fake, args.charts)
        finally:
            fake.close()
        for key, value in posted.items():
            shown = f"{value:.2f}" if isinstance(value, float) else value
            print(f"posting: {key}: {shown}")
        ok = (
            posted["subscriptions_posted_once"] == args.subscriptions
            and posted["subscriptions_posted_twice_or_more"] == 0
            and posted["rows_recorded"] == args.subscriptions
        )
        print("no summary lost or doubled" if ok else "SUMMARIES LOST OR DOUBLED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
