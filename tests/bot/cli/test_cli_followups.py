"""Follow-up questions in `planbot console`, typed one after another as a person would: each reads
with the last question of the same session, and a new session starts with none."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.ask import run_console
from bot.runtime import build_runtime
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def york_env(york_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.delenv("PLANBOT_TODAY", raising=False)
    return york_url


def answers(out: str) -> list[str]:
    """Each answer the console printed, in order (answers end with a blank line)."""
    return [block for block in out.split("\n\n") if block.strip()]


def console(lines: list[str]) -> list[str]:
    runtime = build_runtime(load_settings(), as_of="2023-02-15")
    stdout = io.StringIO()
    assert run_console(runtime, io.StringIO("".join(f"{line}\n" for line in lines)), stdout,
                       interactive=False) == 0  # fmt: skip
    return answers(stdout.getvalue())


def test_a_session_of_follow_ups_in_the_console(york_env: str) -> None:
    said = console([
        "what's overdue in P5?",
        "and for P7?",
        "just the red ones",
        "how many is that",
        "same for the Head of MASH",
        "and steps?",
        "what's open under OA4?",
        "and OA5?",
    ])  # fmt: skip
    first_lines = [answer.splitlines()[0] for answer in said]
    assert first_lines == [
        "Overdue items under P5 (Children and Young People in Care) (as of 15 Feb 2023)",
        "Overdue items under P7 (Practice) (as of 15 Feb 2023)",
        "Overdue items under P7 (Practice) coloured red (as of 15 Feb 2023)",
        "Items under P7, overdue, coloured red: 9 (2 actions, 7 steps) (as of 15 Feb 2023)",
        "Items owned by Head of MASH, overdue, coloured red: 6 (1 action, 5 steps) "
        "(as of 15 Feb 2023)",
        "Items owned by Head of MASH, overdue, coloured red: 6 (1 action, 5 steps) "
        "(as of 15 Feb 2023)",
        "Open items under OA4 (The analysis of return home interviews) with the actions "
        "elsewhere marked (OA4) (as of 15 Feb 2023)",
        "Open items under OA5 (Responses to children aged 16 and 17 who present as homeless) "
        "with the actions elsewhere marked (OA5) (as of 15 Feb 2023)",
    ]
    assert "P5.4 " in said[0] and "P7.5 " not in said[0]
    assert "P7.5 " in said[1] and "P7.4 " in said[1] and "P5.4 " not in said[1]
    assert "Read with your last question here. 9 items, listed below." in said[3]
    assert "P4.4.1 " in said[4] and "P7.5 " in said[4] and "P7.4 " not in said[4]
    assert "Steps are listed on their own only by one item and a status" in said[5]
    assert "Read with your last question here" not in said[6]  # it stands on its own
    assert "P4.4 " in said[7] and "P7.5 " not in said[7]


def test_a_new_console_session_has_no_last_question(york_env: str) -> None:
    console(["what's overdue in P5?"])
    [answer] = console(["and for P7?"])
    assert answer.splitlines()[0] == "Open items under P7 (Practice) (as of 15 Feb 2023)"
    assert "I have no earlier question about the plan from you in this conversation" in answer


def test_follow_ups_through_a_pipe(york_url: str) -> None:
    """The console as a person starts it, its questions typed into standard input."""
    env = {**os.environ, "DATABASE_URL": york_url, "PYTHONPATH": str(ROOT)}
    env.pop("PLANBOT_TODAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--as-of", "2023-02-15", "console"],
        input="what's open in P4?\nwhat about next month\nn P1?\nquit\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    first_lines = [answer.splitlines()[0] for answer in answers(done.stdout)]
    assert first_lines == [
        "Open items under P4 (Front Door) (as of 15 Feb 2023)",
        "Open items under P4 (Front Door) due in March 2023 (as of 15 Feb 2023)",
        "Open items under P1 (Workforce) due in March 2023 (as of 15 Feb 2023)",
    ]
