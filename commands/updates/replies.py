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

from commands.updates.reply_dates import FoundDate, find_dates

NOTE_LIMIT = 4000  # a note longer than this is kept whole in Slack; the store keeps this much
# Only the start of a very long reply is read (Slack allows 40,000 characters, about 0.1 s to
# read whole, in the process that acknowledges Slack): twice what the note keeps.
READ_LIMIT = 2 * NOTE_LIMIT

VOCABULARY = (
    "complete",
    "completed",
    "finished",
    "progress",
    "progressing",
    "underway",
    "blocked",
    "started",
    "dropped",
    "cancelled",
    "superseded",
    "withdrawn",
    "ongoing",
    "awaiting",
    "amber",
    "green",
    "signed",
    "delivered",
    "implemented",
    "achieved",
    "slipping",
    "delayed",
    "deadline",
)
# Ordinary words a typo matcher would take for the vocabulary above.
NOT_TYPOS = frozenset(
    (
        "locked",
        "clocked",
        "flocked",
        "blocks",
        "stated",
        "starter",
        "starts",
        "competed",
        "computed",
        "compete",
        "completes",
        "cropped",
        "dropout",
        "drooped",
        "writing",
        "waiting",
        "awaits",
        "process",
        "processing",
        "processes",
        "program",
        "progam",
        "signal",
        "singed",
        "design",
        "assigned",
        "finishes",
        "finishing",
        "amber's",
        "greet",
        "greed",
        "agreed",
        "greens",
        "greater",
        "delivery",
        "delivers",
        "slipped",
        "slipper",
        "delay",
        "delays",
        "ongoing",
        "cancel",
        "cancels",
        "blocking",
        "starting",
        "complex",
        "computer",
        "compiled",
        "implement",
        "implements",
        "achieve",
        "achieves",
        "sliding",
        "deadlines",
        "stacked",
        "stocked",
        "shocked",
        "blacked",
        "backed",
        "booked",
    )
)
EMOJI_RAG = {
    "🟢": "green",
    "🟩": "green",
    "🟠": "amber",
    "🟡": "amber",
    "🟧": "amber",
    "🟨": "amber",
    "🔴": "red",
    "🟥": "red",
    "🔵": "blue",
    "🟦": "blue",
    ":large_green_circle:": "green",
    ":green_circle:": "green",
    ":large_green_square:": "green",
    ":large_orange_circle:": "amber",
    ":orange_circle:": "amber",
    ":large_yellow_circle:": "amber",
    ":yellow_circle:": "amber",
    ":large_orange_square:": "amber",
    ":large_yellow_square:": "amber",
    ":red_circle:": "red",
    ":large_red_circle:": "red",
    ":large_red_square:": "red",
    ":large_blue_circle:": "blue",
    ":blue_circle:": "blue",
    ":large_blue_square:": "blue",
}
DONE_EMOJI = (":white_check_mark:", "✅", ":heavy_check_mark:", "✔️", ":ballot_box_with_check:")

_SLACK_LINK = re.compile(r"<(?P<target>[^<>|]+)(?:\|(?P<label>[^<>]*))?>")
_FORMAT = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-']+:")
_WORD = re.compile(r"[a-z]+")

