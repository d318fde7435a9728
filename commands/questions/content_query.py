"""Questions about what the plans say beyond their titles, read into a small frozen query.

`read_content` hears these kinds of question and leaves every other to the ordinary reader:
- success measures and expected outcomes ("which actions are measured by sickness absence");
- links between the plans ("which P9 actions trace back to Ofsted", "is OA3 picked up anywhere");
- counts ("how many actions are complete", "number of steps still open under P3");
- a yes or no about one item ("is P7.5 done?", "has OA1.2 been completed");
- the level shown ("which actions have no steps", "overdue in P7, actions only");
- a question read two ways ("what was the outcome of P7.5?"), asked back rather than guessed.
The ordinary reading (`Question`: references, plan, owners, status, colour, window, topic) is
kept inside the query; the words below only say which kind of answer is wanted and at what level.
Adding a phrasing is adding a word to one of these patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz, process

from commands.measures.questions import FILTERS as SCORECARD_FILTERS
from commands.questions.question import Question
from commands.questions.words import stem

Returns = Literal["items", "count", "yes_no"]
About = Literal["items", "measures", "links", "no_steps", "two_readings"]
Level = Literal["actions", "steps", "both", "areas"]

_COUNT = re.compile(
    r"\bh(?:ow|w|o)\s+ma?n[yi]e?\b|\bnumber\s+of\b|\bcount\s+of\b|^\W*count\b|\btotal\s+(?:number\s+)?of\b"
    r"|\bhow\s+much\s+of\b",
    re.I,
)
_YES_NO = re.compile(
    r"^\W*(?:(?:and|so|but|ok|quick\s+q(?:uestion)?)\W+)?"
    r"(?:is|are|has|have|was|were|did|does|do|hav|iz)\b(?!\s+there)",
    re.I,
)
_LINK = re.compile(
    r"\btrace[sd]?\s+back|\bfollow(?:s|ed|ing)?[\s-]*(?:it\s+|them\s+)?up\b|\bfollow-?ups?\b"
    r"|\bpick(?:s|ed)?\s+(?:it\s+|them\s+)?up\b|\bc[oa]me?s?\s+from\b|\bcame\s+from\b"
    r"|\bderive[sd]?\s+from\b|\blink(?:s|ed)?\s+(?:to|with|back)\b|\bcit(?:e|es|ed|ing)\b"
    r"|\bcarr(?:y|ies|ied)\s+(?:on|over|forward)\b|\bbased\s+on\b|\bstems?\s+from\b"
    r"|\b(?:back\s+)?to\s+ofsted\b|\bfrom\s+(?:the\s+)?ofsted\b|\bgo(?:es)?\s+back\s+to\b"
    r"|\bc[oa]me?s?\s+out\s+of\b|\bar(?:i|o)se[sn]?\s+from\b|\bresult(?:s|ed|ing)?\s+from\b"
    r"|\bin\s+response\s+to\b|\bresponds?\s+to\s+(?:the\s+)?ofsted\b|\blinks?\s+(?:for|of)\b"
    r"|\bofsted\s+(?:links?|inspection)\b|\blinked\b|\bconnected\s+to\b"
    r"|\brelat(?:e|es|ed|ing)\s+to\b",
    re.I,
)
_NO_LINK = re.compile(
    r"(?:\b(?:no|not|never|nothing|without|none|dont|doesnt|isnt|arent|havent|hasnt|wasnt"
    r"|werent|didnt)\b|n't\b)[\w\s']{0,30}?"
    r"(?:follow|pick|trace|cite|link|c[oa]me|carr)"
    r"|(?:follow-?ups?|picked\s+up|followed\s+up)\s+(?:\w+\s+){0,2}?(?:nowhere|none)\b",
    re.I,
)
_MEASURE = re.compile(
    r"\bmeasur\w*|\boutcomes?\b|\bsuccess\w*|\bexpect\w*|\bhow\s+(?:will|do)\s+we\s+know\b"
    r"|\bevidenced\s+by\b|\bkpis?\b|\bindicators?\b|\bjudged\s+by\b|\bimpact\b",
    re.I,
)
# Words that ask about measures for certain; a question with only the others ("the impact of the
# hybrid working review") is answered as an ordinary question when no measure holds its topic.
_STRONG_MEASURE = re.compile(
    r"\bmeasur\w*|\boutcomes?\b|\bsuccess\w*|\bkpis?\b|\bindicators?\b|\bhow\s+will\s+we\s+know",
    re.I,
)
# A link question names what it links: a reference, a plan, or the inspection.
_LINKED_THING = re.compile(r"\bofsted\b|\binspection\b|\bambition\b|\brecommendations?\b", re.I)
_ANY = re.compile(r"\bany(?:thing|one)?\b|\bsome(?:thing)?\b", re.I)
# "What was the outcome of P7.5?": what it is meant to achieve, or what became of it.
_OUTCOME_OF = re.compile(r"\boutcomes?\s+(?:of|for|from|on)\b|'s\s+outcomes?\b", re.I)
_NOT_AMBIGUOUS = re.compile(r"\bexpect\w*|\bsuccess\w*|\bmeasur\w*|\bintended\b", re.I)
# A measures question the scorecard answers: a scope or a filter, and no topic of its own.
_SCORECARD = re.compile(
    r"\b(?:measures?|kpis?|indicators?|scorecard)\b|\bhow\s+will\s+we\s+know\b", re.I
)
_NO_STEPS = re.compile(
    r"\b(?:ha(?:ve|s)|with|got|hold(?:s|ing)?)\s+(?:no|zero|0)\s+steps?\b"
    r"|\bwithout\s+(?:any\s+)?steps?\b|\bno\s+steps?\s+(?:under|in|at|at\s+all)\b"
    r"|\b(?:don'?t|doesn'?t|do\s+not|does\s+not)\s+have\s+(?:any\s+)?steps?\b",
    re.I,
)
_ACTIONS_ONLY = re.compile(
    r"\b(?:actions?\s+only|only\s+(?:the\s+)?actions?|just\s+(?:the\s+)?actions?"
    r"|(?:no|without(?:\s+the)?|hide(?:\s+the)?|skip(?:\s+the)?|leave\s+out\s+the)\s+steps?"
    r"|not\s+(?:the\s+)?steps?)\b",
    re.I,
)
_UNDATED = re.compile(
    r"\b(?:no|without(?:\s+an?)?|missing(?:\s+an?)?|lacking(?:\s+an?)?)\s+(?:due\s+)?dates?\b"
    r"|\bundated\b|\bnot\s+dated\b",
    re.I,
)
# "P7.5 done?": a reference, a state and a question mark, with nothing else asked.
_BARE_YES_NO = re.compile(
    r"^\W*(?:oa|p)\s*\d+(?:\.\d+){1,2}\s+(?:is\s+|been\s+|all\s+)?[a-z]+(?:\s+[a-z]+)?\s*\?+\W*$",
    re.I,
)
_COUNT_WORDS = frozenset(
    {"total", "count", "number", "altogether", "tally", "sum", "overall", "far", "date", "yet"}
)
_STEP_WORD = re.compile(r"\bsteps?\b|\bsub-?actions?\b|\btasks?\b", re.I)
_ACTION_WORD = re.compile(r"\bactions?\b", re.I)
_AREA_WORD = re.compile(
    r"\b(?:areas?|priorit(?:y|ies)|recommendations?|areas?\s+for\s+improvement)\b"
    r"(?!\s+actions?)",
    re.I,
)
_PRIORITY = re.compile(r"\bpriorit(?:y|ies)\b", re.I)
_ITEM_WORD = re.compile(r"\b(?:items?|things?|lines?|everything|both)\b", re.I)
# Words that ask for the kind of answer, not what it is about: left out of a measures topic.
_NOT_TOPIC_TEXT = """measure measures measured measuring measurement measurements outcome outcomes
    success successful expect expects expected expecting expectation evidence evidenced
    evidencing kpi kpis indicator indicators judged impact area areas priority priorities
    mention mentions mentioned mentioning say says said talk talks cover covers covering
    which where who what about ofsted ambition recommendation
    recommendations worked works look looks like succeed succeeded achieve achieved achieving
    know tell"""
_NOT_TOPIC = frozenset(stem(w) for w in _NOT_TOPIC_TEXT.split())


@dataclass(frozen=True)
class ContentQuery:
    """What a content question asks: which answer, about what, at which level."""

    returns: Returns
    about: About
    level: Level
    question: Question  # the ordinary reading: what selects and what filters
    negated: bool = False  # "which Ofsted areas have no follow-up": those without
    topic: tuple[str, ...] = ()  # a measures question's own terms, stemmed
    topic_words: tuple[str, ...] = ()  # the same, as typed
    area_level: bool = False  # asked about areas or priorities ("which Ofsted area expects …")
    certain: bool = True  # the words leave no doubt of the kind (else: nothing found, not ours)
    any_of: bool = False  # "are any P7 actions overdue": yes when one is (an area), not all
    instead: bool = False  # the topic is in no title or step: its measures were searched instead
    by_priority: bool = False  # "which priorities …": the actions found, said by their area
    undated: bool = False  # "with no due date": only items the plans give no date

    def as_json(self) -> dict[str, object]:
        reading = self.question.as_json()
        if self.about == "measures":
            reading["topic"] = list(self.topic_words)
        return {
            **reading,
            "returns": self.returns,
            "about": self.about,
            "level": self.level,
            "negated": self.negated,
            "no_due_date": self.undated,
        }

    @property
    def filtered(self) -> bool:
        """A status, colour or window was asked for (not "open", which is only assumed)."""
        return self.question.filtered


def _level(text: str, about: About) -> Level:
    steps = bool(_STEP_WORD.search(text))
    actions = bool(_ACTION_WORD.search(text))
    if about == "no_steps":
        return "actions"
    if steps and not actions:
        return "steps"
    if actions and not steps:
        return "actions"
    if actions and steps and _ACTIONS_ONLY.search(text):
        return "actions"
    return "both"


def _asks_kind(word: str) -> bool:
    """A word asking for measures or outcomes, or a slip for one ("sucess", "outcomse")."""
    stemmed = stem(word)
    if stemmed in _NOT_TOPIC:
        return True
    near = process.extractOne(stemmed, _NOT_TOPIC, scorer=fuzz.ratio, score_cutoff=85)
    return len(stemmed) > 4 and near is not None


def _measure_topic(question: Question) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """A measures question's topic: its words, less those asking for measures or outcomes; when
    only an area's name is left ("measures about care leavers"), its words, and True."""

    def kept(words: tuple[str, ...]) -> list[str]:
        found = [w for w in words if not _asks_kind(w)]
        return sorted(dict.fromkeys(found), key=question.text.lower().find)

    own = kept(question.topic_words)
    if own or not question.area_phrases:
        return tuple(stem(w) for w in own), tuple(own), False
    named = kept(question.area_phrases)
    return tuple(stem(w) for w in named), tuple(named), bool(named)


