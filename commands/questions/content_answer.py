"""Answering a content question (commands.questions.content_query) in words.

The first line states the reading and the number found ("Actions in the Ofsted Action Plan,
done: 32"); a count lists what it counted, one line each; a yes/no says yes or no about the one
item first; "None" is an answer, with what the scope does hold ("None — all 32 … are done").
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from commands.brag import BragThresholds
from commands.questions.answer import MAX_ITEMS, answer_item, read_question
from commands.questions.answer_result import AnswerItem, AnswerResult
from commands.questions.answer_words import STATUS_WORDS
from commands.questions.content_query import ContentQuery, measures_instead, read_content
from commands.questions.content_select import (
    Selected,
    known_topic,
    select_items,
    select_links,
    select_measures,
    select_without_steps,
)
from commands.questions.no_owner import asks_no_owner
from commands.questions.plan_index import CLOSED, DEFAULT_THRESHOLDS, PlanIndex
from commands.questions.question import Question
from commands.questions.search import filters_of, topic_matches
from commands.request import Request

SHOWN = 200  # items a content answer builds; a larger count lists the rest by reference only
LEVEL_NOUNS = {"actions": "actions", "steps": "steps", "both": "items", "areas": "areas"}


def answer_content(session: Session, request: Request, text: str) -> AnswerResult | None:
    """The answer to a content question, or None when `text` is an ordinary question."""
    today = request.clock.today()
    index, question = read_question(session, text, today)
    if question.mine or not text.strip():
        return None
    query = None if asks_no_owner(text) else read_content(text, question)
    if query is None:
        return None
    return _answer_query(index, query, request, today)


def answer_from_measures(session: Session, request: Request, text: str) -> AnswerResult | None:
    """ "Where are we on sickness absence?", which no title or step mentions: the areas and
    actions whose expected outcomes or success measures do (None when none does either)."""
    today = request.clock.today()
    index, question = read_question(session, text, today)
    if not question.topic or topic_matches(index, question.topic):
        return None
    query = measures_instead(question)
    return None if query is None else _answer_query(index, query, request, today)


def _answer_query(
    index: PlanIndex, query: ContentQuery, request: Request, today: date
) -> AnswerResult | None:
    question = query.question
    if query.about == "two_readings":
        return _two_readings(query, today)
    thresholds = request.policy.thresholds
    listing = query.about == "items" and query.returns == "items"
    if query.question.status_assumed and not listing:  # "open" is assumed for lists only
        query = replace(query, question=replace(query.question, status=None, status_assumed=False))
    if query.about == "measures":
        query = known_topic(index, query)
        selected = select_measures(index, query, today, thresholds)
    elif query.about == "links":
        selected = select_links(index, query, today, thresholds)
    elif query.about == "no_steps":
        selected = select_without_steps(index, query, today, thresholds)
    else:
        selected = select_items(index, query, today, thresholds)
    if not selected.entries and not query.certain:
        return None  # "the impact of the hybrid working review": an ordinary question after all
    unknown = tuple(r for r in question.references if r.upper() not in index.by_ref)
    if unknown and not selected.entries:
        return None  # the ordinary answer says which references it cannot find, and offers others
    shown = selected.entries[: max(SHOWN, request.first_item + MAX_ITEMS)]
    items = tuple(
        answer_item(index, p, today, thresholds, found_in=selected.found_in.get(p, ()))
        for p in shown
    )
    if query.returns == "yes_no" and query.about == "items":
        return _yes_no(index, query, items, today, thresholds)
    listed = _listed(index, query, selected, items, today)
    counted = tuple(index.entries[p].ref for p in selected.entries)
    return replace(listed, not_shown=len(selected.entries) - len(items), counted=counted)


def _two_readings(query: ContentQuery, today: date) -> AnswerResult:
    """ "What was the outcome of P7.5?": its expected outcome, or what became of it? Asked back."""
    ref = query.question.references[0]
    readings = (
        (f"What {ref} is meant to achieve", f"expected outcomes of {ref}"),
        (f"Where {ref} stands now", f"status of {ref}"),
    )
    return AnswerResult(
        question=query.question,
        understood=f"“Outcome of {ref}” can be read two ways",
        items=(),
        as_of=today,
        message=f"Do you mean what {ref} is meant to achieve (its success measures), or where "
        f"it stands now?",
        readings=readings,
        reading=query.as_json(),
    )


def _listed(
    index: PlanIndex,
    query: ContentQuery,
    selected: Selected,
    items: tuple[AnswerItem, ...],
    today: date,
) -> AnswerResult:
    count = len(selected.entries)
    both = query.about == "items" and query.level == "both"
    reading = f"{_reading(index, query)}: {_tally(selected, index, both=both)}"
    by_area = query.area_level if query.about == "measures" else query.by_priority
    if by_area and items:  # "which priorities …": the areas, through the actions found
        reading, count = _areas_through_actions(index, query, items) or (reading, count)
    message = _none(index, query, selected) if not items else None
    if query.returns == "count" and items:
        noun = "step" if query.level == "steps" else "item"
        message = f"{count} {noun if count == 1 else noun + 's'}, listed below."
    cited_by = [r for r in query.question.references if "." in r]  # "… does P7.5 come from"
    if query.about == "links" and cited_by and items and all(i.kind == "area" for i in items):
        areas = ", ".join(i.reference for i in items)
        message = f"The plan cites the area ({areas}), not one of its actions."
    verdict = None
    if query.returns == "yes_no":  # "is OA3 picked up anywhere"
        verdict = "yes" if items else "no"
        if re.search(r"\b(?:every|all|each)\b", query.question.text, re.I):  # "has every …"
            verdict = "yes" if count == len(selected.considered) else "no"
        said = "Yes" if verdict == "yes" else "No"
        named = reading.split()[0] in ("Ofsted", "Ambition", _source_title(index))
        reading = f"{said} — {reading if named else reading[0].lower() + reading[1:]}"
    return AnswerResult(
        question=replace(query.question, text=query.question.text),
        understood=reading,
        items=items,
        as_of=today,
        message=message,
        count=count,
        verdict=verdict,
        compact=query.returns == "count",
        reading=query.as_json(),
    )


def _areas_through_actions(
    index: PlanIndex, query: ContentQuery, items: tuple[AnswerItem, ...]
) -> tuple[str, int] | None:
    """ "Which priorities have an outcome about placement stability": no area's outcome says so,
    so the areas are those whose actions' success measures do, each with its actions."""
    if any(item.kind == "area" for item in items):
        return None
    by_area: dict[str, list[str]] = {}
    for item in items:
        by_area.setdefault(index.entries[index.by_ref[item.reference.upper()]].area_ref, []).append(
            item.reference
        )
    listed = "; ".join(f"{area} through {', '.join(refs)}" for area, refs in by_area.items())
    if query.about == "links":
        head = f"Areas with actions that follow up an {_source_title(index)} area"
    else:
        topic = " ".join(query.topic_words)
        scope = _scope_words(index, query.question)
        head = f"Areas whose actions' success measures mention “{topic}”"
        head += f" {scope}" if scope else ""
    return f"{head}: {len(by_area)} ({listed})", len(by_area)


