"""The filters a question asks for: a status or colour, what changed, or the asker's own items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from commands.questions.words import WORD_PATTERN

_STATUS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "not_started",
        re.compile(
            r"(?:\bnot|n't|\bhasnt|\bhavent|\bisnt|\bnever)\s+"
            r"(?:(?:yet|been|even|really|properly|actually)\s+)*(?:started|begun|begin|start)\b"
            r"|\bun-?started\b|\byet\s+to\s+(?:be\s+)?(?:start(?:ed)?|begin|begun)\b"
            r"|\bwaiting\s+to\s+(?:be\s+)?start(?:ed)?\b"
        ),
    ),
    (
        "open",  # "still not done", "aren't complete": negated before "done" can take its word
        re.compile(
            r"(?:\bnot|n't|\bisnt|\barent|\bnever)\s+(?:(?:yet|been|even|really|fully|quite|all)\s+)*"
            r"(?:done|finished|complete(?:d)?|closed|delivered|achieved|signed\s+off)\b"
        ),
    ),
    ("in_progress", re.compile(r"\bin[\s-]progress\b|\bunder\s?way\b|\bbeing\s+worked\s+on\b")),
    ("blocked", re.compile(r"\bblocked\b|\bstuck\b|\bblockers?\b|\bon\s+hold\b")),
    (
        "overdue",
        re.compile(
            r"\bover[\s-]?due\b|\blate\b|\bpast\s+(?:its\s+|their\s+)?(?:due|deadline)s?\b"
            r"|\bbehind(?:\s+schedule)?\b|\bmissed\b|\bslipp(?:ed|ing)\b"
        ),
    ),
    (
        "done",
        re.compile(
            r"\bdone\b|\bfinish(?:ed)?\b|\bcomplet(?:e|ed|ions?)\b|\bclosed\b|\bdelivered\b"
            r"|\bachieved\b|\bsigned\s+off\b"
        ),
    ),
    (
        "open",
        re.compile(
            r"\bopen\b|\boutstanding\b|\bremaining\b|\bpending\b|\bstill\s+to\s+do\b"
            r"|\bto\s?do\b|\bunfinished\b|\bincomplete\b|\bleft\s+to\s+do\b"
        ),
    ),
    # Last, so any more specific status wins ("overdue actions that have started"); "not
    # started" has taken its words by then. "Has P5.4.3 started?": under way or done.
    ("started", re.compile(r"\b(?:started|begun)\b")),
)
_STATUS_TYPOS = {
    "overdue": "overdue",
    "outstanding": "open",
    "blocked": "blocked",
    "finished": "done",
    "completed": "done",
}
_RAG_PATTERN = re.compile(
    r"\b(red|amber|green|blue)(?:s|\s+ones?)?\b|\b(off\s+track)\b|\b(at\s+risk)\b(?!\s+of)"
    r"|\b(on\s+track)\b"
)
# "Not" and the words that may stand between it and what it negates ("is not yet overdue",
# "aren't currently marked red"). "Nothing but red" and "only red" are red.
_BETWEEN = (
    "yet|been|even|really|currently|actually|all|any|marked|showing|rated|flagged|at|in|the|a|an"
    "|one|ones|of|them"
)
_NOT = r"\b(?:not|never)\s{1,2}(?:(?:" + _BETWEEN + r")\s{1,2})*"  # a blanked reference is wider
# "Not due" before the end, or before what names items: not overdue. Before a date it is a
# window negated ("not due in March"), read with the windows.
_NOT_A_WINDOW = (
    r"(?=\s*(?:$|[?.!,]|(?:for|under|with|owned|by\s+(?:the\s+)?head)\b"
    r"|in\s+[a-z]{1,2}\s*\d|in\s*$|in\s{2}))"
)
_NEGATED_STATUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("overdue", re.compile(_NOT + r"(?:over[\s-]?due|late|behind|past\s+(?:its\s+)?due)\b")),
    # "not yet due", "isn't due yet"; "not due in March" is a window negated, read later.
    (
        "overdue",
        re.compile(r"\bnot\s+yet\s+due\b|\bnot\s+due\s+yet\b|\bnot\s+due\b" + _NOT_A_WINDOW),
    ),
    ("blocked", re.compile(_NOT + r"(?:blocked|stuck|on\s+hold)\b")),
    ("in_progress", re.compile(_NOT + r"(?:in[\s-]progress|under\s?way|being\s+worked\s+on)\b")),
)
_NOT_OPEN = re.compile(_NOT + r"(?:open|outstanding|pending)\b")  # "not open": done
_COLOUR = r"(?:(?:red|amber|green|blue)s?|off\s+track|at\s+risk|on\s+track)"
_NEGATED_RAG = re.compile(_NOT + _COLOUR + r"(?:\s*(?:,|/|or|and|nor)\s*" + _COLOUR + r")*\b")
_ONLY = re.compile(r"\bnothing\s+but\b|\bnone\s+but\b")


@dataclass(frozen=True)
class StatusFilters:
    """The status and colour asked for, and those asked against ("not overdue", "not green")."""

    status: str | None = None
    rag: str | None = None
    not_status: str | None = None
    not_rags: tuple[str, ...] = ()
    more_rags: tuple[str, ...] = ()  # "red or amber": amber, beside `rag`


def _rag_of(groups: tuple[str | None, ...]) -> str | None:
    colour, off, risk, on = groups
    return colour or ("red" if off else "amber" if risk else "green" if on else None)


def _negations(text: str) -> tuple[str | None, str | None, tuple[str, ...], str]:
    """(a status asked for by negation, the status and the colour negated, the rest)."""
    text = _ONLY.sub(lambda m: " " * len(m.group(0)), text)
    not_status: str | None = None
    status: str | None = None
    for name, pattern in _NEGATED_STATUS:
        match = pattern.search(text)
        if match:
            not_status = not_status or name
            text = blank_match(text, match)
    match = _NOT_OPEN.search(text)
    if match:
        status, text = "done", blank_match(text, match)
    not_rags: tuple[str, ...] = ()
    match = _NEGATED_RAG.search(text)
    if match:
        not_rags = _colours_in(match.group(0))
        text = blank_match(text, match)
    return status, not_status, not_rags, text


def _colours_in(text: str) -> tuple[str, ...]:
    found = (_rag_of(m.groups()) for m in _RAG_PATTERN.finditer(text))
    return tuple(dict.fromkeys(c for c in found if c))


def blank_match(text: str, match: re.Match[str]) -> str:
    """The text with the match blanked out, same length: later matches keep their places."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def find_status(text: str) -> tuple[StatusFilters, str]:
    """The status and colour filters, negated ones included, and the text with their words
    blanked. The most specific status wins."""
    status, not_status, not_rags, text = _negations(text)
    for name, pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        while match:
            status = status or name
            text = blank_match(text, match)
            match = pattern.search(text)
    if status is None:
        status, text = _status_typo(text)
    colours: list[str] = []
    match = _RAG_PATTERN.search(text)
    while match:
        colours.extend(c for c in (_rag_of(match.groups()),) if c and c not in colours)
        text = blank_match(text, match)
        match = _RAG_PATTERN.search(text)
    rag = colours[0] if colours else None
    return StatusFilters(status, rag, not_status, not_rags, tuple(colours[1:])), text


