"""Each plan's governance settings: defaults that change nothing, admins alone change them, a
clear answer for every bad key or value, and the terminal's `planbot settings` / `planbot cover`."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from reminder_test_helpers import make_request
from sqlalchemy.engine import Engine

from bot.cli import main
from commands.governance.plan_settings import (
    PlanPolicy,
    PlanSettingChanged,
    PlanSettingsProblem,
    PlanSettingsShown,
    policy_for,
)
from commands.router import handle
from store.db import session_scope
from store.queries.paper_items import all_plans

ADMIN = "U0ADMIN01"


def run(engine: Engine, text: str, user: str | None = ADMIN) -> object:
    with session_scope(engine) as session:
        return handle(session, make_request(text, user=user, admins=(ADMIN,)))


def test_york_starts_on_the_defaults_that_change_nothing(york_engine: Engine) -> None:
    shown = run(york_engine, "settings")
    assert isinstance(shown, PlanSettingsShown)
    assert [row.plan for row in shown.rows] == ["ofsted-2022", "ambition-2022"]
    for row in shown.rows:
        assert row.policy == PlanPolicy("recorded", "none", "Director of Safeguarding", 8)
        assert row.set_keys == ()


def test_an_admin_sets_a_plans_settings_and_they_are_read_back(york_engine: Engine) -> None:
    assert run(york_engine, "settings ofsted approval required") == PlanSettingChanged(
        "ofsted-2022", "approval", "required", "recorded"
    )
    assert run(york_engine, "settings set OA blue-needs Evidence") == PlanSettingChanged(
        "ofsted-2022", "blue_needs", "evidence", "none"
    )
    changed = run(york_engine, 'settings ofsted approver "head of qa"')
    assert changed == PlanSettingChanged(
        "ofsted-2022", "approver", "Head of QA", "Director of Safeguarding"
    )
    assert run(york_engine, "settings ambition slip_weeks 12") == PlanSettingChanged(
        "ambition-2022", "slip_weeks", "12", "8"
    )
    with session_scope(york_engine) as session:
        ofsted, ambition = all_plans(session)
        assert policy_for(session, ofsted.id or 0) == PlanPolicy(
            "required", "evidence", "Head of QA", 8
        )
        assert policy_for(session, ambition.id or 0).slip_weeks == 12


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("settings ofsted approval maybe", "approval takes required or recorded, not “maybe”"),
        ("settings ofsted blue_needs gold", "blue_needs takes none, evidence or signoff"),
        ("settings ofsted colour red", "There is no setting “colour”"),
        ("settings nowhere approval required", "No plan is called “nowhere”"),
        ("settings ofsted slip_weeks soon", "slip_weeks takes a number of weeks"),
        ("settings ofsted approver Head of Nothing", "I don't know a role"),
        ("settings ofsted approval", "Say `settings PLAN KEY VALUE`"),
    ],
)
def test_bad_settings_are_refused_by_name(york_engine: Engine, text: str, says: str) -> None:
    result = run(york_engine, text)
    assert isinstance(result, PlanSettingsProblem)
    assert says in result.message
    shown = run(york_engine, "settings show")
    assert isinstance(shown, PlanSettingsShown)
    assert all(row.set_keys == () for row in shown.rows)


def test_the_next_board_date_is_set_typed_as_people_write_it_and_forgotten(
    york_engine: Engine,
) -> None:
    assert run(york_engine, "settings ambition next_board 22 March 2023") == PlanSettingChanged(
        "ambition-2022", "next_board", "2023-03-22", "none"
    )
    with session_scope(york_engine) as session:
        ambition = all_plans(session)[1]
        policy = policy_for(session, ambition.id or 0)
        assert policy.next_board == date(2023, 3, 22)
        assert policy.board_after(date(2023, 3, 23)) is None  # a board that has passed is unknown
    for said, problem in (
        ("1/1/2023", "has passed"),
        ("soon", "next_board takes the next board meeting's date"),
        ("22/3 or 29/3", "next_board takes"),
    ):
        refused = run(york_engine, f"settings ambition next_board {said}")
        assert isinstance(refused, PlanSettingsProblem) and problem in refused.message
    changed = run(york_engine, "settings ambition next_board none")
    assert isinstance(changed, PlanSettingChanged) and changed.value == ""
    with session_scope(york_engine) as session:
        assert policy_for(session, all_plans(session)[1].id or 0).next_board is None


def test_only_an_admin_changes_a_setting(york_engine: Engine) -> None:
    refused = run(york_engine, "settings ofsted approval required", user="U0MASH001")
    assert refused == PlanSettingsProblem("Only an admin can change a plan's settings.")


def test_settings_and_cover_from_the_terminal(
    york_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.chdir(tmp_path)
    assert main(["settings", "set", "ofsted", "approval", "required"]) == 0
    assert "ofsted-2022: approval is now required (was recorded)." in capsys.readouterr().out
    assert main(["settings", "show"]) == 0
    out = capsys.readouterr().out
    assert "approval required ·" in out and "blue_needs none (default)" in out
    assert main(["settings", "set", "ofsted", "approval", "maybe"]) == 1
    assert main(["roles", "assign", "Head of MASH", "U0MASH001"]) == 0
    capsys.readouterr()
    args = [
        "--as-of",
        "2023-02-15",
        "cover",
        "set",
        "Head of MASH",
        "U0DEPUTY1",
        "until",
        "3 March",
    ]
    assert main(args) == 0
    assert "@U0DEPUTY1 covers Head of MASH from 15 Feb 2023 until 3 Mar 2023" in (
        capsys.readouterr().out
    )
    assert main(["--as-of", "2023-02-15", "cover", "list"]) == 0
    assert "Head of MASH: @U0DEPUTY1 for @U0MASH001" in capsys.readouterr().out
    assert main(["--as-of", "2023-02-15", "cover", "end", "head of mash"]) == 0
    assert main(["--as-of", "2023-02-15", "cover", "end", "head of mash"]) == 1
    assert "Nobody is covering Head of MASH" in capsys.readouterr().out
