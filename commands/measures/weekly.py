"""For the weekly summary: the measures whose signal changed this week (one line each).

A measure's signal is its variation icon (common cause, improvement, concern…) and assurance
icon; each is read from the values as they stood at the start of the week and as they stand at
its end, so a value recorded or corrected during the week that changes either is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from commands.measures.series import load_series
from commands.measures.settings import MeasureSettings


@dataclass(frozen=True)
class SignalChange:
    name: str
    before: str
    after: str
    refs: tuple[str, ...] = ()  # the actions and areas the measure evidences
    owner: str | None = None

    def under(self, refs: set[str]) -> bool:
        """Whether the measure evidences any of `refs` (an area's measure is under its actions')."""
        return any(ref.upper() in refs for ref in self.refs)

    @property
    def line(self) -> str:
        return f"{self.name}: {self.before} → {self.after}"


def _signal(variation: str, assurance: str) -> str:
    return f"{variation}; {assurance}"


def signal_changes(
    session: Session, settings: MeasureSettings, *, since: datetime, until: datetime
) -> tuple[SignalChange, ...]:
    before = {s.measure_id: s for s in load_series(session, settings, at=since)}
    changes: list[SignalChange] = []
    for series in load_series(session, settings, at=until):
        old = before.get(series.measure_id)
        if old is None or not series.points:
            continue
        was = _signal(str(old.assessment.variation), str(old.assessment.assurance))
        now = _signal(str(series.assessment.variation), str(series.assessment.assurance))
        if was != now:
            changes.append(SignalChange(series.name, was, now, series.refs, series.owner))
    return tuple(changes)
