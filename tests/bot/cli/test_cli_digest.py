"""`planbot digest` in a terminal: --dry-run prints what would be posted; mistakes get a line."""

from __future__ import annotations

import pytest

from bot.cli import main


@pytest.fixture
def york_env(york_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.delenv("PLANBOT_TODAY", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    return york_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--as-of", "2023-02-13T08:30", "digest", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_prints_the_summary_as_a_person_reads_it(
    york_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--dry-run", "--scope", "P7")
    assert code == 0
    assert out.startswith("(no channel subscribes; this is the summary for P7 Practice)")
    assert "Weekly summary: P7 Practice · week of 13 Feb 2023" in out
    assert "[Red] P7.4 All practitioners receive high quality supervision" in out
    # Slack's escaping is undone for the terminal: "<reference>", not "&lt;reference&gt;"
    assert "/plan history <reference> shows every dated update" in out
    assert "&lt;" not in out and "&amp;" not in out


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (["--scope", "P7"], 2, "--scope goes with --dry-run"),
        (["--dry-run", "--scope", "weather"], 2, "I don't know the scope 'weather'"),
        (["--dry-run", "--scope", "head of msah"], 2, 'Did you mean "Head of MASH"?'),
        ([], 1, "No channel has a weekly summary subscription."),
        (["--channel", "CNOBODY01"], 1, "CNOBODY01 has no weekly summary subscription."),
    ],
)
def test_mistakes_get_one_line(
    york_env: str, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, said: str
) -> None:
    got, out, err = run(capsys, *argv)
    assert (got, out) == (code, "")
    assert said in err and err.count("\n") == 1