# (pattern, status): negations and intentions first; the first to claim a span wins it.
STATUS_RULES: tuple[tuple[str, str], ...] = (
    # Hedges, double negatives and part-way figures before the plain words they contain.
    (
        r"\b(?:done|complete|completed|finished|signed off|sorted)\s*,?\s*"
        r"(?:apart from|except(?: for)?|bar|but for|other than|save for|barring|minus|pending|"
        r"subject to|all but)\b",
        "in_progress",
    ),
    (r"\b(?:isn't|is not|it's not|its not|not)\s+not\s+started\b", "in_progress"),
    (
        r"\b(?:100|one hundred)\s*(?:%|percent|per cent)"
        r"(?:\s+(?:done|complete|completed|finished))?\b",
        "done",
    ),
    (
        r"\b\d{1,2}(?:\.\d+)?\s*(?:%|percent|per cent)(?:\s+(?:done|complete|completed|finished|"
        r"through|there|of the way(?: there)?))?",
        "in_progress",
    ),
    (
        r"\b(?:three quarters|two thirds|a third|a quarter|half ?way|half|most of the way|"
        r"part of the way)(?:\s+(?:of the way(?: there| through)?|done|complete|there|through|"
        r"finished))+\b",
        "in_progress",
    ),
    (
        r"\b(?:nowt|nothing|nae|naught|zilch)\s+(?:has\s+|'s\s+)?(?:happened|done|started|moved|"
        r"doing)\b|\bnothing's happened\b|\bnot (?:been )?touched\b|\bno (?:started|begun)\b",
        "not_started",
    ),
    (
        r"\b(?:no|nae|not) (?:done|finished|complete)(?: yet)?\b|\bnot yet but soon\b|"
        r"\bany day now\b|\bdreckly\b|\bnow in a minute\b|\bin a bit\b|\bgetting there\b|"
        r"\bcanny close\b|\bnear enough\b|\bjust about\b|\bon the home straight\b|"
        r"\bcracking on\b|\bcrack(?:ing)? on with it\b|\bunder control\b|"
        r"\b(?:it's|its|it is|things are|work is) moving\b|\bmoving (?:along|forward|slowly)\b",
        "in_progress",
    ),
    (
        r"\bdone and dusted\b|\bjob done\b|\bjob's a good 'un\b|\ball done\b|\bwrapped up\b|"
        r"\bcompletely finished\b|\bfinished off\b|\bsorted now\b|\bput to bed\b",
        "done",
    ),
    (r"\bno longer (?:needed|required|relevant|going ahead)\b", "dropped"),
    (r"\bnot (?:going|proceeding) ahead\b", "dropped"),
    (
        r"\b(?:no longer|not|isn't|is not|wasn't|no more) (?:blocked|stuck|on hold|held up)\b",
        "in_progress",
    ),
    (r"\bunblocked\b", "in_progress"),
    (
        r"\b(?:not|haven't|have not|hasn't|has not|didn't|did not|we've not|i've not) (?:yet )?"
        r"(?:been )?(?:started|begun|commenced|kicked off)(?: yet| it yet)?\b",
        "not_started",
    ),
    (r"\byet to (?:start|begin|commence|be started)\b", "not_started"),
    (r"\bnot (?:yet )?(?:started|begun)\b", "not_started"),
    (r"\bnothing (?:done|started) yet\b", "not_started"),
    (
        r"\b(?:not|isn't|is not|aren't|are not|hasn't been|has not been|haven't|have not|not quite|"
        r"not fully|not yet|nowhere near|far from) (?:yet )?(?:done|complete|completed|finished|"
        r"signed off|closed|delivered|in place)(?: yet)?\b",
        "in_progress",
    ),
    (
        r"\b(?:nearly|almost|mostly|partly|partially|largely|close to being|near) (?:done|complete|"
        r"completed|finished|there|signed off)\b",
        "in_progress",
    ),
    (
        r"\b(?:will|should|shall|to|would|going to|expect(?:ed)? to|hope to|hoping to|aim to|"
        r"aiming to|plan to|due to|set to|ready to|needs to|need to|must) (?:be )?(?:done|complete|"
        r"completed|finished|signed off|closed|delivered|implemented|in place|sign(?:ed)? off|"
        r"finish|complete|deliver|implement|close)\b",
        "in_progress",
    ),
    (
        r"\b(?:await\w*|waiting (?:on|for)|for) (?:final )?(?:sign[- ]?off|approval|agreement)\b",
        "in_progress",
    ),
    (r"\bnot in progress\b", "not_started"),
    (
        r"\b(?:dropped|cancell?ed|superseded|withdrawn|abandoned|scrapped|stood down|"
        r"replaced by|merged (?:into|with)|no longer (?:needed|required))\b",
        "dropped",
    ),
    (
        r"\b(?:blocked|stuck|on hold|held up|paused|waiting on|waiting for|awaiting|"
        r"can't progress|cannot progress|can not progress|unable to progress|can't move|"
        r"cannot move|dependent on|depends on|no response from|blocker)\b",
        "blocked",
    ),
    (
        r"\b(?:done|complete|completed|finished|signed off|closed|delivered|achieved|implemented|"
        r"in place|all sorted|sorted|launched|went live|gone live|is live|now live|embedded|"
        r"agreed and published|published|ratified|approved|business as usual|bau|mainstreamed|"
        r"handed (?:over )?to (?:the )?(?:service|team))\b",
        "done",
    ),
    (
        r"\b(?:in progress|in-progress|underway|under way|ongoing|on-going|progressing|started|"
        r"begun|commenced|kicked off|working on|work(?:ing)? on it|on it|in hand|in train|"
        r"in development|being (?:developed|drafted|written|reviewed|rolled out|implemented|"
        r"delivered|planned|updated|finalised|finalized|agreed|tested|piloted|prepared)|"
        r"drafting|rolling out|piloting|making (?:good )?progress|good progress|progress (?:made|"
        r"being made)|first draft|draft (?:is )?(?:ready|written|done|complete)|mobilis\w*)\b",
        "in_progress",
    ),
)
COMPILED_STATUS = tuple((re.compile(p), s) for p, s in STATUS_RULES)

