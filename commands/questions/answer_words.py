"""The words of an answer: the question as understood, the yes or no, why nothing matched,
and why a question could not be searched at all."""

from __future__ import annotations

import re
from dataclasses import replace

from commands.questions.plan_index import PlanIndex
from commands.questions.question import Question
from commands.questions.search import SearchOutcome
from commands.questions.words import MAX_CHARACTERS

STATUS_WORDS = {
    "open": "open",
    "overdue": "overdue",
    "done": "done",
    "blocked": "blocked",
    "not_started": "not started",
    "in_progress": "in progress",
    "started": "started",
}
EXAMPLES = ("what's open under OA4?", "anything overdue for Head of MASH?", "status of P7.5")


def question_in_words(question: Question, index: PlanIndex) -> str:
    """The question as understood, in plain words: "overdue items owned by Head of MASH"."""
    status = STATUS_WORDS.get(question.status or "", "")
    parts: list[str] = []
    items = [r for r in question.references if "." in r]
    areas = [r for r in question.references if "." not in r] + list(question.areas)
    if items and not areas:
        parts.append(", ".join(items))
        if status:
            parts.append(f"({status})")
    else:
        parts.append(f"{status} items".strip())
        if items:
            parts.append(", ".join(items))
        if areas:
            named = []
            for ref in areas:
                title = index.area_titles.get(ref.upper())
                named.append(f"{ref} ({title.rstrip('.')})" if title else ref)
            parts.append("under " + ", ".join(named))
            marked = [a for a in areas if index.followups.get(a.upper())]
            if marked:
                parts.append(
                    "with the actions elsewhere marked " + ", ".join(f"({a})" for a in marked)
                )
    parts += _filters_in_words(question, index)
    if question.plan:
        plan = next((e.plan_title for e in index.entries if e.plan_key == question.plan), None)
        parts.append(f"in the {plan or question.plan}")
    return " ".join(p for p in parts if p)


def _filters_in_words(question: Question, index: PlanIndex) -> list[str]:
    """The owners, topic, colours, window and what is negated, in words, in reading order."""
    window = question.window
    words = [
        "outside " + ", ".join(question.not_references) if question.not_references else "",
        "not " + STATUS_WORDS.get(question.not_status, "") if question.not_status else "",
        "owned by " + _owners_in_words(question.owners, index) if question.owners else "",
        "not owned by " + _owners_in_words(question.not_owners, index)
        if question.not_owners
        else "",
        {None: "", True: "with an owner", False: "with no owner"}[question.has_owner],
        "about “" + " ".join(question.topic_words) + "”" if question.topic_words else "",
        "coloured " + " or ".join((question.rag, *question.more_rags)) if question.rag else "",
        "not coloured " + " or ".join(question.not_rags) if question.not_rags else "",
        ("not " if question.window_negated else "") + window.label if window else "",
        {None: "", True: "with a due date", False: "with no due date"}[question.has_due],
    ]
    return [word for word in words if word]


def _owners_in_words(owners: tuple[str, ...], index: PlanIndex) -> str:
    """ "Head of MASH or Head of QA"; every Head of Service and "All HoS" as "a Head of Service"."""
    vocab = index.vocabulary
    heads = {*vocab.heads_of_service, *vocab.group_roles}
    named = list(owners)
    if vocab.heads_of_service and heads <= set(owners):
        named = [o for o in owners if o not in heads] + ["a Head of Service"]
    return " or ".join(named)


def yes_answer(question: Question, named: list[str]) -> str:
    refs = " and ".join(named)
    if question.status in ("started", "not_started") and not (question.rag or question.window):
        started = "started" if question.status == "started" else "not started yet"
        return f"Yes, {refs} {'has' if len(named) == 1 else 'have'} {started}."
    return f"Yes, {refs} {'is' if len(named) == 1 else 'are'} {_wanted_words(question)}."


def _wanted_words(question: Question) -> str:
    """What a yes/no question asks an item to be: "overdue and coloured red", "not overdue"."""
    window = question.window
    words = [
        STATUS_WORDS.get(question.status or "", "") if not question.status_assumed else "",
        "coloured " + " or ".join((question.rag, *question.more_rags)) if question.rag else "",
        window.label if window and not question.window_negated else "",
        *(f"not {word}" for word in _as_it_is_not(question) if word),
    ]
    return " and ".join(word for word in words if word)


def _as_it_is_not(question: Question) -> list[str]:
    """What the question asks an item not to be, in words: "overdue", "coloured red"."""
    return [
        STATUS_WORDS.get(question.not_status or "", ""),
        "coloured " + " or ".join(question.not_rags) if question.not_rags else "",
        question.window.label if question.window and question.window_negated else "",
        {None: "", False: "owned", True: "without an owner"}[question.has_owner],
        {None: "", False: "dated", True: "without a due date"}[question.has_due],
    ]


def _only_negated(question: Question) -> bool:
    positive = (question.status and not question.status_assumed) or question.rag
    return not positive and not (question.window and not question.window_negated)


def no_answer(question: Question, named: list[str]) -> str:
    """ "No, P9.1 is not done.": a yes/no question about named items whose answer is no."""
    refs = " and ".join(named)
    if question.status == "not_started" and not (question.rag or question.window):
        return f"No, {refs} {'has' if len(named) == 1 else 'have'} been started."
    if question.status == "started" and not (question.rag or question.window):
        return f"No, {refs} {'has' if len(named) == 1 else 'have'} not started yet."
    verb = "is" if len(named) == 1 else "are"
    if _only_negated(question):  # "is P7.5 not overdue?": "No, P7.5 is overdue."
        return f"No, {refs} {verb} {' and '.join(w for w in _as_it_is_not(question) if w)}."
    return f"No, {refs} {verb} not {_wanted_words(question)}."


