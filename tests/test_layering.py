"""The import rule of DESIGN.md: bot -> commands -> store, and only bot touches Slack or the env."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "commands", "store")
FORBIDDEN = {
    "store": {"bot", "commands", "slack_bolt", "slack_sdk", "apscheduler"},
    "commands": {"bot", "slack_bolt", "slack_sdk", "apscheduler"},
    "bot": set(),
}


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            roots.add(str(node.args[0].value).split(".")[0])
    return roots


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_only(layer: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[layer])
        for path in modules(layer)
        if imported_roots(path) & FORBIDDEN[layer]
    }
    assert offenders == {}


@pytest.mark.parametrize("layer", ("commands", "store"))
def test_environment_is_read_only_in_bot_settings(layer: str) -> None:
    readers = [
        str(path.relative_to(ROOT))
        for path in modules(layer)
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_clock_is_the_only_caller_of_now() -> None:
    """Nothing but the clock asks the system for today's date."""
    allowed = {"commands/clock.py"}
    callers = []
    for layer in LAYERS:
        for path in modules(layer):
            rel = str(path.relative_to(ROOT))
            source = path.read_text(encoding="utf-8")
            if rel not in allowed and ("date.today()" in source or "datetime.now(" in source):
                callers.append(rel)
    assert callers == []


def test_sql_lives_in_store() -> None:
    """Only store/ builds queries (select/insert/update/delete from sqlmodel or sqlalchemy)."""
    offenders = []
    for layer in ("bot", "commands"):
        for path in modules(layer):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module in ("sqlmodel", "sqlalchemy"):
                    names = {alias.name for alias in node.names}
                    if names & {"select", "insert", "update", "delete", "text", "col"}:
                        offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
