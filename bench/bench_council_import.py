"""How long importing a council's own plan takes, report included (issue 21's targets).

    .venv/bin/python bench/bench_council_import.py [--rounds 3]

Three cases, each read from its file and written into a fresh, migrated SQLite store in one
transaction with the import report rendered (all that `planbot import FILE` does):
- a 2,000-row spreadsheet in a council's own headers (target 5 s);
- a 60-page Word plan: one table, 44 areas of 15 actions, each with three bulleted steps (about
  11 rows to an A4 page, so some 60 pages; target 5 s);
- York's two plans written as Word documents (target 2 s for both);
beside the baseline of York's two plans from their YAML files. Medians of wall and CPU time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from docx import Document  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from sqlmodel import Session  # noqa: E402

from store.db import make_engine  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.plan_files.council_table import CouncilOptions  # noqa: E402
from store.plan_files.docx_writer import plan_to_docx  # noqa: E402
from store.plan_files.formats import read_plan_files  # noqa: E402
from store.plan_files.import_report import ImportReport  # noqa: E402
from store.plan_files.importer import apply_plan  # noqa: E402
from store.plan_files.yaml_plan import read_yaml_plan  # noqa: E402
from store.queries.roles import RoleDirectory, ensure_directory  # noqa: E402
from store.seed import YORK_PLAN_FILES  # noqa: E402

AT = datetime(2023, 11, 1, tzinfo=UTC)
STATUSES = ("1", "2", "3", "4", "On track", "Achieved", "Not started")
DATES = ("End Oct 23", "Q3 2023/24", "31/03/2024", "Spring 2024", "Ongoing", "w/c 12/02/2024")


def big_sheet(path: Path, rows: int = 2000) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Area", "Ref", "Action", "Lead officer", "Target date", "Progress", "Status"])
    for n in range(rows):
        area, number = divmod(n, 100)
        sheet.append(
            [
                f"Priority {area + 1}",
                f"{area + 1}.{number + 1}",
                f"Action {n} to improve practice for children in care",
                f"Jane Smith, Head of Service {area % 7}",
                DATES[n % len(DATES)],
                f"Progress note for action {n}: audits show improvement",
                STATUSES[n % len(STATUSES)],
            ]
        )
    book.save(path)
    return path


def long_word_plan(path: Path, areas: int = 44, actions: int = 15) -> Path:
    document = Document()
    table = document.add_table(rows=1 + areas * (actions + 1), cols=6)
    for column, text in enumerate(("No", "What", "Who", "How", "When", "Current status")):
        table.cell(0, column).text = text
    row = 1
    for area in range(1, areas + 1):
        table.cell(row, 0).merge(table.cell(row, 5)).text = f"{area}. Improvement area {area}"
        row += 1
        for action in range(1, actions + 1):
            cells = table.rows[row].cells
            cells[0].text = f"{area}.{action}"
            cells[1].text = f"Improve the quality of plans for children, strand {action}"
            cells[2].text = f"Head of Service {area % 7}"
            for index in range(3):
                paragraph = cells[3].paragraphs[0] if index == 0 else cells[3].add_paragraph()
                paragraph.text = f"Step {index + 1}: audit, learn and act"
                paragraph.style = "List Bullet"
            cells[4].text = DATES[action % len(DATES)]
            cells[5].text = STATUSES[action % len(STATUSES)]
            row += 1
    document.save(str(path))
    return path


def import_files(paths: list[Path], prefix: str) -> ImportReport:
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    report = ImportReport()
    try:
        plans = read_plan_files(paths, CouncilOptions("", "", prefix))
        with Session(engine) as session:
            for plan in plans:
                report.merge(apply_plan(session, plan, at=AT))
            session.commit()
        report.render()
    finally:
        engine.dispose()
    return report


def york_yaml() -> None:
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    directory = RoleDirectory.load()
    with Session(engine) as session:
        ensure_directory(session, directory, at=AT)
        for path in YORK_PLAN_FILES:
            apply_plan(session, read_yaml_plan(path), at=AT, directory=directory).render()
        session.commit()
    engine.dispose()


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    sheet = big_sheet(folder / "council-2000.xlsx")
    word = long_word_plan(folder / "council-60-pages.docx")
    york = []
    for path in YORK_PLAN_FILES:
        doc = read_yaml_plan(path)
        target = folder / f"{doc.key}.docx"
        target.write_bytes(plan_to_docx(doc))
        york.append(target)
    cases: dict[str, Callable[[], object]] = {
        "York's two plans, YAML (baseline)": york_yaml,
        "York's two plans as .docx (target 2 s)": lambda: import_files(york, ""),
        "2,000-row council .xlsx (target 5 s)": lambda: import_files([sheet], "BG"),
        "60-page council .docx (target 5 s)": lambda: import_files([word], "WD"),
    }
    for name, work in cases.items():
        figures = [timed(work) for _ in range(args.rounds)]
        wall = statistics.median(f[0] for f in figures)
        cpu = statistics.median(f[1] for f in figures)
        print(f"{name:42} wall {wall:6.2f} s   cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
