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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, known: set[str]) -> set[str]:
    """The project modules a module imports, at the top or inside functions (a lazy import is
    still an import), leaving out `if TYPE_CHECKING:` blocks, which never run."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in known:
                    found.add(submodule)
                elif node.module in known:
                    found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _with_packages(importer: str, targets: set[str], known: set[str]) -> set[str]:
    """Importing `a.b.c` runs `a/__init__` and `a/b/__init__` first, so those packages are
    imported too, unless the importer is inside them (its package is already being set up)."""
    found = set(targets)
    for target in targets:
        parts = target.split(".")
        for n in range(1, len(parts)):
            package = ".".join(parts[:n])
            if package in known and not importer.startswith(package + "."):
                found.add(package)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = [path for layer in LAYERS for path in modules(layer) if "migrations" not in path.parts]
    known = {_module_name(path) for path in paths}
    graph = {}
    for path in paths:
        name = _module_name(path)
        targets = _imports(ast.parse(path.read_text(encoding="utf-8")), known)
        graph[name] = _with_packages(name, targets, known) - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first repeated at the end), or [] when none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := walk(target)):
                return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (cycle := walk(module)):
            return cycle
    return []


def test_no_import_cycles() -> None:
    """Modules import each other in one direction only, lazy imports included, so any module
    can be read (and imported) without the ones that use it."""
    assert find_cycle(import_graph()) == []


def test_find_cycle_sees_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_module_is_loaded_by_name() -> None:
    """Wiring is by plain imports (go-to-definition works): no importlib, no __import__."""
    offenders = [
        str(path.relative_to(ROOT))
        for layer in LAYERS
        for path in modules(layer)
        if "import_module(" in path.read_text(encoding="utf-8")
        or "__import__(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
