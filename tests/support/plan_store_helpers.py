"""Helpers for the plan store tests: run the `planbot` CLI in-process, and dump the tables."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

import store.models  # noqa: F401  (registers every table)
from bot.cli import main
from store.db import make_engine
from store.models import (
    Action,
    ActionOwner,
    Area,
    Measure,
    Plan,
    Role,
    StatusUpdate,
    Step,
)

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "store" / "plans"
SEEDS = REPO.parent / "shared" / "seeds"
AS_OF = "2023-01-16"

# Cells a spreadsheet would run (OWASP's CSV-injection examples) and cells that only look close.
HOSTILE_CSV = (
    "plan_key,plan_title,kind,ref,title,text,owners,timescale,progress,measures\r\n"
    'demo,Demo Plan,area,D1,"=HYPERLINK(""http://evil.example"",""x"")",,,,,'
    "\"@SUM(1+9)*cmd|' /C calc'!A0\"\r\n"
    'demo,,action,D1.1,+1+1,-2+3,=cmd|\' /C calc\'!A0,-,"\tstill a formula","- one\n- two"\r\n'
    "demo,,action,D1.2,'apostrophe first,'=written by hand,Head of Demo,\"\r=1\",''x,@me\r\n"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def york_shared(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: str, pg_server: Any
) -> Iterator[Engine]:
    """One copy of the seeded York store for a module's read-only tests (they must not write)."""
    if pg_server is not None:
        name = pg_server.create(template=seeded_template)
        engine = make_engine(pg_server.url_for(name))
        yield engine
        engine.dispose()
        pg_server.drop(name)
        return
    target = tmp_path_factory.mktemp("york_shared") / "york.db"
    shutil.copyfile(seeded_template, target)
    engine = make_engine(f"sqlite:///{target}")
    yield engine
    engine.dispose()


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


Run = Callable[..., CliResult]


@pytest.fixture
def planbot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., CliResult]:
    """`planbot(url, "import", "x.csv")` runs the CLI against the database at `url`."""

    def run(url: str, *argv: str) -> CliResult:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.delenv("PLANBOT_TODAY", raising=False)
        capsys.readouterr()
        code = main(["--as-of", AS_OF, *argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def dump_tables(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, ids included: equal dumps mean nothing changed."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(sa_select(table)).all()
            out[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return out


def plan_content(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """The plans as data, without database ids, so two stores can be compared."""

    def fields(row: SQLModel, *skip: str) -> tuple[object, ...]:
        data = row.model_dump()
        return tuple(
            (key, data[key]) for key in sorted(data) if key not in skip and not key.endswith("id")
        )

    with Session(engine) as session:
        plans = {p.id: p.key for p in session.exec(select(Plan))}
        areas = {a.id: a.ref for a in session.exec(select(Area))}
        actions = {a.id: a.ref for a in session.exec(select(Action))}
        steps = {s.id: s.ref for s in session.exec(select(Step))}
        roles = {r.id: r.name for r in session.exec(select(Role))}
        updates = list(session.exec(select(StatusUpdate).order_by(col(StatusUpdate.id))))
        update_place = {
            u.id: (actions.get(u.action_id or 0) or steps.get(u.step_id or 0), u.at)
            for u in updates
        }
        content: dict[str, list[tuple[object, ...]]] = {
            "plan": [fields(p) for p in session.exec(select(Plan))],
            "area": [(plans[a.plan_id], *fields(a)) for a in session.exec(select(Area))],
            "action": [(areas[a.area_id], *fields(a)) for a in session.exec(select(Action))],
            "step": [(actions[s.action_id], *fields(s)) for s in session.exec(select(Step))],
            "measure": [
                (areas.get(m.area_id or 0), actions.get(m.action_id or 0), *fields(m))
                for m in session.exec(select(Measure))
            ],
            "owner": [
                (actions[o.action_id], roles[o.role_id], o.position)
                for o in session.exec(select(ActionOwner))
            ],
            "update": [
                (
                    update_place[u.id][0],
                    update_place.get(u.corrects_id),
                    *fields(u, "old_status", "old_rag", "old_due"),
                )
                for u in updates
            ],
        }
    return {name: sorted(rows, key=repr) for name, rows in content.items()}
