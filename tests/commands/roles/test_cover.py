"""Cover during leave: who may arrange it, the checks on bad input, replies and buttons by the
cover stamped "for <role>", reminders routed to the cover with an FYI to the holder, the cover
ending by itself, and a leaver's roles transferred in one command."""

from __future__ import annotations

from datetime import date

import pytest
from reminder_test_helpers import (
    REMINDERS_CHANNEL,
    give_role,
    make_request,
    post_thread,
    slack_ts,
)
from sqlalchemy.engine import Engine

from bot.render import render
from commands.questions.history import HistoryResult, history_command
from commands.reminders.policy import plan_reminders
from commands.roles.cover import CoverEnded, CoverList, CoverProblem, CoverSet
from commands.roles.directory import RoleProblem, RolesTransferred
from commands.router import handle
from commands.updates.apply import reply_in_thread
from commands.updates.outcomes import UpdateApplied, UpdateRefused
from store.db import session_scope
from store.queries.roles import find_role, holders

TODAY = date(2023, 2, 15)
HOLDER = "U0MASH001"
DEPUTY = "U0DEPUTY1"
OTHER = "U0OTHER01"
ADMIN = "U0ADMIN01"
DOS = "U0DOS0001"


def run(engine: Engine, text: str, *, user: str | None = HOLDER, today: date = TODAY) -> object:
    with session_scope(engine) as session:
        return handle(session, make_request(text, user=user, today=today, admins=(ADMIN,)))