def _measures(text: str, question: Question, returns: Returns) -> ContentQuery | None:
    topic, topic_words, area_words = _measure_topic(question)
    scorecard = _SCORECARD.search(text) is not None
    blanked = text
    for pattern, _ in SCORECARD_FILTERS:
        blanked = pattern.sub(" ", blanked)
    if scorecard and blanked != text:  # a filter of the scorecard's: off target, improving …
        kept = [
            (t, w)
            for t, w in zip(topic, topic_words, strict=True)
            if re.search(rf"\b{re.escape(w)}\b", blanked, re.I)
        ]
        if not kept:
            return None  # "which measures are off target", "measures getting worse"
        topic, topic_words = tuple(t for t, _ in kept), tuple(w for _, w in kept)
    if not topic and (scorecard or not question.references):
        return None  # "success measures for OA4": the scorecard
    if area_words:  # the area's name was the topic ("measures about care leavers")
        question = replace(question, areas=(), area_phrases=())
    return ContentQuery(
        returns,
        "measures",
        _level(text, "measures"),
        question,
        topic=topic,
        topic_words=topic_words,
        area_level=bool(_AREA_WORD.search(text)) and not _ACTION_WORD.search(text),
        certain=_STRONG_MEASURE.search(text) is not None,
    )


def read_content(text: str, question: Question) -> ContentQuery | None:
    """The content query `text` asks, read beside its ordinary reading, or None when it is an
    ordinary question (or one another reader answers: changes, grouped counts, the scorecard)."""
    flat = " ".join(question.text.replace("’", "'").split())
    if not flat or question.changes or question.bad_dates:
        return None
    counting = _COUNT.search(flat) is not None
    asks_yes_no = bool(_YES_NO.search(flat) or _BARE_YES_NO.search(flat)) and not counting
    returns: Returns = "count" if counting else "yes_no" if asks_yes_no else "items"
    if _LINK.search(flat) and (question.references or _LINKED_THING.search(flat)):
        return ContentQuery(
            returns,
            "links",
            _level(flat, "links"),
            question,
            negated=_NO_LINK.search(flat) is not None,
            area_level=bool(_AREA_WORD.search(flat)) and not _PRIORITY.search(flat),
            by_priority=_PRIORITY.search(flat) is not None,
        )
    two_ways = _OUTCOME_OF.search(flat) and not _NOT_AMBIGUOUS.search(flat)
    if two_ways and _single_ref(question) and not _measure_topic(question)[0]:
        return ContentQuery(returns, "two_readings", "both", question)  # "the outcome of P7.5"
    if _MEASURE.search(flat):
        return _measures(flat, question, returns)
    if _NO_STEPS.search(flat):
        return ContentQuery(returns, "no_steps", "actions", question)
    if returns == "count":
        return _count(flat, question)
    if returns == "yes_no" and question.filtered and _items_named(question):
        return ContentQuery("yes_no", "items", "both", question, any_of=bool(_ANY.search(flat)))
    if _ACTIONS_ONLY.search(flat) and not _ITEM_WORD.search(flat):
        return ContentQuery("items", "items", "actions", question)
    return None


