"""Reading leads' replies under reminders: status, RAG, new due date and note, on a fixed day.

The replies are written the way Heads of Service answer a chaser in chat; today is Wednesday
15 February 2023 (UK financial year 2022/23).
"""

from __future__ import annotations

from datetime import date

import pytest

from commands.updates.replies import parse_reply

TODAY = date(2023, 2, 15)
D = date

# (reply, kind, status, rag, due, note) — note: None for "no note", "…" for "some note", or text
REPLIES = [
    ("blocked: waiting on police data", "update", "blocked", None, None, "waiting on police data"),
    ("done, signed off at CYSCP 12/1", "update", "done", None, None, "signed off at CYSCP 12/1"),
    ("amber, slipping to end of March", "update", None, "amber", D(2023, 3, 31), None),
    ("not done yet", "update", "in_progress", None, None, None),
    ("not started yet", "update", "not_started", None, None, None),
    ("no longer blocked, data arrived Monday", "update", "in_progress", None, None, "…"),
    ("compelted", "update", "done", None, None, None),
    ("in progres", "update", "in_progress", None, None, None),
    ("blokced by IT", "update", "blocked", None, None, "…"),
    ("RAG green", "update", None, "green", None, None),
    (
        ":red_circle: no capacity in the team",
        "update",
        None,
        "red",
        None,
        "no capacity in the team",
    ),
    ("🟢 on track", "update", None, "green", None, None),
    ("🟠 recruitment delayed", "update", None, "amber", None, "recruitment delayed"),
    ("thanks", "nothing", None, None, None, None),
    ("Thanks! :pray:", "nothing", None, None, None, None),
    ("when is this due?", "nothing", None, None, None, None),
    ("👍", "nothing", None, None, None, None),
    ("Q1 2023/24", "update", None, None, D(2023, 6, 30), None),
    ("will be complete by next Friday", "update", "in_progress", None, D(2023, 2, 24), None),
    ("due 31/3", "update", None, None, D(2023, 3, 31), None),
    ("new date 31/03/2023", "update", None, None, D(2023, 3, 31), None),
    ("done by Friday", "update", "in_progress", None, D(2023, 2, 17), None),
    ("Done. Next review by 31/3", "update", "done", None, None, "Next review by 31/3"),
    ("started but waiting on police data", "note", None, None, None, "…"),
    ("dropped - superseded by the new QA framework", "update", "dropped", None, None, "…"),
    ("Met with police on Tuesday, data sharing agreement drafted", "note", None, None, None, "…"),
    ("<@U0SAM0001|sam> can you pick this up?", "nothing", None, None, None, None),
    (
        "in progress, draft policy at <https://example.org/doc|the shared drive>",
        "update",
        "in_progress",
        None,
        None,
        "draft policy at the shared drive",
    ),
    (
        "underway, expected by end of next month",
        "update",
        "in_progress",
        None,
        D(2023, 3, 31),
        None,
    ),
    ("Complete. Audit report to board 12/1/23", "update", "done", None, None, "…"),
    ("We haven't started this yet - recruitment first", "update", "not_started", None, None, "…"),
    ("RAG: amber. Moved to Q2 2023/24", "update", None, "amber", D(2023, 9, 30), None),
    (":white_check_mark:", "update", "done", None, None, None),
    (
        "still in progress, *slipping* to 30 April",
        "update",
        "in_progress",
        None,
        D(2023, 4, 30),
        None,
    ),
    ("cancelled", "update", "dropped", None, None, None),
    ("no longer needed as covered by P7.3", "update", "dropped", None, None, "…"),
    ("the audit is finished but the report isn't done yet", "note", None, None, None, "…"),
    ("Red – overdue because of staff sickness", "update", None, "red", None, "…"),
    ("not blocked anymore, working on it", "update", "in_progress", None, None, None),
    ("On track for 31st March", "update", None, "green", D(2023, 3, 31), None),
    ("Nearly done, final sign off at DMT next week", "update", "in_progress", None, None, "…"),
    ("green", "update", None, "green", None, None),
    ("probably done, will check with the team", "note", None, None, None, "…"),
    ("Finsihed – policy published on the intranet", "update", "done", None, None, "…"),
    ("on hold until the new HoS starts", "update", "blocked", None, None, "…"),
    ("meeting booked for 12/3 with health colleagues", "note", None, None, None, "…"),
    (
        "pushed back to 30/06/2023 because of the restructure",
        "update",
        None,
        None,
        D(2023, 6, 30),
        "…",
    ),
    ("Target date now end of Q1 2023/24", "update", None, None, D(2023, 6, 30), None),
    ("ongoing - training sessions booked", "update", "in_progress", None, None, "…"),
    ("&gt; quoted reminder\nall sorted now", "update", "done", None, None, None),
    (
        "In progress. Revised deadline 28th April 2023.",
        "update",
        "in_progress",
        None,
        D(2023, 4, 28),
        None,
    ),
    ("RAG blue", "update", "done", "blue", None, None),
    ("not started, waiting for the new contract", "note", None, None, None, "…"),
    ("deadline moved to 31.3.23", "update", None, None, D(2023, 3, 31), None),
    ("<!channel> done", "update", "done", None, None, None),
    ("thanks :+1:", "nothing", None, None, None, None),
    ("ok will do", "nothing", None, None, None, None),
    (
        "Completed 🎉 – new protocol live from 1 March",
        "update",
        "done",
        None,
        None,
        "new protocol live from 1 March",
    ),
    ("all done :tada:", "update", "done", None, None, None),
    ("slipping - new target date 30/04/2023", "update", None, None, D(2023, 4, 30), None),
    ("Blocked. Need sign-off from DMT before we can proceed", "update", "blocked", None, None, "…"),
    ("We are on track, first workshop held 7/2", "update", None, "green", None, "…"),
    (
        "not compelted yet, aiming for end of April",
        "update",
        "in_progress",
        None,
        D(2023, 4, 30),
        None,
    ),
    (
        "This is no longer being taken forward - merged into P7.3",
        "update",
        "dropped",
        None,
        None,
        "…",
    ),
    ("Not yet started; dependent on recruitment of the new HoS", "note", None, None, None, "…"),
    (
        "still red rated, waiting on police data",
        "update",
        "blocked",
        "red",
        None,
        "waiting on police data",
    ),
    ("all green rag now", "update", None, "green", None, None),
    ("overall red rating", "update", None, "red", None, "…"),
    ("we are green status now", "update", None, "green", None, None),
    (
        "Status: at risk :large_orange_circle: – slipping to mid-April",
        "update",
        None,
        "amber",
        D(2023, 4, 15),
        None,
    ),
]