def _tally(selected: Selected, index: PlanIndex, *, both: bool = False) -> str:
    """ "6 (1 action, 5 steps)" when actions and steps were both counted, else the number."""
    kinds: dict[str, int] = {"action": 0, "step": 0} if both else {}
    for position in selected.entries:
        kind = index.entries[position].kind
        kinds[kind] = kinds.get(kind, 0) + 1
    total = len(selected.entries)
    if len(kinds) <= 1 or not total:
        return str(total)
    parts = [f"{n} {kind if n == 1 else kind + 's'}" for kind, n in kinds.items()]
    return f"{total} ({', '.join(parts)})"


def _filter_words(question: Question, *, undated: bool = False) -> list[str]:
    words = ["with no due date"] if undated else []
    if question.status:
        words.append(STATUS_WORDS.get(question.status, question.status))
    if question.rag:
        words.append(f"coloured {question.rag}")
    if question.window:
        words.append(question.window.label)
    return words


def _scope_words(index: PlanIndex, question: Question) -> str:
    parts = []
    named = [*question.references, *question.areas]
    if named:
        parts.append("under " + ", ".join(named))
    if question.owners:
        parts.append("owned by " + " or ".join(question.owners))
    if question.plan:
        title = next((e.plan_title for e in index.entries if e.plan_key == question.plan), "")
        parts.append(f"in the {title or question.plan}")
    return " ".join(parts)