# Phrases that mean a colour without naming it, and "amber", which is only ever a rating; the
# first phrase found in this order wins.
RAG_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\b(?:not on track|off track|off-track)\b", "red"),
    (r"\b(?:at risk|at-risk)\b", "amber"),
    (r"\b(?:on track|on-track|back on track|under control)\b", "green"),
    (r"\bamber\b", "amber"),
)
COMPILED_RAG = tuple((re.compile(p), s) for p, s in RAG_PHRASES)

# Red, green or blue said as a rating, which the bare words are not ("a red folder"): after a
# rating word or at the start of a clause ("RAG green", "now red", "Red – overdue"), or before a
# rating word ("red rated", "green status"). One rule for every way of putting it, so the colour
# is always the group `colour`.
_RATING_WORD = r"(?:rag|rated|rating|status)"
NAMED_COLOUR = re.compile(
    r"(?:^|[.,;:!(\-–—]\s*|\b(?:rag|rated|rating|status|now|is|as|to|at|moved to|moving to|"
    r"turned|going|gone|back to|showing|=|→|->)\s*:?\s*"
    rf"|\b(?=(?:red|green|blue)\s*{_RATING_WORD}\b))"
    rf"(?P<colour>red|green|blue)\b(?:\s*{_RATING_WORD}\b)?"
)

DUE_CUE = re.compile(
    r"(?:\bby|\bdue(?: date)?(?: is| now| for| on| in)?|\buntil|\btill|\bdeadline(?: is| now| of)?|"
    r"\btarget(?: date)?(?: is| now| of)?|\bexpected(?: by| in| for| on)?|\bbefore|"
    r"\b(?:new|revised) date(?: is)?|\bnow|"
    r"\b(?:on track|on course|ready|set|pencilled in|planned|scheduled|booked in) for|"
    r"\b(?:slip\w*|mov\w*|push\w*|delay\w*|defer\w*|extend\w*|resched\w*|revis\w*|re-?baselin\w*|"
    r"chang\w*|put|pull\w*|brought|bring\w*)\s+"
    r"(?:(?:it|this|that|again|further|back|forward|out|the|date|deadline|one)\s+){0,3}"
    r"(?:to|until|till|for|into|in)|"
    r"\b(?:make|call|let's say|say)\s+(?:it|that)|"
    r"\b(?:planned|scheduled|aiming|aim|expect\w*|hope\w*|hoping|likely|looking)\s+(?:for|by|in|at)|"
    r"\b(?:complete\w*|done|finish\w*|ready|deliver\w*|sign\w* off|in place|live|close\w*)\s+"
    r"(?:in|for|on|at the)|"
    r"\bwill be (?:\w+ )?(?:in|on))"
    r"\s*[:\-]?\s*(?:the\s+)?(?:(?:w/c|week commencing|wc)\s*)?$"
)
DUE_CUE_ANYWHERE = re.compile(DUE_CUE.pattern.removesuffix("$"))
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
DONE_BY = re.compile(
    r"\b(?:done|complete|completed|finished|signed off|closed|delivered)\s+(?:by|before|for|on)\s*"
    r"(?:the\s+)?$"
)
_NICETIES = (
    r"(?:thanks?(?: you)?(?: very much| so much| all)?|thank u|thx|ty|ta|cheers|ok(?:ay)?|"
    r"noted|will do|got it|sure|great|lovely|nice one|perfect|brilliant|no problem|np|"
    r"understood|ack|acknowledged|received|seen|👍|🙏|will update(?: \w+)*|"
    r"will (?:reply|respond|get back)(?: \w+)*|i'll (?:update|reply|get back)(?: \w+)*|"
    r"on my list|morning|hi|hello|all|team|@\w+|:[a-z0-9_+\-]+:)"
)
PLEASANTRY = re.compile(rf"^{_NICETIES}(?:[\s,!.]*{_NICETIES})*[\s!.]*$")
HEDGE = re.compile(
    r"\b(?:probably|possibly|maybe|perhaps|might be|may be|i think|i believe|not sure|unsure|"
    r"hopefully|kind of|sort of|ish)\b"
)
LEADING_KEYWORDS = re.compile(
    r"(?i)^(?:(?:rag|rated|rating|status|update)\s*:?\s*|(?:red|amber|green|blue|done|complete|"
    r"completed|finished|blocked|stuck|on hold|in progress|underway|ongoing|not started(?: yet)?|"
    r"dropped|cancelled|on track|at risk|off track|now|still|yes|yep|all)\b|"
    r"[🟢🟩🟠🟡🟧🟨🔴🟥🔵🟦✅✔️]|:[a-z_]+:|w/?c\b|week commencing\b|[\s,;:.\-–—!()/]+)+"
)


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


