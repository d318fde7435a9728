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
    pick picked picks trace traces traced link links linked back led leading runs held holds
    assigned belonging belong chase chasing nudge nudging worry worried except excluding exclude
    besides apart minus rag brag rated rating colour color coloured colored flagged marked
    showing yet one pull fetch grab hiya heya yo tho though soz sorry quick"""
# Words that name the whole service, not a topic ("overdue for HoS in CSC", "York's plan").
SERVICE_WORDS = frozenset({"csc", "cyc", "york", "council", "dept", "directorate", "lol"})
STOPWORDS = frozenset(_STOPWORD_TEXT.split()) | SERVICE_WORDS
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
    "eh": "early help",
    "ehm": "early help",
    "fgc": "family group conference",
    "fgcs": "family group conferences",
    "sw": "social worker",
    "sws": "social workers",
    "cse": "exploitation",
    "cce": "exploitation",
    "cpp": "child protection",
    "qa": "quality assurance",
}
# Phone typing and chat shorthand, read as the words they stand for ("wats overdue b4 fri pls").
# A word mapped to "" is left out.
TYPED_AS = {
    **dict.fromkeys(
        ("wat", "wats", "wot", "wots", "whats", "wht", "waht", "whta", "whatre"), "what"
    ),
    **dict.fromkeys(("hows", "howz"), "how"),
    **dict.fromkeys(("whos", "hoo"), "who"),
    **dict.fromkeys(("wen", "whens"), "when"),
    **dict.fromkeys(("pls", "plz", "plse", "pleaseee", "thx", "thnx", "thanx", "ty", "ta"), ""),
    **dict.fromkeys(("cheers", "atm", "rn", "asap", "tbh", "fyi", "btw", "imo", "x", "xx"), ""),
    **dict.fromkeys(("b4", "bfr", "befor", "b4re"), "before"),
    **dict.fromkeys(("wiv", "wiv", "wth", "wif"), "with"),
    **dict.fromkeys(("u", "ya", "yu"), "you"),
    **dict.fromkeys(("ur", "yr"), "your"),
    "r": "are",
    **dict.fromkeys(("thats", "thts", "tht"), "that"),
    "n": "and",
    "abt": "about",
    "thru": "through",
    "ppl": "people",
    **dict.fromkeys(("2day", "tday"), "today"),
    **dict.fromkeys(("tmrw", "tmr", "tmw", "tomoz", "2moro", "2mrw"), "tomorrow"),
    **dict.fromkeys(("nxt", "nex"), "next"),
    **dict.fromkeys(("wk", "wks"), "week"),
    **dict.fromkeys(("mth", "mths", "mnth"), "month"),
    **dict.fromkeys(("qtr", "qtrs"), "quarter"),
    "eow": "end of this week",
    "eom": "end of this month",
    "eoq": "end of this quarter",
    **dict.fromkeys(("fy", "fyr"), "financial year"),
    "fye": "end of the financial year",
    **dict.fromkeys(("anythin", "anyting", "anythng", "anythink"), "anything"),
    **dict.fromkeys(("evrything", "everythin", "evthing", "everyting"), "everything"),
    **dict.fromkeys(("nothin", "nuthin", "nothng"), "nothing"),
    **dict.fromkeys(("gimme", "gimmie"), "give me"),
    "lemme": "let me",
    # Negations typed without their apostrophe, spelled out as "is not" so one rule reads them.
    **{
        short: long + " not"
        for short, long in (
            ("isnt", "is"),
            ("arent", "are"),
            ("aint", "is"),
            ("wasnt", "was"),
            ("werent", "were"),
            ("hasnt", "has"),
            ("havent", "have"),
            ("havnt", "have"),
            ("hvnt", "have"),
            ("hadnt", "had"),
            ("dont", "do"),
            ("doesnt", "does"),
            ("didnt", "did"),
            ("cant", "can"),
            ("wont", "will"),
            ("couldnt", "could"),
            ("shouldnt", "should"),
            ("wouldnt", "would"),
            ("aren", "are"),
            ("isn", "is"),
        )
    },
}
_TYPED = re.compile(r"(?<![\w'.])(" + "|".join(map(re.escape, TYPED_AS)) + r")(?![\w'])")
_NOT = re.compile(r"\b([a-z]+)n't\b")
_ASKING = re.compile(r"\b(?:send|get|give|bring|pull|dig|grab)\s+(?:out\s+|up\s+)?(?:me|us)\b")
_IRREGULAR_NOT = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


def spelled_out(folded: str) -> str:
    """Folded text with chat shorthand and contractions spelled out: "wats overdue b4 fri pls"
    is read as "what overdue before fri", "isn't" and "isnt" as "is not"."""
    folded = _NOT.sub(lambda m: _IRREGULAR_NOT.get(m.group(1), m.group(1)) + " not", folded)
    folded = re.sub(r"\bw/o\b", " without ", folded)
    folded = re.sub(r"\bw/(?=\s|[a-z])", " with ", folded)
    folded = _ASKING.sub("show me", folded)
    return _TYPED.sub(lambda m: TYPED_AS[m.group(1)], folded)


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
_EMOJI = re.compile(
    r":[a-z0-9_+\-']+:|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u20E3]"
)
_BARE_LINK = re.compile(r"(?:https?://|\bwww\.)\S+", re.IGNORECASE)
_QUOTE = re.compile(r"^\s*>.*$", re.MULTILINE)
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
    text, links = _SLACK_LINK.subn(lambda m: " " + (m.group(2) or "") + " ", text)
    text, bare = _BARE_LINK.subn(" ", text)
    text = html.unescape(text)
    text, quotes = _QUOTE.subn(" ", text)  # a quote is someone else's words
    for emoji, word in _COLOUR_EMOJI.items():  # "anything 🔴 in P3?": the colour, as a word
        text = text.replace(emoji, f" {word} ")
    text, emoji_found = _EMOJI.subn(" ", text)  # any other emoji or :short_code: is tone
    # What is left looks like markup only by accident ("<@" typed, "&lt;!channel&gt;" unescaped):
    # without its "<" no echo of it can read as a mention.
    text = re.sub(r"<(?=[@!#])", " ", text)
    text = _CONTROL.sub(" ", text)
    text, marks = re.subn(r"[*_~`]+", " ", text)  # mrkdwn emphasis around words
    for count, what in (
        (quotes, "a quoted message"),
        (emoji_found, "emoji"),
        (links + bare, "links"),
        (marks, "formatting"),
    ):
        if count:
            ignored.append(what)
    return re.sub(r"\s+", " ", text).strip(), truncated, tuple(ignored)


# --------------------------------------------------------------------------- another language

# Common words of the languages most spoken in English councils after English, that English
# questions never use. Two or more of them, outnumbering the English words, mark a question
# written in another language; so does a question mostly in a script other than Latin.
_FOREIGN_TEXT = """
    que qué quels quelles quel quelle sont est les des une dans pour avec sur pas qui quoi
    cuáles cuales cuál están estan esta está las los del para por con una sin retraso retrasadas
    acciones todas todos hay tiene tienen welche welcher sind ist nicht und der die das mit für
    fur auf ein eine noch überfällig uberfallig maßnahmen massnahmen jakie jaki są sa nie dla
    czy jest które ktore działania dzialania quais estão estao não nao são sao com uma ações
    acoes quali sono della delle per non che azioni ritardo cosa sunt nu pentru cu și
    si acțiuni actiuni întârziere kya hai nahin kaun hain kab ki ke mein aur hola bonjour merci
    beaucoup gracias danke ciao salut obrigado dziękuję dziekuje grazie"""
FOREIGN_WORDS = frozenset(_FOREIGN_TEXT.split())
_LETTERS = re.compile(r"[^\W\d_]+")


def looks_foreign(text: str) -> bool:
    """Whether `text` (cleaned) reads as written in a language other than English."""
    words = _LETTERS.findall(text.casefold())
    if not words:
        return False
    latin = sum(1 for w in words if all(c.isascii() or unicodedata.name(c, "").startswith("LATIN")
                                         for c in w))  # fmt: skip
    if latin * 2 < len(words):
        return True
    foreign = sum(1 for w in words if w in FOREIGN_WORDS)
    english = sum(1 for w in words if w in STOPWORDS or w in TYPED_AS)
    return (foreign >= 2 and foreign > english) or (foreign >= 1 and foreign == len(words))
