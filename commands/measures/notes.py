"""Every free-text note planbot stores against a measure value passes through `clean_note`.

It trims and bounds the text; this is the one place the personal-data guardrail (issue 16's
commands/privacy/) is wired in, so that no note about a named child reaches the store.
"""

from __future__ import annotations

MAX_NOTE = 2000


class NoteRefused(ValueError):
    """A note that may not be stored; the message says why, in one line."""


def clean_note(text: str | None) -> str | None:
    """The note as it may be stored, or None for an empty one; NoteRefused when it may not be."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if len(cleaned) > MAX_NOTE:
        raise NoteRefused(f"the note is {len(cleaned)} characters; keep it under {MAX_NOTE}")
    return cleaned
