"""The words of a question: folding, stemming, and cleaning what Slack sends into plain text."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

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
    getting just percent percentage everything everyone deadline deadlines pls plz atm rn
    pick picked picks trace traces traced link links linked back"""
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
WORD_PATTERN = re.compile(r"[a-z0-9]+")


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
    return WORD_PATTERN.findall(fold(text))


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
