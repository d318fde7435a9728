"""How fast a question is read, apart from answering it: parse p95 over the questions of
tests/commands/questions/test_question_table_words.py (people's own words: Slack formatting,
phone typing, negation, colours, calendar windows, bad input) and bench_ask's questions.

    .venv/bin/python bench/bench_parse.py [--rounds 20]

Builds the York store in a temporary folder, reads its vocabulary once, then times
`understand` alone per question, and the whole answer as /plan gives it (the router, search and
rendering Block Kit plus plain text). Aims: parse p95 under 2 ms, answer p95 under 30 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "commands" / "questions"))

import test_question_table_words as table  # noqa: E402

from bench.bench_ask import CLOCK, QUESTIONS, SEEDED_AT, percentile, timed  # noqa: E402
from bot.render import render  # noqa: E402
from commands.caller import Caller  # noqa: E402
from commands.questions.index_cache import index_for  # noqa: E402
from commands.questions.understanding import understand  # noqa: E402
from commands.request import Request  # noqa: E402
from commands.router import handle  # noqa: E402
from store.db import make_engine  # noqa: E402
from store.seed import prepare_database  # noqa: E402


def report(name: str, wall: list[float], cpu: list[float]) -> None:
    print(
        f"  {name:<7} wall median {statistics.median(wall):6.2f} ms, p95 "
        f"{percentile(wall, 0.95):6.2f} ms, max {max(wall):6.2f} ms | cpu p95 "
        f"{percentile(cpu, 0.95):6.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed runs per question")
    args = parser.parse_args(argv)
    questions = [row.question for row in table.TABLE] + list(QUESTIONS)
    today = CLOCK.today()
    with tempfile.TemporaryDirectory() as folder:
        york = make_engine(f"sqlite:///{folder}/york.db")
        prepare_database(york, at=SEEDED_AT)
        with Session(york) as session:
            vocab = index_for(session).vocabulary
            parse_wall: list[float] = []
            parse_cpu: list[float] = []
            answer_wall: list[float] = []
            answer_cpu: list[float] = []
            for question in questions:
                understand(question, vocab, today)  # warm as use would
                wall, cpu = timed(lambda q=question: understand(q, vocab, today), args.rounds)
                parse_wall += wall
                parse_cpu += cpu

                def ask(q: str = question) -> object:
                    return render(handle(session, Request(q, Caller(), CLOCK)))

                ask()
                wall, cpu = timed(ask, max(1, args.rounds // 4))
                answer_wall += wall
                answer_cpu += cpu
        york.dispose()
    print(f"York, {len(questions)} questions ({len(table.TABLE)} from the table), 2023-02-15")
    report("parse", parse_wall, parse_cpu)
    report("answer", answer_wall, answer_cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
