"""Evidence and sign-off before Blue: a "done" waits for evidence (Green, said so), a reply with
a file or link is the evidence, the approver signs off and only then is the item Blue; a plan
that asks for evidence alone turns Blue with it; the history keeps every step."""

from __future__ import annotations

from datetime import date

from reminder_test_helpers import REMINDERS_CHANNEL, give_role, make_request, post_thread, slack_ts
from sqlalchemy.engine import Engine

from bot.render import render
from commands.governance.evidence import (
    EvidenceRecorded,
    SignedOff,
    SignOffProblem,
    sign_off,
)
from commands.questions.history import HistoryResult
from commands.router import handle
from commands.updates.apply import item_view, reply_in_thread
from commands.updates.outcomes import UpdateApplied
from store.db import session_scope
from store.queries.history import find_item

TODAY = date(2023, 2, 15)
LEAD, DOS, ADMIN, OTHER = "U0MASH001", "U0DOS0001", "U0ADMIN01", "U0OTHER01"
THREAD = slack_ts(TODAY)


def setup(engine: Engine, needs: str) -> None:
    give_role(engine, "Head of MASH", LEAD)
    give_role(engine, "Director of Safeguarding", DOS)
    post_thread(engine, "P7.5", ts=THREAD, on=TODAY)
    with session_scope(engine) as session:
        handle(session, make_request(f"settings ambition blue_needs {needs}", user=ADMIN,
                                     admins=(ADMIN,)))  # fmt: skip


def reply(engine: Engine, text: str, n: int, *, files: bool = False, user: str = LEAD) -> object:
    with session_scope(engine) as session:
        return reply_in_thread(
            session,
            make_request(user=user),
            channel=REMINDERS_CHANNEL,
            thread_ts=THREAD,
            message_ts=slack_ts(TODAY, n),
            text=text,
            permalink=f"https://york.slack.com/archives/{REMINDERS_CHANNEL}/p{n}",
            has_files=files,
        )


def colour(engine: Engine) -> tuple[str, str | None]:
    with session_scope(engine) as session:
        item = find_item(session, "P7.5")
        assert item is not None
        return item_view(session, item, make_request()).rag, item.awaiting


def test_done_then_evidence_then_sign_off_then_blue(york_engine: Engine) -> None:
    setup(york_engine, "signoff")
    done = reply(york_engine, "done, the analysis runs monthly now", 1)
    assert isinstance(done, UpdateApplied) and done.awaiting == "evidence"
    assert done.new_status == "done"
    assert render(done).text.endswith(
        "Complete, awaiting evidence: reply here with a link or a file and P7.5 turns Blue."
    )
    assert colour(york_engine) == ("green", "evidence")  # complete, not yet Blue

    refused = reply(york_engine, "here it is https://intranet.york.gov.uk/missing-audit", 2,
                    user=OTHER)  # fmt: skip
    assert not isinstance(refused, EvidenceRecorded)
    evidence = reply(york_engine, "audit report attached", 3, files=True)
    assert isinstance(evidence, EvidenceRecorded)
    assert (evidence.file, evidence.awaiting, evidence.approvers) == (True, "signoff", (DOS,))
    shown = render(evidence)
    assert shown.pings  # the approver is asked to act
    assert f"<@{DOS}>: please sign off P7.5 (Director of Safeguarding)." in shown.text
    button = next(b for b in shown.blocks if b["type"] == "actions")["elements"][0]
    assert (button["action_id"], button["value"]) == ("signoff:confirm", evidence.item_key)
    assert colour(york_engine) == ("green", "signoff")

    with session_scope(york_engine) as session:
        stranger = sign_off(session, make_request(user=LEAD), evidence.item_key)
        assert stranger == SignOffProblem(
            "Only the approver (Director of Safeguarding) or an admin can sign off."
        )
        signed = sign_off(session, make_request(user=DOS), evidence.item_key)
        assert signed == SignedOff("P7.5", DOS)
        twice = sign_off(session, make_request(user=DOS), evidence.item_key)
        assert isinstance(twice, SignOffProblem) and "needs no sign-off now" in twice.message
    assert colour(york_engine) == ("blue", None)
    assert render(signed).text == f"Signed off by <@{DOS}>: P7.5 is complete and evidenced: Blue."

    with session_scope(york_engine) as session:
        history = handle(session, make_request("history P7.5", user=OTHER))
    assert isinstance(history, HistoryResult)
    text = render(history).text
    assert "Evidence: a file shared in the thread" in text
    assert "Signed off" in text


def test_a_plan_asking_for_evidence_alone_turns_blue_with_a_link(york_engine: Engine) -> None:
    setup(york_engine, "evidence")
    done = reply(york_engine, "complete", 1)
    assert isinstance(done, UpdateApplied) and done.awaiting == "evidence"
    evidence = reply(
        york_engine,
        "evidence: https://york.slack.com/archives/CSECRET01/p1676 and www.york.gov.uk/report.",
        2,
    )
    assert isinstance(evidence, EvidenceRecorded) and evidence.awaiting is None
    assert evidence.links == (
        "https://york.slack.com/archives/CSECRET01/p1676",
        "www.york.gov.uk/report",
    )
    assert evidence.unseen == ("https://york.slack.com/archives/CSECRET01/p1676",)
    text = render(evidence).text
    assert "A Slack link to a channel I cannot see: kept as given." in text
    assert text.endswith("P7.5 is complete and evidenced: Blue.")
    assert colour(york_engine) == ("blue", None)
    # reopening forgets the old "done": a new done asks again only if there is no evidence yet
    reply(york_engine, "reopened, in progress", 3)
    assert colour(york_engine)[1] is None


def test_plans_without_the_setting_are_blue_on_the_leads_word(york_engine: Engine) -> None:
    give_role(york_engine, "Head of MASH", LEAD)
    post_thread(york_engine, "P7.5", ts=THREAD, on=TODAY)
    done = reply(york_engine, "done", 1)
    assert isinstance(done, UpdateApplied) and done.awaiting is None
    assert render(done).text == "P7.5 → done."
    assert colour(york_engine) == ("blue", None)


def test_the_summary_counts_done_awaiting_evidence_apart_from_blue(york_engine: Engine) -> None:
    from datetime import datetime

    from commands.clock import Clock
    from commands.digest.scope import ALL
    from commands.digest.summary import compose_digest

    setup(york_engine, "evidence")
    reply(york_engine, "done", 1)
    with session_scope(york_engine) as session:
        summary = compose_digest(session, ALL, Clock.fixed_at(datetime(2023, 2, 15, 18)))
    [ambition] = [p for p in summary.plans if p.key == "ambition-2022"]
    assert ambition.awaiting_evidence == 1
    assert "Done, awaiting evidence 1 (in Green)" in render(summary).text


def test_papers_say_how_many_done_actions_are_evidenced(york_engine: Engine) -> None:
    from bot.render.paper_docx import area_sentences
    from commands.reports.facts import PaperFacts, paper_facts

    setup(york_engine, "evidence")
    reply(york_engine, "done", 1)

    def p7() -> str:
        with session_scope(york_engine) as session:
            facts = paper_facts(session, date(2023, 2, 28), date(2023, 2, 1), "P7")
        assert isinstance(facts, PaperFacts)
        return " ".join(area_sentences(facts.areas[0]))

    assert "Evidence of completion: 0 done with evidence recorded, 1 done and awaiting" in p7()
    reply(york_engine, "https://intranet.york.gov.uk/audit", 2)
    assert "Evidence of completion: 1 done with evidence recorded, 0 done and awaiting" in p7()