def _status_typo(text: str) -> tuple[str | None, str]:
    """A status word typed with a slip ("overdeu", "outstandng")."""
    for word in set(WORD_PATTERN.findall(text)):
        if len(word) < 6:
            continue
        for known, meaning in _STATUS_TYPOS.items():
            if fuzz.ratio(word, known) >= 85:
                return meaning, re.sub(rf"\b{word}\b", " " * len(word), text)
    return None, text


_LACKING = (
    r"(?:\b(?:with|have|has|having|got)\s+)?"
    r"\b(?:no|without(?:\s+an?)?|missing(?:\s+an?)?|lacking(?:\s+an?)?"
    r"|not\s+(?:got|have|having|had|been\s+given)(?:\s+(?:an?|any))?)\s+"
)
_WITH = r"\b(?:with|have|has|having|got)\s+(?:an?\s+|some\s+)?"
_OWNER = r"(?:named\s+|assigned\s+)?(?:owners?|leads?|owner\s+roles?)\b"
_DUE = r"(?:due\s+|end\s+|target\s+|completion\s+)?(?:dates?|deadlines?|timescales?)\b"
_PRESENCE: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    (
        "owner",
        False,
        re.compile(
            _LACKING + _OWNER + r"|\bun(?:owned|assigned)\b|\bown(?:er)?less\b"
            r"|\b(?:nobody|no\s*one|noone)\s+(?:owns|leads|is\s+(?:leading|responsible))\b"
            r"|\bnot\s+(?:owned|led|assigned)\s+(?:by|to)\s+any(?:one|body|\s+role)\b"
        ),
    ),
    ("owner", True, re.compile(_WITH + _OWNER)),
    ("due", False, re.compile(_LACKING + _DUE + r"|\bundated\b|\bnot\s+dated\b")),
    ("due", True, re.compile(_WITH + _DUE)),
)


