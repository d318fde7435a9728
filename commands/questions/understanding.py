"""Understanding a free-text question about the plan: references, areas, owners, topic, filters.

`understand` reads "what's overdue for Head of MSAH in March?" into a frozen `Question`: the
references typed (`OA4`, `oa 4`, `Ofsted action 4`, `priority 7`, `p7.5.3`), areas named by their
title ("care leavers"), owner roles by name or alias (typos forgiven), a status filter, a date
window read against the bot's clock, a plan, and the words left over as the topic. What the store
knows (plan prefixes, area titles, roles and aliases) comes in as a `Vocabulary`, so the same
code reads any council's plan.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz, process

from commands.updates.reply_dates import last_day
from store.plan_files.dates import MONTHS

MAX_CHARACTERS = 500  # longer messages are read up to here; the answer says so

_STOPWORD_TEXT = """
    a about above across after again against all also am an and any anything are around as at
    be been before being below between both but by can could did do does doing down during each
    either else ever every for from further get give got had has have having he her here hers how
    i if in into is it its just know let like me more most my need needs no nor not now of off on
    once only or other our ours out over own please re same she should show so some something
    still such tell than thank thanks that the their theirs them then there these they this those
    through to too under until up upon us very want was we were what whats when where which while
    who whom whose why will with within would you your yours yes hi hello hey planbot list lists
    item items action actions step steps thing things stuff status statuses state progress update
    updates latest news going doing done due happening happen look looking find see plan plans
    currently current right now today many much number ok okay owns owned owner owners owning
    responsible responsibility accountable left remaining summary overall headline headlines
    quick question questions idea check checking remind morning afternoon evening wondering wonder
    getting just percent percentage everything everyone deadline deadlines pls plz atm rn"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Children's services shorthand, read as the words the plans use.
ABBREVIATIONS = {
    "lac": "children in care",  # looked after children: York's plans say "in care"
    "cla": "children in care",
    "cic": "children in care",
    "cyp": "children and young people",
    "rhi": "return home interview",
    "rhis": "return home interviews",
    "mfh": "missing from home",
    "cp": "child protection",
    "ehcp": "education health and care plan",
    "ehcps": "education health and care plans",
    "iro": "independent reviewing officer",
    "iros": "independent reviewing officers",
    "uasc": "unaccompanied asylum seeking children",
}
# Words people use for plan documents rather than topics ("the Ofsted plan").
PLAN_FILLER = frozenset({"plan", "action", "actions", "improvement"})
# Short all-capital aliases that are also everyday words: matched only when typed in capitals.
EVERYDAY_WORDS = frozenset({"send", "bi", "it", "us", "am", "care", "home"})

_SLACK_USER = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_SPECIAL = re.compile(r"<![^>]*>")
_SLACK_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_COLOUR_EMOJI = {
    ":red_circle:": "red",
    ":large_red_circle:": "red",
    ":large_red_square:": "red",
    ":large_orange_circle:": "amber",
    ":orange_circle:": "amber",
    ":large_yellow_circle:": "amber",
    ":yellow_circle:": "amber",
    ":large_green_circle:": "green",
    ":green_circle:": "green",
    ":large_blue_circle:": "blue",
    ":blue_circle:": "blue",
    "🔴": "red",
    "🟥": "red",
    "🟠": "amber",
    "🟡": "amber",
    "🟧": "amber",
    "🟢": "green",
    "🟩": "green",
    "🔵": "blue",
    "🟦": "blue",
}
_EMOJI = re.compile(r":[a-z0-9_+\-']+:|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f]")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class AreaName:
    ref: str
    plan_key: str
    terms: tuple[str, ...]  # the title's content terms, stemmed


@dataclass(frozen=True)
class RoleName:
    name: str  # the canonical role
    forms: tuple[str, ...]  # the name and its aliases, as typed in the directory


@dataclass(frozen=True)
class Vocabulary:
    """What the store knows that a question may name."""

    prefixes: tuple[str, ...] = ("OA", "P")
    ofsted_prefix: str | None = "OA"  # the prefix "Ofsted action 4" means
    priority_prefix: str | None = "P"  # the prefix "priority 7" means
    plans: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (plan key, its distinctive terms)
    areas: tuple[AreaName, ...] = ()
    roles: tuple[RoleName, ...] = ()
    area_terms: tuple[str, ...] = ()  # every term of every area title, for fuzzy lookups
    known: frozenset[str] = frozenset()  # every term the plans hold (empty: not known)
    name_words: frozenset[str] = frozenset()  # every word of a role's or area's name, as typed


