"""The words a reply under a reminder is read with: statuses and colours as people put them,
the emoji that mean them, due-date cues, typos that are words, pleasantries and hedges.

The rules' order matters where the comments say so; commands.updates.replies reads with them.
"""

from __future__ import annotations

import re

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

# (pattern, status): negations and intentions first; the first to claim a span wins it.
STATUS_RULES: tuple[tuple[str, str], ...] = (
    # A condition is not a status: "blocked until the case is closed", "once it is signed off".
    (
        r"\b(?:until|till|til|once|when|after|before)\s+(?:[\w\[\]']+\s+){0,6}?"
        r"(?:is|are|has been|have been|gets|get|got)\s+(?:closed|done|completed?|finished|"
        r"signed off|agreed|approved|published|in place|started|delivered)\b",
        "",
    ),
    (r"(?<![\d.])0\s*(?:%|percent|per cent)", "not_started"),
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
        r"\b(?:nowt|nothing|naething|nuthin|naught|zilch)(?:'s|\s+has|\s+'s)?\s+(?:been\s+)?"
        r"(?:happened|done|started|moved|doing)\b|\bnot (?:been )?touched\b|"
        r"\bno (?:started|begun)\b",
        "not_started",
    ),
    (
        r"\b(?:no|nae|not) (?:done|finished|complete)(?: yet)?\b|\bnot yet,? but soon\b|"
        r"\b(?:soon|close|nearly),? but not (?:yet|quite)\b|"
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
        r"completed|finished|there|signed off|sorted)\b",
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
    (r"^(?:no,?\s+)?not yet\b", "in_progress"),  # the answer to "is it done?"
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


FILLER = frozenset(
    (
        "thanks",
        "thank",
        "you",
        "cheers",
        "ta",
        "thx",
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
