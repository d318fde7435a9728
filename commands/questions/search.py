"""Finding the plan items a question asks about: exact references first, then fuzzy words.

Searching takes the references, areas and owners a question names as its scope, narrows or widens
it with the topic words (matched word by word with rapidfuzz against the `PlanIndex` of
commands.questions.plan_index, so "supervison" and "fostring" still find their targets), applies
the status, colour, date and plan filters, and ranks overdue and soon-due items first.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rapidfuzz import fuzz, process

from commands.brag import BragThresholds
from commands.questions.plan_index import CLOSED, DEFAULT_THRESHOLDS, Entry, PlanIndex, colour_now
from commands.questions.question import DateWindow, Question
from commands.questions.words import fold, stem, terms, tokens


@dataclass(frozen=True)
class Hit:
    """One answer line: an area, an action with the steps to show under it, or a lone step."""

    entry: int
    steps: tuple[int, ...] = ()
    tier: int = 2
    score: float = 100.0


@dataclass(frozen=True)
class SearchOutcome:
    hits: tuple[Hit, ...]
    matched_before_filters: int  # actions/steps the question selected before status/date filters
    unknown_refs: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()  # references to offer when nothing matched
    question: Question | None = None  # the reading that found these (a second one, at times)
    reread: bool = False  # owner or area words were read as topic words instead
    ignored_words: tuple[str, ...] = ()  # typed words that match nothing, left out
    total: int = 0  # answer lines found; `hits` holds the first `limit` of them


@dataclass
class _Group:
    tier: int
    score: float
    explicit: bool = False  # named by reference: every step shown unless a status was asked
    steps: set[int] | None = None  # None: every step of the action
    via_steps: bool = False  # only some of its steps matched the topic
    rank: int = 0


def topic_matches(index: PlanIndex, topic: tuple[str, ...]) -> dict[int, float]:
    """Actions and steps holding every topic term (one may be missing when there are 3+)."""
    if not topic:
        return {}
    per_term: list[dict[int, float]] = []
    for term in topic:
        hits: dict[int, float] = {}
        for choice, score in index.expand(term).items():
            for entry in index.postings.get(choice, ()):
                if score > hits.get(entry, 0.0):
                    hits[entry] = score
        per_term.append(hits)
    needed = len(topic) if len(topic) < 3 else len(topic) - 1
    counts: dict[int, int] = {}
    for hits in per_term:
        for entry in hits:
            counts[entry] = counts.get(entry, 0) + 1
    best = max(counts.values(), default=0)
    if best < needed:
        return {}
    return {
        entry: sum(h.get(entry, 0.0) for h in per_term) / len(topic)
        for entry, count in counts.items()
        if count == best
    }


def filters_of(
    question: Question, today: date, thresholds: BragThresholds
) -> Callable[[Entry], bool]:
    """The status, colour and date filters, negated ones included, as one test of an action's or
    step's state."""
    positive = _positive_filters(question, today, thresholds)
    negative = _negated_filters(question, today, thresholds)
    if negative is None:
        return positive
    return lambda entry: positive(entry) and negative(entry)


def _positive_filters(
    question: Question, today: date, thresholds: BragThresholds
) -> Callable[[Entry], bool]:
    status, rag, window = question.status, question.rag, question.window
    colours = frozenset((rag, *question.more_rags)) if rag else frozenset()
    open_only = status in ("open", "overdue")
    started = status == "started"
    exact = status if status not in (None, "open", "overdue", "started") else None
    before = today if status == "overdue" else None  # overdue: due strictly before today
    if question.window_negated:
        window = None  # the window is then a filter against (`_negated_filters`)
    start = window.start if window else None
    end = window.end if window else None
    dated = window is not None or before is not None

    def passes(entry: Entry) -> bool:
        state = entry.state
        if state is None:
            return False
        if open_only and state.status in CLOSED:
            return False
        if exact is not None and state.status != exact:
            return False
        if started and state.status in ("not_started", "dropped"):
            return False
        if dated:
            due = state.due_date
            if due is None:
                return False
            if before is not None and due >= before:
                return False
            if (start is not None and due < start) or (end is not None and due > end):
                return False
        if rag is not None:
            return colour_now(state, today, thresholds).rag.value in colours
        return True

    return passes