def _no_match_message(question: Question, filtered_out: int, unknown: tuple[str, ...]) -> str:
    if unknown:
        return f"I can't find {', '.join(unknown)} in the plans."
    wanted = " ".join(
        word
        for word in (
            STATUS_WORDS.get(question.status or "", ""),
            "items",
            f"coloured {question.rag}" if question.rag else "",
            question.window.label if question.window else "",
        )
        if word
    )
    only_open = question.status == "open" and not (question.rag or question.window)
    if only_open and filtered_out:  # "which Ofsted actions are still not done?": none is an answer
        if filtered_out == 1:
            return "None: the one item it names is done."
        return f"None: all {filtered_out} of the items it names are done."
    if not (question.references or question.areas or question.owners or question.topic):
        if question.plan and filtered_out:
            return (
                f"There are no {wanted} here: {filtered_out} items match the rest of the question."
            )
        return f"There are no {wanted} in the plans."
    if filtered_out:
        noun = "item matches" if filtered_out == 1 else "items match"
        return f"There are no {wanted} here: {filtered_out} {noun} the rest of the question."
    if question.topic_words:
        return "Nothing in the plans matches “" + " ".join(question.topic_words) + "”."
    return "Nothing in the plans matches that question."


def refusal_of(question: Question, text: str, mention_note: str | None) -> str | None:
    """The whole reply when the question cannot be searched (bad dates, or no question found),
    or None when it can."""
    if question.bad_dates:
        bad_dates = _bad_dates_message(question)
        if question.truncated:
            bad_dates += f" I read the first {MAX_CHARACTERS} characters of that."
        return bad_dates
    hint = (
        "Ask me about the plan, for example “"
        + "”, “".join(EXAMPLES)
        + "”. Type help to see everything I understand."
    )
    if question.foreign:
        return (
            "That doesn't read as English to me, so I haven't searched the plans: I understand "
            f"questions in English. {hint}"
        )
    if question.typed_words > DOCUMENT_WORDS and len(question.topic_words) > DOCUMENT_TOPIC:
        return (
            f"That's a long message (about {question.typed_words:,} words): it reads like a pasted "
            f"document rather than a question, so I haven't searched the plans. {hint}"
        )
    if question.is_empty:
        if question.ignored and not question.text.strip():
            hint = (
                "I couldn't find a question about the plan in that: I read only "
                f"{_listed(question.ignored)}. {hint}"
            )
        elif (text or "").strip():
            hint = f"I couldn't find a question about the plan in that. {hint}"
        if mention_note:
            hint = f"{mention_note} {hint}"
        return hint
    return None


# More words than any question, most of them about something: a pasted document.
DOCUMENT_WORDS = 150
DOCUMENT_TOPIC = 12


def _listed(things: tuple[str, ...]) -> str:
    named = list(dict.fromkeys(things))
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def answer_message(
    question: Question,
    outcome: SearchOutcome,
    filtered_out: int,
    answer_no: str | None,
    *,
    found: bool,
    notes: tuple[str | None, ...],
) -> str | None:
    """The words above the items: the yes or no, or why nothing matched; then the references
    not found, the `notes`, and whether the question was cut short."""
    message: str | None = answer_no
    if not found:
        message = _no_match_message(question, filtered_out, outcome.unknown_refs)
    elif outcome.unknown_refs:
        missing = f"I can't find {', '.join(outcome.unknown_refs)} in the plans."
        message = f"{message} {missing}" if message else missing
    for note in notes:
        if note:
            message = f"{message} {note}" if message else note
    if question.truncated:
        note = f"I read the first {MAX_CHARACTERS} characters of that."
        message = f"{message} {note}" if message else note
    return message


def scope_in_words(question: Question, index: PlanIndex) -> str:
    """What a question about changes narrows to, in words: "under OA4 (…)", "for P7.5"."""
    text = question_in_words(replace(question, status=None, window=None), index)
    text = text.removeprefix("items").strip()
    if text and not text.startswith(("under ", "owned ", "about ", "in the ")):
        text = f"for {text}"
    return text


def _bad_dates_message(question: Question) -> str:
    """Why a question with a date that is none ("31/02", "Q5") is not answered, and what to try."""
    quarters = [b for b in question.bad_dates if re.fullmatch(r"Q\d+", b)]
    days = [b for b in question.bad_dates if b not in quarters]
    said = []
    if days:
        written = ", ".join(f"“{d}”" for d in days)
        said.append(f"{written} {'is' if len(days) == 1 else 'are'} not a real date")
    if quarters:
        written = ", ".join(f"“{q}”" for q in quarters)
        said.append(
            f"{written} {'is' if len(quarters) == 1 else 'are'} not a quarter: the financial year "
            "runs from Q1 (April to June) to Q4 (January to March)"
        )
    return (
        f"{'; '.join(said)}, so I haven't answered that. Try a date like “by 28/02/2023”, a "
        "month (“in March”) or a quarter (“due in Q4”)."
    )


def no_roles_message(asker: str | None) -> str:
    if asker is None:
        return (
            "The terminal holds no roles: name one instead, e.g. "
            "“anything overdue for Head of MASH?”."
        )
    return (
        "You hold no roles in the role directory, so I can't tell which items are yours. Name a "
        "role instead (“anything overdue for Head of MASH?”), or ask an admin to add you: "
        '`role assign "Head of MASH" @you`.'
    )
