"""The role directory from chat: `role list|assign|remove`, `whoami`, and who may change it."""

from __future__ import annotations

import pytest
from reminder_test_helpers import give_role, make_request
from sqlalchemy.engine import Engine

from commands.roles.directory import (
    RoleChangeResult,
    RoleListResult,
    RoleProblem,
    WhoAmIResult,
    parse_users,
    role_command,
    whoami_command,
)
from commands.router import handle
from store.db import session_scope
from store.queries.roles import find_role, holders

ADMIN = "U0ADMIN01"


def run(engine: Engine, text: str, **kwargs: object) -> object:
    with session_scope(engine) as session:
        return handle(session, make_request(text, **kwargs))  # type: ignore[arg-type]


def holders_of(engine: Engine, role: str) -> list[str]:
    with session_scope(engine) as session:
        found = find_role(session, role)
        assert found is not None
        return holders(session, found)


def test_slack_mentions_are_read_as_user_ids() -> None:
    users, rest = parse_users('assign "Head of MASH" <@U0MASH001|sam> <@W0TWO0002> @U0THREE03')
    assert users == ["U0MASH001", "W0TWO0002", "U0THREE03"]
    assert rest == 'assign "Head of MASH"'


def test_an_admin_assigns_a_role_by_a_loose_name(york_engine: Engine) -> None:
    result = run(
        york_engine,
        'role assign "head of msah" <@U0MASH001|sam>',
        user=ADMIN,
        admins=(ADMIN,),
    )
    assert result == RoleChangeResult("assign", "Head of MASH", ("U0MASH001",), ())
    assert holders_of(york_engine, "Head of MASH") == ["U0MASH001"]
    again = run(york_engine, "role assign MASH <@U0MASH001>", user=ADMIN, admins=(ADMIN,))
    assert isinstance(again, RoleChangeResult) and again.unchanged == ("U0MASH001",)


def test_an_alias_with_commas_names_one_role(york_engine: Engine) -> None:
    result = run(
        york_engine,
        'role assign "Head of Service for MASH, Assessment and Targeted Intervention" <@U0MASH001>',
    )
    assert isinstance(result, RoleChangeResult) and result.role == "Head of MASH"


def test_a_role_name_with_an_apostrophe(york_engine: Engine) -> None:
    result = run(york_engine, 'role assign "Head of Innovation and Children\'s Champion" U0INNO001')
    assert isinstance(result, RoleChangeResult)
    assert result.role == "Head of Innovation and Children's Champion"


def test_someone_who_is_not_an_admin_cannot_change_the_directory(york_engine: Engine) -> None:
    result = run(york_engine, 'role assign "Head of QA" <@U0SNEAK01>', user="U0SNEAK01")
    assert isinstance(result, RoleProblem) and "Only" in result.message
    assert holders_of(york_engine, "Head of QA") == []


def test_holders_of_planbot_admin_may_change_it(york_engine: Engine) -> None:
    give_role(york_engine, "planbot admin", "U0BOSS001")
    result = run(york_engine, 'role assign "Head of QA" <@U0QUAL001>', user="U0BOSS001")
    assert isinstance(result, RoleChangeResult)
    assert holders_of(york_engine, "Head of QA") == ["U0QUAL001"]


def test_remove_takes_a_person_out_of_a_role(york_engine: Engine) -> None:
    give_role(york_engine, "Head of QA", "U0QUAL001")
    result = run(york_engine, 'role remove "Head of QA" <@U0QUAL001>')
    assert isinstance(result, RoleChangeResult) and result.changed == ("U0QUAL001",)
    assert holders_of(york_engine, "Head of QA") == []


def test_unknown_roles_and_missing_people_get_a_calm_answer(york_engine: Engine) -> None:
    unknown = run(york_engine, 'role assign "Head of Unicorns" <@U0MASH001>')
    assert isinstance(unknown, RoleProblem) and "Head of Unicorns" in unknown.message
    nobody = run(york_engine, 'role assign "Head of QA"')
    assert isinstance(nobody, RoleProblem) and "Say who" in nobody.message
    nothing = run(york_engine, "role frobnicate")
    assert isinstance(nothing, RoleProblem)


@pytest.mark.parametrize(
    ("typed", "role", "suggested"),
    [
        ("virtual head", "Head of Virtual School", ()),
        ("head of corp parenting", "Head of Corporate Parenting", ()),
        ("QA", "Head of QA", ()),
        ("Head of Nothing", None, ()),  # "head of" alone matches nothing
        (
            "dir of safeguarding",
            None,
            ("Director of Safeguarding", "Head of Safeguarding Interventions"),
        ),
    ],
)
def test_role_names_are_matched_on_the_words_that_tell_roles_apart(
    york_engine: Engine, typed: str, role: str | None, suggested: tuple[str, ...]
) -> None:
    result = run(york_engine, f"role list {typed}")
    if role is not None:
        assert isinstance(result, RoleListResult) and [r.name for r in result.rows] == [role]
    else:
        assert isinstance(result, RoleProblem)
        assert set(result.suggestions) == set(suggested)


def test_role_list_flags_roles_that_own_open_actions_with_nobody_behind_them(
    york_engine: Engine,
) -> None:
    give_role(york_engine, "Head of MASH", "U0MASH001")
    result = run(york_engine, "role list")
    assert isinstance(result, RoleListResult)
    rows = {row.name: row for row in result.rows}
    assert not rows["Head of MASH"].unfilled and "P7.5" in rows["Head of MASH"].open_actions
    assert rows["Head of QA"].unfilled
    assert not rows["IRO Service Manager"].unfilled  # owns only done actions
    assert rows["All HoS"].holders == ("U0MASH001",)  # every Head of Service


class EveryoneLeft:
    """A workspace where Slack reports every member deactivated."""

    def user_active(self, user_id: str) -> bool | None:
        return False


def test_a_deactivated_user_is_flagged_not_used(york_engine: Engine) -> None:
    request = make_request('assign "Head of QA" <@U0GONE001>', workspace=EveryoneLeft())
    with session_scope(york_engine) as session:
        result = role_command(session, request, 'assign "Head of QA" <@U0GONE001>')
    assert isinstance(result, RoleChangeResult) and result.deactivated == ("U0GONE001",)
    assert holders_of(york_engine, "Head of QA") == []
    listing = run(york_engine, "role list QA")
    assert isinstance(listing, RoleListResult)
    [row] = listing.rows
    assert row.deactivated == ("U0GONE001",) and row.unfilled


def test_whoami_lists_my_roles_and_the_open_actions_they_own(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", "U0MASH001")
    with session_scope(york_engine) as session:
        result = whoami_command(session, make_request(user="U0MASH001"), "")
    assert isinstance(result, WhoAmIResult)
    assert result.roles == ("Head of MASH", "All HoS")
    refs = [item.ref for item in result.items]
    assert "P7.5" in refs and "P7.10" in refs  # P7.10 is owned by "Heads of Service"
    p75 = next(item for item in result.items if item.ref == "P7.5")
    assert (p75.status, p75.owner, str(p75.due)) == ("not_started", "Head of MASH", "2023-01-31")


def test_whoami_for_someone_with_no_roles(york_engine: Engine) -> None:
    result = run(york_engine, "whoami", user="U0NEW0001")
    assert isinstance(result, WhoAmIResult) and result.roles == () and result.items == ()