def _negated_filters(
    question: Question, today: date, thresholds: BragThresholds
) -> Callable[[Entry], bool] | None:
    """What the items must not be ("not overdue", "not green", "not due in March", "no owner",
    "no due date"), as one test; None when the question negates nothing."""
    if not question.negated and not question.window_negated:
        return None
    leave_out = frozenset(question.not_owners)
    outside = frozenset(ref.upper() for ref in question.not_references)
    window = question.window if question.window_negated else None
    not_status, not_rags = question.not_status, frozenset(question.not_rags)
    has_owner, has_due = question.has_owner, question.has_due

    def passes(entry: Entry) -> bool:
        state = entry.state
        if state is None:
            return False
        due = state.due_date
        if leave_out and leave_out.intersection(entry.owners):
            return False
        if outside and _within(entry, outside):
            return False
        if has_owner is not None and bool(entry.owners) != has_owner:
            return False
        if has_due is not None and (due is not None) != has_due:
            return False
        if not_status == "overdue" and state.status not in CLOSED and due and due < today:
            return False
        if not_status is not None and not_status != "overdue" and state.status == not_status:
            return False
        if window is not None and due is not None and _inside(due, window):
            return False
        return not not_rags or colour_now(state, today, thresholds).rag.value not in not_rags

    return passes


def _within(entry: Entry, refs: frozenset[str]) -> bool:
    """Whether an item is, or sits under, one of `refs` (an area, its follow-ups, an action)."""
    ref = entry.ref.upper()
    if entry.area_ref.upper() in refs or any(oa.upper() in refs for oa in entry.oa_refs):
        return True
    return any(ref == r or ref.startswith(r + ".") for r in refs)


def _inside(day: date, window: DateWindow) -> bool:
    return (window.start is None or day >= window.start) and (
        window.end is None or day <= window.end
    )


def _urgency(entries: list[Entry], hit: Hit) -> tuple[int, date]:
    """Overdue and soon-due first: the earliest due date among the open items shown."""
    open_due: date | None = None
    any_due: date | None = None
    for position in (hit.entry, *hit.steps):
        state = entries[position].state
        if state is None or state.due_date is None:
            continue
        due = state.due_date
        if any_due is None or due < any_due:
            any_due = due
        if state.status not in CLOSED and (open_due is None or due < open_due):
            open_due = due
    if open_due is not None:
        return 0, open_due
    return (1, any_due) if any_due is not None else (2, date.max)


def _nearest_refs(index: PlanIndex, ref: str) -> list[str]:
    """Existing references like `ref`: its parent, then the nearest in spelling and number."""
    found: list[str] = []
    parent = ref.rsplit(".", 1)[0] if "." in ref else None
    if parent and parent.upper() in index.by_ref:
        found.append(index.entries[index.by_ref[parent.upper()]].ref)
    depth = ref.count(".")
    head = ref.split(".")[0].rstrip("0123456789")
    tail = ref.rsplit(".", 1)[-1].lstrip(head)
    number = int(tail) if tail.isdigit() else 0

    def distance(choice: str) -> tuple[float, int]:
        last = choice.rsplit(".", 1)[-1].lstrip(head)
        return -fuzz.ratio(ref, choice), abs((int(last) if last.isdigit() else 0) - number)

    same = [r for r in index.refs if r.count(".") == depth and r.upper().startswith(head.upper())]
    found += [r for r in sorted(same, key=distance)[:3] if r not in found]
    return found


