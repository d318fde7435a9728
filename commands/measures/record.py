"""`/plan measure "Staff turnover" 14.2% for Jan 2023` (recording a value) and
`/plan measure chart "Staff turnover"` (asking for its XmR chart).

Only a holder of the measure's owner role or an admin records a value; a second value for a
period replaces the first, which is kept in the history. Anything after the period, after a
colon or dash or "note", is the note ("… for Jan 2023: two leavers in one team").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlmodel import Session

from commands.measures.names import find_measure
from commands.measures.notes import NoteRefused, clean_note
from commands.measures.numbers import ValueProblem, read_period, read_value, show_value
from commands.measures.series import Series, load_series
from commands.request import Request
from commands.roles.directory import is_admin
from store.models import MeasureValue, Role, SuccessMeasure
from store.queries.measures import current_values, record_value
from store.queries.roles import holders

log = logging.getLogger(__name__)

_QUOTED = r'"(?P<q>[^"]+)"|“(?P<c>[^”]+)”'
_LINE = re.compile(
    rf"^(?:{_QUOTED}|(?P<bare>.+?))\s+(?:=\s*|is\s+|was\s+|at\s+)?(?P<value>[+-]?[\d.,]+\s*%?)"
    r"\s+(?:for|in)\s+(?P<period>.+?)(?:\s*(?:[:;]|\s-\s|\s+note:?)\s*(?P<note>.*))?$",
    re.IGNORECASE,
)
_CHART = re.compile(rf"^chart\s+(?:{_QUOTED}|(?P<bare>.+))$", re.IGNORECASE)
USAGE = (
    'Record a value with `measure "Staff turnover" 14.2% for Jan 2023`, '
    'or see one with `measure chart "Staff turnover"`.'
)


@dataclass(frozen=True)
class MeasureRecorded:
    name: str
    period: str
    value: str
    previous: str | None  # the value it replaced
    note: str | None


@dataclass(frozen=True)
class MeasureProblem:
    message: str


@dataclass(frozen=True)
class MeasureChoice:
    asked: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class MeasureRefused:
    name: str
    owner: str | None
    holders: tuple[str, ...]


@dataclass(frozen=True)
class MeasureChart:
    series: Series
    small_count: int


MeasureResult = MeasureRecorded | MeasureProblem | MeasureChoice | MeasureRefused | MeasureChart


def _name(match: re.Match[str]) -> str:
    return (match.group("q") or match.group("c") or match.group("bare") or "").strip()


def measure_command(session: Session, request: Request, rest: str) -> MeasureResult:
    text = rest.strip()
    if not text:
        return MeasureProblem(USAGE)
    chart = _CHART.match(text)
    if chart:
        return chart_of(session, request, _name(chart))
    line = _LINE.match(text)
    if line is None:
        return MeasureProblem(f"I could not read a measure, a value and a period there. {USAGE}")
    return record(session, request, _name(line), line.group("value"), line.group("period"),
                  line.group("note"))  # fmt: skip


def _choose(session: Session, name: str) -> SuccessMeasure | MeasureResult:
    found = find_measure(session, name)
    if found.measure is not None:
        return found.measure
    if found.choices:
        return MeasureChoice(name, found.choices)
    return MeasureProblem(f"No measure is called '{name}'. `measures` lists them.")


def chart_of(session: Session, request: Request, name: str) -> MeasureResult:
    chosen = _choose(session, name)
    if not isinstance(chosen, SuccessMeasure):
        return chosen
    settings = request.policy.measures
    series = load_series(session, settings, measures=[chosen])[0]
    if not series.points:
        return MeasureProblem(f"'{series.name}' has no values yet, so there is no chart to draw.")
    return MeasureChart(series, settings.small_count)


def may_record(session: Session, request: Request, measure: SuccessMeasure) -> bool:
    if is_admin(session, request):
        return True
    role = session.get(Role, measure.owner_role_id) if measure.owner_role_id else None
    return role is not None and request.caller.user_id in holders(session, role)


def record(
    session: Session, request: Request, name: str, value_text: str, period_text: str,
    note_text: str | None,
) -> MeasureResult:  # fmt: skip
    chosen = _choose(session, name)
    if not isinstance(chosen, SuccessMeasure):
        return chosen
    measure = chosen
    if not may_record(session, request, measure):
        role = session.get(Role, measure.owner_role_id) if measure.owner_role_id else None
        log.info("value for %s refused for %s", measure.name, request.caller.label)
        return MeasureRefused(
            measure.name, role.name if role else None, tuple(holders(session, role)) if role else ()
        )
    period = read_period(period_text)
    if period is None:
        return MeasureProblem(
            f"'{period_text}' is not a period I can read: use a month (Jan 2023, 2023-01) "
            "or a quarter (Q3 2022-23)."
        )
    if period.start > request.clock.today():
        return MeasureProblem(f"{period.label} has not started yet: values are for past periods.")
    assert measure.id is not None
    percent = value_text.strip().endswith("%")
    if measure.unit is None and percent and not current_values(session, [measure.id]):
        measure.unit = "percent"  # the first value says the unit the plans left unsaid
        session.add(measure)
    try:
        number = read_value(value_text, measure.unit, measure.name)
        note = clean_note(note_text)
    except (ValueProblem, NoteRefused) as problem:
        return MeasureProblem(f"Nothing recorded: {problem}.")
    previous = record_value(
        session,
        MeasureValue(
            measure_id=measure.id,
            period_start=period.start,
            period_end=period.end,
            value=number,
            note=note,
            source="chat",
            recorded_by=request.caller.user_id or request.caller.label,
            recorded_at=request.clock.utcnow(),
        ),
    )
    small = request.policy.measures.small_count
    return MeasureRecorded(
        measure.name,
        period.label,
        show_value(number, measure.unit, small),
        show_value(previous.value, measure.unit, small) if previous else None,
        note,
    )