def _count(text: str, question: Question) -> ContentQuery | None:
    """A count of items; None for a count of steps (commands.questions.steps counts those) and
    for "how many foster carers have we recruited?", which no list of the plan's items answers."""
    level = _level(text, "items")
    if level == "steps":
        return None
    if question.status == "done" and question.window is not None and question.past:
        return None  # "how many were completed in December": done then, read from the history
    named_level = level == "actions" or _ITEM_WORD.search(text) is not None
    undated = _UNDATED.search(text) is not None
    asking = " ".join(m.group(0) for m in _COUNT.finditer(text)).lower()  # "hw mny": not a topic
    noise = _COUNT_WORDS | set(asking.split()) | ({"due", "dated", "undated"} if undated else set())
    kept = [w for w in question.topic_words if w.lower() not in noise]
    if len(kept) != len(question.topic_words):  # "total number of actions": not a topic
        question = replace(question, topic_words=tuple(kept), topic=tuple(stem(w) for w in kept))
    if question.topic and not (named_level or question.scoped or question.filtered):
        return None
    return ContentQuery("count", "items", level, question, undated=undated)


def measures_instead(question: Question) -> ContentQuery | None:
    """ "Where are we on sickness absence?" when no title or step says it: the success measures
    and expected outcomes that do (None when the question has no topic of its own)."""
    if not question.topic or question.changes or question.mine:
        return None
    topic, topic_words, _ = _measure_topic(question)
    if not topic:
        return None
    return ContentQuery(
        "items",
        "measures",
        "both",
        question,
        topic=topic,
        topic_words=topic_words,
        certain=False,
        instead=True,
    )


def _items_named(question: Question) -> bool:
    """One reference, or a few items ("are P7.4 and P7.5 done?"), and no area by name."""
    refs = question.references
    if question.areas or not refs:
        return False
    return len(refs) == 1 or (len(refs) <= 6 and all("." in r for r in refs))


def _single_ref(question: Question) -> bool:
    return len(question.references) == 1 and not question.areas