def _reading(index: PlanIndex, query: ContentQuery) -> str:
    """How the question was read, in words, without the number."""
    question = query.question
    filters = _filter_words(question)
    noun = LEVEL_NOUNS[query.level]
    if query.about == "measures" and query.instead:
        words = " ".join(query.topic_words)
        scope = _scope_words(index, question)
        return (
            f"No title or step mentions “{words}”; the expected outcomes or success measures of"
            f" these do{' (' + scope + ')' if scope else ''}"
        )
    if query.about == "measures":
        what = "Areas and actions" if query.level == "both" else noun.capitalize()
        said = "expected outcomes or success measures"
        if query.area_level:
            what, said = "Areas", "expected outcomes"
        scope = _scope_words(index, question)
        topic = f" mention “{' '.join(query.topic_words)}”" if query.topic_words else ""
        head = f"{what} whose {said}{topic}" if topic else f"The {said}"
        tail = " ".join(p for p in (scope, ", ".join(filters)) if p)
        return f"{head}{' ' + tail if tail else ''}"
    if query.about == "links":
        return _link_reading(index, query)
    if query.about == "no_steps":
        scope = _scope_words(index, question)
        return f"Actions with no steps{' ' + scope if scope else ''}, {_status_or_any(filters)}"
    scope = _scope_words(index, question)
    filters = _filter_words(question, undated=query.undated)
    what = noun.capitalize()
    if question.topic_words:
        what += " about “" + " ".join(question.topic_words) + "”"
    shown = ", steps left out" if query.returns == "items" else ""
    return f"{what}{' ' + scope if scope else ''}, {_status_or_any(filters)}{shown}"


def _status_or_any(filters: list[str]) -> str:
    return ", ".join(filters) if filters else "any status"


def _link_reading(index: PlanIndex, query: ContentQuery) -> str:
    question = query.question
    refs = [*question.references, *question.areas]
    source = _source_title(index)
    filters = ", ".join(_filter_words(question))
    extra = f", {filters}" if filters else ""
    sources = [r for r in refs if r.upper().startswith(index.vocabulary.ofsted_prefix or "\0")]
    if sources:
        return f"Actions elsewhere that follow up {', '.join(sources)}{extra}"
    actions = [r for r in refs if r not in sources and "." in r]
    if actions:
        verb = "follows" if len(actions) == 1 else "follow"
        return f"The {source} areas that {', '.join(actions)} {verb} up"
    if query.area_level and not refs:
        verb = "no action elsewhere follows up" if query.negated else "followed up elsewhere"
        return f"{source} areas {verb}"
    scope = _scope_words(index, replace(question, plan=None))
    cites = "that follow up no" if query.negated else "that follow up an"
    return f"Actions{' ' + scope if scope else ''} {cites} {source} area{extra}"


def _source_title(index: PlanIndex) -> str:
    prefix = index.vocabulary.ofsted_prefix or "\0"
    title = next((e.plan_title for e in index.entries if e.ref.startswith(prefix)), "")
    return title.removesuffix(" Action Plan") or "source"


def _none(index: PlanIndex, query: ContentQuery, selected: Selected) -> str:
    """What "none" means here: what the scope held, and why none of it fits."""
    held = [index.entries[p] for p in selected.considered]
    if query.about == "measures":
        return "None — no expected outcome or success measure in that scope mentions " + (
            f"“{' '.join(query.topic_words)}”." if query.topic_words else "anything."
        )
    if query.about == "links":
        return _no_links(index, query, [e.ref for e in held])
    if query.about in ("items", "no_steps") and not held:
        scope_only = replace(
            query, question=replace(query.question, status=None, rag=None, window=None)
        )
        held = [index.entries[p] for p in _considered(index, scope_only)]
    states = [e.state for e in held if e.state is not None]
    if states and all(s.status in CLOSED for s in states):
        dates = [s.last_update_at.date() for s in states if s.last_update_at]
        last = f" (the last on {_day(max(dates))})" if dates else ""
        return f"None — all {len(states)} {_noun(query, len(states))} there are done{last}."
    if held and query.question.filtered:
        wanted = " and ".join(_filter_words(query.question))
        noun = _noun(query, len(held))
        if len(held) == 1:
            return f"None — the one {noun} there, {held[0].ref}, is not {wanted}."
        if len(held) <= 8:
            refs = ", ".join(e.ref for e in held)
            return f"None — the {len(held)} {noun} there ({refs}) are not {wanted}."
        return f"None — none of the {len(held)} {noun} there is {wanted}."
    if held and query.about == "no_steps":
        return f"None — all {len(held)} {_noun(query, len(held))} there have steps."
    if held:
        return f"None of the {len(held)} {_noun(query, len(held))} there."
    return "None — nothing in the plans is in that scope."


def _no_links(index: PlanIndex, query: ContentQuery, refs: list[str]) -> str:
    source = _source_title(index)
    held = len(refs)
    if held and query.question.filtered:
        wanted = " and ".join(_filter_words(query.question))
        be = "is" if held == 1 else "are"
        return f"None — {', '.join(refs[:8])} {be} linked, but not {wanted}."
    followers = sorted(
        {index.entries[p].ref for ps in index.followups.values() for p in ps},
        key=lambda r: index.by_ref[r.upper()],
    )
    elsewhere = f" The actions that do are {', '.join(followers)}." if followers else ""
    if query.area_level and query.negated:
        return f"None — all {held} {source} areas are followed up elsewhere."
    if query.negated:
        return f"None — all {held} actions there follow up an {source} area."
    if held:
        return f"None — none of the {held} actions there follows up an {source} area.{elsewhere}"
    return f"None — nothing there follows up, or is followed up by, an {source} area.{elsewhere}"


