"""Owner cells as councils write them: one owner a line (or `;`), quoted or not, and
"Name, Role" / "Role (Name)" / "Name - Role" telling both the role and the person in it.

The role becomes the action's owner; the person is only a suggested holder of that role,
reported and assigned only with `planbot import --assign-people`.
"""

from __future__ import annotations

import re

from store.plan_files.plan_text import tidy
from store.queries.roles import looks_like_person

SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,20}")
_QUOTES = "\"'“”‘’„"
_PAIRS = (
    re.compile(r"^(?P<a>[^,()]+?)\s*,\s*(?P<b>[^,()]+)$"),
    re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)$"),
    re.compile(r"^(?P<a>.+?)\s+[-–—]\s+(?P<b>.+)$"),
)


def _is_person(text: str) -> bool:
    """A person's name ("Jane Smith") or Slack user id ("U024BE7LH")."""
    return looks_like_person(text) or SLACK_USER.fullmatch(text) is not None


def clean_owner(text: str) -> str:
    """An owner as written with surrounding quotes, spacing and trailing dots taken off."""
    return tidy(text).strip(_QUOTES + " ").rstrip(".").strip().strip(_QUOTES + " ")


def split_person(text: str) -> tuple[str, str | None]:
    """(role, person or None) for one owner entry."""
    owner = clean_owner(text)
    for pattern in _PAIRS:
        match = pattern.match(owner)
        if not match:
            continue
        first, second = clean_owner(match["a"]), clean_owner(match["b"])
        if _is_person(first) and not _is_person(second):
            return second, first
        if _is_person(second) and not _is_person(first):
            return first, second
    return owner, None


def owner_entries(cell: str) -> list[tuple[str, str | None]]:
    """Every (role, person) an owner cell names, in order, without repeats."""
    entries: list[tuple[str, str | None]] = []
    for part in re.split(r"[\n;]+", cell):
        part = re.sub(r"^\s*[•·▪\-–*]\s*", "", part)
        if not clean_owner(part):
            continue
        entry = split_person(part)
        if entry[0] and entry not in entries:
            entries.append(entry)
    return entries
