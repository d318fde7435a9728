"""The replies table of issue 16: replies written the way leads write them, each with what it
should do to each item it is about, read by a person (not taken from what planbot prints).

A row's reply is posted in the thread of an action of its own ("{A}"), whose steps are "{1}",
"{2}", "{3}"; a row with `steps=0` may be posted under a step's own thread instead. `before` is a
reply the same person posted first (the update a correction corrects). Each `Expect` is keyed by
the item it is about ("A", "1", "2"…); no key: nothing is recorded for that reply at all.

Today is Wednesday 15 February 2023 (the York test clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from stdnum.gb import upn

_PUPIL = "816200123001"
PUPIL_NUMBER = upn.calc_check_digit(_PUPIL) + _PUPIL  # a valid UPN, made up
NHS = "943 476 5919"  # passes the mod-11 check


@dataclass(frozen=True)
class Expect:
    """What one item's update should say. `note`: True a note is kept, False none, None either;
    `removed`: the kinds a child's details should be stored as."""

    status: str | None = None
    rag: str | None = None
    due: date | None = None
    correction: bool = False
    note: bool | None = None
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    kind: str
    reply: str
    expect: dict[str, Expect] = field(default_factory=dict)  # empty: nothing recorded
    before: str | None = None
    steps: int = 0  # steps the row's action needs
    secrets: tuple[str, ...] = ()  # never stored, never posted
    board: str = "known"  # "known": the plan's next board is set; "unknown": it is not


def one(**fields: object) -> dict[str, Expect]:
    return {"A": Expect(**fields)}  # type: ignore[arg-type]


NOTHING: dict[str, Expect] = {}
D = date
IP, DONE, BLOCKED, NS, DROPPED = "in_progress", "done", "blocked", "not_started", "dropped"