def find_presence(text: str) -> tuple[bool | None, bool | None, str]:
    """Whether the question asks for items with or without an owner ("no owner", "unowned")
    and with or without a due date ("no due date", "with a deadline"), and the rest."""
    found: dict[str, bool] = {}
    for what, present, pattern in _PRESENCE:
        match = pattern.search(text)
        if match and what not in found:
            found[what] = present
            text = blank_match(text, match)
    return found.get("owner"), found.get("due"), text


# Asking what changed, not a topic that says "changes" ("changes of workers", "the updated
# housing protocol"): what/has … changed or been updated, anything new, any updates, recent changes.
_CHANGES = re.compile(
    r"\bwhat(?:\s+(?:has|have|is|are))?\s+(?:been\s+|just\s+)?(?:changed|updated)\b"
    r"|\b(?:has|have|was|were)\s+(?:anything|something|\S+)\s+(?:been\s+)?(?:changed|updated)\b"
    r"|\b(?:anything|something)\s+(?:new|changed|updated)\b|\bwhat(?:\s+is)?\s+new\b"
    r"|\bany\s+(?:new\s+)?(?:updates|changes)\b"
    r"|\b(?:recent|latest|new)\s+(?:updates|changes)\b"
    r"|\b(?:updates|changes)\s+(?=this\b|last\b|since\b|today\b|yesterday\b)"
)


def find_changes(text: str) -> tuple[bool, str]:
    """Whether the question asks what changed ("what changed this week?", "anything updated for
    Head of QA?", "what's new under OA4"), and the rest of the text."""
    match = _CHANGES.search(text)
    if match is None:
        return False, text
    return True, _CHANGES.sub(" ", text)


_MINE = re.compile(
    r"\b(?:for|to|on|by|with|assigned\s+to|owned\s+by)\s+me\b|\bmine\b"
    r"|\bmy(?=\s+(?:\w+\s+)?(?:actions?|items?|list|stuff|things|work|steps?|tasks?|areas?|plate)\b)"
    r"|\b(?:do|did)\s+i\s+(?:own|lead|hold)\b|\bi\s+(?:own|lead|hold)\b"
    r"|\bam\s+i(?=\s+(?:late|behind|overdue|responsible|on\s+track)\b)"
)


def find_mine(text: str) -> tuple[bool, str]:
    """Whether the question is about the asker's own items ("anything overdue for me?", "my
    actions", "what do I own?"); "show me", "tell me" and "Mind of My Own" are not."""
    if _MINE.search(text) is None:
        return False, text
    return True, _MINE.sub(" ", text)