def _suggest(index: PlanIndex, question: Question, unknown: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for ref in unknown:
        found += [r for r in _nearest_refs(index, ref) if r not in found]
    if question.topic:
        # Any single topic word, loosely: the items holding the most of them.
        scores: dict[int, float] = {}
        for term in question.topic:
            for choice, score in index.expand(term).items():
                for entry in index.postings.get(choice, ()):
                    scores[entry] = scores.get(entry, 0.0) + score
        for entry in sorted(scores, key=lambda e: (-scores[e], e))[:3]:
            ref = index.entries[entry].ref
            if ref not in found:
                found.append(ref)
        if not scores and question.topic_words:
            phrase = " ".join(question.topic_words)
            for _, _, entry in process.extract(
                phrase,
                {e.index: e.title for e in index.entries if e.kind != "step"},
                scorer=fuzz.partial_ratio,
                score_cutoff=75,
                limit=3,
            ):
                if index.entries[entry].ref not in found:
                    found.append(index.entries[entry].ref)
    return tuple(found[:3])


def _due_range(question: Question, today: date) -> tuple[date | None, date | None]:
    """The due dates a filter-only question can match, when it needs one at all."""
    window = None if question.window_negated else question.window
    if question.has_due is False:
        return None, None  # items with no due date are not in the due-date order
    start = window.start if window else None
    end = window.end if window else None
    if question.status == "overdue":
        yesterday = today - timedelta(days=1)
        end = yesterday if end is None else min(end, yesterday)
        start = start or date.min
    elif window is not None:
        start = start or date.min
    return start, end


def search(
    index: PlanIndex,
    question: Question,
    today: date,
    thresholds: BragThresholds = DEFAULT_THRESHOLDS,
    limit: int | None = None,
) -> SearchOutcome:
    """The items a question asks about, filtered and ranked (the first `limit` of them, when
    given; `total` counts them all); see the module docstring."""
    outcome = _search(index, question, today, thresholds, limit)
    if outcome.hits or outcome.unknown_refs:
        return outcome
    # A word that matches nothing anywhere beside something that does select ("OA4", an owner,
    # a date) is left out when it is filler or a slip ("pls", "hed", "plate"); a real topic the
    # plans lack ("autism") still answers "nothing matches".
    selects = question.scoped or question.filtered
    unknown = _unknown_words(index, question) if selects else ()
    if unknown and not all(_droppable(index, word) for word in unknown):
        unknown = ()
    if unknown:
        kept = tuple(w for w in question.topic_words if w not in unknown)
        again = replace(question, topic=tuple(stem(w) for w in kept), topic_words=kept)
        second = search(index, again, today, thresholds, limit)
        if second.hits:
            return replace(second, ignored_words=unknown + second.ignored_words)
    # Owner or area words may have been a topic after all: "corporate parenting board".
    if question.owners or question.areas:
        words = tuple(
            w
            for phrase in (*question.owner_phrases, *question.area_phrases)
            for w in tokens(phrase)
        )
        extra = tuple(w for w in words if terms(w))
        if extra:
            typed = fold(question.text)
            ordered = sorted(question.topic_words + extra, key=typed.find)
            again = replace(
                question,
                owners=(),
                owner_phrases=(),
                areas=(),
                area_phrases=(),
                topic=tuple(stem(w) for w in ordered),
                topic_words=tuple(ordered),
            )
            second = _search(index, again, today, thresholds, limit)
            if second.hits:
                return replace(second, reread=True)
    return outcome


# Words for where work sits, not what it is about ("what's on my plate").
FILLER = frozenset(
    {"pls", "plz", "please", "thx", "thanks", "ta", "cheers", "plate", "desk", "radar", "agenda"}
    | {"todo", "pile", "list", "lists", "bucket", "anything", "something", "stuff", "lot"}
)


def _droppable(index: PlanIndex, word: str) -> bool:
    """Filler, a word of three letters or fewer, or a slip for a word of a role or area name
    ("hed" for head)."""
    if len(word) <= 3 or word in FILLER:
        return True
    names = index.vocabulary.name_words
    return process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=75) is not None


def _unknown_words(index: PlanIndex, question: Question) -> tuple[str, ...]:
    """The topic words typed that match no title, step or note in the plans."""
    return tuple(w for w in question.topic_words if not topic_matches(index, (stem(w),)))


