"""How fast reminders and replies are: reading a reply, deciding the reminders, applying a reply.

    .venv/bin/python bench/bench_reminders.py [--rounds 20] [--size 100]

Reading: `commands.updates.replies.parse_reply` over a fixed list of realistic replies (and one of
40,000
characters). Deciding: `commands.reminders.policy.plan_reminders` for 15 Feb 2023 on the York store
and
on York plus `bench.synthetic` plans (100 plans: about 10,000 actions and 30,000 steps). Applying:
`commands.updates.apply.reply_in_thread` on York (thread lookup, parse, authorisation, StatusUpdate
and
new state written), rolled back after each so every round does the same work. A run grouped per
lead: on the synthetic store with a holder for every role and every plan past its ramp-up (so every
item due goes, the heaviest day), deciding, grouping into lead threads and rendering every page;
then a whole run once: deciding, grouping, claiming every thread with its items in the store and
rendering its pages (all a run does but the posts, which are Slack's HTTP round trips).
Aims: a reply read in under 5 ms at p95; a day's reminders decided in under 1 s at 10,000 actions;
the reminder run for 10,000 actions, grouped per lead, under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import SyntheticSize, fill_synthetic
from bot.render.lead_reminders import lead_thread_pages
from commands.caller import Caller
from commands.clock import Clock
from commands.reminders.leads import plan_lead_threads
from commands.reminders.policy import plan_reminders
from commands.request import Policy, Request
from commands.updates.apply import reply_in_thread
from commands.updates.replies import parse_reply
from store.db import make_engine, session_scope
from store.models import Action, Role
from store.personal_data import redact, screen
from store.queries.history import find_item
from store.queries.lead_threads import ItemClaim, claim_lead_thread
from store.queries.reminders import claim_reminder, mark_reminder_posted
from store.queries.roles import assign, find_role
from store.seed import prepare_database

SEEDED_AT = datetime(2022, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2023, 2, 15)
REPLIES = (
    "blocked: waiting on police data",
    "done, signed off at CYSCP 12/1",
    "amber, slipping to end of March",
    "not done yet",
    "compelted",
    "in progres, draft with legal",
    "RAG green",
    ":red_circle: no capacity in the team",
    "thanks!",
    "when is this due?",
    "Q1 2023/24",
    "will be complete by next Friday",
    "started but waiting on police data",
    "Met with police on Tuesday, data sharing agreement drafted",
    "in progress, draft policy at <https://example.org/doc|the shared drive>",
    "RAG: amber. Moved to Q2 2023/24",
    "no longer needed as covered by P7.3",
    "Nearly done, final sign off at DMT next week",
    "Status: at risk :large_orange_circle: – slipping to mid-April",
    "pushed back to 30/06/2023 because of the restructure",
    "blocked - Jayden Smith (12/03/2015) NHS 943 476 5919 moved to YO24 1AB",
    "delayed, child Amelia (aged 7) case ref 1234567 still open at 14 Acacia Avenue",
)


PLANS = Path(__file__).resolve().parent.parent / "store" / "plans"


def strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def timed(work: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def cpu_timed(work: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name}: median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms (n={len(times)})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--size", type=int, default=100, help="synthetic plans")
    args = parser.parse_args()

    per_reply = []
    for _ in range(args.rounds):
        for text in REPLIES:
            start = time.perf_counter()
            parse_reply(text, TODAY)
            per_reply.append((time.perf_counter() - start) * 1000)
    print(summary("read a reply", per_reply))
    screened = []
    for _ in range(args.rounds):
        for text in REPLIES:
            start = time.perf_counter()
            parse_reply(redact(text).text, TODAY)
            screened.append((time.perf_counter() - start) * 1000)
    print(summary("screen for a child's details, then read", screened))
    york_texts = [
        t for path in PLANS.glob("*.yaml") for t in strings(yaml.safe_load(path.read_text()))
    ]
    hits = sum(bool(screen(t)) for t in york_texts)
    print(f"guardrail on York's plans: {hits} findings in {len(york_texts)} text fields")
    essay = "in progress, waiting on data from partners; workshop booked. " * 650
    print(
        summary(
            f"read a {len(essay):,}-character reply", timed(lambda: parse_reply(essay, TODAY), 5)
        )
    )

    policy = Policy(reminder_days_before=7, reminder_stale_days=28, reminder_max_per_day=25)
    with tempfile.TemporaryDirectory() as folder:
        york = make_engine(f"sqlite:///{folder}/york.db")
        prepare_database(york, at=SEEDED_AT)

        def decide(engine_name: str, engine) -> None:  # type: ignore[no-untyped-def]
            def once() -> None:
                with Session(engine) as session:
                    plan_reminders(session, today=TODAY, policy=policy)

            once()  # warm: the bank-holiday calendar is loaded once per process
            rounds = max(3, args.rounds // 4)
            print(summary(f"decide a day's reminders ({engine_name}), wall", timed(once, rounds)))
            print(
                summary(f"decide a day's reminders ({engine_name}), CPU", cpu_timed(once, rounds))
            )

        decide("York", york)

        with session_scope(york) as session:
            role = find_role(session, "Head of MASH")
            assert role is not None
            assign(session, role, "U0MASH001", by=None, at=SEEDED_AT)
            item = find_item(session, "P7.5")
            assert item is not None
            row = claim_reminder(
                session,
                key="bench",
                action_id=item.id,
                step_id=None,
                reason="due",
                for_date=TODAY,
                at=SEEDED_AT,
                by="bench",
            )
            assert row is not None and row.id is not None
            mark_reminder_posted(
                session, row.id, channel="CBENCH001", thread_ts="1676451600.000100", at=SEEDED_AT
            )
        request = Request("", Caller(user_id="U0MASH001"), Clock.fixed_at(TODAY))
        counter = iter(range(10**6))

        def apply_once() -> None:
            with Session(york) as session:
                reply_in_thread(
                    session,
                    request,
                    channel="CBENCH001",
                    thread_ts="1676451600.000100",
                    message_ts=f"1676451700.{next(counter):06d}",
                    text="amber, slipping to end of March. Analyst recruited",
                )
                session.rollback()

        print(summary("apply a reply (York, SQLite)", timed(apply_once, args.rounds)))

        big = make_engine(f"sqlite:///{folder}/synthetic.db")
        prepare_database(big, at=SEEDED_AT)
        fill_synthetic(big, SyntheticSize(plans=args.size))
        decide(f"York + {args.size} synthetic plans", big)
        grouped_run(big, policy, args.rounds)
    return 0


def grouped_run(engine, policy: Policy, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """The heaviest day of a run grouped per lead: every role held, every plan past its ramp, a
    reminders channel set."""
    policy = replace(policy, reminders_channel="CBENCH001")
    with session_scope(engine) as session:
        for role in session.exec(select(Role)).all():
            assign(session, role, f"U{role.id or 0:09d}", by=None, at=SEEDED_AT)
        for plan_id, action_id in session.exec(
            select(Action.plan_id, func.min(Action.id)).group_by(col(Action.plan_id))
        ).all():
            claim_reminder(
                session,
                key=f"bench:first:{plan_id}",
                action_id=action_id,
                step_id=None,
                reason="due",
                for_date=TODAY - timedelta(days=60),
                at=SEEDED_AT,
                by="bench",
            )
    made: list[int] = []

    def once() -> None:
        with Session(engine) as session:
            plan = plan_reminders(session, today=TODAY, policy=policy)
            threads = plan_lead_threads(session, plan)
            pages = [lead_thread_pages(t, range(len(t.items)), TODAY) for t in threads]
        made[:] = [len(plan.due), len(threads), sum(len(p) for p in pages)]

    times = timed(once, max(3, rounds // 4))
    print(
        summary(
            f"decide, group and render a run per lead ({made[0]:,} items, {made[1]:,} threads, "
            f"{made[2]:,} messages)",
            times,
        )
    )

    def whole_run() -> None:
        with Session(engine) as session:
            plan = plan_reminders(session, today=TODAY, policy=policy)
            for thread in plan_lead_threads(session, plan):
                claim = claim_lead_thread(
                    session,
                    key=thread.key,
                    lead_user_id=thread.user,
                    channel=thread.channel,
                    for_date=TODAY,
                    items=[
                        ItemClaim(r.key, r.action_id, r.step_id, r.reason, r.for_date)
                        for r in (item.reminder for item in thread.items)
                    ],
                    at=SEEDED_AT,
                    by="bench",
                )
                assert claim is not None
                lead_thread_pages(thread, claim.reminder_ids, TODAY)

    print(
        summary(
            "a whole run per lead: decide, group, claim every thread with its items, render "
            "(all but Slack's HTTP)",
            timed(whole_run, 1),
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