@dataclass(frozen=True)
class DateWindow:
    """Due dates from `start` to `end` inclusive; None means open-ended."""

    start: date | None
    end: date | None
    label: str


@dataclass(frozen=True)
class Question:
    """A question as understood. `text` is the cleaned text (Slack markup removed)."""

    text: str
    references: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # areas named by their title
    area_phrases: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()  # canonical role names
    owner_phrases: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # stemmed terms
    topic_words: tuple[str, ...] = ()  # the same words as typed
    # open | overdue | done | blocked | not_started | in_progress | started (begun, done included)
    status: str | None = None
    status_assumed: bool = False  # "open" was assumed because no status was asked for
    rag: str | None = None
    window: DateWindow | None = None
    plan: str | None = None
    truncated: bool = False
    ignored: tuple[str, ...] = field(default=())  # things removed before reading (mentions)
    changes: bool = False  # "what changed?": the updates recorded, not the items' state
    mine: bool = False  # "for me", "my actions": the asker's own roles are the owners
    past: bool = False  # asked in the past tense ("what was completed in December?")
    bad_dates: tuple[str, ...] = ()  # written as dates but no real one ("31/02", "Q5")

    @property
    def is_empty(self) -> bool:
        """Nothing in the text that could select anything."""
        return not (self.changes or self.mine or self.scoped or self.topic or self.filtered)

    @property
    def scoped(self) -> bool:
        """Named items, areas, owners or a plan."""
        return bool(self.references or self.areas or self.owners or self.plan)

    @property
    def filtered(self) -> bool:
        """Asks for a status, colour or date window (not only "open", which is assumed)."""
        return bool(self.window or self.rag or (self.status and not self.status_assumed))


# --------------------------------------------------------------------------- words


def fold(text: str) -> str:
    """Lower-case, compatibility-normalised text with straight quotes and no possessive 's."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return re.sub(r"'s\b", "", text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: enough that plurals and -ing/-ed forms meet."""
    if len(word) <= 4 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 5:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """The content terms of `text`, stemmed, stop words removed, in order."""
    return [stem(word) for word in tokens(text) if word not in STOPWORDS and len(word) > 1]


def term_cutoff(term: str) -> float:
    """How similar another term must be (rapidfuzz ratio) to count as the same word."""
    if len(term) <= 3 or term.isdigit():
        return 100.0
    return 85.0 if len(term) <= 6 else 80.0


# --------------------------------------------------------------------------- cleaning