ROWS: tuple[Row, ...] = (
    # -- plain single items
    Row("plain", "done", one(status=DONE, note=False)),
    Row("plain", "In progress, due 31/3", one(status=IP, due=D(2023, 3, 31), note=False)),
    Row("plain", "blocked - waiting on police data", one(status=BLOCKED, note=True)),
    Row("plain", "amber", one(rag="amber", note=False)),
    Row("plain", "RAG green, on track for end of March", one(rag="green", due=D(2023, 3, 31))),
    Row("plain", "not started yet, new date 30 April", one(status=NS, due=D(2023, 4, 30))),
    Row("plain", "Dropped – superseded by the new MASH protocol", one(status=DROPPED, note=True)),
    Row("plain", "now red, slipping to 31 May", one(rag="red", due=D(2023, 5, 31), note=False)),
    Row("plain", "Complete.", one(status=DONE, note=False)),
    Row("plain", "on hold till the restructure settles", one(status=BLOCKED, note=True)),
    # -- several items in one reply, by reference
    Row(
        "several",
        "{1} done, {2} slipping to May",
        {"1": Expect(DONE), "2": Expect(due=D(2023, 5, 31))},
        steps=2,
    ),
    Row("several", "{1} and {2} are in progress", {"1": Expect(IP), "2": Expect(IP)}, steps=2),
    Row(
        "several",
        "{1} - done. {2} - blocked, waiting on legal. {3} - not started",
        {"1": Expect(DONE), "2": Expect(BLOCKED, note=True), "3": Expect(NS)},
        steps=3,
    ),
    Row("several", "{1} ✅ {2} 🟠", {"1": Expect(DONE), "2": Expect(rag="amber")}, steps=2),
    Row(
        "several",
        "{1} :white_check_mark: {2} :red_circle:",
        {"1": Expect(DONE), "2": Expect(rag="red")},
        steps=2,
    ),
    Row(
        "several", "{1} 75% complete, {2} 100% done", {"1": Expect(IP), "2": Expect(DONE)}, steps=2
    ),
    Row(
        "several",
        "{1} sorted. {2} nowt happened yet",
        {"1": Expect(DONE), "2": Expect(NS)},
        steps=2,
    ),
    Row(
        "several",
        "{A} green overall; {1} done, {2} due 31/3",
        {"A": Expect(rag="green"), "1": Expect(DONE), "2": Expect(due=D(2023, 3, 31))},
        steps=2,
    ),
    Row(
        "several",
        "{1}: complete {2}: delayed to 30/6 because the provider pulled out in January",
        {"1": Expect(DONE), "2": Expect(due=D(2023, 6, 30), note=True)},
        steps=2,
    ),
    Row(
        "several",
        "update on both: {1} done and {2} done",
        {"1": Expect(DONE), "2": Expect(DONE)},
        steps=2,
    ),
    Row(
        "several",
        "{1}, {2} and {3} all finished",
        {"1": Expect(DONE), "2": Expect(DONE), "3": Expect(DONE)},
        steps=3,
    ),
    Row(
        "several",
        "{2} on hold until the new manager starts in April, {1} underway",
        {"2": Expect(BLOCKED, note=True), "1": Expect(IP)},
        steps=2,
    ),
    Row(
        "several",
        "{1} done full stop {2} in progress comma due end of March",
        {"1": Expect(DONE), "2": Expect(IP, due=D(2023, 3, 31))},
        steps=2,
    ),
    Row(
        "several",
        "{1} 🟢 {2} 🔴 waiting on health",
        {"1": Expect(rag="green"), "2": Expect(BLOCKED, rag="red", note=True)},
        steps=2,
    ),
    # -- corrections of the person's own last update
    Row(
        "correction",
        "oops, should have said red",
        one(status=IP, rag="red", correction=True),
        before="in progress",
    ),
    Row(
        "correction",
        "make that 30 June, not 31 May",
        one(due=D(2023, 6, 30), correction=True),
        before="slipping to 31 May",
    ),
    Row("correction", "sorry, meant in progress", one(status=IP, correction=True), before="done"),
    Row("correction", "correction: green", one(rag="green", correction=True), before="amber"),
    Row(
        "correction",
        "scratch that, due 28/4",
        one(status=IP, due=D(2023, 4, 28), correction=True),
        before="in progress due 31/3",
    ),
    Row("correction", "I meant started", one(status=IP, correction=True), before="not started"),
    Row(
        "correction",
        "should have said dropped, it was superseded",
        one(status=DROPPED, correction=True),
        before="done",
    ),
    Row("correction", "oops, should have said amber", one(rag="amber", correction=False)),
    Row(
        "correction",
        "my mistake - meant blocked",
        one(status=BLOCKED, correction=True),
        before="in progress",
    ),
    # -- percentages
    Row("percent", "75% complete", one(status=IP)),
    Row("percent", "three quarters of the way there", one(status=IP)),
    Row("percent", "about 50 percent done", one(status=IP)),
    Row("percent", "100% complete", one(status=DONE)),
    Row("percent", "100% done", one(status=DONE)),
    Row("percent", "half way through", one(status=IP)),
    Row("percent", "90% there, just sign-off left", one(status=IP)),
    Row("percent", "a quarter done", one(status=IP)),
    Row("percent", "0% - not begun", one(status=NS)),
    Row(
        "percent",
        "100% sure we'll have it finished by end of March",
        one(status=IP, due=D(2023, 3, 31)),
    ),
    # -- dictated
    Row("dictated", "done full stop thanks", one(status=DONE, note=False)),
    Row(
        "dictated",
        "in progress comma due 31st of March full stop",
        one(status=IP, due=D(2023, 3, 31)),
    ),
    Row("dictated", "blocked colon waiting on health full stop", one(status=BLOCKED, note=True)),
    Row("dictated", "amber full stop new date end of April", one(rag="amber", due=D(2023, 4, 30))),
    Row(
        "dictated",
        "the audit is finished and the report went to DMT on Monday",
        one(status=DONE, due=None, note=True),
    ),
    Row(
        "dictated",
        "we have started the work and expect to finish by the end of June",
        one(status=IP, due=D(2023, 6, 30)),
    ),
    Row("dictated", "its on hold new line waiting on the police", one(status=BLOCKED, note=True)),
    Row("dictated", "status green full stop everything on track", one(rag="green")),
    # -- regional and informal English
    Row("yorkshire", "nowt's happened on this yet", one(status=NS)),
    Row("yorkshire", "all done and dusted", one(status=DONE)),
    Row("yorkshire", "we're getting there, nearly sorted", one(status=IP)),
    Row("yorkshire", "it's in hand, nowt to worry about", one(status=IP)),
    Row("yorkshire", "not yet but soon", one(status=IP)),
    Row("scots", "nae done yet but close", one(status=IP)),
    Row("scots", "aw done", one(status=DONE)),
    Row("scots", "naething's happened yet", one(status=NS)),
    Row("scots", "it's no finished yet, wee bit more tae dae", one(status=IP)),
    Row("scots", "it's under control, dinnae fash", one(status=IP, rag="green")),
    Row("welsh", "now in a minute", one(status=IP)),
    Row("welsh", "it's tidy, all finished now", one(status=DONE)),
    Row("welsh", "nothing's happened with it yet, mun", one(status=NS)),
    Row("welsh", "it's nearly finished now, see", one(status=IP)),
    Row("geordie", "canny close to finished like", one(status=IP)),
    Row("geordie", "howay, it's aal done", one(status=DONE)),
    Row("geordie", "nowt's been done, man", one(status=NS)),
    Row("geordie", "it's gannin canny, getting there", one(status=IP)),
    Row("informal", "soon but not yet", one(status=IP)),
    Row("informal", "almost there", one(status=IP)),
    Row("informal", "totally done and dusted", one(status=DONE)),
    # -- emoji and emoji codes
    Row("emoji", "✅", one(status=DONE, note=False)),
    Row("emoji", ":white_check_mark:", one(status=DONE, note=False)),
    Row("emoji", "🟢", one(rag="green", note=False)),
    Row("emoji", ":large_green_circle:", one(rag="green", note=False)),
    Row("emoji", "🔵", one(status=DONE, rag="blue", note=False)),
    Row("emoji", ":large_blue_circle:", one(status=DONE, rag="blue", note=False)),
    Row("emoji", "🔴 waiting on legal", one(status=BLOCKED, rag="red", note=True)),
    Row("emoji", "👀", NOTHING),
    Row("emoji", "👍", NOTHING),
    Row("emoji", ":eyes:", NOTHING),
    Row("emoji", ":+1:", NOTHING),
    Row("emoji", ":thumbsup:", NOTHING),
    Row("emoji", "🟡 slipping to 31/3", one(rag="amber", due=D(2023, 3, 31))),
    Row("emoji", ":heavy_check_mark: signed off at DMT", one(status=DONE)),
    # -- acknowledgements, not updates
    Row("ack", "thanks", NOTHING),
    Row("ack", "Noted, will update tomorrow", NOTHING),
    Row("ack", "ok cheers", NOTHING),
    Row("ack", "Thanks, will get back to you by Friday", NOTHING),
    Row("ack", "seen 👍", NOTHING),
    Row("ack", "Got it, thank you!", NOTHING),
    Row("ack", "Morning all, I'll reply later today", NOTHING),
    # -- hedges and double negatives
    Row("hedge", "it's moving, just not fast", one(status=IP)),
    Row("hedge", "done apart from the sign-off", one(status=IP)),
    Row("hedge", "it isn't *not* started", one(status=IP)),
    Row("hedge", "probably done", one(status=None, note=True)),  # asked with buttons
    Row("hedge", "finished except for the comms plan", one(status=IP)),
    Row("hedge", "I think it's done but need to check", one(status=None, note=True)),
    Row("hedge", "not quite finished", one(status=IP)),
    Row("hedge", "can't say it's not progressing", one(status=IP)),
    # -- a quote of the reminder before the answer
    Row("quote", "&gt; Reminder: this is overdue\ndone", one(status=DONE)),
    Row("quote", "&gt; is it done?\nnot yet, due 31/3", one(status=IP, due=D(2023, 3, 31))),
    Row("quote", "&gt; It was due on 28 Feb 2023\nblocked", one(status=BLOCKED, due=None)),
    Row("quote", "&gt; Done / In progress / Blocked\nin progress", one(status=IP)),
    Row("quote", "&gt; Reminder: this is overdue\n🟢", one(rag="green")),
    # -- dates as UK people write them
    Row("uk date", "slipping to w/c 13th March", one(due=D(2023, 3, 13))),
    Row("uk date", "new date a fortnight on Monday", one(due=D(2023, 3, 6))),
    Row("uk date", "in progress, by end of FY", one(status=IP, due=D(2023, 3, 31))),
    Row("uk date", "moved to after Easter", one(due=D(2023, 4, 14))),
    Row("uk date", "due 01.04.23", one(due=D(2023, 4, 1))),
    Row("uk date", "moved to 30/06/2023", one(due=D(2023, 6, 30))),
    Row("uk date", "target end of Q1", one(due=D(2023, 6, 30))),
    Row("uk date", "end of next month", one(due=D(2023, 3, 31))),
    Row("uk date", "in progress, done by next Friday", one(status=IP, due=D(2023, 2, 24))),
    Row("uk date", "in 3 weeks", one(due=D(2023, 3, 8))),
    Row("uk date", "expected early April", one(due=D(2023, 4, 7))),
    Row(
        "uk date", "in progress, will be done by the next board", one(status=IP, due=D(2023, 3, 22))
    ),
    Row("uk date", "slipping to before the next board", one(due=D(2023, 3, 22))),
    Row(
        "uk date", "in progress, done by the next board", one(status=IP, due=None), board="unknown"
    ),
    # -- reasons with dates or months that are not due dates
    Row(
        "reason", "delayed because staff are off until March", one(status=None, due=None, note=True)
    ),
    Row(
        "reason",
        "in progress, slow because the analyst was off sick in January",
        one(status=IP, due=None),
    ),
    Row(
        "reason",
        "on hold as the consultant doesn't start until April",
        one(status=BLOCKED, due=None),
    ),
    Row(
        "reason",
        "slipping to May because the panel only meets in April",
        one(due=D(2023, 5, 31), note=True),
    ),
    Row("reason", "completed in January", one(status=DONE, due=None)),
    Row("reason", "in progress - the March board asked for changes", one(status=IP, due=None)),
    # -- questions and beliefs, not updates
    Row("question", "I thought this was closed?", NOTHING),
    Row("question", "wasn't this signed off in December?", NOTHING),
    Row("question", "is this still mine?", NOTHING),
    Row("question", "Can someone confirm if this is done?", NOTHING),
    Row("question", "I was told it's finished", NOTHING),
    Row("question", "do you need anything else from me?", NOTHING),
    # -- someone else owns this now: a note, never a status
    Row("ownership", "this sits with Head of QA now", one(status=None, note=True)),
    Row("ownership", "handed over to Principal Social Worker", one(status=None, note=True)),
    Row("ownership", "not mine any more - ask the Virtual School", one(status=None, note=True)),
    Row("ownership", "done, handed over to BAU", one(status=DONE)),
    Row("ownership", "this is with Head of SEND now", one(status=None, note=True)),
    # -- a child's details: the update applied, the details stored as their kind
    Row(
        "child",
        "blocked - waiting on CAMHS for Jayden Smith DOB 12/03/2015",
        one(status=BLOCKED, note=True, removed=("[child's name]", "[date of birth]")),
        secrets=("Jayden", "12/03/2015"),
    ),
    Row(
        "child",
        f"in progress, NHS number {NHS} chased",
        one(status=IP, note=True, removed=("[NHS number]",)),
        secrets=(NHS, NHS.replace(" ", "")),
    ),
    Row(
        "child",
        "on hold: child lives at 14 Acacia Avenue, YO1 7HH",
        one(status=BLOCKED, note=True, removed=("[address]", "[postcode]")),
        secrets=("Acacia", "YO1 7HH"),
    ),
    Row(
        "child",
        "blocked until Mosaic case 1234567 is closed",
        one(status=BLOCKED, note=True, removed=("[case number]",)),
        secrets=("1234567",),
    ),
    Row(
        "child",
        f"done - UPN {PUPIL_NUMBER} moved school",
        one(status=DONE, note=True, removed=("[pupil number]",)),
        secrets=(PUPIL_NUMBER,),
    ),
    Row(
        "child",
        "{1} done, {2} stuck - YP Amelia Smith moved to Leeds",
        {
            "1": Expect(DONE, note=False),
            "2": Expect(BLOCKED, note=True, removed=("[child's name]",)),
        },
        steps=2,
        secrets=("Amelia",),
    ),
    Row(
        "child",
        "in progress, child born 3 May 2016 placed out of area",
        one(status=IP, note=True, removed=("[date of birth]",)),
        secrets=("3 May 2016",),
    ),
    Row(
        "child",
        "in progress; placement found for Tyler (aged 7)",
        one(status=IP, note=True, removed=("[child's name]",)),
        secrets=("Tyler",),
    ),
)
