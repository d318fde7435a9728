"""Every free-text note planbot stores against a measure value passes through `clean_note`.

It trims and bounds the text and refuses one that holds a child's details (store/personal_data.py),
naming only their kind, so that no note about a child reaches the store.
"""

from __future__ import annotations

from store.personal_data import redact

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
    found = redact(cleaned)
    if found.findings:
        kinds = " and ".join(kind.strip("[]") for kind in found.kinds)
        raise NoteRefused(
            f"the note looks as if it holds a child's details ({kinds}); a measure is about a "
            "service, so write the note again without them"
        )
    return cleaned
