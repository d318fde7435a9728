"""Reading a lead's reply under a reminder: status, RAG, a new due date, and the rest as the note.

Vocabulary (typos such as "compelted", "in progres", "blokced" are corrected first):
- done: done, complete(d), finished, signed off, closed, delivered, achieved, implemented, in place
- in progress: in progress, underway, ongoing, started, progressing, working on, being drafted…,
  and "not done yet", "no longer blocked", "nearly done", "will be complete by …"
- blocked: blocked, stuck, on hold, held up, waiting on/for, awaiting, can't progress
- not started: not started (yet), yet to start, haven't started, not begun
- dropped: dropped, cancelled, superseded, withdrawn, no longer needed/required, not going ahead
- RAG: red/amber/green/blue said as a rating ("amber", "RAG green", "now red"), 🟢 🟠 🟡 🔴 🔵,
  :red_circle: and friends, "on track" (green), "at risk" (amber), "off track" (red)
- a new due date only after a due-date cue ("by", "due", "slipping to", "moved to", "until",
  "deadline", "target", "expected", "complete in", "new date"…), or a reply that is only a date:
  "signed off at CYSCP 12/1" is an event, not a deadline.

A reply with none of these is a note; thanks, acknowledgements and questions are nothing. Two
different statuses, or a hedged one ("probably done"), make the reply ambiguous: it is kept as a
note and the likely statuses are offered as buttons.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import date

from rapidfuzz import fuzz, process

from commands.updates.reply_dates import NEXT_BOARD, FoundDate, find_dates
from commands.updates.reply_words import (
    COMPILED_RAG,
    COMPILED_STATUS,
    DONE_BY,
    DONE_EMOJI,
    DUE_CUE,
    DUE_CUE_ANYWHERE,
    EMOJI_RAG,
    FILLER,
    HEDGE,
    LEADING_KEYWORDS,
    NAMED_COLOUR,
    NOT_TYPOS,
    PLEASANTRY,
    VOCABULARY,
)

NOTE_LIMIT = 4000  # a note longer than this is kept whole in Slack; the store keeps this much
# Only the start of a very long reply is read (Slack allows 40,000 characters, about 0.1 s to
# read whole, in the process that acknowledges Slack): twice what the note keeps.
READ_LIMIT = 2 * NOTE_LIMIT

_SLACK_LINK = re.compile(r"<(?P<target>[^<>|]+)(?:\|(?P<label>[^<>]*))?>")
_FORMAT = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")
_WORD = re.compile(r"[a-z]+")

# "delayed because staff are off until March": a date after a weak cue in a reason clause is the
# reason's, not a new due date ("slipping to May because…" still is one).
_WEAK_CUE = re.compile(r"(?:until|till|before|now|expected(?: \w+)?)\s*[:\-]?\s*(?:the\s+)?")
_REASON = re.compile(r"\b(?:because|as|since|cos|coz|owing to|while|whilst|due to the fact)\b")
# "I thought this was closed": a belief about the item, not an update.
_BELIEF = re.compile(
    r"^(?:i thought|i believed|i assumed|i understood|wasn't this|isn't this|surely (?:this|it)|"
    r"wasn't it|didn't we|i was told)\b"
)
# "oops, should have said red", "make that 30 June, not 31 May": a correction of one's last update.
_CORRECTION = re.compile(
    r"^(?:(?:oops|whoops|sorry|apologies|correction|scratch that|my mistake|my bad|typo)\b"
    r"[\s,:.!\-–—]*(?:(?:i |i've )?(?:meant|should have said|should've said|meant to say)\b)?"
    r"|(?:i meant|meant to say|should have said|should've said|make that|make it)\b)[\s,:\-–—]*"
)
_NOT_THAT = re.compile(r",?\s*(?:not|rather than|instead of)\s+[^,.;]*$")


@dataclass(frozen=True)
class ParsedReply:
    """What a reply says. `kind`: "update" (status, RAG or due date), "note", or "nothing"."""

    kind: str
    status: str | None = None
    rag: str | None = None
    due: date | None = None
    due_text: str | None = None
    note: str | None = None
    ambiguous: bool = False
    choices: tuple[str, ...] = ()  # likely statuses to offer when ambiguous
    cleaned: str = ""
    correction: bool = False  # replaces the author's last update rather than adding one
    board_unknown: bool = False  # "by the next board" with no board date known: ask for one


def clean(text: str) -> str:
    """Slack markup to plain words: links to their labels, mentions to names, formatting dropped."""

    def link(match: re.Match[str]) -> str:
        target, label = match.group("target"), match.group("label")
        if target.startswith("@"):
            return "@" + (label or "someone")
        if target.startswith("#"):
            return "#" + (label or "channel")
        if target.startswith("!"):
            return ""
        return label or target

    text = _SLACK_LINK.sub(link, text or "")
    text = html.unescape(text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = _FORMAT.sub("", text)
    text = re.sub(r"^\s*>.*$", "", text, flags=re.MULTILINE)  # quoted lines are someone else's
    for spoken, mark in _SPOKEN_PUNCTUATION:
        text = spoken.sub(mark, text)
    return re.sub(r"\s+", " ", text).strip()


# Dictated replies say their punctuation ("done full stop thanks").
_SPOKEN_PUNCTUATION = tuple(
    (re.compile(rf"\s*\b{words}\b", re.IGNORECASE), mark)
    for words, mark in (
        (r"full stop|period", "."),
        (r"comma", ","),
        (r"question mark", "?"),
        (r"exclamation (?:mark|point)", "!"),
        (r"colon", ":"),
        (r"semi-?colon", ";"),
        (r"new (?:line|paragraph)", "."),
    )
)


def _correct_typos(lowered: str) -> str:
    """Replace words that are near-misses of the status vocabulary ("compelted" -> "completed")."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 5 or word in VOCABULARY or word in NOT_TYPOS:
            return word
        best = process.extractOne(word, VOCABULARY, scorer=fuzz.ratio, score_cutoff=85)
        return best[0] if best else word

    return _WORD.sub(fix, lowered)


