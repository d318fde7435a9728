"""How councils write a status, read as planbot's status and BRAG colour (docs/PLAN_FORMAT.md).

Words ("Achieved", "On track"), numbers on a 1-4 scale (1 Achieved ... 4 Not achieved), symbols
(✓) and colours (G, Amber/Green) all map through `STATUS_TABLE`; `--status-map` overrides or
adds entries ("Partly=in_progress:amber,5=dropped"). A status nothing maps is an error naming the
cell, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.plan_files.plan_text import match_key

STATUSES = ("not_started", "in_progress", "blocked", "done", "dropped")
COLOURS = ("blue", "green", "amber", "red")


@dataclass(frozen=True)
class StatusReading:
    status: str | None
    rag: str | None


def _entry(status: str | None, rag: str | None = None) -> StatusReading:
    return StatusReading(status, rag)


_DONE = _entry("done", "blue")
_GREEN = _entry("in_progress", "green")
_AMBER = _entry("in_progress", "amber")
_RED = _entry("in_progress", "red")
_BLOCKED = _entry("blocked", "red")
_NOT_STARTED = _entry("not_started")
_DROPPED = _entry("dropped")

STATUS_TABLE: dict[str, StatusReading] = {
    **dict.fromkeys(
        [
            "achieved",
            "fully achieved",
            "complete",
            "completed",
            "done",
            "closed",
            "finished",
            "met",
            "delivered",
            "implemented",
            "embedded",
            "1",
            "✓",
            "✔",
            "☑",
            "✅",
            "b",
            "blue",
        ],
        _DONE,
    ),
    **dict.fromkeys(
        [
            "on track",
            "in progress",
            "in hand",
            "progressing",
            "underway",
            "under way",
            "started",
            "ongoing",
            "good progress",
            "partially achieved",
            "partly achieved",
            "2",
            "g",
            "green",
        ],
        _GREEN,
    ),
    **dict.fromkeys(
        [
            "some progress",
            "slipping",
            "at risk",
            "delayed",
            "behind",
            "not yet achieved",
            "limited progress",
            "3",
            "a",
            "amber",
            "a/g",
            "amber/green",
            "g/a",
            "green/amber",
        ],
        _AMBER,
    ),
    **dict.fromkeys(
        [
            "not achieved",
            "off track",
            "not met",
            "overdue",
            "4",
            "r",
            "red",
            "r/a",
            "red/amber",
            "a/r",
            "amber/red",
        ],
        _RED,
    ),
    **dict.fromkeys(
        ["blocked", "stalled", "stuck", "on hold", "paused", "✗", "✘", "❌", "x"], _BLOCKED
    ),
    **dict.fromkeys(
        [
            "not started",
            "not yet started",
            "not due",
            "not yet due",
            "pending",
            "planned",
            "to start",
            "future",
            "scheduled",
        ],
        _NOT_STARTED,
    ),
    **dict.fromkeys(
        [
            "dropped",
            "withdrawn",
            "cancelled",
            "canceled",
            "superseded",
            "no longer required",
            "n/a",
            "closed - merged",
        ],
        _DROPPED,
    ),
}
# Mixed colours are read as the worse of the two; the report says so.
MIXED = ("a/g", "amber/green", "g/a", "green/amber", "a/r", "amber/red", "r/a", "red/amber")


def parse_status_map(text: str) -> dict[str, StatusReading]:
    """`--status-map "Partly=in_progress:amber,5=dropped"`; ValueError says what is wrong."""
    table: dict[str, StatusReading] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        written, sep, target = part.partition("=")
        status, _, rag = target.strip().lower().partition(":")
        status = status.replace(" ", "_").replace("-", "_")
        if not sep or not written.strip():
            raise ValueError(f"'{part}' should be WRITTEN=STATUS, e.g. Partly=in_progress:amber")
        if status not in STATUSES and status not in COLOURS:
            raise ValueError(
                f"'{target.strip()}' is not a status ({', '.join(STATUSES)}) or colour"
            )
        if rag and rag not in COLOURS:
            raise ValueError(f"'{rag}' is not a colour ({', '.join(COLOURS)})")
        if status in COLOURS:
            table[match_key(written)] = StatusReading(None, status)
        else:
            table[match_key(written)] = StatusReading(status, rag or None)
    return table


def read_status(
    text: str, overrides: dict[str, StatusReading] | None = None
) -> tuple[StatusReading | None, str]:
    """The reading of a status cell and the judgement to report; (None, why) when unknown."""
    key = match_key(text)
    if not key:
        return StatusReading(None, None), ""
    if overrides and key in overrides:
        return overrides[key], f"status '{text}' read by --status-map"
    # "2 - Partially achieved", "Green: on track": the first part that maps is the reading.
    parts = [key, *(p.strip() for p in key.replace("-", ":").replace("–", ":").split(":"))]
    for part in parts:
        if part in STATUS_TABLE:
            reading = STATUS_TABLE[part]
            shown = reading.status.replace("_", " ") if reading.status else "no status"
            colour = f", {reading.rag}" if reading.rag else ""
            mixed = " (mixed colours read as the worse)" if part in MIXED else ""
            return reading, f"status '{text}' read as {shown}{colour}{mixed}"
    return None, f"status '{text}' is not in the status table; give it with --status-map"