@pytest.mark.parametrize(("reply", "kind", "status", "rag", "due", "note"), REPLIES)
def test_reply_is_read_as_a_lead_means_it(
    reply: str, kind: str, status: str | None, rag: str | None, due: date | None, note: str | None
) -> None:
    parsed = parse_reply(reply, TODAY)
    assert (parsed.kind, parsed.status, parsed.rag, parsed.due) == (kind, status, rag, due)
    if note == "…":
        assert parsed.note
    else:
        assert parsed.note == note


@pytest.mark.parametrize("colour", ["red", "green", "blue"])
@pytest.mark.parametrize(
    "phrase",
    [
        "{c}",
        "RAG {c}",
        "RAG: {c}",
        "now {c}",
        "moved to {c}",
        "police data late. {c}",
        "{c} rag",
        "{c} rated",
        "{c} rating",
        "{c} status",
        "still {c} rated, waiting on police data",
        "overall {c} rating",
        "we are {c} status now",
        "RAG {c} status",
    ],
)
def test_a_colour_said_as_a_rating_is_read_however_it_is_put(phrase: str, colour: str) -> None:
    assert parse_reply(phrase.format(c=colour), TODAY).rag == colour
    assert parse_reply(phrase.format(c=colour.upper()), TODAY).rag == colour