def _statuses(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, status in COMPILED_STATUS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            taken.append((start, end))
            if status:  # an empty status only takes its words out ("until it is closed")
                found.append((start, end, status))
    return sorted(found)


def _rag(text: str, raw: str) -> str | None:
    for token, colour in EMOJI_RAG.items():
        if token in raw:
            return colour
    for pattern, colour in COMPILED_RAG:
        if pattern.search(text):
            return colour
    named = NAMED_COLOUR.search(text)
    return named.group("colour") if named else None


def _rag_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in NAMED_COLOUR.finditer(text)]
    for pattern, _ in COMPILED_RAG:
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def _cued(text: str, start: int) -> bool:
    """Whether the words before `start` make what follows a due date ("slipping to", "by")."""
    before = text[:start].rstrip()[-60:]
    cue = DUE_CUE.search(before)
    if cue is None:
        return False
    return not (_WEAK_CUE.fullmatch(cue.group(0).strip()) and _REASON.search(before))


def _board_unknown(text: str, found: FoundDate | None) -> bool:
    """ "by the next board" read as no date: the board's date is not known."""
    return found is None and any(_cued(text, m.start()) for m in _NEXT_BOARD.finditer(text))


_NEXT_BOARD = re.compile(NEXT_BOARD)


IN_PROGRESS = "in_progress"


def _promise(text: str, found: FoundDate | None, today: date) -> bool:
    """ "done by 31/3", "finished before the next board": a completion still to come."""
    if found is not None:
        return found.day >= today and bool(DONE_BY.search(text[: found.start]))
    return any(
        DONE_BY.search(text[: m.start()]) and _cued(text, m.start())
        for m in _NEXT_BOARD.finditer(text)
    )


def _due(text: str, today: date, board: date | None = None) -> FoundDate | None:
    dates = find_dates(text, today, board=board)
    for found in dates:
        if _cued(text, found.start):
            return found
    # A reply that is only a date (after any status or colour words) is a new due date.
    if len(dates) == 1:
        rest = (text[: dates[0].start] + text[dates[0].end :]).strip()
        if not LEADING_KEYWORDS.sub("", rest).strip():
            return dates[0]
    return None


def _note(cleaned: str, corrected: str, used: list[tuple[int, int]]) -> str | None:
    """The reply minus its leading status words; None when nothing but status, colour and date."""
    remainder = corrected
    for start, end in sorted(used, reverse=True):
        remainder = remainder[:start] + " " + remainder[end:]
    remainder = DUE_CUE_ANYWHERE.sub(" ", _EMOJI_CODE.sub(" ", remainder))
    meaningful = [w for w in _WORD.findall(remainder) if w not in FILLER]
    acronyms = set(re.findall(r"\b[A-Z]{2,}\b", cleaned)) - {"RAG", "OK", "RAG:"}
    if not meaningful and not acronyms:
        return None
    note = _strip_leading(cleaned, corrected)
    for token in (*EMOJI_RAG, *DONE_EMOJI):
        note = note.replace(token, "")
    note = _EMOJI_CODE.sub("", note)
    note = re.sub(r"^[^\w([\"'“‘#@<]+", "", re.sub(r"\s+", " ", note)).strip(" ,;:-–—")
    if not note:
        return None
    return note if len(note) <= NOTE_LIMIT else note[: NOTE_LIMIT - 1].rstrip() + "…"