def _search(
    index: PlanIndex,
    question: Question,
    today: date,
    thresholds: BragThresholds,
    limit: int | None,
) -> SearchOutcome:
    """Select the items the question names, narrow them by owner, topic, plan and the filters,
    and rank what is left: references first, then the most urgent."""
    selection = _Selection(index, question)
    selection.by_reference()
    if selection.unknown and not selection.scoped:
        unknown = selection.unknown
        return SearchOutcome((), 0, tuple(unknown), _suggest(index, question, unknown), question)
    selection.by_owner()
    selection.by_topic()
    if not selection.scoped and not question.references:
        selection.whole_plan(today)
    if question.plan:
        selection.groups = {
            e: g for e, g in selection.groups.items() if index.entries[e].plan_key == question.plan
        }
    return selection.ranked(today, thresholds, limit)


class _Selection:
    """The actions (and steps) a question selects, each in a `_Group` saying how it was found."""

    def __init__(self, index: PlanIndex, question: Question) -> None:
        self.index, self.question = index, question
        self.groups: dict[int, _Group] = {}
        self.areas_shown: list[int] = []
        self.unknown: list[str] = []
        self.scoped = False  # something in the question chose items (not only filters)

    def add(self, entry_index: int, group: _Group) -> None:
        current = self.groups.get(entry_index)
        if current is None or group.tier < current.tier:
            self.groups[entry_index] = group
        elif group.explicit:
            current.explicit = True
            current.steps = None

    def _add_area(self, ref: str) -> None:
        for action in self.index.area_actions.get(ref.upper(), []):
            self.add(action, _Group(1, 100.0))
        for action in self.index.followups.get(ref.upper(), []):
            self.add(action, _Group(1, 100.0))

    def by_reference(self) -> None:
        """Items named by reference (an area brings its actions and those that follow it up)."""
        index = self.index
        for rank, ref in enumerate(self.question.references):
            found = index.by_ref.get(ref.upper())
            if found is None:
                self.unknown.append(ref)
                continue
            self.scoped = True
            if index.entries[found].kind == "area":
                self.areas_shown.append(found)
                self._add_area(ref)
            else:
                self.add(found, _Group(0, 100.0, explicit=True, rank=rank))
        for ref in self.question.areas:
            self.scoped = True
            self.areas_shown.append(index.by_ref[ref.upper()])
            self._add_area(ref)

    def _action_of(self, entry_index: int) -> int | None:
        entry = self.index.entries[entry_index]
        return entry.parent if entry.kind == "step" else entry_index

    def by_owner(self) -> None:
        """Only the owners' actions when something is selected; else all of them."""
        if not self.question.owners:
            return
        owned = {a for role in self.question.owners for a in self.index.owned_by.get(role, [])}
        if self.scoped:
            self.groups = {e: g for e, g in self.groups.items() if self._action_of(e) in owned}
            return
        self.scoped = True
        for action in sorted(owned):
            self.add(action, _Group(1, 100.0))

    def _topical(self) -> dict[int, _Group]:
        """Action -> group for the actions whose title, or some of whose steps, hold the topic."""
        by_action: dict[int, tuple[float, set[int], bool]] = {}
        for entry_index, score in topic_matches(self.index, self.question.topic).items():
            owner = self._action_of(entry_index)
            if owner is None:
                continue
            top, steps, named = by_action.get(owner, (0.0, set(), False))
            if self.index.entries[entry_index].kind == "step":
                steps.add(entry_index)
            else:
                named = True
            by_action[owner] = (max(top, score), steps, named)
        return {
            action: _Group(
                1 if score >= 95 else 2,
                score,
                steps=None if named else steps,
                via_steps=not named,
            )
            for action, (score, steps, named) in by_action.items()
        }

    def by_topic(self) -> None:
        """Narrow what is selected to the topic (items named by reference stay), or select it."""
        if not self.question.topic:
            return
        topical = self._topical()
        if not self.scoped:
            self.scoped = True
            self.groups = topical
            return
        narrowed: dict[int, _Group] = {}
        for e, g in self.groups.items():
            if g.explicit:
                narrowed[e] = g
                continue
            owner = self._action_of(e)
            if owner in topical:
                t = topical[owner]
                narrowed[e] = _Group(g.tier, t.score, steps=t.steps, via_steps=t.via_steps)
        self.groups = narrowed
        self.areas_shown = []

    def whole_plan(self, today: date) -> None:
        """Only filters ("what's overdue?", "what's due in March?"): the whole plan, or when the
        filter needs a due date, the actions with an item due in its range."""
        index = self.index
        everything = _Group(1, 100.0)  # shared: nothing below changes a whole-plan group
        start, end = _due_range(self.question, today)
        if start is None and end is None:
            self.groups = dict.fromkeys(index.actions, everything)
            return
        low = 0 if start is None else bisect.bisect_left(index.due_dates, start)
        high = len(index.due_dates) if end is None else bisect.bisect_right(index.due_dates, end)
        for position in index.due_positions[low:high]:
            parent = index.entries[position].parent
            self.groups[position if parent is None else parent] = everything

    def _hit(
        self,
        entry_index: int,
        group: _Group,
        passes: Callable[[Entry], bool],
        against: Callable[[Entry], bool] | None,
    ) -> Hit | None:
        """The item as shown (with the steps that pass the filters), or None when nothing does.
        An action shown must itself pass what the question asks against (`against`): "actions
        not overdue" leaves out P7.5 even when one of its steps is not overdue."""
        question, entries = self.question, self.index.entries
        entry = entries[entry_index]
        show_all = (
            question.status is None
            and question.window is None
            and question.rag is None
            and against is None
        )
        if entry.kind == "action" and against is not None and not against(entry):
            return None
        if entry.kind == "step":
            return (
                Hit(entry_index, (), group.tier, group.score) if show_all or passes(entry) else None
            )
        steps_of = self.index.steps_of.get(entry_index, [])
        if group.explicit and show_all:
            return Hit(entry_index, tuple(steps_of), group.tier, group.score)
        candidates = (
            steps_of if group.steps is None else sorted(group.steps, key=lambda s: entries[s].order)
        )
        shown = tuple([s for s in candidates if passes(entries[s])])
        keep = shown or (not group.via_steps and passes(entry))
        return Hit(entry_index, shown, group.tier, group.score) if keep else None

    def ranked(self, today: date, thresholds: BragThresholds, limit: int | None) -> SearchOutcome:
        question, entries = self.question, self.index.entries
        passes = filters_of(question, today, thresholds)
        against = _negated_filters(question, today, thresholds)
        ranked: list[tuple[tuple[object, ...], Hit]] = []
        for entry_index, group in self.groups.items():
            hit = self._hit(entry_index, group, passes, against)
            if hit is not None:
                key = (
                    hit.tier,
                    group.rank if hit.tier == 0 else 0,
                    *_urgency(entries, hit),
                    -hit.score,
                    entries[entry_index].order,
                )
                ranked.append((key, hit))
        if limit is not None and len(ranked) > limit:
            chosen = heapq.nsmallest(limit, ranked, key=lambda pair: pair[0])
        else:
            chosen = sorted(ranked, key=lambda pair: pair[0])
        show_areas = (
            question.status_assumed
            and not (question.owners or question.topic or question.window or question.rag)
            and not (question.plan or question.negated)
        )
        areas = dict.fromkeys(self.areas_shown) if show_areas else {}
        area_hits = [Hit(a, (), 0, 100.0) for a in areas]
        suggestions: tuple[str, ...] = ()
        if not ranked and not self.groups:
            suggestions = _suggest(self.index, question, self.unknown)
        return SearchOutcome(
            tuple(area_hits + [hit for _, hit in chosen]),
            len(self.groups),
            tuple(self.unknown),
            suggestions,
            question,
            total=len(area_hits) + len(ranked),
        )


def area_members(index: PlanIndex, area_entry: int) -> list[int]:
    """An area's own actions and the actions elsewhere that follow it up ((OA4))."""
    ref = index.entries[area_entry].ref.upper()
    return index.area_actions.get(ref, []) + index.followups.get(ref, [])
