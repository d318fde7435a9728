"""Understanding a free-text question about the plan: references, areas, owners, topic, filters.

`understand` reads "what's overdue for Head of MSAH in March?" into a frozen `Question`: the
references typed (`OA4`, `oa 4`, `Ofsted action 4`, `priority 7`, `p7.5.3`), areas named by their
title ("care leavers"), owner roles by name or alias (typos forgiven), a status filter, a date
window read against the bot's clock, a plan, and the words left over as the topic. What the store
knows (plan prefixes, area titles, roles and aliases) comes in as a `Vocabulary`, so the same
code reads any council's plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from commands.questions.date_windows import find_bad_dates, find_window
from commands.questions.filters import find_changes, find_mine, find_presence, find_status
from commands.questions.question import AreaName, Question, RoleName, Vocabulary
from commands.questions.words import (
    ABBREVIATIONS,
    EVERYDAY_WORDS,
    PLAN_FILLER,
    STOPWORDS,
    WORD_PATTERN,
    clean,
    fold,
    looks_foreign,
    spelled_out,
    stem,
    term_cutoff,
    tokens,
)

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


def _reference_spans(text: str, vocab: Vocabulary) -> tuple[list[tuple[int, int, str]], str]:
    """Each reference typed, canonical ("OA4.2"), with where it was, in order; and the text with
    them blanked out."""
    key = (vocab.prefixes, vocab.ofsted_prefix, vocab.priority_prefix)
    patterns = _PATTERN_CACHE.get(key)
    if patterns is None:
        patterns = _reference_patterns(vocab)
        if len(_PATTERN_CACHE) > 32:
            _PATTERN_CACHE.clear()
        _PATTERN_CACHE[key] = patterns
    found: list[tuple[int, int, str]] = []
    for pattern, prefix in patterns:

        def take(match: re.Match[str], prefix: str | None = prefix) -> str:
            if prefix is None:
                head, digits = match.group(1).upper(), match.group(2)
            else:
                head, digits = prefix, next(g for g in match.groups() if g)
            canonical = head + re.sub(r"\s+", "", digits)
            found.append((match.start(), match.end(), canonical))
            return " " * len(match.group(0))

        text = pattern.sub(take, text)
    return sorted(found), text


def find_references(text: str, vocab: Vocabulary) -> tuple[list[str], str]:
    """The references in `text`, canonical ("OA4.2"), and the text with them blanked out."""
    spans, text = _reference_spans(text, vocab)
    return list(dict.fromkeys(ref for _, _, ref in spans)), text


# Before a reference, words that leave it out: "overdue except P7", "anything not in P4 or P5",
# "everything apart from OA4". A "not" after "is", "are"… asks a question ("isn't P7.5 done?").
_NOT_BEFORE_REF = re.compile(
    r"(?:(?<!is )(?<!are )(?<!was )(?<!has )(?<!does )(?<!do )\bnot|\bexcept|\bexcluding"
    r"|\bapart\s+from|\bother\s+than|\boutside(?:\s+of)?|\bbesides|\bignoring|\bbar)"
    r"\s+(?:(?:in|under|for|the|of|from|anything|everything|stuff)\s+)*$"
)
_REF_LIST = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b|\bnor\b)?\s*")


def find_references_read(text: str, vocab: Vocabulary) -> tuple[list[str], list[str], str]:
    """(references named, references left out, the text with both blanked out)."""
    spans, blanked = _reference_spans(text, vocab)
    named: list[str] = []
    left_out: list[str] = []
    negated, last_end = False, -1
    for start, end, ref in spans:
        listed = last_end >= 0 and _REF_LIST.fullmatch(text[last_end:start]) is not None
        negated = bool(_NOT_BEFORE_REF.search(text[:start])) or (listed and negated)
        target = left_out if negated else named
        if ref not in target:
            target.append(ref)
        last_end = end
    return named, left_out, blanked


# "What was due in December?", "what's been overdue since 1 dec": a month or day with no year
# is the last one.
_PAST = re.compile(r"\b(?:was|were|been|did|had|since|got|completed|finished)\b")


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


@dataclass(frozen=True)
class RoleHit:
    role: str
    phrase: str  # as typed
    start: int  # its first word's position
    end: int  # just past its last word


def _starts_like(word: str, first: str) -> bool:
    """Whether a typed word may begin a role's name: the same word, or a slip of it ("haed",
    "directer"); words under four letters ("hed") must be exact."""
    return word == first or (len(word) >= 4 and fuzz.ratio(word, first) >= 75)


def _form_hit(form: _Form, window: str) -> bool:
    """Whether `window` (words as typed, starting like the form) names `form`, typos forgiven
    for long forms ("haed of mash", "head of corprate parenting", "director of safegaurding")."""
    if window == form.joined:
        return True
    if len(form.joined) < 8 or len(form.words) < 2:
        return False
    return fuzz.ratio(window, form.joined) >= (88 if len(form.joined) < 16 else 85)


def role_hits(words: list[str], original: str, roles: tuple[RoleName, ...]) -> list[RoleHit]:
    """Roles named in `words`, longest forms first, each with where it was typed."""
    hits: list[RoleHit] = []
    used: set[int] = set()
    starts: dict[str, list[int]] = {}  # a form's first word -> where a word like it was typed
    for form in _forms(roles):
        n = len(form.words)
        first = form.words[0]
        if first not in starts:
            starts[first] = [i for i, word in enumerate(words) if _starts_like(word, first)]
        for start in starts[first]:
            if start + n > len(words) or any(i in used for i in range(start, start + n)):
                continue
            window = " ".join(words[start : start + n])
            if not _form_hit(form, window):
                continue
            exact = form.exact_case
            if (
                exact
                and window == form.joined
                and not re.search(rf"\b{re.escape(exact)}\b", original)
            ):
                continue
            used.update(range(start, start + n))
            hits.append(RoleHit(form.role, window, start, start + n))
    return sorted(hits, key=lambda hit: hit.start)


def find_roles(
    words: list[str], original: str, roles: tuple[RoleName, ...]
) -> tuple[list[str], list[str], set[int]]:
    """Roles named in `words` (longest forms first, typos forgiven for long forms)."""
    hits = role_hits(words, original, roles)
    found = list(dict.fromkeys(hit.role for hit in hits))
    used = {i for hit in hits for i in range(hit.start, hit.end)}
    return found, [hit.phrase for hit in hits], used


# Words that, before a role, say its items are not wanted ("aren't led by", "except", "other
# than", "not for"), and the words that may stand between them and the role.
NOT_BEFORE_ROLE = frozenset({"not", "except", "excluding", "besides", "exclude", "minus", "bar"})
NOT_PHRASES = (("other", "than"), ("apart", "from"), ("outside", "of"), ("aside", "from"))
ROLE_LINKS = frozenset(
    {"led", "owned", "held", "run", "by", "the", "for", "to", "assigned", "with", "under",
     "belonging", "from", "of", "our", "any", "lead", "leads", "own", "owns", "anything",
     "ones", "items", "actions", "steps", "those", "that", "are", "is", "being"}
)  # fmt: skip
# After a role: "Head of MASH doesn't own", "MASH isn't leading".
NOT_AFTER_ROLE = re.compile(
    r"^(?:\s+(?:do|does|did|is|are|was|were))?\s+not\s+(?:own|lead|hold|run|leading|owning"
    r"|responsible)"
)


def _negated(hit: RoleHit, words: list[str]) -> bool:
    """Whether the words around a role say its items are not wanted."""
    position = hit.start - 1
    while position >= 0 and words[position] in ROLE_LINKS:
        position -= 1
    if position >= 0 and words[position] in NOT_BEFORE_ROLE:
        return True
    if position >= 1 and (words[position - 1], words[position]) in NOT_PHRASES:
        return True
    return NOT_AFTER_ROLE.match(" " + " ".join(words[hit.end : hit.end + 5])) is not None


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


@dataclass(frozen=True)
class _Owners:
    owners: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    not_owners: tuple[str, ...] = ()
    used: frozenset[int] = frozenset()
    heads_of_service: bool = False


def _read_owners(words: list[str], original: str, vocab: Vocabulary) -> _Owners:
    """The roles named, those named to be left out ("aren't led by Head of MASH"), and
    "HoS" or "heads of service" (without "all", which is the plans' own "All HoS") read as
    every Head of Service."""
    owners: list[str] = []
    not_owners: list[str] = []
    heads = False
    hits = role_hits(words, original, vocab.roles)
    negated = False
    for number, hit in enumerate(hits):
        named = [hit.role]
        if hit.role in vocab.group_roles and "all" not in hit.phrase.split():
            named = [hit.role, *vocab.heads_of_service]
            heads = True
        # "not owned by the DoS or DCS": a role listed after a negated one is negated too.
        listed = number and _listed_after(words, hits[number - 1].end, hit.start)
        negated = _negated(hit, words) or bool(listed and negated)
        target = not_owners if negated else owners
        target.extend(r for r in named if r not in target)
    return _Owners(
        tuple(owners),
        tuple(hit.phrase for hit in hits),
        tuple(not_owners),
        frozenset(i for hit in hits for i in range(hit.start, hit.end)),
        heads,
    )


def _listed_after(words: list[str], end: int, start: int) -> bool:
    """Whether only list words ("or", "and", "the") stand between two roles."""
    return all(word in ("or", "and", "nor", "the", "a") for word in words[end:start])


_NOT_BEFORE_WINDOW = re.compile(r"\b(?:not|never)\s+(?:(?:be|been|yet|due|all|any)\s+)*$")


def _window_negated(before: str, after: str) -> bool:
    """Whether the words just before the window read ("not due in March") negate it."""
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b), None)
    return start is not None and _NOT_BEFORE_WINDOW.search(before[:start]) is not None


def understand(text: str, vocab: Vocabulary, today: date) -> Question:
    """Read a free-text question. Never raises: anything unreadable is simply left out."""
    cleaned, truncated, ignored = clean(text)
    folded = spelled_out(fold(cleaned))
    references, not_references, rest = find_references_read(folded, vocab)
    changes, rest = find_changes(rest)
    mine, rest = find_mine(rest)
    has_owner, has_due, rest = find_presence(rest)
    filters, rest = find_status(rest)
    past = changes or _PAST.search(folded) is not None
    bad_dates, rest = find_bad_dates(rest, today)
    # "Overdue by the end of Jan" in February: last January, the nearer one.
    window, after = find_window(rest, today, past=past, nearest=filters.status == "overdue")
    negated_window = window is not None and _window_negated(rest, after)
    words = WORD_PATTERN.findall(after)
    owners = _read_owners(words, cleaned, vocab)
    plan, content = _find_plan(_content_words(words, set(owners.used), vocab), vocab)
    topic = [stemmed for _, stemmed in content]
    areas, left = find_areas(topic, vocab.areas, vocab.area_terms)
    area_phrases = [w for w, s in content if s not in left] if areas else []
    status, status_assumed = filters.status, False
    asks_done = filters.rag == "blue"  # blue is done: "open" is not assumed
    if status is None and not (changes or asks_done) and not any("." in r for r in references):
        status, status_assumed = "open", True
    return Question(
        text=cleaned,
        references=tuple(references),
        areas=tuple(a for a in areas if a not in references),
        area_phrases=tuple(area_phrases),
        owners=owners.owners,
        owner_phrases=owners.phrases,
        topic=tuple(left),
        topic_words=tuple(w for w, s in content if s in left),
        status=status,
        status_assumed=status_assumed,
        rag=filters.rag,
        window=window,
        plan=plan,
        truncated=truncated,
        ignored=ignored,
        changes=changes,
        mine=mine,
        past=past,
        bad_dates=bad_dates,
        not_owners=owners.not_owners,
        not_references=tuple(not_references),
        not_status=filters.not_status,
        not_rags=filters.not_rags,
        more_rags=filters.more_rags,
        window_negated=negated_window,
        has_owner=has_owner,
        has_due=has_due,
        heads_of_service=owners.heads_of_service,
        foreign=looks_foreign(cleaned),
        typed_words=len((text or "").split()),
    )
