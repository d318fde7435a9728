"""Whether a person's Slack status says they are away (leave, holiday, sick, out of office).

Only a reading of the status a person set themselves; planbot never routes reminders on it.
The reminder run asks an admin, once per role, person and status, whether to arrange cover.
"""

from __future__ import annotations

import re

_AWAY_WORDS = re.compile(
    r"\b(?:annual\s+leave|on\s+leave|leave|a/?l|holidays?|hols|vacation|ooo|out\s+of\s+(?:the\s+)?"
    r"office|off\s+(?:sick|work|today|this\s+week|until)|sick|poorly|away|sabbatical|"
    r"(?:maternity|paternity|parental|adoption|compassionate)\s+leave|not\s+working|"
    r"back\s+on)\b",
    re.IGNORECASE,
)
_AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":airplane:",
        ":desert_island:",
        ":beach_with_umbrella:",
        ":face_with_thermometer:",
        ":sneezing_face:",
        ":nauseated_face:",
        ":baby:",
        ":luggage:",
        ":no_entry:",
        ":away:",
        ":sunny:",
    }
)


def reads_as_away(status_text: str | None, status_emoji: str | None) -> bool:
    """True when the status a person set says they are away from work."""
    if status_emoji and status_emoji.strip().lower() in _AWAY_EMOJI:
        return True
    return bool(status_text and _AWAY_WORDS.search(status_text))
