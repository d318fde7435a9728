"""Executing a content query: plain code over the plan index, no words of the answer.

Each `select_*` returns the entries a `ContentQuery` selects (areas, actions, steps, in document
order) with, for each, what it matched beyond its title ("Success measure: …", "Follows up OA4").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from rapidfuzz import fuzz, process

from commands.brag import BragThresholds
from commands.questions.content_query import ContentQuery
from commands.questions.plan_index import PlanIndex
from commands.questions.question import Question
from commands.questions.search import filters_of, search
from commands.questions.words import term_cutoff, terms


@dataclass(frozen=True)
class Selected:
    entries: tuple[int, ...]
    found_in: dict[int, tuple[str, ...]] = field(default_factory=dict)
    considered: tuple[int, ...] = ()  # what the scope held before the filters (for "None — …")


def _action_of(index: PlanIndex, position: int) -> int:
    entry = index.entries[position]
    return entry.parent if entry.kind == "step" and entry.parent is not None else position


def in_scope(index: PlanIndex, question: Question, position: int) -> bool:
    """Whether an area, action or step lies inside what the question names (references, areas
    by title, plan, owners); filters are not applied here."""
    entry = index.entries[position]
    if question.plan and entry.plan_key != question.plan:
        return False
    if question.owners and not set(question.owners) & set(entry.owners):
        return False
    named = {r.upper() for r in (*question.references, *question.areas)}
    if not named:
        return True
    action = index.entries[_action_of(index, position)]
    refs = {entry.ref.upper(), action.ref.upper(), entry.area_ref.upper()}
    if entry.kind == "step":
        refs.add(entry.ref.rsplit(".", 1)[0].upper())
    return bool(named & refs)


# --------------------------------------------------------------------------- measures


def _measure_terms(index: PlanIndex, term: str) -> set[str]:
    """The measure and outcome terms that count as `term` (itself, a plural, a typo)."""
    pool = index.measure_postings
    found = {term} if term in pool else set()
    if len(term) > 3 and not term.isdigit():
        for choice, score, _ in process.extract(
            term, list(pool), scorer=fuzz.ratio, score_cutoff=term_cutoff(term), limit=None
        ):
            if score >= term_cutoff(choice):
                found.add(choice)
    return found


def _title_holds(index: PlanIndex, position: int, term: str) -> bool:
    entry = index.entries[position]
    if entry.kind == "area":
        return any(fuzz.ratio(term, t) >= term_cutoff(term) for t in terms(entry.title))
    return any(position in index.postings.get(choice, ()) for choice in index.expand(term))


def known_topic(index: PlanIndex, query: ContentQuery) -> ContentQuery:
    """A measures query less topic words found in no measure, outcome or title ("wich"), so long
    as one is left."""
    pairs = [
        (term, word)
        for term, word in zip(query.topic, query.topic_words, strict=False)
        if _measure_terms(index, term) or index.expand(term)
    ]
    if not pairs or len(pairs) == len(query.topic):
        return query
    return replace(query, topic=tuple(t for t, _ in pairs), topic_words=tuple(w for _, w in pairs))


def select_measures(
    index: PlanIndex, query: ContentQuery, today: date, thresholds: BragThresholds
) -> Selected:
    """Areas and actions whose expected outcomes or success measures hold the topic (a word may
    be in the title instead, so long as one is in the measures); every one named when there is
    no topic ("the success measures of P4.2"). Of those, the ones holding the most topic words."""
    question = query.question
    passes = filters_of(question, today, thresholds)
    per_term: list[dict[int, set[int]]] = []  # for each topic term: entry -> lines holding it
    topic = query.topic
    wanted = len(topic) if len(topic) < 3 else len(topic) - 1
    for term in topic:
        lines: dict[int, set[int]] = {}
        for choice in _measure_terms(index, term):
            for at, line in index.measure_postings.get(choice, ()):
                lines.setdefault(at, set()).add(line)
        per_term.append(lines)
    candidates = set().union(*per_term) if query.topic else set(index.measures)
    found: dict[int, tuple[str, ...]] = {}
    held_by: dict[int, int] = {}
    considered: list[int] = []
    for position in sorted(candidates):
        entry, texts = index.entries[position], index.measures[position]
        if not in_scope(index, question, position):
            continue
        if entry.kind == "action" and question.filtered and not passes(entry):
            continue
        if entry.kind == "area" and query.level in ("actions", "steps"):
            continue
        considered.append(position)
        if not query.topic:
            found[position] = texts
            continue
        in_measures = [lines.get(position, set()) for lines in per_term]
        held = sum(
            1
            for term, where in zip(query.topic, in_measures, strict=True)
            if where or _title_holds(index, position, term)
        )
        hits = [sum(1 for where in in_measures if i in where) for i in range(len(texts))]
        if held >= wanted and max(hits, default=0):
            found[position] = tuple(t for t, n in zip(texts, hits, strict=True) if n == max(hits))
            held_by[position] = held
    best = max(held_by.values(), default=0)
    found = {p: lines for p, lines in found.items() if held_by.get(p, best) == best}
    chosen = sorted(found, key=lambda p: index.entries[p].order)
    if query.area_level and any(index.entries[p].kind == "area" for p in chosen):
        chosen = [p for p in chosen if index.entries[p].kind == "area"]
    return Selected(tuple(chosen), found, tuple(considered))


# --------------------------------------------------------------------------- links


def _cited(index: PlanIndex, position: int) -> tuple[str, ...]:
    """The Ofsted areas an action of another plan says it follows up."""
    entry = index.entries[position]
    return tuple(oa for oa in entry.oa_refs if oa.upper() != entry.area_ref.upper())


def _area_title(index: PlanIndex, ref: str) -> str:
    title = index.area_titles.get(ref.upper(), "")
    return f"{ref} ({title.rstrip('.')})" if title else ref


def select_links(
    index: PlanIndex, query: ContentQuery, today: date, thresholds: BragThresholds
) -> Selected:
    """What one plan picked up from another. Named Ofsted items: the actions elsewhere that follow
    up their area. A named action of another plan: the Ofsted areas it follows up; a named area
    of another plan: its actions that follow one up. Nothing named: the actions that follow up an
    area, or, asked about areas, the Ofsted areas followed up (negated: those that are not)."""
    question = query.question
    source = _source_plan(index)
    if question.plan == source:  # "Ofsted" names where the links lead, not what is asked about
        question = replace(question, plan=None)
    refs = [r.upper() for r in (*question.references, *question.areas) if r.upper() in index.by_ref]
    sources = [r for r in refs if index.entries[index.by_ref[r]].plan_key == source]
    if sources:  # "what follows up OA4", "is OA3 picked up anywhere"
        return _followers(index, query, sources, today, thresholds)
    named = [index.by_ref[r] for r in refs if index.entries[index.by_ref[r]].kind != "area"]
    if named:  # "which Ofsted action does P7.5 come from"
        found: dict[int, tuple[str, ...]] = {}
        for position in named:
            for oa in _cited(index, _action_of(index, position)):
                at = index.by_ref.get(oa.upper())
                if at is not None:
                    found[at] = (f"Followed up by {index.entries[position].ref}",)
        chosen = sorted(found, key=lambda p: index.entries[p].order)
        return Selected(tuple(chosen), found, tuple(named))
    if query.area_level and not refs:  # "which Ofsted areas have no follow-up"
        return _followed_areas(index, query, source)
    passes = filters_of(question, today, thresholds)
    found = {}
    considered = []
    for position in index.actions:
        entry = index.entries[position]
        if entry.plan_key == source or not in_scope(index, question, position):
            continue
        considered.append(position)
        cited = _cited(index, position)
        if bool(cited) == query.negated or (question.filtered and not passes(entry)):
            continue
        found[position] = (
            tuple(f"Follows up {_area_title(index, oa)}" for oa in cited)
            if cited
            else ("Follows up no Ofsted area",)
        )
    return Selected(tuple(found), found, tuple(considered))


def _followers(
    index: PlanIndex,
    query: ContentQuery,
    sources: list[str],
    today: date,
    thresholds: BragThresholds,
) -> Selected:
    passes = filters_of(query.question, today, thresholds)
    found: dict[int, tuple[str, ...]] = {}
    considered: list[int] = []
    for ref in sources:
        area = index.entries[index.by_ref[ref]].area_ref.upper()
        for position in index.followups.get(area, []):
            considered.append(position)
            if not query.question.filtered or passes(index.entries[position]):
                found[position] = (f"Follows up {_area_title(index, area)}",)
    chosen = sorted(found, key=lambda p: index.entries[p].order)
    return Selected(tuple(chosen), found, tuple(considered))


def _followed_areas(index: PlanIndex, query: ContentQuery, source: str | None) -> Selected:
    found: dict[int, tuple[str, ...]] = {}
    considered: list[int] = []
    for position, entry in enumerate(index.entries):
        if entry.kind != "area" or entry.plan_key != source:
            continue
        considered.append(position)
        by = [index.entries[p].ref for p in index.followups.get(entry.ref.upper(), [])]
        if bool(by) != query.negated:
            found[position] = (
                (f"Followed up by {', '.join(by)}",) if by else ("Nothing elsewhere follows it up",)
            )
    return Selected(tuple(found), found, tuple(considered))


def _source_plan(index: PlanIndex) -> str | None:
    """The plan whose areas the others follow up (York: the Ofsted Action Plan)."""
    prefix = index.vocabulary.ofsted_prefix
    return next((e.plan_key for e in index.entries if prefix and e.ref.startswith(prefix)), None)


# --------------------------------------------------------------------------- items and counts


def select_items(
    index: PlanIndex, query: ContentQuery, today: date, thresholds: BragThresholds
) -> Selected:
    """The actions and steps the ordinary reading selects, flattened to the level asked; a
    status only assumed ("open") filters a list but not a count."""
    question = query.question
    outcome = search(index, question, today, thresholds, None)
    passes = filters_of(question, today, thresholds)
    chosen: list[int] = []
    for hit in outcome.hits:
        entry = index.entries[hit.entry]
        if entry.kind == "area":
            continue
        only_for_steps = bool(
            question.topic and hit.steps and not _title_matches(index, hit.entry, question)
        )
        wanted = entry.kind == "action" and query.level != "steps" and not only_for_steps
        if wanted and (not question.filtered or passes(entry)):
            chosen.append(hit.entry)
        if query.level != "actions":
            chosen += [hit.entry] if entry.kind == "step" else list(hit.steps)
    unique = sorted(dict.fromkeys(chosen), key=lambda p: index.entries[p].order)
    if query.undated:  # "with no due date"
        unique = [p for p in unique if (s := index.entries[p].state) and s.due_date is None]
    return Selected(tuple(unique))


def _title_matches(index: PlanIndex, position: int, question: Question) -> bool:
    return all(_title_holds(index, position, term) for term in question.topic)


def select_without_steps(
    index: PlanIndex, query: ContentQuery, today: date, thresholds: BragThresholds
) -> Selected:
    """The actions in scope that have no steps (any status unless one was asked for)."""
    question = query.question
    passes = filters_of(question, today, thresholds)
    considered = [p for p in index.actions if in_scope(index, question, p)]
    chosen = [
        p
        for p in considered
        if not index.steps_of.get(p) and (not question.filtered or passes(index.entries[p]))
    ]
    return Selected(tuple(chosen), {}, tuple(considered))
