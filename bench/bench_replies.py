"""How fast a reply is read, guardrail included, over 10,000 generated replies of every kind.

    .venv/bin/python bench/bench_replies.py [--replies 10000] [--seed 16]

Each reply is put together from the kinds issue 16 lists: several items by reference, corrections,
percentages, dictated text, regional English, emoji and emoji codes (alone or per item),
acknowledgements, hedges and double negatives, a quote of the reminder, UK dates, reasons with
months, questions and beliefs, ownership claims and a child's details, with a random length of
note after it. Timed per reply: `store.personal_data.redact` then
`commands.updates.replies.parse_reply` (what a reply under a reminder costs before the
database), and the step descriptions' matcher for replies in an action's thread. Then the
guardrail's false positives: findings on every text field of York's plans (aim 0).
Aim: 5 ms p95 a reply.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commands.updates.replies import parse_reply
from commands.updates.step_descriptions import described_steps
from store.models import Step
from store.personal_data import redact, screen

TODAY = date(2023, 2, 15)
PLANS = Path(__file__).resolve().parent.parent / "store" / "plans"
KINDS: dict[str, tuple[str, ...]] = {
    "plain": ("done", "in progress, due 31/3", "blocked - waiting on police data", "amber"),
    "several": ("P6.2.1 done, P6.2.2 slipping to May", "P7.5 and P4.2 are in progress"),
    "correction": ("oops, should have said red", "make that 30 June, not 31 May"),
    "percent": ("75% complete", "three quarters of the way there", "100% done", "0% - not begun"),
    "dictated": ("in progress comma due 31st of March full stop", "done full stop thanks"),
    "regional": (
        "nowt's happened on this yet",
        "nae done yet but close",
        "now in a minute",
        "canny close to finished like",
        "howay, it's aal done",
        "it's under control",
    ),
    "emoji": ("✅", ":white_check_mark:", "🟢", ":red_circle: waiting on legal", "👀", ":+1:"),
    "ack": ("thanks", "Noted, will update tomorrow", "ok cheers"),
    "hedge": ("it's moving, just not fast", "done apart from the sign-off", "probably done"),
    "quote": ("&gt; Reminder: P7.5 is overdue\ndone", "&gt; is it done?\nnot yet, due 31/3"),
    "uk date": (
        "slipping to w/c 13th March",
        "new date a fortnight on Monday",
        "by end of FY",
        "moved to after Easter",
        "due 01.04.23",
        "done by the next board",
    ),
    "reason": ("delayed because staff are off until March", "slipping to May as panel in April"),
    "question": ("I thought this was closed?", "is this still mine?"),
    "ownership": ("this sits with Head of QA now", "handed over to Principal Social Worker"),
    "child": (
        "blocked - Jayden Smith DOB 12/03/2015",
        "NHS number 943 476 5919 chased",
        "child lives at 14 Acacia Avenue, YO1 7HH",
        "Mosaic case 1234567 to close",
    ),
    "described": ("the two supervision steps are finished", "the training one is done"),
}
NOTES = (
    "Met with police on Tuesday, data sharing agreement drafted.",
    "Workshop booked with the Principal Social Worker and team managers.",
    "Paper to DMT next month; the March board asked for changes.",
    "Analyst now in post, dashboard in test.",
)
STEPS = [
    Step(id=n, action_id=1, ref=f"P7.4.{n}", number=n, text=text)
    for n, text in enumerate(
        (
            "Further review and revise the supervision policy.",
            "Workshops (using tools from Research in Practice) across the service.",
            "Develop and embed group supervision (monthly).",
            "Develop Court Skills training for practitioners.",
        ),
        start=1,
    )
]


def replies(count: int, seed: int) -> list[str]:
    """`count` replies: a kind's phrase, sometimes a note of one to three sentences after it."""
    chosen = random.Random(seed)
    kinds = list(KINDS.values())
    made = []
    for _ in range(count):
        text = chosen.choice(chosen.choice(kinds))
        if chosen.random() < 0.5:
            text += " " + " ".join(chosen.choices(NOTES, k=chosen.randint(1, 3)))
        made.append(text)
    return made


def strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    texts = replies(args.replies, args.seed)
    for text in texts[:200]:  # warm: regular expressions compiled, rapidfuzz loaded
        parse_reply(redact(text).text, TODAY)
    times = []
    for text in texts:
        start = time.perf_counter()
        parse_reply(redact(text).text, TODAY)
        described_steps(text, STEPS)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{len(texts):,} replies, guardrail + reading + step descriptions: median "
        f"{statistics.median(times):.3f} ms, p95 {percentile(times, 0.95):.3f} ms, "
        f"p99 {percentile(times, 0.99):.3f} ms, max {max(times):.2f} ms (aim: 5 ms p95)"
    )
    fields = [t for path in PLANS.glob("*.yaml") for t in strings(yaml.safe_load(path.read_text()))]
    found = [(text[:60], [f.kind for f in screen(text)]) for text in fields if screen(text)]
    print(f"guardrail on York's plans: {len(found)} false positives in {len(fields):,} text fields")
    for text, kinds in found:
        print(f"  {kinds}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
