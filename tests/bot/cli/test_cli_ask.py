"""`planbot ask` (text and --json) and `planbot console`, as a script or a person would use them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.ask import run_console
from bot.runtime import build_runtime
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[3]
ITEM_KEYS = {
    "reference",
    "kind",
    "title",
    "plan",
    "status",
    "rag",
    "declared_rag",
    "owners",
    "due",
    "due_as_written",
    "latest_note",
    "date_change",  # issue 20: the latest new date, asked for or decided
    "evidence",
    "signed_off_by",
}


@pytest.fixture
def york_env(york_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.delenv("PLANBOT_TODAY", raising=False)
    return york_url


def test_ask_json_lists_every_item_shown_steps_included(
    york_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--as-of", "2023-02-15", "ask", "what's open under OA4?", "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    refs = [item["reference"] for item in payload["items"]]
    assert refs == ["P7.5", "P7.5.1", "P7.5.2", "P7.5.3", "P7.5.4", "P7.5.5"]
    assert all(set(item) == ITEM_KEYS for item in payload["items"])
    action, first = payload["items"][0], payload["items"][1]
    assert action["kind"] == "action" and first["kind"] == "step"
    assert action["due"] == "2023-01-31" and action["due_as_written"] == "31/01/2023"
    assert first["due"] == "2022-11-30" and first["due_as_written"] == "31/11/2022"
    assert action["rag"] == "red" and action["declared_rag"] is None
    assert action["owners"] == ["Head of MASH"]
    assert payload["not_shown"] == 0
    # the reading as data, and the number of answer lines (an action with its steps is one)
    assert payload["query"]["references"] == ["OA4"] and payload["query"]["status"] == "open"
    assert payload["query"]["status_assumed"] is False and payload["count"] == 1


def test_ask_json_null_due_and_no_match(york_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "P7.5.4", "--json", "--as-of", "2023-02-15"]) == 0
    item = json.loads(capsys.readouterr().out)["items"][0]
    assert (item["due"], item["due_as_written"]) == (None, "Ongoing")
    assert main(["ask", "OA9", "--json", "--as-of", "2023-02-15"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["items"] == [] and payload["suggestions"][0] == "OA7"


def test_ask_prints_the_plain_answer(york_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--as-of", "2023-02-15", "ask", "status", "of", "P7.5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("P7.5 (as of 15 Feb 2023)")
    assert "Red, 15 days overdue · not started · Head of MASH · due 31 Jan 2023" in out


def test_console_answers_each_line_and_stops_at_quit(york_env: str) -> None:
    runtime = build_runtime(load_settings(), as_of="2023-02-15")
    stdin = io.StringIO("help\n\nwhat's open under OA4?\nquit\nP7.5.3\n")
    stdout = io.StringIO()
    assert run_console(runtime, stdin, stdout, interactive=False) == 0
    out = stdout.getvalue()
    assert out.startswith("planbot answers questions about the improvement plan.")
    assert "P7.5 Ensure consistent analysis of missing from home" in out
    assert "P7.5.3 (as of" not in out  # nothing is answered after quit
    assert "planbot>" not in out


def test_console_through_a_pipe(york_url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": york_url,
        "PLANBOT_TODAY": "2023-02-15",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input="what's open under OA4?\n<!channel> anything overdue for head of msah\nhelp\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("\n\n")
    assert answers[0].startswith("Open items under OA4")
    assert "P7.5 Ensure consistent analysis" in answers[0]
    assert answers[1].startswith("Overdue items owned by Head of MASH (as of 15 Feb 2023)")
    assert "P4.4 " in answers[1]
    assert "planbot answers questions" in done.stdout
    assert "planbot>" not in done.stdout
    assert "Traceback" not in done.stderr


def test_building_the_command_line_loads_no_heavy_library() -> None:
    """`planbot --help` and every verb's start wait for the parser: it must not draw in the
    charting library or Slack's SDK (each verb imports what it needs when it runs)."""
    probe = (
        "import sys, bot.cli; bot.cli.build_parser(); "
        "print(sorted(m for m in ('matplotlib', 'bot.jobs.digest', 'bot.render.chart', "
        "'slack_bolt', 'slack_sdk') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "argv", [["ask", "what's open?"], ["digest", "--dry-run"]], ids=["ask", "digest"]
)
def test_output_into_a_pipe_closed_early_ends_quietly(
    york_env: str, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`planbot digest --dry-run | head -3`: the reader goes away; no traceback, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    closed = os.fdopen(write_end, "w", buffering=1)  # line-buffered: the first line fails
    monkeypatch.setattr(sys, "stdout", closed)
    try:
        assert main(["--as-of", "2023-02-13", *argv]) == 0
    finally:
        monkeypatch.undo()
        closed.close()


@pytest.mark.parametrize(
    "argv",
    [["--as-of", "yesterday", "ask", "P7.5"], ["ask", "P7.5", "--as-of", "2023-13-45"]],
    ids=["before the verb", "after it"],
)
def test_a_bad_as_of_date_is_one_line(
    york_env: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "is not a date such as 2023-02-15" in error and "Traceback" not in error