@pytest.mark.parametrize("reply", ["left the red folder at the hub", "greenwood school visit"])
def test_a_colour_word_that_is_not_a_rating_is_left_in_the_note(reply: str) -> None:
    parsed = parse_reply(reply, TODAY)
    assert (parsed.kind, parsed.rag, parsed.note) == ("note", None, reply)


def test_there_are_at_least_forty_replies() -> None:
    assert len(REPLIES) >= 40


def test_conflicting_statuses_offer_the_likely_ones() -> None:
    parsed = parse_reply("started but waiting on police data", TODAY)
    assert parsed.ambiguous
    assert set(parsed.choices) == {"in_progress", "blocked"}


def test_a_hedged_done_offers_done_or_in_progress() -> None:
    parsed = parse_reply("probably done, will check with the team", TODAY)
    assert parsed.ambiguous and parsed.choices == ("done", "in_progress")


def test_a_date_without_a_year_is_its_next_occurrence() -> None:
    assert parse_reply("due 31/1", TODAY).due == date(2024, 1, 31)
    assert parse_reply("due 20/2", TODAY).due == date(2023, 2, 20)


def test_a_day_past_the_months_end_is_its_last_day() -> None:
    assert parse_reply("new date 31/6/2023", TODAY).due == date(2023, 6, 30)


def test_financial_quarters_follow_the_uk_year() -> None:
    assert parse_reply("by Q4 2022/23", TODAY).due == date(2023, 3, 31)
    assert parse_reply("by Q3", TODAY).due == date(2023, 12, 31)  # Q3 2022/23 has passed


@pytest.mark.parametrize("length", [0, 1, 5000, 40000])
def test_replies_of_any_length_are_read_without_error(length: int) -> None:
    text = ("in progress, waiting on data from partners. " * 1000)[:length]
    parsed = parse_reply(text, TODAY)
    assert parsed.kind in ("nothing", "note", "update")
    assert parsed.note is None or len(parsed.note) <= 4000


def test_a_very_long_reply_keeps_its_status_and_a_marked_cut_note() -> None:
    text = "blocked: waiting on police data. " + "Notes from the workshop follow. " * 1250
    parsed = parse_reply(text, TODAY)  # 40,000 characters, as long as Slack allows
    assert parsed.status == "blocked"
    assert parsed.note is not None and parsed.note.startswith("waiting on police data.")
    assert len(parsed.note) == 4000 and parsed.note.endswith("…")


def test_slack_markup_is_not_kept_in_the_note() -> None:
    parsed = parse_reply("blocked: *waiting* on <@U0POL001|police> and <#C0DATA01|data>", TODAY)
    assert parsed.status == "blocked"
    assert parsed.note == "waiting on @police and #data"


@pytest.mark.parametrize(
    "text",
    [
        "handed over to BAU",
        "now business as usual",
        "mainstreamed into business as usual, closing this",
        "bau",
        "handed over to the service",
    ],
)
def test_handed_to_business_as_usual_reads_as_done(text: str) -> None:
    from datetime import date

    from commands.updates.replies import parse_reply

    assert parse_reply(text, date(2023, 2, 15)).status == "done"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("slipping again to 31 May, sorry", "2023-05-31"),
        ("move it to 30 April", "2023-04-30"),
        ("can we make it 30 April then, recruitment delayed", "2023-04-30"),
        ("push the date back to end of June", "2023-06-30"),
        ("call it 31/5", "2023-05-31"),
    ],
)
def test_asking_for_a_new_date_in_other_words(text: str, due: str) -> None:
    from datetime import date

    from commands.updates.replies import parse_reply

    assert parse_reply(text, date(2023, 2, 15)).due == date.fromisoformat(due)
