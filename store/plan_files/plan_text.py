"""Text as councils type it, made comparable without losing meaning.

`match_key` is for matching headers, owners and status words: curly quotes, non-breaking and
zero-width spaces, runs of spaces, case and surrounding quotes are ironed out. `tidy` is for
free text that is kept: only invisible differences (trailing spaces, zero-width characters)
are removed, so what a council wrote reads exactly as before.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def tidy(text: str) -> str:
    """Free text with invisible differences removed; line breaks and wording kept."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).strip()


def match_key(text: str) -> str:
    """A key for comparing names as written: "“Head of CiC” " -> head of cic."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).translate(_QUOTES)
    text = _SPACES.sub(" ", text).strip().strip("\"'").strip().rstrip(".:").strip()
    return text.casefold()
