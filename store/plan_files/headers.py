"""Which of a council's columns means what: the synonym table, fuzzy matching and `--map`.

Each planbot field has the column names councils use for it (`SYNONYMS`, documented in
docs/PLAN_FORMAT.md). A header is matched exactly (after `plan_text.match_key`), then by fuzzy
match (rapidfuzz) at FUZZY_ACCEPT or above; below that it is unmapped and the report offers
"did you mean" for a close field. `--map "Who=owner,When=due"` overrides any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from store.plan_files.plan_text import match_key

SYNONYMS: dict[str, tuple[str, ...]] = {
    "reference": (
        "ref",
        "reference",
        "no",
        "no.",
        "number",
        "num",
        "#",
        "id",
        "item",
        "item no",
        "action no",
        "action number",
        "action ref",
        "ref no",
        "recommendation no",
    ),
    "area": (
        "area",
        "theme",
        "priority",
        "objective",
        "strand",
        "workstream",
        "section",
        "area for improvement",
        "improvement area",
        "recommendation",
        "ofsted recommendation",
        "key priority",
        "outcome area",
        "heading",
        "key line of enquiry",
    ),
    "action": (
        "action",
        "actions",
        "what",
        "what we will do",
        "action required",
        "actions required",
        "task",
        "activity",
        "description",
        "key action",
        "key actions",
        "action to be taken",
        "what will we do",
    ),
    "step": (
        "step",
        "steps",
        "how",
        "how we will do it",
        "milestones",
        "milestone",
        "sub actions",
        "tasks",
        "key tasks",
        "detailed actions",
        "how will we do it",
        "activities",
    ),
    "owner": (
        "owner",
        "owners",
        "who",
        "lead",
        "leads",
        "lead officer",
        "responsible officer",
        "responsible",
        "responsibility",
        "accountable officer",
        "action owner",
        "lead person",
        "by whom",
        "lead manager",
        "officer",
    ),
    "due": (
        "due",
        "due date",
        "when",
        "by when",
        "target date",
        "deadline",
        "completion date",
        "date due",
        "target",
        "target completion date",
        "date for completion",
        "end date",
    ),
    "timescale": ("timescale", "timescales", "timeframe", "time frame", "frequency", "cadence"),
    "status": (
        "status",
        "current status",
        "progress status",
        "completion status",
        "rating",
        "status (1-4)",
        "achieved",
        "state",
    ),
    "rag": ("rag", "brag", "rag rating", "rag status", "brag rating", "colour", "color"),
    "progress": (
        "progress",
        "update",
        "progress update",
        "latest update",
        "commentary",
        "comments",
        "progress to date",
        "evidence of progress",
        "current position",
        "notes",
        "narrative",
    ),
    "measures": (
        "success measures",
        "success measure",
        "measures",
        "measure of success",
        "kpi",
        "kpis",
        "impact measures",
        "how will we know",
        "evidence",
        "success criteria",
        "indicator",
    ),
    "outcomes": (
        "outcome",
        "outcomes",
        "intended outcome",
        "expected outcome",
        "impact",
        "outcome for children",
        "desired outcome",
    ),
    "date": ("date", "as at", "as of", "update date", "last updated", "date updated", "updated"),
}
FIELDS = tuple(SYNONYMS)
# Words --map accepts for a field besides its name, and for a column kept or dropped on purpose.
TARGET_WORDS = {
    "ref": "reference",
    "owners": "owner",
    "lead": "owner",
    "dates": "due",
    "target": "due",
    "measure": "measures",
    "outcome": "outcomes",
    "steps": "step",
    "title": "action",
    "colour": "rag",
    "brag": "rag",
    "update": "progress",
}
KEEP, SKIP = "extra", "skip"
FUZZY_ACCEPT = 88
FUZZY_SUGGEST = 60
_LOOKUP = {match_key(name): name_field for name_field, names in SYNONYMS.items() for name in names}


class MappingError(ValueError):
    """Columns that cannot be mapped as they stand; the message says what to pass to --map."""


@dataclass
class ColumnMap:
    """What each column index means, and what the report says about the choice."""

    fields: dict[int, str] = field(default_factory=dict)  # column index -> field
    extra: dict[int, str] = field(default_factory=dict)  # column index -> header, kept as text
    notes: list[str] = field(default_factory=list)

    def column_of(self, name: str) -> int | None:
        return next((i for i, f in self.fields.items() if f == name), None)


def parse_map(text: str) -> dict[str, str]:
    """`--map "Who=owner,When=due,Notes=extra"` as {header key: field}; ValueError if wrong."""
    choices: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        header, sep, target = part.partition("=")
        wanted = match_key(target)
        wanted = TARGET_WORDS.get(wanted, wanted)
        if not sep or not header.strip():
            raise ValueError(f"'{part}' should be COLUMN=FIELD, e.g. Who=owner")
        if wanted not in FIELDS and wanted not in (KEEP, SKIP):
            raise ValueError(
                f"'{target.strip()}' is not a field; one of {', '.join(FIELDS)}, {KEEP}, {SKIP}"
            )
        choices[match_key(header)] = wanted
    return choices


def _guess(header: str) -> tuple[str | None, str | None, int]:
    """(field, the synonym it was matched to, score); field None when nothing is close."""
    key = match_key(header)
    if key in _LOOKUP:
        return _LOOKUP[key], None, 100
    best = process.extractOne(key, list(_LOOKUP), scorer=fuzz.ratio)
    if best is None:
        return None, None, 0
    name, score, _ = best
    if score >= FUZZY_ACCEPT:
        return _LOOKUP[name], name, int(score)
    # "Progress notes", "Due by": a header holding one field's name among other words.
    within = {
        _LOOKUP[n]: n
        for n, s, _ in process.extract(key, list(_LOOKUP), scorer=fuzz.token_set_ratio, limit=8)
        if s == 100 and len(n) > 2
    }
    if len(within) == 1:
        field_name, synonym = next(iter(within.items()))
        return field_name, synonym, 99
    return None, name, int(score)


def map_columns(
    header: list[str], where: str, overrides: dict[str, str], *, keep_extra: bool
) -> ColumnMap:
    """Map one table's header row; MappingError when two columns claim one field."""
    result = ColumnMap()
    claimed: dict[str, str] = {}
    for index, written in enumerate(header):
        key = match_key(written)
        if not key:
            continue
        chosen: str | None
        if key in overrides:
            chosen, how = overrides[key], "--map"
        else:
            chosen, near, score = _guess(written)
            if chosen is None:
                hint = (
                    f" (did you mean '{near}', {_LOOKUP[near]}?)"
                    if near and score >= FUZZY_SUGGEST
                    else ""
                )
                kept = (
                    "kept as extra text" if keep_extra else "not imported (--keep-extra keeps it)"
                )
                result.notes.append(f"column '{written}' is not a plan field{hint}; {kept}")
                if keep_extra:
                    result.extra[index] = written.strip()
                continue
            how = (
                "synonym table"
                if score == 100
                else f"holds the word '{near}'"
                if score == 99
                else f"close to '{near}' ({score}%)"
            )
        if chosen == SKIP:
            result.notes.append(f"column '{written}' skipped (--map)")
            continue
        if chosen == KEEP:
            result.extra[index] = written.strip()
            result.notes.append(f"column '{written}' kept as extra text (--map)")
            continue
        if chosen in claimed:
            raise MappingError(
                f"{where}: columns '{claimed[chosen]}' and '{written.strip()}' both read as "
                f'{chosen}; say which with --map "{written.strip()}={KEEP}" (or another field)'
            )
        claimed[chosen] = written.strip()
        result.fields[index] = chosen
        result.notes.append(f"column '{written.strip()}' -> {chosen} ({how})")
    return result


def is_plan_header(mapping: ColumnMap) -> bool:
    return any(f in ("reference", "action") for f in mapping.fields.values()) and (
        "action" in mapping.fields.values() or len(mapping.fields) >= 3
    )
