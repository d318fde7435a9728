"""The filters a question asks for: a status or colour, what changed, or the asker's own items."""

from __future__ import annotations

import re

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
    r"\b(red|amber|green|blue)\b|\b(off\s+track)\b|\b(at\s+risk)\b(?!\s+of)|\b(on\s+track)\b"
)


def blank_match(text: str, match: re.Match[str]) -> str:
    """The text with the match blanked out, same length: later matches keep their places."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def find_status(text: str) -> tuple[str | None, str | None, str]:
    """(status, rag, text with those words blanked). The most specific status wins."""
    status: str | None = None
    for name, pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        while match:
            status = status or name
            text = blank_match(text, match)
            match = pattern.search(text)
    if status is None:
        for word in set(WORD_PATTERN.findall(text)):
            if len(word) < 6:
                continue
            for known, meaning in _STATUS_TYPOS.items():
                if fuzz.ratio(word, known) >= 85:
                    status = meaning
                    text = re.sub(rf"\b{word}\b", " " * len(word), text)
                    break
            if status:
                break
    rag: str | None = None
    match = _RAG_PATTERN.search(text)
    while match:
        if rag is None:
            colour, off, risk, on = match.groups()
            rag = colour or ("red" if off else "amber" if risk else "green" if on else None)
        text = blank_match(text, match)
        match = _RAG_PATTERN.search(text)
    return status, rag, text


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
