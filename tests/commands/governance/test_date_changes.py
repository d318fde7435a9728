"""Date changes with approval: a lead's new date waits for the approver where the plan requires
it, Approve moves the date and keeps the baseline, Reject leaves it, a second press or a
stranger is refused by name, a done item keeps its date, and a recorded plan applies at once."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from bot.render import render
from commands.governance.date_changes import DateChangeDecided, DateChangeProblem, decide
from commands.questions.history import HistoryResult
from commands.router import handle
from commands.updates.apply import reply_in_thread
from commands.updates.outcomes import ReplyIgnored, UpdateApplied
from store.db import session_scope
from store.queries.governance import date_changes_of
from store.queries.history import find_item

TODAY = date(2023, 2, 15)
LEAD, DOS, ADMIN, OTHER = "U0MASH001", "U0DOS0001", "U0ADMIN01", "U0OTHER01"
THREAD = slack_ts(TODAY)


def setup(engine: Engine, approval: str = "required") -> None:
    give_role(engine, "Head of MASH", LEAD)
    give_role(engine, "Director of Safeguarding", DOS)
    post_thread(engine, "P7.5", ts=THREAD, on=TODAY)
    with session_scope(engine) as session:
        handle(session, make_request(f"settings ambition approval {approval}", admins=(ADMIN,),
                                     user=ADMIN))  # fmt: skip


def reply(engine: Engine, text: str, n: int, user: str = LEAD) -> object:
    with session_scope(engine) as session:
        return reply_in_thread(
            session,
            make_request(user=user),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n),
            text=text,
            permalink=None,
            has_files=False,
        )


def press(engine: Engine, change_id: int, verdict: str, user: str = DOS) -> object:
    with session_scope(engine) as session:
        return decide(session, make_request(user=user, admins=(ADMIN,)), change_id, verdict)


def due_of(engine: Engine, ref: str = "P7.5") -> date | None:
    with session_scope(engine) as session:
        item = find_item(session, ref)
        assert item is not None
        return item.due_date


def test_a_new_date_waits_for_the_approver_and_approval_moves_it(york_engine: Engine) -> None:
    setup(york_engine)
    asked = reply(york_engine, "in progress, slipping to 31/3 as the analyst post is vacant", 1)
    assert isinstance(asked, UpdateApplied) and asked.date_change is not None
    change = asked.date_change
    assert (change.state, change.previous_due, change.new_due) == (
        "requested",
        date(2023, 1, 31),
        date(2023, 3, 31),
    )
    assert change.approvers == (DOS,) and change.approver_role == "Director of Safeguarding"
    assert asked.new_status == "in_progress" and asked.new_due is None
    assert due_of(york_engine) == date(2023, 1, 31)  # keeps its date until approved
    shown = render(asked)
    assert "it waits for Director of Safeguarding's approval" in shown.text
    assert f"<@{DOS}>: P7.5 asks to move its date from 31 Jan 2023 to 31 Mar 2023" in shown.text
    actions = next(b for b in shown.blocks if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == [
        "date_change:approve",
        "date_change:reject",
        "date_change:more",
    ]

    stranger = press(york_engine, change.id, "approve", user=OTHER)
    assert stranger == DateChangeProblem(
        "Only the approver (Director of Safeguarding) or an admin can decide this."
    )
    lead_self = press(york_engine, change.id, "approve", user=LEAD)
    assert isinstance(lead_self, DateChangeProblem)
    more = press(york_engine, change.id, "more")
    assert isinstance(more, DateChangeDecided) and more.change.state == "requested"
    assert render(more).text.startswith(f"<@{LEAD}>: the approver asks for more")
    approved = press(york_engine, change.id, "approve")
    assert isinstance(approved, DateChangeDecided)
    assert render(approved).text == (
        f"Approved by <@{DOS}>: P7.5 is now due 31 Mar 2023 (re-baselined from 31 Jan 2023, "
        f"approved by <@{DOS}> on 15 Feb 2023)."
    )
    assert due_of(york_engine) == date(2023, 3, 31)
    again = press(york_engine, change.id, "approve")
    assert isinstance(again, DateChangeProblem)
    assert again.message.startswith(f"The new date for P7.5 was already approved by {DOS}")
    with session_scope(york_engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        [kept] = date_changes_of(session, item)
        assert (kept.original_due, kept.previous_due, kept.new_due) == (
            date(2023, 1, 31),
            date(2023, 1, 31),
            date(2023, 3, 31),
        )
        assert (kept.requested_by, kept.decided_by, kept.state) == (LEAD, DOS, "approved")
        assert kept.reason and "analyst post is vacant" in kept.reason
        history = handle(session, make_request("history P7.5", user=OTHER))
    assert isinstance(history, HistoryResult)
    assert f"by <@{DOS}> via" in render(history).text
    assert "New date approved" in render(history).text


def test_a_rejected_date_leaves_the_item_as_it_was_and_a_second_is_flagged(
    york_engine: Engine,
) -> None:
    setup(york_engine)
    first = reply(york_engine, "slipping to end of march, waiting on recruitment", 1)
    assert isinstance(first, UpdateApplied) and first.date_change is not None
    assert "nothing changed" not in render(first).text
    rejected = press(york_engine, first.date_change.id, "reject")
    assert isinstance(rejected, DateChangeDecided)
    assert render(rejected).text == f"Not approved by <@{DOS}>: P7.5 keeps its date, 31 Jan 2023."
    with session_scope(york_engine) as session:
        history = handle(session, make_request("history P7.5", user=OTHER))
    assert isinstance(history, HistoryResult)
    assert (
        f"31 Jan 2023 → 31 Mar 2023, asked by <@{LEAD}>: rejected by <@{DOS}> on 15 Feb 2023 — "
        "“slipping to end of march, waiting on recruitment”"
    ) in render(history).text
    assert due_of(york_engine) == date(2023, 1, 31)
    second = reply(york_engine, "slipping to 30 April then, recruitment delayed", 2)
    assert isinstance(second, UpdateApplied) and second.date_change is not None
    assert isinstance(press(york_engine, second.date_change.id, "approve", user=ADMIN),
                      DateChangeDecided)  # fmt: skip
    assert due_of(york_engine) == date(2023, 4, 30)
    third = reply(york_engine, "slipping to 31 May, sorry", 3)
    assert isinstance(third, UpdateApplied) and third.date_change is not None
    assert third.date_change.flagged == "date moved 2 times"
    assert "Flagged for the board: date moved 2 times." in render(third).text


def test_a_done_item_keeps_its_date(york_engine: Engine) -> None:
    setup(york_engine)
    assert isinstance(reply(york_engine, "done", 1), UpdateApplied)
    refused = reply(york_engine, "slipping to 30 April", 2)
    assert isinstance(refused, ReplyIgnored) and refused.hint is not None
    assert refused.hint.startswith("P7.5 is done, so its due date stays as it is")
    reopened = reply(york_engine, "reopening: in progress, now due 30 April", 3)
    assert isinstance(reopened, UpdateApplied) and reopened.date_change is not None


def test_a_plan_that_records_changes_applies_them_at_once_and_keeps_the_record(
    york_engine: Engine,
) -> None:
    setup(york_engine, approval="recorded")
    moved = reply(york_engine, "in progress, slipping to 31/3", 1)
    assert isinstance(moved, UpdateApplied) and moved.date_change is not None
    assert moved.date_change.state == "recorded" and moved.new_due == date(2023, 3, 31)
    assert render(moved).text == (
        "P7.5 → in progress, due 31 Mar 2023 (was 31 Jan 2023)."
    )  # the confirmation York's leads know, unchanged
    assert due_of(york_engine) == date(2023, 3, 31)


def test_the_summary_counts_dates_moved_awaiting_and_flagged(york_engine: Engine) -> None:
    from datetime import datetime

    from commands.clock import Clock
    from commands.digest.scope import ALL, Scope
    from commands.digest.summary import compose_digest

    setup(york_engine)
    first = reply(york_engine, "slipping to 31 March, recruitment", 1)
    assert isinstance(first, UpdateApplied) and first.date_change is not None
    press(york_engine, first.date_change.id, "approve")
    second = reply(york_engine, "slipping to 31 May, recruitment again", 2)
    assert isinstance(second, UpdateApplied) and second.date_change is not None

    def summary(scope: Scope = ALL) -> object:
        with session_scope(york_engine) as session:
            return compose_digest(session, scope, Clock.fixed_at(datetime(2023, 2, 15, 18)))

    result = summary()
    dates = result.dates  # type: ignore[attr-defined]
    assert (dates.approved, dates.recorded, dates.awaiting) == (1, 0, ("P7.5",))
    assert dates.flagged == (  # 31 Jan to 31 Mar is more than the plan's 8 weeks
        "P7.5: more than 8 weeks beyond the original date",
        "P7.5: date moved 2 times",
    )
    text = render(result).text  # type: ignore[arg-type]
    assert "DUE DATES MOVED (1, 1 AWAITING APPROVAL)" in text
    assert "Awaiting approval: P7.5" in text
    assert "Flagged for the board: P7.5: more than 8 weeks" in text
    ofsted = summary(Scope("area", "OA1", "OA1"))
    assert not ofsted.dates.any  # type: ignore[attr-defined]


def test_the_paper_reports_dates_moved_with_approval_apart_from_slippage(
    york_engine: Engine,
) -> None:
    import io

    from docx import Document

    from bot.render.paper_docx import board_docx
    from commands.reports.facts import DateMoves, PaperFacts, paper_facts

    setup(york_engine)
    first = reply(york_engine, "slipping to 31 March, recruitment", 1)
    assert isinstance(first, UpdateApplied) and first.date_change is not None
    press(york_engine, first.date_change.id, "approve")
    reply(york_engine, "slipping to 31 May, recruitment again", 2)
    with session_scope(york_engine) as session:
        facts = paper_facts(session, date(2023, 2, 28), date(2023, 2, 1), "ambition")
        before = paper_facts(session, date(2023, 2, 14), date(2023, 1, 1), "ambition")
    assert isinstance(facts, PaperFacts) and isinstance(before, PaperFacts)
    assert facts.date_moves == DateMoves(
        1,
        0,
        ("P7.5",),
        ("P7.5: more than 8 weeks beyond the original date", "P7.5: date moved 2 times"),
    )
    assert before.date_moves == DateMoves()  # as it stood before anyone asked
    paper = Document(io.BytesIO(board_docx(facts, ())))
    text = [p.text for p in paper.paragraphs]
    assert any(
        "Due dates moved in the period: 1 with approval, 0 where the plan does not ask for "
        "approval; 1 requests await approval (P7.5)." in line
        for line in text
    )
    # Annex A: the re-baseline says who approved it and when; what comes next is the decision
    row = next(r for r in facts.rows if r.ref == "P7.5")
    assert (row.rebaselined, row.current_due) == (1, date(2023, 3, 31))
    assert row.moved == "last moved 15 Feb 2023, approved by Director of Safeguarding"
    assert row.next_step == "Decision on the new date the lead asked for"
    [cells] = [[c.text for c in r.cells] for r in paper.tables[0].rows if r.cells[0].text == "P7.5"]
    assert cells[4] == (
        "31 March 2023 (moved 1×; last moved 15 Feb 2023, approved by Director of Safeguarding)"
    )
    assert cells[8] == "Decision on the new date the lead asked for"
    earlier = next(r for r in before.rows if r.ref == "P7.5")
    assert (earlier.moved, earlier.current_due) == ("", date(2023, 1, 31))


def test_waiting_dates_listed_and_decided_from_the_terminal(
    york_engine: Engine,
    york_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    from bot.cli import main

    out = capsys
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.chdir(tmp_path)
    setup(york_engine)
    asked = reply(york_engine, "slipping to 31 March, recruitment", 1)
    assert isinstance(asked, UpdateApplied) and asked.date_change is not None
    number = asked.date_change.id
    out.readouterr()
    assert main(["--as-of", "2023-02-16", "approve"]) == 0
    listed = out.readouterr().out
    assert listed.startswith(f"{number}: P7.5 from 31 Jan 2023 to 31 Mar 2023, asked by {LEAD}")
    assert listed.rstrip().endswith("— slipping to 31 March, recruitment")
    assert main(["--as-of", "2023-02-16", "approve", str(number), "--reject"]) == 0
    assert "Not approved by terminal: P7.5 keeps its date, 31 Jan 2023." in out.readouterr().out
    assert main(["--as-of", "2023-02-16", "approve", str(number)]) == 1
    assert "already rejected" in out.readouterr().out
    assert main(["--as-of", "2023-02-16", "approve"]) == 0
    assert out.readouterr().out == "No new due date is waiting for approval.\n"


def test_answers_and_their_json_carry_the_new_date_and_the_evidence(york_engine: Engine) -> None:
    from commands.questions.answer_result import AnswerResult

    setup(york_engine)
    with session_scope(york_engine) as session:
        handle(session, make_request("settings ambition blue_needs signoff", user=ADMIN,
                                     admins=(ADMIN,)))  # fmt: skip
    asked = reply(york_engine, "slipping to 31 March, recruitment", 1)
    assert isinstance(asked, UpdateApplied)

    def ask(text: str) -> AnswerResult:
        with session_scope(york_engine) as session:
            found = handle(session, make_request(text, user=OTHER))
        assert isinstance(found, AnswerResult)
        return found

    [item] = [i for i in ask("P7.5").flat_items() if i.reference == "P7.5"]
    assert item.as_json()["date_change"] == {
        "state": "requested",
        "previous_due": "2023-01-31",
        "new_due": "2023-03-31",
        "decided_by": None,
        "decided_on": None,
    }
    assert "new date 31 Mar 2023 awaiting approval" in render(ask("P7.5")).text
    reply(york_engine, "done", 2)
    reply(york_engine, "evidence https://intranet.york.gov.uk/audit", 3)
    with session_scope(york_engine) as session:
        from commands.governance.evidence import sign_off

        sign_off(session, make_request(user=DOS), f"action:{find_item(session, 'P7.5').id}")  # type: ignore[union-attr]
    [item] = [i for i in ask("P7.5").flat_items() if i.reference == "P7.5"]
    shown = item.as_json()
    assert shown["evidence"] == "Evidence: https://intranet.york.gov.uk/audit"
    assert shown["signed_off_by"] == DOS
    assert shown["rag"] == "blue"
