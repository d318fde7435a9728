"""`planbot roles …` and `planbot remind --dry-run` from the terminal, run in this process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.ask import plain_text
from store.db import make_engine, session_scope
from store.queries.reminders import posted_reminders


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, york_url: str) -> None:
    """The operator's shell: York's store, no other planbot or Slack setting, no stray .env."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.chdir(tmp_path)


def test_remind_dry_run_lists_flags_and_claims_nothing_with_the_date_after_the_verb_or_before(
    terminal: None,
    capsys: pytest.CaptureFixture[str],
    york_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANBOT_REMINDERS_CHANNEL", "CREMIND01")
    assert main(["remind", "--dry-run", "--as-of", "2023-02-13"]) == 0  # no Slack token needed
    out = capsys.readouterr().out
    assert out.startswith("Reminders for 13 Feb 2023:\n25 would be posted:")
    assert "P7.5 [overdue] is overdue: it was due on 31 Jan 2023, 13 days ago" in out
    assert "Head of MASH: P3.1" in out  # unfilled roles are flagged, with what they own
    engine = make_engine(york_url)
    with session_scope(engine) as session:
        assert posted_reminders(session) == []
    engine.dispose()

    assert main(["--as-of", "2023-02-11", "remind", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "No reminders today: Saturday" in out


def test_remind_dry_run_names_plans_whose_reminders_have_nowhere_to_go(
    terminal: None, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    assert main(["remind", "--dry-run", "--as-of", "2023-02-13"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reminders for 13 Feb 2023:\n0 would be posted:")
    assert (
        "No reminders channel for Ambition Plan: its reminders wait until one is set "
        "(PLANBOT_REMINDERS_CHANNEL or `channel reminders #channel`)."
    ) in out
    assert "P7.5 [overdue]" not in out
    assert any(
        r.levelname == "WARNING" and "no reminders channel for Ambition Plan" in r.getMessage()
        for r in caplog.records
    )


def test_roles_assign_list_whoami_and_remove(
    terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["roles", "assign", "Head of Nothing", "U0MASH001"]) == 1
    assert capsys.readouterr().out.startswith("I don't know a role called “Head of Nothing”.")
    assert main(["roles", "assign", "Head of MASH", "U0MASH001", "W0ENT0001"]) == 0
    assert capsys.readouterr().out.strip() == "@U0MASH001, @W0ENT0001 now hold Head of MASH."
    assert main(["roles", "list", "mash"]) == 0
    assert capsys.readouterr().out.startswith("1 role\nHead of MASH: @U0MASH001, @W0ENT0001")
    assert main(["roles", "whoami", "U0MASH001"]) == 0
    assert capsys.readouterr().out.startswith("@U0MASH001: Head of MASH, All HoS.")
    assert main(["roles", "list"]) == 0
    everything = capsys.readouterr().out
    assert "(!) Advanced Practitioner: nobody assigned" in everything  # a sign, not :warning:
    assert "<@" not in everything and ":warning:" not in everything
    assert main(["roles", "remove", "Head of MASH", "U0MASH001"]) == 0
    assert "no longer holds Head of MASH" in capsys.readouterr().out
    assert main(["roles", "assign", "Head of MASH", "alice"]) == 1
    assert capsys.readouterr().out.startswith(  # a name is no user id in the terminal
        'Say who by their Slack user id (a name is not one here), e.g. `role assign "Head of MASH"'
    )


@pytest.mark.parametrize(
    ("mrkdwn", "plain"),
    [
        ("<@U0MASH001> now holds it", "@U0MASH001 now holds it"),
        ("<@U0MASH001|sam> now holds it", "@sam now holds it"),
        ("post in <#C0PLAN001|plan-reminders>", "post in #plan-reminders"),
        ("see <https://example.org/doc|the policy>", "see the policy (https://example.org/doc)"),
        (":warning: nobody behind it", "(!) nobody behind it"),
        ("done :tada:", "done "),
        ("P1 &amp; P2 &lt;draft&gt;", "P1 & P2 <draft>"),
        ("*Ofsted Action Plan*: approval _recorded_", "Ofsted Action Plan: approval recorded"),
        ("snake_case_name and 2*3*4 stay", "snake_case_name and 2*3*4 stay"),
    ],
)
def test_terminal_text_carries_no_slack_markup(mrkdwn: str, plain: str) -> None:
    assert plain_text(mrkdwn) == plain


def test_the_terminal_names_people_slack_has_named(
    terminal: None, york_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from store.db import make_engine, session_scope
    from store.queries.people import names, remember_name

    engine = make_engine(york_url)
    with session_scope(engine) as session:  # as the Slack app keeps what users.info says
        remember_name(session, "U0MASH001", "Jo Bloggs", at=datetime(2023, 2, 1, tzinfo=UTC))
        remember_name(session, "U0MASH001", "Jo  Bloggs ", at=datetime(2023, 2, 2, tzinfo=UTC))
        remember_name(session, "W0ENT0001", "W0ENT0001", at=datetime(2023, 2, 2, tzinfo=UTC))
    with session_scope(engine) as session:
        assert names(session) == {"U0MASH001": "Jo Bloggs"}  # an id is never kept as a name
    engine.dispose()
    assert main(["roles", "assign", "Head of MASH", "U0MASH001", "W0ENT0001"]) == 0
    assert capsys.readouterr().out.strip() == "@Jo Bloggs, @W0ENT0001 now hold Head of MASH."
    assert main(["roles", "list", "mash"]) == 0
    assert capsys.readouterr().out.startswith("1 role\nHead of MASH: @Jo Bloggs, @W0ENT0001")