def _due(text: str, today: date, statuses: list[str]) -> FoundDate | None:
    dates = find_dates(text, today)
    for found in dates:
        before = text[: found.start].rstrip()[-60:]
        cue = DUE_CUE.search(before)
        if cue and not (_WEAK_CUE.fullmatch(cue.group(0).strip()) and _REASON.search(before)):
            return found
    # A reply that is only a date (after any status or colour words) is a new due date.
    if len(dates) == 1:
        rest = (text[: dates[0].start] + text[dates[0].end :]).strip()
        if not LEADING_KEYWORDS.sub("", rest).strip():
            return dates[0]
    return None


FILLER = frozenset(
    (
        "yet",
        "still",
        "it",
        "is",
        "now",
        "the",
        "a",
        "an",
        "and",
        "but",
        "so",
        "this",
        "that",
        "we",
        "i",
        "are",
        "am",
        "be",
        "been",
        "will",
        "to",
        "for",
        "by",
        "of",
        "on",
        "at",
        "as",
        "all",
        "just",
        "currently",
        "already",
        "has",
        "have",
        "its",
        "it's",
        "action",
        "item",
        "status",
        "rag",
        "update",
        "anymore",
        "any",
        "more",
        "fully",
        "ok",
        "okay",
        "please",
        "re",
        "yes",
        "no",
        "our",
        "being",
        "was",
        "were",
        "in",
        "with",
        "new",
        "revised",
        "date",
        "deadline",
        "target",
        "slipping",
        "moved",
        "pushed",
        "back",
        "delayed",
        "expected",
        "w",
        "c",
        "wc",
        "week",
        "commencing",
    )
)


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


def parse_reply(text: str, today: date) -> ParsedReply:
    """Read one reply. Never raises: anything unreadable comes back as a note or as nothing."""
    cleaned = clean(text[:READ_LIMIT])
    correcting = _CORRECTION.match(cleaned.lower())
    if correcting and cleaned[correcting.end() :].strip():
        rest = _NOT_THAT.sub("", cleaned[correcting.end() :]).strip()
        return replace(_parse_cleaned(rest, today), correction=True)
    if _BELIEF.match(cleaned.lower()) and not re.search(
        r"\b(?:but|however|actually|now)\b|[.;]", cleaned.lower()
    ):
        return ParsedReply("nothing", cleaned=cleaned)
    return _parse_cleaned(cleaned, today)


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


def _parse_cleaned(cleaned: str, today: date) -> ParsedReply:
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
    found = _due(corrected, today, statuses)
    due = found.day if found else None
    promised = bool(found and DONE_BY.search(corrected[: found.start]))

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
    )
