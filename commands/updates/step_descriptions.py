"""Steps a reply names by what they are about, not by reference: "the two supervision steps are
finished", "the training one is done", "the second step is in progress".

Only the steps of one action are looked at. The words of the description ("supervision",
"training") are matched against each step's text word by word (rapidfuzz for plurals and typos;
short words and acronyms exactly), an ordinal ("the second one") by position. A description is
unmistakable when the steps it matches are as many as it says (one for "the … one", two for
"both"/"the two …", any number for "the … steps"); otherwise the person is asked, with a button per
step it could mean ("the … steps" fitting none: each of the action's steps). A reply with no such
description is not one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from store.models import Step

_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "both": 2}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2}
_NOUN = r"(?:steps?|ones?|bits?|parts?|tasks?|pieces?)"
_DESCRIBED = re.compile(
    r"\b(?P<lead>the|both(?:\s+of)?(?:\s+the)?|all(?:\s+of)?\s+the|those|these)\s+"
    r"(?:(?P<count>two|three|four|five|both|[2-5])\s+)?"
    r"(?P<words>(?:[a-z0-9][\w'&\-]*\s+){1,4}?)"
    rf"(?P<plural>{_NOUN})\b",
    re.IGNORECASE,
)
_ABOUT = re.compile(
    rf"\bthe\s+(?P<plural>{_NOUN})\s+(?:about|on|for|covering|re)\s+(?:the\s+)?"
    r"(?P<words>(?:[a-z0-9][\w'&\-]*)(?:\s+(?!is\b|are\b|has\b|have\b|was\b|were\b|now\b)"
    r"[a-z0-9][\w'&\-]*){0,2})",
    re.IGNORECASE,
)
# Words of a description that say nothing about which step: never matched against step text.
_UNSAID = frozenset(
    (
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "for",
        "on",
        "in",
        "with",
        "other",
        "new",
        "old",
        "main",
        "big",
        "small",
        "last",
        "next",
        "this",
        "that",
        "those",
        "these",
        "remaining",
        "rest",
        "two",
        "three",
        "four",
        "five",
        "both",
        "all",
        "our",
        "my",
    )
)
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Described:
    """One description in a reply: the steps it may mean, whether it is unmistakable, and the
    words that say what became of them."""

    phrase: str
    steps: tuple[Step, ...]
    sure: bool
    said: str


def _matches(word: str, tokens: Sequence[str]) -> bool:
    if len(word) <= 3:
        return word in tokens
    for token in tokens:
        if len(token) >= 4 and (token.startswith(word) or word.startswith(token)):
            return True
        if fuzz.ratio(word, token) >= 85:
            return True
    return False


def _candidates(words: list[str], steps: Sequence[Step]) -> list[Step]:
    ordinal = next((_ORDINALS[w] for w in words if w in _ORDINALS), None)
    if ordinal is not None:
        return [s for s in steps if s.number == ordinal]
    wanted = [w for w in words if w not in _UNSAID]
    if not wanted:
        return []
    found = []
    for step in steps:
        tokens = _TOKEN.findall(step.text.lower())
        if all(_matches(word, tokens) for word in wanted):
            found.append(step)
    return found


def _how_many(match: re.Match[str]) -> int | None:
    """How many steps the description says it means (None: any number, "the … steps")."""
    count = (match.group("count") or "").lower() if "count" in match.groupdict() else ""
    lead = (match.groupdict().get("lead") or "").lower()
    if count:
        return int(count) if count.isdigit() else _COUNTS[count]
    if lead.startswith("both"):
        return 2
    if lead.startswith("all"):
        return None
    return None if match.group("plural").lower().endswith("s") else 1


def _found(text: str) -> list[re.Match[str]]:
    spans: list[re.Match[str]] = []
    for pattern in (_DESCRIBED, _ABOUT):
        for match in pattern.finditer(text):
            if not any(match.start() < m.end() and match.end() > m.start() for m in spans):
                spans.append(match)
    return sorted(spans, key=lambda m: m.start())


def described_steps(text: str, steps: Sequence[Step]) -> list[Described]:
    """The descriptions of `steps` in `text`, each with the words about it; [] when none matches
    a step (the reply is then read as it always was)."""
    if not steps:
        return []
    found = []
    matches = _found(text)
    for number, match in enumerate(matches):
        words = _TOKEN.findall(match.group("words").lower())
        candidates = _candidates(words, steps)
        fits = bool(candidates)
        if not candidates and match.group("plural").lower().startswith("step"):
            candidates = list(steps)  # "the panel steps", fitting none: which of them?
            if len(candidates) == 1:
                candidates = []
        if not candidates:
            continue
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        said = text[match.end() : end]
        if len(matches) == 1:  # "done: the training one" -- the words before count too
            said = text[: match.start()] + " " + said
        wanted = _how_many(match)
        sure = fits and (wanted is None or len(candidates) == wanted)
        found.append(Described(match.group(0).strip(), tuple(candidates), sure, said.strip()))
    return found
