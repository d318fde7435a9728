"""Replies that say someone else owns the item now, as leads write them: read as a claim (with
the words naming the new owner), never as a status; and updates that merely mention people or
handing things over in passing are not claims."""

from __future__ import annotations

import pytest
from reminder_test_helpers import give_role, make_request
from sqlalchemy import Engine

from commands.updates.ownership import Reassigned, ReassignProblem, decide_reassign, read_claim
from store.db import session_scope
from store.queries.roles import owner_roles


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("this sits with Head of QA now", "Head of QA"),
        ("It's now owned by the Head of Corporate Parenting", "the Head of Corporate Parenting"),
        ("passed this to head of qa last week", "head of qa last week"),
        ("I've handed it over to <@U0QA00001>", "<@U0QA00001>"),
        ("Handed over to Principal Social Worker, thanks", "Principal Social Worker"),
        ("not mine any more - it's the virtual school head's", "the virtual school head's"),
        ("no longer my action", ""),
        ("Not with me anymore, ask Head of SEND", "Head of SEND"),
        ("wrong person, try Head of MASH", "Head of MASH"),
        ("Head of QA has taken this over", "Head of QA"),
        ("the DoS is leading on this now", "the DoS"),
        (
            "this belongs to Head of Innovation and Children's Champion now.",
            "Head of Innovation and Children's Champion",
        ),
        ("moved across to the MASH team", "the MASH team"),
    ],
)
def test_a_claim_names_who_owns_it_now(text: str, named: str) -> None:
    claim = read_claim(text)
    assert claim is not None, text
    assert claim.named == named
    if "<@" in text:
        assert claim.users == ("U0QA00001",)


@pytest.mark.parametrize(
    "text",
    [
        "done, signed off at DMT",
        "in progress, draft with legal",
        "blocked: waiting on police data",
        "I've taken it over and it's in progress",
        "we own the risk register, on track",
        "handover pack drafted, amber",
        "passed the audit, complete",
        "with the panel for sign off",
    ],
)
def test_updates_that_are_not_claims(text: str) -> None:
    assert read_claim(text) is None, text


def test_only_an_admin_moves_an_action_and_it_moves_whole(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", "U0MASH001")
    with session_scope(york_engine) as session:
        refused = decide_reassign(session, make_request(user="U0MASH001"), "P7.5", "Head of QA")
        assert isinstance(refused, ReassignProblem)
        admin = make_request(user="U0ADMIN01", admins=("U0ADMIN01",))
        moved = decide_reassign(session, admin, "P7.5.2", "Head of QA")  # a step: its action
        assert moved == Reassigned("P7.5", "Head of QA", ("Head of MASH",), "U0ADMIN01")
        again = decide_reassign(session, admin, "P7.5", "Head of QA")
        assert again == ReassignProblem("P7.5 is already owned by Head of QA.")
    with session_scope(york_engine) as session:
        from store.queries.history import find_item

        item = find_item(session, "P7.5")
        assert item is not None
        assert [r.name for r in owner_roles(session, item.id or 0)] == ["Head of QA"]


@pytest.mark.parametrize(
    "text",
    [
        "the family moved to YO24 1AB, chasing",
        "moved to March as the panel was cancelled",
        "handed over to BAU",
        "gone to panel for sign off",
        "given to the board for decision",
    ],
)
def test_moves_of_other_things_are_not_claims(text: str) -> None:
    assert read_claim(text) is None, text