def clean(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """Slack markup and control characters out; (text, truncated, what was removed)."""
    text = text or ""
    ignored: list[str] = []
    truncated = len(text) > MAX_CHARACTERS
    if truncated:
        cut = text[:MAX_CHARACTERS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_CHARACTERS // 2 else cut  # no half word at the end
    if _SLACK_USER.search(text):
        ignored.append("mentions")
    if _SLACK_SPECIAL.search(text):
        ignored.append("broadcasts")
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_CHANNEL.sub(" ", text)  # "in #general" says where, not what
    text = _SLACK_LINK.sub(lambda m: " " + (m.group(2) or "") + " ", text)
    text = html.unescape(text)
    text = re.sub(r"^\s*>.*$", " ", text, flags=re.MULTILINE)  # a quote is someone else's words
    for emoji, word in _COLOUR_EMOJI.items():  # "anything 🔴 in P3?": the colour, as a word
        text = text.replace(emoji, f" {word} ")
    text = _EMOJI.sub(" ", text)  # any other emoji, or its :short_code:, is tone, not topic
    # What is left looks like markup only by accident ("<@" typed, "&lt;!channel&gt;" unescaped):
    # without its "<" no echo of it can read as a mention.
    text = re.sub(r"<(?=[@!#])", " ", text)
    text = _CONTROL.sub(" ", text)
    text = re.sub(r"[*_~`]+", " ", text)  # mrkdwn emphasis around words
    return re.sub(r"\s+", " ", text).strip(), truncated, tuple(ignored)


# --------------------------------------------------------------------------- references


def _reference_patterns(vocab: Vocabulary) -> list[tuple[re.Pattern[str], str | None]]:
    number = r"(\d{1,3}(?:\s*\.\s*\d{1,3}){0,2})(?!\d)(?!\s*\.\s*\d)"
    patterns: list[tuple[re.Pattern[str], str | None]] = []
    if vocab.ofsted_prefix:
        patterns.append(
            (
                re.compile(
                    r"\bofsted\s+(?:action|area|improvement)(?:\s+plan)?\s*(?:no\.?\s*|number\s*)?"
                    + number
                    + r"|\barea\s+for\s+improvement\s*"
                    + number,
                    re.IGNORECASE,
                ),
                vocab.ofsted_prefix,
            )
        )
    if vocab.priority_prefix:
        patterns.append(
            (
                re.compile(r"\bpriority\s*(?:no\.?\s*|number\s*)?" + number, re.IGNORECASE),
                vocab.priority_prefix,
            )
        )
    prefixes = sorted(vocab.prefixes, key=len, reverse=True)
    if prefixes:
        alternatives = "|".join(re.escape(p) for p in prefixes)
        patterns.append(
            (
                re.compile(
                    r"(?<![a-z0-9])(" + alternatives + r")\s*[-.#]?\s*" + number,
                    re.IGNORECASE,
                ),
                None,
            )
        )
    return patterns


_PATTERN_CACHE: dict[tuple[object, ...], list[tuple[re.Pattern[str], str | None]]] = {}


def find_references(text: str, vocab: Vocabulary) -> tuple[list[str], str]:
    """The references in `text`, canonical ("OA4.2"), and the text with them blanked out."""
    key = (vocab.prefixes, vocab.ofsted_prefix, vocab.priority_prefix)
    patterns = _PATTERN_CACHE.get(key)
    if patterns is None:
        patterns = _reference_patterns(vocab)
        if len(_PATTERN_CACHE) > 32:
            _PATTERN_CACHE.clear()
        _PATTERN_CACHE[key] = patterns
    found: list[tuple[int, str]] = []
    for pattern, prefix in patterns:

        def take(match: re.Match[str], prefix: str | None = prefix) -> str:
            if prefix is None:
                head, digits = match.group(1).upper(), match.group(2)
            else:
                head, digits = prefix, next(g for g in match.groups() if g)
            canonical = head + re.sub(r"\s+", "", digits)
            found.append((match.start(), canonical))
            return " " * len(match.group(0))

        text = pattern.sub(take, text)
    references: list[str] = []
    for _, ref in sorted(found):
        if ref not in references:
            references.append(ref)
    return references, text


# --------------------------------------------------------------------------- filters

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


def _blank(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def find_status(text: str) -> tuple[str | None, str | None, str]:
    """(status, rag, text with those words blanked). The most specific status wins."""
    status: str | None = None
    for name, pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        while match:
            status = status or name
            text = _blank(text, match)
            match = pattern.search(text)
    if status is None:
        for word in set(_WORD.findall(text)):
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
        text = _blank(text, match)
        match = _RAG_PATTERN.search(text)
    return status, rag, text


_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_PREPOSITION = (
    r"(?:(by|before|until|till|to|in|during|for|due|on|of|from|after|since)\s+(?:the\s+)?)?"
)
_MONTH_PATTERN = re.compile(
    r"\b" + _PREPOSITION + r"(?:end\s+of\s+)?(" + _MONTH_WORD + r")\b\.?(?:\s+(20\d\d))?\b"
)
_DAY_WORD = r"(by|before|until|on|due|since|from|after)"
_DAY_PATTERN = re.compile(
    r"\b" + _DAY_WORD + r"?\s*(\d{1,2})[/.-](\d{1,2})[/.-](20\d\d)\b"
    r"|\b" + _DAY_WORD + r"?\s*(20\d\d)-(\d{1,2})-(\d{1,2})\b"
)
_WORD_DAY_PATTERN = re.compile(
    r"\b" + _DAY_WORD + r"?\s*(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_WORD + r")\b\.?"
    r"(?:\s+(20\d\d))?"
)
_SHORT_DAY_PATTERN = re.compile(r"\b" + _DAY_WORD + r"?\s*(\d{1,2})/(\d{1,2})(?![/\d])")


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


# "What was due in December?", "what's been overdue since 1 dec": a month or day with no year
# is the last one.
_PAST = re.compile(r"\b(?:was|were|been|did|had|since|got|completed|finished)\b")


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


def _quarter(fy: int, number: int) -> DateWindow:
    """Quarter `number` of the financial year starting 1 April `fy` (Q1 April-June … Q4
    January-March)."""
    start = date(fy + (number == 4), (4 + 3 * (number - 1) - 1) % 12 + 1, 1)
    end = last_day(start.year, start.month + 2)
    return DateWindow(start, end, f"due in Q{number} {fy}/{(fy + 1) % 100:02d}")


def _financial_windows(text: str, today: date) -> list[tuple[str, DateWindow]]:
    """Councils plan by financial year (1 April to 31 March) and its quarters: "Q4", "Q3
    2022/23", "this quarter", "next quarter", "this financial year", "by year end"."""
    fy = today.year if today.month >= 4 else today.year - 1
    current = (today.month - 4) % 12 // 3 + 1
    year_end = date(fy + 1, 3, 31)
    windows: list[tuple[str, DateWindow]] = [
        (
            r"\b(?:by\s+|before\s+|until\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?"
            r"(?:financial|fiscal)\s+year|year[\s-]end)\b",
            DateWindow(None, year_end, f"due by {_fmt(year_end)}"),
        ),
        (
            r"\b(?:this|the)\s+(?:financial|fiscal)\s+year\b",
            DateWindow(date(fy, 4, 1), year_end, f"due in {fy}/{(fy + 1) % 100:02d}"),
        ),
        (
            r"\b(?:by\s+|before\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?quarter"
            r"|quarter[\s-]end)\b",
            DateWindow(None, _quarter(fy, current).end, "due by the end of the quarter"),
        ),
        (
            r"\b(?:by\s+|before\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?year\b",
            DateWindow(None, date(today.year, 12, 31), f"due by 31 Dec {today.year}"),
        ),
        (r"\bthis\s+quarter\b", _quarter(fy, current)),
        (r"\bnext\s+quarter\b", _quarter(fy + (current == 4), current % 4 + 1)),
    ]
    named = re.search(r"\bq([1-4])\b(?:\s+(20\d\d)(?:\s*[/-]\s*\d\d)?)?", text)
    if named:
        year = int(named.group(2)) if named.group(2) else fy
        windows.append((re.escape(named.group(0)), _quarter(year, int(named.group(1)))))
    return windows


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _find_day(
    text: str, today: date, *, past: bool
) -> tuple[str | None, date | None, re.Match[str]] | None:
    """A day named in the text ("28/02/2023", "2023-02-28", "1 March", "1st of march 2023",
    "28/02"), the word before it (by, before, since…) and where it is; the day is None when it
    is not a real date. Without a year it is the next such day, or with `past` the last one."""
    match = _DAY_PATTERN.search(text)
    if match:
        if match.group(2):
            word, parts = match.group(1), (match.group(4), match.group(3), match.group(2))
        else:
            word, parts = match.group(5), (match.group(6), match.group(7), match.group(8))
        return word, _day(int(parts[0]), int(parts[1]), int(parts[2])), match
    match = _WORD_DAY_PATTERN.search(text)
    if match:
        word, number, month = match.group(1), int(match.group(2)), MONTHS[match.group(3)]
        if match.group(4):
            return word, _day(int(match.group(4)), month, number), match
        return word, _day_near(today, month, number, past=past), match
    match = _SHORT_DAY_PATTERN.search(text)
    if match:
        word, number, month = match.group(1), int(match.group(2)), int(match.group(3))
        return word, _day_near(today, month, number, past=past), match
    return None


def _day(year: int, month: int, number: int) -> date | None:
    try:
        return date(year, month, number)
    except ValueError:
        return None


def _day_near(today: date, month: int, number: int, *, past: bool) -> date | None:
    """The latest such day on or before today (with `past`), or else the one nearest today ("due
    10/01" in December is next January's, "1 dec" in February last December's; 29/02 the
    nearest leap year's)."""
    days = [d for y in range(-4, 5) if (d := _day(today.year + y, month, number)) is not None]
    if past:
        return max((d for d in days if d <= today), default=None)
    return min(days, key=lambda d: abs((d - today).days), default=None)


def _next_month(day: date) -> date:
    return last_day(day.year, day.month) + timedelta(days=1)


def _fmt(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


_BAD_QUARTER = re.compile(r"\bq(?:0|[5-9])\b")


def _looks_like_a_day(match: re.Match[str]) -> bool:
    """Whether a date-shaped match that is no real day was meant as one: a day of 1-31 and,
    when written as a number, a month of 1-12 ("31/02", "31/04/2023", "2023-02-30"). "16/17 year
    olds", "23/24" (a financial year) and "13/20 actions" are not."""
    if match.re is _WORD_DAY_PATTERN:
        number, month = int(match.group(2)), 1
    elif match.re is _DAY_PATTERN and match.group(2):
        number, month = int(match.group(2)), int(match.group(3))
    elif match.re is _DAY_PATTERN:  # year first
        number, month = int(match.group(8)), int(match.group(7))
    else:
        number, month = int(match.group(2)), int(match.group(3))
    return 1 <= number <= 31 and 1 <= month <= 12


def find_bad_dates(text: str, today: date) -> tuple[tuple[str, ...], str]:
    """What is written as a date but is none ("31/02", "30th February", "Q5"), and the rest of
    the text, read before `find_window` so that it meets only real dates. Numbers past 31
    ("50/50") are not taken for dates."""
    bad: list[str] = []
    scan = text  # every date blanked once looked at; `text` loses only the bad ones
    while (found := _find_day(scan, today, past=False)) is not None:
        word, day, match = found
        scan = _blank(scan, match)
        if day is None and _looks_like_a_day(match):
            bad.append(match.group(0).strip().removeprefix(word or "").strip())
            text = _blank(text, match)
    for match in list(_BAD_QUARTER.finditer(text)):
        bad.append(match.group(0).upper())
        text = _blank(text, match)
    return tuple(bad), text


def find_window(text: str, today: date, *, past: bool = False) -> tuple[DateWindow | None, str]:
    """The due-date window a question asks about, read against `today`, and the rest of the text.
    A month named without its year is the next one, or with `past` (what changed in January?)
    the last one. Each reader takes its words out of the text; the first window found counts."""
    window: DateWindow | None = None
    for reader in (_named_window, _next_days, _between, _one_day, _months, _year):
        if reader is _between and window is not None:
            continue  # "between" only reads two days when nothing else set the window
        candidate, text = reader(text, today, past)
        window = window or candidate
    return window, text


Window = tuple[DateWindow | None, str]


def _named_windows(text: str, today: date) -> list[tuple[str, DateWindow]]:
    """Windows named in words ("this week", "next month", "Q4", "since Tuesday")."""
    # A table of patterns, in the order they are tried, rather than logic.
    monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    month_end = last_day(today.year, today.month)
    simple: list[tuple[str, DateWindow]] = [
        (
            r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b",
            DateWindow(None, month_end, f"due by {_fmt(month_end)}"),
        ),
        (
            r"\b(?:by|before|until)\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week\b",
            DateWindow(None, monday + timedelta(days=6), f"due by {_fmt(monday + timedelta(6))}"),
        ),
        (
            r"\bsince\s+last\s+week\b",
            DateWindow(monday - timedelta(7), today, "due since last week"),
        ),
        (
            r"\byesterday\b",
            DateWindow(today - timedelta(1), today - timedelta(1), "due yesterday"),
        ),
        (
            r"\bthis\s+week\b",
            DateWindow(monday, monday + timedelta(days=6), "due this week"),
        ),
        (
            r"\bnext\s+week\b",
            DateWindow(monday + timedelta(7), monday + timedelta(13), "due next week"),
        ),
        (
            r"\blast\s+week\b",
            DateWindow(monday - timedelta(7), monday - timedelta(1), "due last week"),
        ),
        (
            r"\bthis\s+month\b|\bend\s+of\s+(?:the\s+)?month\b",
            DateWindow(month_start, month_end, f"due in {calendar.month_name[today.month]}"),
        ),
        (
            r"\bnext\s+month\b",
            DateWindow(
                _next_month(today),
                last_day(_next_month(today).year, _next_month(today).month),
                f"due in {calendar.month_name[_next_month(today).month]}",
            ),
        ),
        (
            r"\blast\s+month\b",
            DateWindow(
                (month_start - timedelta(days=1)).replace(day=1),
                month_start - timedelta(days=1),
                f"due in {calendar.month_name[(month_start - timedelta(days=1)).month]}",
            ),
        ),
        (r"\btoday\b", DateWindow(today, today, "due today")),
        (
            r"\btomorrow\b",
            DateWindow(today + timedelta(1), today + timedelta(1), "due tomorrow"),
        ),
        (
            r"\b(?:next\s+fortnight|next\s+two\s+weeks|coming\s+up|due\s+soon|soon)\b",
            DateWindow(today, today + timedelta(14), "due in the next 14 days"),
        ),
        (
            r"\bthis\s+year\b",
            DateWindow(date(today.year, 1, 1), date(today.year, 12, 31), f"due in {today.year}"),
        ),
    ]
    simple[:0] = _financial_windows(text, today)
    weekday = re.search(r"\bsince\s+(?:last\s+)?(" + "|".join(_WEEKDAYS) + r")\b", text)
    if weekday:
        back = (today.weekday() - _WEEKDAYS.index(weekday.group(1))) % 7 or 7
        since = today - timedelta(days=back)
        simple.insert(
            0, (re.escape(weekday.group(0)), DateWindow(since, today, f"due since {_fmt(since)}"))
        )
    return simple


def _named_window(text: str, today: date, past: bool) -> Window:
    window: DateWindow | None = None
    for pattern, candidate in _named_windows(text, today):
        match = re.search(pattern, text)
        if match:
            text = _blank(text, match)
            window = window or candidate
    return window, text


def _next_days(text: str, today: date, past: bool) -> Window:
    """In the next 10 days, within 3 weeks."""
    match = re.search(
        r"\b(?:in|within|over|for)?\s*(?:the\s+)?(?:next|coming)\s+(\d{1,3})\s+(days?|weeks?)\b"
        r"|\b(?:in|within)\s+(\d{1,3})\s+(days?|weeks?)\b",
        text,
    )
    if match:
        count = int(match.group(1) or match.group(3))
        unit = match.group(2) or match.group(4)
        days = count * 7 if unit.startswith("week") else count
        text = _blank(text, match)
        return DateWindow(today, today + timedelta(days=days), f"due in the next {days} days"), text
    return None, text


def _between(text: str, today: date, past: bool) -> Window:
    """Between 1 March and 30 June."""
    between = re.search(r"\bbetween\b", text)
    if between:
        rest = text[between.end() :]
        first = _find_day(rest, today, past=past)
        second = _find_day(rest[first[2].end() :], today, past=past) if first else None
        joined = (
            first
            and second
            and re.fullmatch(r"\s*(?:and|to|-)\s*", rest[first[2].end() :][: second[2].start()])
        )
        if first and second and joined and first[1] and second[1]:
            start, end = sorted((first[1], second[1]))
            stop = between.end() + first[2].end() + second[2].end()
            text = text[: between.start()] + " " * (stop - between.start()) + text[stop:]
            return DateWindow(start, end, f"due between {_fmt(start)} and {_fmt(end)}"), text
    return None, text


def _one_day(text: str, today: date, past: bool) -> Window:
    """A day, perhaps after "by", "before", "since", "from" or "after"."""
    found = _find_day(text, today, past=past)
    if found:
        word, day, match = found
        if day is not None:
            text = _blank(text, match)
            if word in ("by", "before", "until"):
                end = day - timedelta(1) if word == "before" else day
                return DateWindow(None, end, f"due by {_fmt(end)}"), text
            elif word in ("since", "from", "after"):
                start = day + timedelta(1) if word == "after" else day
                return DateWindow(start, None, f"due from {_fmt(start)}"), text
            else:
                return DateWindow(day, day, f"due on {_fmt(day)}"), text
    return None, text


def _months(text: str, today: date, past: bool) -> Window:
    """Months by name, perhaps with a year and "by", "before", "after" or "from"."""
    window: DateWindow | None = None
    for match in list(_MONTH_PATTERN.finditer(text)):
        word, name, year_text = match.group(1), match.group(2), match.group(3)
        ambiguous = name in ("may", "mar", "jun", "jan", "oct", "dec", "sep", "aug", "nov", "feb")
        if ambiguous and not (word or year_text):
            continue  # "may" the verb, "mar" the word
        month = MONTHS[name]
        if year_text:
            year = int(year_text)
        elif past:
            year = today.year if month <= today.month else today.year - 1
        else:
            year = today.year if month >= today.month else today.year + 1
        start, end = date(year, month, 1), last_day(year, month)
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        label = f"{calendar.month_name[month]} {year}"
        if word == "before" and "end" in match.group(0):
            word = "by"  # "before the end of March" takes in 31 March
        if word in ("by", "until", "till", "to"):
            candidate = DateWindow(None, end, f"due by the end of {label}")
        elif word == "before":
            candidate = DateWindow(None, start - timedelta(1), f"due before {label}")
        elif word == "after":
            candidate = DateWindow(end + timedelta(1), None, f"due after {label}")
        elif word in ("from", "since"):
            candidate = DateWindow(start, None, f"due from {label}")
        else:
            candidate = DateWindow(start, end, f"due in {label}")
        window = window or candidate
    return window, text


def _year(text: str, today: date, past: bool) -> Window:
    """A year: "in 2023", "by 2024"."""
    match = re.search(r"\b(by|before|in|during|for)?\s*(?<![/\-.\d])(20\d\d)(?![/\-.\d])\b", text)
    if match:
        year = int(match.group(2))
        text = _blank(text, match)
        if match.group(1) in ("by", "before"):
            end = date(year, 12, 31) if match.group(1) == "by" else date(year - 1, 12, 31)
            return DateWindow(None, end, f"due by {_fmt(end)}"), text
        return DateWindow(date(year, 1, 1), date(year, 12, 31), f"due in {year}"), text
    return None, text


# --------------------------------------------------------------------------- roles and areas


@dataclass(frozen=True)
class _Form:
    role: str
    words: tuple[str, ...]
    joined: str
    exact_case: str | None  # set when only this exact spelling counts (SEND, not "send")


_FORM_CACHE: dict[tuple[RoleName, ...], list[_Form]] = {}


def _forms(roles: tuple[RoleName, ...]) -> list[_Form]:
    cached = _FORM_CACHE.get(roles)
    if cached is not None:
        return cached
    forms: list[_Form] = []
    for role in roles:
        for written in role.forms:
            words = tuple(tokens(written))
            if not words:
                continue
            joined = " ".join(words)
            exact = written.strip() if written.strip().lower() in EVERYDAY_WORDS else None
            forms.append(_Form(role.name, words, joined, exact))
    forms.sort(key=lambda f: (-len(f.words), -len(f.joined)))
    if len(_FORM_CACHE) > 32:
        _FORM_CACHE.clear()
    _FORM_CACHE[roles] = forms
    return forms


def find_roles(
    words: list[str], original: str, roles: tuple[RoleName, ...]
) -> tuple[list[str], list[str], set[int]]:
    """Roles named in `words` (longest forms first, typos forgiven for long forms)."""
    found: list[str] = []
    phrases: list[str] = []
    used: set[int] = set()
    for form in _forms(roles):
        n = len(form.words)
        for start in range(len(words) - n + 1):
            span = range(start, start + n)
            if any(i in used for i in span):
                continue
            window = " ".join(words[start : start + n])
            if window == form.joined:
                exact = form.exact_case
                if exact and not re.search(rf"\b{re.escape(exact)}\b", original):
                    continue
                hit = True
            elif len(form.joined) >= 8 and n >= 2 and words[start] == form.words[0]:
                hit = fuzz.ratio(window, form.joined) >= 88
            else:
                hit = False
            if hit:
                used.update(span)
                phrases.append(window)
                if form.role not in found:
                    found.append(form.role)
    return found, phrases, used


def expand(term: str, pool: list[str] | tuple[str, ...]) -> set[str]:
    """The words in `pool` that count as `term` (itself, a plural, a typo of it)."""
    found = {term} if term in pool else set()
    if len(term) <= 3 or term.isdigit():
        return found
    for choice, score, _ in process.extract(
        term, pool, scorer=fuzz.ratio, score_cutoff=term_cutoff(term), limit=None
    ):
        if score >= term_cutoff(choice):
            found.add(choice)
    return found


def find_areas(
    topic: list[str], areas: tuple[AreaName, ...], area_terms: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """Areas named by their title; returns (area refs, the topic terms left over)."""
    if not topic:
        return [], topic
    expansions = {term: expand(term, area_terms) for term in topic}
    everything = set().union(*expansions.values())
    # The question is (a fair part of) an area's title: "return home interviews", "front door".
    best: list[AreaName] = []
    best_cover = 0.0
    for area in areas:
        if not area.terms or (len(topic) == 1 and len(area.terms) != 1):
            continue
        if all(expansions[term].intersection(area.terms) for term in topic):
            cover = len(topic) / len(area.terms)
            if cover > best_cover:
                best, best_cover = [area], cover
            elif cover == best_cover:
                best.append(area)
    if best:
        return [a.ref for a in best], []
    # A short area title inside a longer question: "front door timeliness".
    best_size = 0
    for area in areas:
        if not area.terms or len(area.terms) > 3 or len(topic) <= len(area.terms):
            continue
        if everything.issuperset(area.terms) and len(area.terms) >= best_size:
            if len(area.terms) > best_size:
                best, best_size = [], len(area.terms)
            best.append(area)
    if not best:
        return [], topic
    named = {t for area in best for t in area.terms}
    rest = [t for t in topic if not expansions[t] & named]
    return [a.ref for a in best], rest


# --------------------------------------------------------------------------- the whole question


def _content_words(words: list[str], used: set[int], vocab: Vocabulary) -> list[tuple[str, str]]:
    """The words no role took, abbreviations spelled out, fillers left out: (as typed, stemmed)."""
    remaining = [
        expanded
        for i, w in enumerate(words)
        if i not in used
        for expanded in (
            ABBREVIATIONS[w].split() if w in ABBREVIATIONS and stem(w) not in vocab.known else [w]
        )
    ]
    return [
        (word, stem(word))
        for word in remaining
        if word not in STOPWORDS and word not in PLAN_FILLER and len(word) > 1
    ]


def _find_plan(
    content: list[tuple[str, str]], vocab: Vocabulary
) -> tuple[str | None, list[tuple[str, str]]]:
    """The plan named, when every distinctive word of its title is there ("the Ofsted plan"),
    and the content words without those."""
    stems = {stemmed for _, stemmed in content}
    for key, names in vocab.plans:
        if names and stems.issuperset(names):
            return key, [(w, s) for w, s in content if s not in names]
    return None, content


def understand(text: str, vocab: Vocabulary, today: date) -> Question:
    """Read a free-text question. Never raises: anything unreadable is simply left out."""
    cleaned, truncated, ignored = clean(text)
    folded = fold(cleaned)
    references, rest = find_references(folded, vocab)
    changes, rest = find_changes(rest)
    mine, rest = find_mine(rest)
    status, rag, rest = find_status(rest)
    past = changes or _PAST.search(folded) is not None
    bad_dates, rest = find_bad_dates(rest, today)
    window, rest = find_window(rest, today, past=past)
    words = _WORD.findall(rest)
    owners, owner_phrases, used = find_roles(words, cleaned, vocab.roles)
    plan, content = _find_plan(_content_words(words, used, vocab), vocab)
    topic = [stemmed for _, stemmed in content]
    areas, left = find_areas(topic, vocab.areas, vocab.area_terms)
    area_phrases = [w for w, s in content if s not in left] if areas else []
    topic_words = tuple(w for w, s in content if s in left)
    status_assumed = False
    if status is None and not changes and not any(ref.count(".") for ref in references):
        status, status_assumed = "open", True
    return Question(
        text=cleaned,
        references=tuple(references),
        areas=tuple(a for a in areas if a not in references),
        area_phrases=tuple(area_phrases),
        owners=tuple(owners),
        owner_phrases=tuple(owner_phrases),
        topic=tuple(left),
        topic_words=topic_words,
        status=status,
        status_assumed=status_assumed,
        rag=rag,
        window=window,
        plan=plan,
        truncated=truncated,
        ignored=ignored,
        changes=changes,
        mine=mine,
        past=past,
        bad_dates=bad_dates,
    )
