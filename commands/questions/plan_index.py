"""The index a question is searched in: every area, action and step of the whole plan, with
their words, owners, references and due dates, built from one `store.queries.whole_plan` read."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from commands.brag import BragThresholds, Colour, colour_of_row
from commands.questions.question import AreaName, RoleName, Vocabulary
from commands.questions.words import STOPWORDS, stem, term_cutoff, terms, tokens
from store.queries.plan_changes import (
    StateChanges,
)
from store.queries.whole_plan import (
    ItemState,
    LatestNotes,
    MeasureTexts,
    PlanRow,
    StepRow,
    WholePlan,
)

CLOSED = ("done", "dropped")
SWAPPED = 85.0  # how alike a word is to one it matches with two letters swapped
DEFAULT_THRESHOLDS = BragThresholds()


def colour_now(state: ItemState, today: date, thresholds: BragThresholds) -> Colour:
    """The computed colour of an action or step as the index holds it, on `today`."""
    return colour_of_row(state, today, thresholds)


@dataclass(frozen=True)
class Entry:
    """One area, action or step as the index holds it."""

    index: int
    kind: str  # area | action | step
    ref: str
    title: str
    plan_key: str
    plan_title: str
    area_ref: str
    parent: int | None  # a step's action
    state: ItemState | None  # None for areas
    owners: tuple[str, ...]
    oa_refs: tuple[str, ...]
    note: str | None
    order: int  # document order across the store
    item_id: int = 0  # the row's id in its table

    @property
    def is_open(self) -> bool:
        return self.state is not None and self.state.status not in CLOSED


@dataclass
class PlanIndex:
    entries: list[Entry]
    by_ref: dict[str, int]
    area_actions: dict[str, list[int]]
    followups: dict[str, list[int]]  # OA4 -> Ambition Plan actions marked (OA4)
    steps_of: dict[int, list[int]]
    owned_by: dict[str, list[int]]
    postings: dict[str, set[int]]
    vocabulary: Vocabulary
    terms: list[str]  # every indexed term, sorted
    refs: list[str]
    area_titles: dict[str, str]
    last_update_id: int | None = None
    actions: list[int] = field(default_factory=list)  # every action, in document order
    due_dates: list[date] = field(default_factory=list)  # sorted; due_positions in step
    due_positions: list[int] = field(default_factory=list)
    expansions: dict[str, dict[str, float]] = field(default_factory=dict)
    # Words as written (not stemmed) -> their term: a typo can sit nearer the word than its stem
    # ("mising" is 92 from "missing" but 80 from its stem "miss").
    stem_of: dict[str, str] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # stem_of's keys
    by_item: dict[tuple[str, int], int] = field(default_factory=dict)
    # The plans' words on success: an action's measures, an area's expected outcomes (entry ->
    # texts), and their terms (term -> (entry, which text)) for questions about them.
    measures: dict[int, tuple[str, ...]] = field(default_factory=dict)
    measure_postings: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def with_due_dates(self) -> PlanIndex:
        """(Re)build the due-date order used by date and overdue filters."""
        dated = sorted(
            (e.state.due_date, e.index) for e in self.entries if e.state and e.state.due_date
        )
        self.due_dates = [due for due, _ in dated]
        self.due_positions = [position for _, position in dated]
        return self

    def apply(self, changes: StateChanges) -> None:
        """Move updated actions and steps to their new state and latest note, in place."""
        for kind, states, notes in (
            ("action", changes.actions, changes.action_notes),
            ("step", changes.steps, changes.step_notes),
        ):
            for item_id, state in states.items():
                position = self.by_item.get((kind, item_id))
                if position is not None:
                    entry = self.entries[position]
                    self.entries[position] = replace(entry, state=state, note=notes.get(item_id))
        self.last_update_id = changes.last_update_id
        self.with_due_dates()  # an update may have moved a due date

    def expand(self, term: str) -> dict[str, float]:
        """Indexed terms that count as `term`, with their similarity (cached per term)."""
        known = self.expansions.get(term)
        if known is not None:
            return known
        found: dict[str, float] = {term: 100.0} if term in self.postings else {}
        if len(term) > 3 and not term.isdigit():
            for choice, score, _ in process.extract(
                term, self.terms, scorer=fuzz.ratio, score_cutoff=term_cutoff(term), limit=None
            ):
                if score >= term_cutoff(choice):
                    found[choice] = max(found.get(choice, 0.0), score)
            if len(term) >= 5:  # a word typed short: "supervis" for "supervision"
                start = bisect.bisect_left(self.terms, term)
                for choice in self.terms[start : start + 50]:
                    if not choice.startswith(term):
                        break
                    found.setdefault(choice, 90.0)
            if not found:
                for word, score, _ in process.extract(
                    term, self.words, scorer=fuzz.ratio, score_cutoff=term_cutoff(term), limit=5
                ):
                    stemmed = self.stem_of[word]
                    found[stemmed] = max(found.get(stemmed, 0.0), score)
            if not found and len(term) >= 5:  # two letters swapped: "saftey", "fostreing"
                letters = sorted(term)
                for choice, _, _ in process.extract(
                    term, self.words, scorer=OSA.distance, score_cutoff=1, limit=5
                ):
                    if sorted(choice) == letters:
                        found.setdefault(self.stem_of[choice], SWAPPED)
        if len(self.expansions) > 5000:
            self.expansions.clear()
        self.expansions[term] = found
        return found


def _plan_words(title: str) -> tuple[str, ...]:
    return tuple(t for t in terms(title) if t not in ("plan", "action", "improvement"))


def _vocabulary(
    snapshot: WholePlan, plans: dict[int, PlanRow], postings: dict[str, set[int]]
) -> Vocabulary:
    """The words a question is read with: prefixes, plan, area and role names, known terms."""
    prefixes = tuple(sorted({p.prefix for p in snapshot.plans}, key=len, reverse=True))
    ofsted = next((p.prefix for p in snapshot.plans if "ofsted" in p.title.lower()), None)
    ambition = next((p.prefix for p in snapshot.plans if p.prefix.upper() == "P"), None)
    area_names = tuple(
        AreaName(a.ref, plans[a.plan_id].key, tuple(dict.fromkeys(terms(a.title))))
        for a in snapshot.areas
    )
    return Vocabulary(
        prefixes=prefixes or ("OA", "P"),
        ofsted_prefix=ofsted,
        priority_prefix=ambition,
        plans=tuple((p.key, _plan_words(p.title)) for p in snapshot.plans),
        areas=area_names,
        roles=tuple(RoleName(r.name, (r.name, *r.aliases)) for r in snapshot.roles),
        area_terms=tuple(sorted({t for a in area_names for t in a.terms})),
        known=frozenset(postings),
        heads_of_service=tuple(r.name for r in snapshot.roles if r.head_of_service),
        group_roles=tuple(r.name for r in snapshot.roles if r.group),
        name_words=frozenset(
            {w for r in snapshot.roles for form in (r.name, *r.aliases) for w in tokens(form)}
            | {t for a in area_names for t in a.terms}
        ),
    )


def _measure_postings(
    measures: dict[int, tuple[str, ...]],
) -> dict[str, set[tuple[int, int]]]:
    postings: dict[str, set[tuple[int, int]]] = {}
    for entry, texts in measures.items():
        for position, text in enumerate(texts):
            for term in terms(text):
                postings.setdefault(term, set()).add((entry, position))
    return postings


def build_index(
    snapshot: WholePlan, notes: LatestNotes, measures: MeasureTexts | None = None
) -> PlanIndex:
    """Everything a question can be matched against, from one read of the store (with the
    success measures and expected outcomes when `measures` is given)."""
    # Long but straight: one pass over the snapshot fills every lookup the search uses; split,
    # each part would walk the 40,000 entries of a large store again.
    plans = {p.id: p for p in snapshot.plans}
    areas = {a.id: a for a in snapshot.areas}
    roles = {r.id: r for r in snapshot.roles}
    entries: list[Entry] = []
    by_ref: dict[str, int] = {}
    area_actions: dict[str, list[int]] = {}
    followups: dict[str, list[int]] = {}
    steps_of: dict[int, list[int]] = {}
    owned_by: dict[str, list[int]] = {}
    postings: dict[str, set[int]] = {}
    stem_of: dict[str, str] = {}
    said: dict[int, tuple[str, ...]] = {}  # entry -> its measures or expected outcomes
    measures = measures or MeasureTexts({}, {})

    def post(text: str, index: int) -> None:
        for word in set(tokens(text)):  # as `terms`, keeping each word beside its stem
            if word in STOPWORDS or len(word) <= 1:
                continue
            term = stem(word)
            postings.setdefault(term, set()).add(index)
            if len(word) > 3:
                stem_of.setdefault(word, term)

    def add(
        kind: str,
        ref: str,
        title: str,
        plan: PlanRow,
        area_ref: str,
        item_id: int,
        *,
        parent: int | None = None,
        state: ItemState | None = None,
        owners: tuple[str, ...] = (),
        oa_refs: tuple[str, ...] = (),
        note: str | None = None,
    ) -> int:
        """Append one entry in document order; its position is its index and its order."""
        index = len(entries)
        entries.append(
            Entry(
                index, kind, ref, title, plan.key, plan.title, area_ref, parent, state, owners,
                oa_refs, note, index, item_id,
            )
        )  # fmt: skip
        by_ref.setdefault(ref.upper(), index)
        return index

    for area in snapshot.areas:
        lead = (area.strategic_lead,) if area.strategic_lead else ()
        at = add("area", area.ref, area.title, plans[area.plan_id], area.ref, area.id, owners=lead)
        if area.id in measures.areas:
            said[at] = measures.areas[area.id]
        area_actions[area.ref.upper()] = []
    steps_by_action: dict[int, list[StepRow]] = {}
    for step in snapshot.steps:
        steps_by_action.setdefault(step.action_id, []).append(step)
    for action in snapshot.actions:
        plan, area = plans[action.plan_id], areas[action.area_id]
        owners = tuple(roles[r].name for r in snapshot.owners.get(action.id, ()) if r in roles)
        index = add(
            "action", action.ref, action.title, plan, area.ref, action.id, state=action.state,
            owners=owners, oa_refs=action.oa_refs, note=notes.actions.get(action.id),
        )  # fmt: skip
        area_actions.setdefault(area.ref.upper(), []).append(index)
        if action.id in measures.actions:
            said[index] = measures.actions[action.id]
        for oa in action.oa_refs:
            if oa.upper() != area.ref.upper():
                followups.setdefault(oa.upper(), []).append(index)
        for owner in owners:
            owned_by.setdefault(owner, []).append(index)
        post(action.title + " " + action.text, index)
        children = steps_of.setdefault(index, [])
        for step in steps_by_action.get(action.id, ()):
            step_index = add(
                "step", step.ref, step.text, plan, area.ref, step.id, parent=index,
                state=step.state, owners=owners, oa_refs=action.oa_refs,
                note=notes.steps.get(step.id),
            )  # fmt: skip
            children.append(step_index)
            post(step.text, step_index)

    vocabulary = _vocabulary(snapshot, plans, postings)
    return PlanIndex(
        entries=entries,
        by_ref=by_ref,
        area_actions=area_actions,
        followups=followups,
        steps_of=steps_of,
        owned_by=owned_by,
        postings=postings,
        vocabulary=vocabulary,
        terms=sorted(postings),
        refs=[e.ref for e in entries],
        area_titles={a.ref.upper(): a.title for a in snapshot.areas},
        last_update_id=snapshot.last_update_id,
        by_item={(e.kind, e.item_id): e.index for e in entries if e.kind != "area"},
        actions=[e.index for e in entries if e.kind == "action"],
        stem_of={w: t for w, t in stem_of.items() if t in postings},
        words=sorted(w for w, t in stem_of.items() if t in postings),
        measures=said,
        measure_postings=_measure_postings(said),
    ).with_due_dates()