def test_the_holder_books_cover_and_it_reads_back(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    result = run(york_engine, f'cover "Head of MASH" <@{DEPUTY}> until 3 March')
    assert isinstance(result, CoverSet)
    assert (result.row.role, result.row.cover, result.row.holders) == (
        "Head of MASH",
        DEPUTY,
        (HOLDER,),
    )
    assert (result.row.starts_on, result.row.ends_on) == (TODAY, date(2023, 3, 3))
    text = render(result).text
    assert f"<@{DEPUTY}> covers *Head of MASH* from 15 Feb 2023 until 3 Mar 2023" in text
    listed = run(york_engine, "cover list", user=OTHER)
    assert isinstance(listed, CoverList) and [r.cover for r in listed.rows] == [DEPUTY]
    # written other ways: no quotes, a later start, "till"
    later = run(york_engine, f"cover mash <@{DEPUTY}> from 1 March till 10/03/2023")
    assert isinstance(later, CoverSet)
    assert (later.row.starts_on, later.row.ends_on) == (date(2023, 3, 1), date(2023, 3, 10))


def test_bad_cover_requests_get_a_specific_answer_and_change_nothing(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    cases = {
        f'cover "Head of SEND" <@{DEPUTY}> until 3 March': "Nobody holds Head of SEND",
        f'cover "Head of MASH" <@{HOLDER}> until 3 March': "already holds Head of MASH",
        f'cover "Head of MASH" <@{DEPUTY}> until 1 Jan 2023': "is in the past",
        f'cover "Head of MASH" <@{DEPUTY}>': "Say until when",
        'cover "Head of MASH" until 3 March': "Say who covers",
        f'cover "Head of Nothing" <@{DEPUTY}> until 3 March': "I don't know a role",
        f'cover "All HoS" <@{DEPUTY}> until 3 March': "stands for every Head of Service",
        f'cover "Head of MASH" <@{DEPUTY}> until someday': "couldn't read a date",
    }
    for text, says in cases.items():
        result = run(york_engine, text, user=ADMIN)
        assert isinstance(result, CoverProblem), text
        assert says in result.message, (text, result.message)
    assert run(york_engine, "cover list") == CoverList((), TODAY)


def test_only_the_holder_their_manager_or_an_admin_arranges_cover(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    refused = run(york_engine, f'cover "Head of MASH" <@{DEPUTY}> until 3 March', user=OTHER)
    assert isinstance(refused, CoverProblem)
    assert refused.message.startswith("Only a holder of Head of MASH")
    by_admin = run(york_engine, f'cover "Head of MASH" <@{DEPUTY}> until 3 March', user=ADMIN)
    assert isinstance(by_admin, CoverSet)
    # the manager role (from the role file's `manager`) may too
    from store.models import RoleManager

    give_role(york_engine, "Director of Safeguarding", DOS)
    with session_scope(york_engine) as session:
        mash, dos = (
            find_role(session, "Head of MASH"),
            find_role(session, "Director of Safeguarding"),
        )
        assert mash is not None and dos is not None
        session.add(RoleManager(role_id=mash.id or 0, manager_role_id=dos.id or 0))
    by_manager = run(york_engine, f'cover "Head of MASH" <@{OTHER}> until 5 March', user=DOS)
    assert isinstance(by_manager, CoverSet)
    # overlapping: the later wins, and says so
    assert [r.cover for r in by_manager.replaced] == [DEPUTY]
    assert "replaces <@U0DEPUTY1>'s cover" in render(by_manager).text
    listed = run(york_engine, "cover")
    assert isinstance(listed, CoverList) and [r.cover for r in listed.rows] == [OTHER]


def test_the_cover_updates_the_roles_items_stamped_for_the_role(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    thread = slack_ts(TODAY)
    post_thread(york_engine, "P7.5", ts=thread, on=TODAY)

    def reply(user: str, text: str, n: int, today: date = TODAY) -> object:
        with session_scope(york_engine) as session:
            return reply_in_thread(
                session,
                make_request(user=user, today=today),
                channel=REMINDERS_CHANNEL,
                thread_ts=thread,
                message_ts=slack_ts(TODAY, n),
                text=text,
                permalink=None,
                has_files=False,
            )

    assert isinstance(reply(DEPUTY, "in progress", 1), UpdateRefused)  # no cover yet
    assert isinstance(run(york_engine, f"cover MASH <@{DEPUTY}> until 3 March"), CoverSet)
    done = reply(DEPUTY, "in progress, analyst starts Monday", 2)
    assert isinstance(done, UpdateApplied) and done.for_role == "Head of MASH"
    assert render(done).text.endswith("Recorded as cover for Head of MASH.")
    own = reply(HOLDER, "still in progress", 3)
    assert isinstance(own, UpdateApplied) and own.for_role is None  # the holder acts as themself
    history = run(york_engine, "history P7.5", user=OTHER)
    assert isinstance(history, HistoryResult)
    assert f"by <@{DEPUTY}> for Head of MASH via" in render(history).text
    # cover does not reach other roles' items, and ends by itself after its last day
    assert isinstance(reply(DEPUTY, "blocked", 4, today=date(2023, 3, 4)), UpdateRefused)
    with session_scope(york_engine) as session:
        history_now = history_command(session, make_request(user=OTHER), "P7.5")
    assert isinstance(history_now, HistoryResult)


def test_reminders_go_to_the_cover_with_an_fyi_to_the_holder(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    assert isinstance(run(york_engine, f"cover MASH <@{DEPUTY}> until 3 March"), CoverSet)
    with session_scope(york_engine) as session:
        plan = plan_reminders(session, today=TODAY, policy=make_request().policy)
    mash = [r for r in plan.due if any(o.role == "Head of MASH" for o in r.owners)]
    assert mash, "York has MASH reminders due on 15 Feb 2023"
    for reminder in mash:
        assert DEPUTY in reminder.mentions and HOLDER not in reminder.mentions
        assert reminder.for_information == (HOLDER,)
    from bot.render.reminders import reminder_message

    text = reminder_message(mash[0], 1, TODAY).text
    assert f"Head of MASH: covered by <@{DEPUTY}> until 3 Mar 2023 (FYI <@{HOLDER}>)" in text
    assert all(o.role != "Head of MASH" for o in plan.unfilled)
    # after the last day, the holder is asked again
    with session_scope(york_engine) as session:
        later = plan_reminders(session, today=date(2023, 3, 6), policy=make_request().policy)
    for reminder in later.due:
        assert DEPUTY not in reminder.mentions


def test_cover_ends_early_by_the_cover_or_the_holder(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    run(york_engine, f"cover MASH <@{DEPUTY}> until 3 March")
    refused = run(york_engine, 'cover end "Head of MASH"', user=OTHER)
    assert isinstance(refused, CoverProblem)
    ended = run(york_engine, 'cover end "Head of MASH"', user=DEPUTY)
    assert isinstance(ended, CoverEnded) and [r.cover for r in ended.rows] == [DEPUTY]
    again = run(york_engine, "cover end MASH")
    assert isinstance(again, CoverProblem) and "Nobody is covering Head of MASH" in again.message


def test_an_admin_transfers_a_leavers_roles_in_one_command(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", HOLDER)
    give_role(york_engine, "Head of QA", HOLDER)
    refused = run(york_engine, f"role transfer <@{HOLDER}> <@{OTHER}>", user=DEPUTY)
    assert isinstance(refused, RoleProblem)
    done = run(york_engine, f"role transfer <@{HOLDER}> <@{OTHER}>", user=ADMIN)
    assert done == RolesTransferred(HOLDER, OTHER, ("Head of MASH", "Head of QA"))
    with session_scope(york_engine) as session:
        for name in ("Head of MASH", "Head of QA"):
            role = find_role(session, name)
            assert role is not None and holders(session, role) == [OTHER]
    nothing = run(york_engine, f"role transfer <@{HOLDER}> <@{OTHER}>", user=ADMIN)
    assert isinstance(nothing, RoleProblem) and "holds no roles" in nothing.message


def test_the_summary_lists_owner_roles_with_nobody_and_no_cover(york_engine: Engine) -> None:
    from datetime import datetime

    from commands.clock import Clock
    from commands.digest.scope import ALL
    from commands.digest.summary import compose_digest
    from store.queries.roles import unassign

    def to_confirm() -> tuple[str, ...]:
        with session_scope(york_engine) as session:
            summary = compose_digest(session, ALL, Clock.fixed_at(datetime(2023, 2, 15, 9)))
        return summary.owners_to_confirm

    assert "Head of MASH" in to_confirm()
    give_role(york_engine, "Head of MASH", HOLDER)
    assert "Head of MASH" not in to_confirm()
    run(york_engine, f"cover MASH <@{DEPUTY}> until 3 March")
    with session_scope(york_engine) as session:
        mash = find_role(session, "Head of MASH")
        assert mash is not None
        unassign(session, mash, HOLDER)  # the holder leaves while covered: the cover carries it
    assert "Head of MASH" not in to_confirm()
    run(york_engine, "cover end MASH", user=ADMIN)
    assert "Head of MASH" in to_confirm()
    with session_scope(york_engine) as session:
        summary = compose_digest(session, ALL, Clock.fixed_at(datetime(2023, 2, 15, 9)))
    text = render(summary).text
    assert "OWNERS TO CONFIRM" in text and "Head of MASH" in text


@pytest.mark.parametrize(
    ("text", "emoji", "away"),
    [
        ("Annual leave", "", True),
        ("On hols till the 18th", "", True),
        ("OOO - back on Monday", "", True),
        ("off sick", "", True),
        ("Maternity leave", ":baby:", True),
        ("", ":palm_tree:", True),
        ("A/L", "", True),
        ("In a meeting", ":calendar:", False),
        ("Working from home", ":house_with_garden:", False),
        ("Lunch", "", False),
        ("Leaving do at 5!", "", False),
        ("", "", False),
    ],
)
def test_a_status_reads_as_away_only_when_it_says_so(text: str, emoji: str, away: bool) -> None:
    from commands.roles.away import reads_as_away

    assert reads_as_away(text, emoji) is away