def _strip_leading(cleaned: str, corrected: str) -> str:
    """`cleaned` without the status and colour words it opens with, judged on the corrected text
    (typo fixes never add or remove spaces, so the two have the same words)."""
    words, fixed = cleaned.split(" "), corrected.split(" ")
    if len(words) != len(fixed):
        words = fixed = cleaned.split(" ")
    covered = 0
    for n in range(1, len(fixed) + 1):
        if LEADING_KEYWORDS.fullmatch(" ".join(fixed[:n])):
            covered = n
        elif n - covered > 3:
            break
    return " ".join(words[covered:])


def _as_written(cleaned: str, lowered_phrase: str) -> str:
    at = cleaned.lower().find(lowered_phrase)
    return cleaned[at : at + len(lowered_phrase)] if at >= 0 else lowered_phrase


def _is_question(text: str) -> bool:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    return bool(sentences) and all(s.rstrip().endswith("?") for s in sentences)


def parse_reply(text: str, today: date, *, board: date | None = None) -> ParsedReply:
    """Read one reply. Never raises: anything unreadable comes back as a note or as nothing.
    `board`: the date of the item's plan's next board, when known."""
    cleaned = clean(text[:READ_LIMIT])
    correcting = _CORRECTION.match(cleaned.lower())
    if correcting and cleaned[correcting.end() :].strip():
        rest = _NOT_THAT.sub("", cleaned[correcting.end() :]).strip()
        return replace(_parse_cleaned(rest, today, board), correction=True)
    if _BELIEF.match(cleaned.lower()) and not re.search(
        r"\b(?:but|however|actually|now)\b|[.;]", cleaned.lower()
    ):
        return ParsedReply("nothing", cleaned=cleaned)
    return _parse_cleaned(cleaned, today, board)


def _one_status(statuses: list[str], corrected: str) -> tuple[str | None, bool, tuple[str, ...]]:
    """The status the reply gives, whether it is ambiguous (hedged, or more than one status)
    and the statuses to offer then."""
    if len(statuses) == 1:
        status = statuses[0]
        if HEDGE.search(corrected) and status != "in_progress":
            return status, True, (status, "in_progress")
        return status, False, ()
    if len(statuses) > 1:
        return None, True, tuple(statuses[:3])
    return None, False, ()


def _parse_cleaned(cleaned: str, today: date, board: date | None = None) -> ParsedReply:
    lowered = cleaned.lower()
    words_only = _EMOJI_CODE.sub("", lowered)
    words_only = re.sub(r"@\w+|#\w+", "", words_only).strip(" .!,")
    if not words_only and not any(t in cleaned for t in (*EMOJI_RAG, *DONE_EMOJI)):
        return ParsedReply("nothing", cleaned=cleaned)
    signals = any(token in cleaned for token in (*EMOJI_RAG, *DONE_EMOJI))
    if (PLEASANTRY.match(lowered) and not signals) or _is_question(cleaned):
        return ParsedReply("nothing", cleaned=cleaned)

    corrected = _correct_typos(lowered)
    spans = _statuses(corrected)
    statuses = list(dict.fromkeys(status for _, _, status in spans))
    if not statuses and any(token in cleaned for token in DONE_EMOJI):
        statuses = ["done"]
    rag = _rag(corrected, cleaned)
    if rag == "blue" and not statuses:
        statuses = ["done"]
    found = _due(corrected, today, board)
    due = found.day if found else None
    promised = bool(found and DONE_BY.search(corrected[: found.start]))
    if _promise(corrected, found, today) and "done" in statuses:
        # "in progress, done by the next board": "done by" a date to come is not done
        statuses = list(dict.fromkeys(IN_PROGRESS if s == "done" else s for s in statuses))

    status, ambiguous, choices = _one_status(statuses, corrected)
    if status == "done" and due is not None:
        if due >= today and promised:
            status = "in_progress"  # "done by Friday": a promise, not a completion
        else:
            due = None  # "signed off 12/1", "next review by 31/3": a done item needs no deadline
    if status == "done" and rag in ("red", "amber", "green"):
        rag = None  # a colour beside "done" describes the past; done is blue
    if ambiguous:
        status = None
    due_text = _as_written(cleaned, found.text) if found and due else None
    used = [(a, b) for a, b, _ in spans] + _rag_spans(corrected)
    if found and due:
        used.append((found.start, found.end))
    note = _note(cleaned, corrected, used)
    if status or rag or due:
        kind = "update"
    elif ambiguous or note:
        kind = "note"
    else:
        kind = "nothing"
    return ParsedReply(
        kind=kind,
        status=status,
        rag=rag,
        due=due,
        due_text=due_text,
        note=note,
        ambiguous=ambiguous,
        choices=choices,
        cleaned=cleaned,
        board_unknown=_board_unknown(corrected, found),
    )
