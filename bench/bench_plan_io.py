"""How long importing and exporting York's two plans takes (84 actions, 118 steps, 110 updates).

    .venv/bin/python bench/bench_plan_io.py [--rounds 5] [--postgres postgresql://127.0.0.1:5432/test]

Each round: a fresh database is migrated, both shipped YAML plans are imported in one transaction
(the work `planbot import` does), then the store is exported as YAML, CSV and XLSX, and the CSV is
read back. Medians over `--rounds` are printed, in wall time and CPU time (the machine may be
shared), for SQLite and, with `--postgres`, for a throwaway PostgreSQL database per round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from store.db import make_engine, normalise_url  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.plan_files.exporter import export_plans  # noqa: E402
from store.plan_files.importer import apply_plan  # noqa: E402
from store.plan_files.sheet_plan import parse_sheet_rows, plans_to_csv, plans_to_rows, plans_to_xlsx  # noqa: E402
from store.plan_files.yaml_plan import plans_to_yaml, read_yaml_plan  # noqa: E402
from store.queries.roles import RoleDirectory, ensure_directory  # noqa: E402
from store.seed import YORK_PLAN_FILES  # noqa: E402

AT = datetime(2023, 1, 16, tzinfo=UTC)


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def one_round(engine: Engine, figures: dict[str, list[tuple[float, float]]]) -> None:
    figures["migrate"].append(timed(lambda: upgrade(engine)))
    docs = [read_yaml_plan(path) for path in YORK_PLAN_FILES]

    def load() -> None:
        directory = RoleDirectory.load()
        with Session(engine) as session:
            ensure_directory(session, directory, at=AT)
            for doc in docs:
                apply_plan(session, doc, at=AT, directory=directory)
            session.commit()

    figures["import (both plans)"].append(timed(load))
    exported = []

    def export() -> None:
        with Session(engine) as session:
            exported[:] = export_plans(session)

    figures["export: read store"].append(timed(export))
    figures["export: yaml"].append(timed(lambda: plans_to_yaml(exported)))
    figures["export: csv"].append(timed(lambda: plans_to_csv(exported)))
    figures["export: xlsx"].append(timed(lambda: plans_to_xlsx(exported)))
    rows = plans_to_rows(exported)
    figures["read csv rows back"].append(timed(lambda: parse_sheet_rows(rows, "bench.csv")))


def report(name: str, figures: dict[str, list[tuple[float, float]]]) -> None:
    print(f"\n{name}")
    for step, samples in figures.items():
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        print(f"  {step:<22} {wall:8.1f} ms wall {cpu:8.1f} ms CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", help="a PostgreSQL server URL to create databases on")
    args = parser.parse_args()

    figures: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.rounds):
            engine = make_engine(f"sqlite:///{Path(folder) / f'round{index}.db'}")
            one_round(engine, figures)
            engine.dispose()
    report("SQLite", figures)

    if args.postgres:
        base = make_url(normalise_url(args.postgres))
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        figures = defaultdict(list)
        for _ in range(args.rounds):
            name = f"planbot_bench_{uuid.uuid4().hex[:10]}"
            with admin.connect() as connection:
                connection.execute(text(f"CREATE DATABASE {name}"))
            engine = make_engine(base.set(database=name).render_as_string(hide_password=False))
            try:
                one_round(engine, figures)
            finally:
                engine.dispose()
                with admin.connect() as connection:
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        report("PostgreSQL", figures)


if __name__ == "__main__":
    main()
