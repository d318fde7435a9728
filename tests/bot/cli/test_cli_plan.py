"""`planbot export` to standard output: text formats print, a workbook only goes to a pipe."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_xlsx_is_not_written_to_a_terminal(
    york_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", york_url)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    code = main(["--as-of", "2023-01-16", "export", "--format", "xlsx"])
    assert code == 1
    assert terminal.getvalue() == ""
    assert capsys.readouterr().err.strip() == (
        "planbot: an .xlsx workbook is binary: give --out FILE.xlsx or redirect the output"
    )


def test_xlsx_goes_to_a_pipe_as_a_workbook(
    york_url: str, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setenv("DATABASE_URL", york_url)
    code = main(["--as-of", "2023-01-16", "export", "--format", "xlsx", "--plan", "ofsted-2022"])
    assert code == 0
    workbook = load_workbook(io.BytesIO(capsysbinary.readouterr().out), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert rows[0][:2] == ("plan_key", "plan_title")
    assert len(rows) == 1 + 7 + 32  # the header, the Ofsted plan's areas and actions
    assert ("ofsted-2022", None, None, None, None, None, "action", "OA4.2") in [r[:8] for r in rows]


@pytest.mark.parametrize(
    "argv", [["export"], ["db", "status"], ["db", "upgrade"], ["import", "plan.yaml"]]
)
def test_a_database_that_cannot_be_opened_gets_one_line(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("these are meeting notes, not a database\n" * 100)
    (tmp_path / "plan.yaml").write_text("plan: {key: x, title: X, prefix: X}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{not_a_database}")
    assert main(argv) == 2  # a setting at fault, as for every other start-up check
    err = capsys.readouterr().err
    verb = "upgrade" if argv[-1] == "upgrade" else "open"
    assert err == (
        f"planbot: DATABASE_URL: cannot {verb} the database sqlite:///{not_a_database}: "
        "file is not a database\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("roles: [{aliases: [QA]}]\n", "roles[0] needs a name"),
        ("roles: [{name: Head of QA, aliases: QA}]\n", "roles[0].aliases should be a list"),
        ("splits: {A and B: A}\n", "splits['A and B'] should be a list of role names"),
        ("roles: [unclosed\n", "not a readable YAML file"),
    ],
)
def test_a_bad_role_directory_gets_one_line(
    content: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text(content, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    plan = Path(__file__).resolve().parents[3] / "store" / "plans" / "york-ofsted-2022.yaml"
    assert main(["import", "--roles", str(roles), str(plan)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"planbot: cannot read the role directory {roles}: {problem}")
    assert err.count("\n") == 1
    assert not (tmp_path / "unused.db").exists()