def _considered(index: PlanIndex, query: ContentQuery) -> tuple[int, ...]:
    today = date.min  # the filters are off: the day does not matter
    if query.about == "no_steps":
        return select_without_steps(index, query, today, DEFAULT_THRESHOLDS).considered
    return select_items(index, query, today, DEFAULT_THRESHOLDS).entries


def _noun(query: ContentQuery, n: int) -> str:
    noun = LEVEL_NOUNS["actions" if query.about == "no_steps" else query.level]
    return noun[:-1] if n == 1 else noun


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


# --------------------------------------------------------------------------- yes or no


def _yes_no(
    index: PlanIndex,
    query: ContentQuery,
    items: tuple[AnswerItem, ...],
    today: date,
    thresholds: BragThresholds,
) -> AnswerResult:
    """ "Is P7.5 done?": yes or no first, then the item as it stands; for a few items ("are P7.4
    and P7.5 done?") yes when all are, no when none is, and which are when some are."""
    question = query.question
    asked = " and ".join(_filter_words(question)) or "that"
    if question.rag == "green" and not (question.status and not question.status_assumed):
        asked = "on track"  # Green is on track
    answers = [
        _one_yes_no(index, query, index.by_ref[ref.upper()], today, thresholds, asked)
        for ref in question.references
    ]
    refs = [index.entries[index.by_ref[r.upper()]].ref for r in question.references]
    yes = [ref for ref, (ok, _, _) in zip(refs, answers, strict=True) if ok]
    if len(answers) == 1:
        ok, how, _ = answers[0]
        said = "Yes" if ok else "No"
        asking = f"Is {refs[0]} {asked}?"
        if index.entries[index.by_ref[refs[0].upper()]].kind == "area":
            asking = f"Are {'any' if query.any_of else 'all'} {refs[0]} actions {asked}?"
        reading = f"{asking} {said} — {how}"
    else:
        said = "Yes" if len(yes) == len(refs) else "No" if not yes else "Only " + ", ".join(yes)
        hows = "; ".join(f"{ref}: {how}" for ref, (_, how, _) in zip(refs, answers, strict=True))
        reading = f"Are {' and '.join(refs)} {asked}? {said} — {hows}"
    return AnswerResult(
        question=question,
        understood=reading,
        items=tuple(item for _, _, shown in answers for item in shown) or items,
        as_of=today,
        verdict="yes" if len(yes) == len(refs) else "no" if not yes else "some",
        reading=query.as_json(),
    )


def _one_yes_no(
    index: PlanIndex,
    query: ContentQuery,
    position: int,
    today: date,
    thresholds: BragThresholds,
    asked: str,
) -> tuple[bool, str, tuple[AnswerItem, ...]]:
    """Whether one item (or an area's every action) is as asked, how it stands, and its line."""
    question = query.question
    entry = index.entries[position]
    passes = filters_of(question, today, thresholds)
    shown: tuple[AnswerItem, ...] = (answer_item(index, position, today, thresholds),)
    if entry.kind == "area":
        members = [index.entries[p] for p in index.area_actions.get(entry.ref.upper(), [])]
        fitting = [m for m in members if passes(m)]
        be = "is" if len(fitting) == 1 else "are"
        how = f"{len(fitting)} of its {len(members)} actions {be} {asked}"
        if fitting and len(fitting) <= 8:
            how += ": " + ", ".join(m.ref for m in fitting)
        shown += tuple(answer_item(index, m.index, today, thresholds) for m in fitting[:MAX_ITEMS])
        if query.any_of:  # "are any P7 actions overdue?"
            return bool(fitting), how, shown
        return bool(members) and len(fitting) == len(members), how, shown
    # "on track": done is on track too
    done = entry.state is not None and entry.state.status == "done"
    ok = passes(entry) or (question.rag == "green" and done)
    item = shown[0]
    how = f"{item.status.replace('_', ' ')}, {item.rag.capitalize()}" + (
        f", {item.days_overdue} days overdue" if item.days_overdue else ""
    )
    if item.due:
        how += f", due {_day(item.due)}"
    if item.stale and item.status not in CLOSED:
        how += " (unverified: no update in 28 days)"
    return ok, how, shown
