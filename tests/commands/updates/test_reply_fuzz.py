"""No reply text makes reading it raise: a lead's words are always recorded, whatever they are.

Replies are generated from the readers' own vocabulary (status words, colour words and rating
words in every order, due-date cues, dates, plan references, Slack markup and emoji) mixed with
arbitrary unicode, so that the generator reaches the combinations real leads write.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from commands.updates.replies import parse_reply
from commands.updates.reply_words import DONE_EMOJI, EMOJI_RAG, NOT_TYPOS, VOCABULARY

TODAY = date(2023, 2, 15)

PHRASES = (
    "done", "complete", "not done yet", "in progress", "in progres", "blocked", "blokced",
    "waiting on", "on hold", "not started", "yet to start", "dropped", "no longer needed",
    "nearly done", "will be complete by", "signed off", "probably", "maybe", "i think",
    "red", "amber", "green", "blue", "Red", "GREEN", "rag", "RAG:", "rated", "rating", "status",
    "now", "still", "all", "overall", "we are", "is", "back to", "on track", "off track",
    "at risk", "by", "due", "slipping to", "moved to", "new date", "deadline", "target",
    "expected", "until", "end of", "next", "Friday", "March", "w/c", "thanks", "ok", "?", ".",
    ",", ";", ":", "-", "–", "—", "(", ")", "=", "->", "→", "!", "&gt;", "&amp;", "&lt;", "*",
    "_", "~", "`", ">", "\n", "\t",
    "<@U0SAM0001|sam>", "<@U0SAM0001>", "<!channel>", "<!here>", "<#C0DATA01|data>",
    "<https://example.org/doc|the shared drive>", "<https://evil.example|click>", "<>", "<|>",
    ":+1:", ":tada:", "🎉", "👍",
)  # fmt: skip
WORDS = st.sampled_from(
    PHRASES + VOCABULARY + tuple(sorted(NOT_TYPOS)) + tuple(EMOJI_RAG) + DONE_EMOJI
)
DATES = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            (
                f"{d.day}/{d.month}",
                f"{d.day}/{d.month}/{d.year}",
                f"{d.day:02}.{d.month:02}.{d.year % 100:02}",
                d.isoformat(),
                d.strftime("%d %B %Y"),
                d.strftime("%B %d"),
                d.strftime("%A"),
            )
        )
    ),
    st.from_regex(
        r"\A(?:Q[0-9] ?[0-9]{2,4}(?:/[0-9]{2,4})?|[0-9]{1,3}/[0-9]{1,3}(?:/[0-9]{1,5})?)\Z"
    ),
)
# A colour word with or without the words leads put around it ("RAG green", "red rated", "now
# amber status"): the reader must make sense of every arrangement.
COLOURS = st.tuples(
    st.sampled_from(
        ("", "rag", "RAG:", "now", "is", "overall", "still", "all", "-", ",", "we are")
    ),
    st.sampled_from(("red", "amber", "green", "blue", "Red", "AMBER", "redd", "greenish")),
    st.sampled_from(("", "rag", "rated", "rating", "status", "now", "rating:", "-")),
).map(" ".join)
REFERENCES = st.from_regex(r"\A(?:OA|P)[0-9]{1,2}(?:\.[0-9]{1,2}){0,2}\Z")
PIECES = st.one_of(WORDS, WORDS, COLOURS, DATES, REFERENCES, st.text(max_size=12))
REPLIES = st.lists(PIECES, max_size=14).flatmap(
    lambda pieces: st.sampled_from((" ", "", ", ")).map(lambda sep: sep.join(pieces))
)


@settings(max_examples=400, deadline=None)
@given(REPLIES)
def test_no_reply_text_raises(text: str) -> None:
    parsed = parse_reply(text, TODAY)
    assert parsed.kind in ("update", "note", "nothing")
    if parsed.kind == "update":
        assert parsed.status or parsed.rag or parsed.due
    assert parsed.rag in (None, "red", "amber", "green", "blue")
    assert parsed.note is None or 0 < len(parsed.note) <= 4000
