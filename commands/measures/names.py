"""Finding a measure by a name typed loosely ("staff turnover" for "Reduced staff turnover")."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session

from store.models import SuccessMeasure
from store.queries.measures import all_measures, measure_key

MATCH_CUTOFF = 80
CLEAR_GAP = 6
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "it", "of", "on",
     "or", "our", "the", "their", "to", "we", "will", "with"}
)  # fmt: skip


def _words(key: str) -> str:
    """The words that carry meaning: "the weather" must not match every measure with "the"."""
    return " ".join(word for word in key.split() if word not in STOP_WORDS)


@dataclass(frozen=True)
class Found:
    measure: SuccessMeasure | None
    choices: tuple[str, ...] = ()  # two or more close names: ask which


def find_measure(
    session: Session, name: str, measures: list[SuccessMeasure] | None = None
) -> Found:
    """The one measure `name` means; several close ones to choose from; or none."""
    key = measure_key(name)
    pool = measures if measures is not None else all_measures(session)
    if not key:
        return Found(None)
    exact = [m for m in pool if m.key == key]
    if exact:
        return Found(exact[0])
    contains = [m for m in pool if f" {key} " in f" {m.key} "]
    if len(contains) == 1:
        return Found(contains[0])
    candidates = contains or pool
    words = _words(key)
    if not words:
        return Found(None)
    scored = process.extract(
        words,
        {m.id: _words(m.key) for m in candidates},
        scorer=fuzz.token_set_ratio,
        limit=5,
        score_cutoff=MATCH_CUTOFF,
    )
    if not scored:
        return Found(None)
    by_id = {m.id: m for m in candidates}
    best = scored[0]
    close = [hit for hit in scored if best[1] - hit[1] < CLEAR_GAP]
    if len(close) == 1 and not (len(contains) > 1):
        return Found(by_id[best[2]])
    return Found(None, tuple(by_id[hit[2]].name for hit in close))
