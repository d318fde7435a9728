"""Setting what a measure is: unit, polarity, target and tolerance, frequency, owner role,
benchmarks, and change points where its XmR limits start again (`planbot measures set`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from commands.measures.names import find_measure
from commands.measures.numbers import ValueProblem, polarity_of, read_value, unit_of
from commands.request import Request
from commands.roles.directory import is_admin
from store.models import SuccessMeasure
from store.queries.roles import find_role

FREQUENCIES = ("monthly", "quarterly", "annual")


@dataclass(frozen=True)
class MeasureChanges:
    unit: str | None = None
    polarity: str | None = None
    target: str | None = None
    tolerance: str | None = None
    frequency: str | None = None
    owner: str | None = None
    neighbours: str | None = None
    england: str | None = None
    rebase: str | None = None


@dataclass(frozen=True)
class MeasureDefined:
    name: str
    changed: tuple[str, ...]


@dataclass(frozen=True)
class DefineProblem:
    message: str


def _number(text: str | None, measure: SuccessMeasure, field: str) -> float | None:
    if text is None:
        return None
    try:
        return read_value(text, measure.unit, measure.name)
    except ValueProblem as problem:
        raise ValueError(f"{field}: {problem}") from None


def _apply(session: Session, measure: SuccessMeasure, changes: MeasureChanges) -> list[str]:
    done: list[str] = []
    if changes.unit is not None:
        measure.unit = unit_of(changes.unit)
        if measure.unit is None:
            raise ValueError(f"unit: '{changes.unit}' is not count, %, fraction, rate or days")
        done.append(f"unit {measure.unit}")
    if changes.polarity is not None:
        measure.polarity = polarity_of(changes.polarity)
        if measure.polarity is None:
            raise ValueError(f"polarity: '{changes.polarity}' is not higher, lower or near")
        done.append(f"polarity {measure.polarity}")
    if changes.frequency is not None:
        if changes.frequency.lower() not in FREQUENCIES:
            raise ValueError(f"frequency: use {', '.join(FREQUENCIES)}")
        measure.frequency = changes.frequency.lower()
        done.append(f"frequency {measure.frequency}")
    if changes.owner is not None:
        role = find_role(session, changes.owner)
        if role is None:
            raise ValueError(f"owner: no role is called '{changes.owner}'")
        measure.owner_role_id = role.id
        done.append(f"owner {role.name}")
    for field, attr in (
        ("target", "target"), ("tolerance", "tolerance"), ("neighbours", "benchmark_neighbours"),
        ("england", "benchmark_england"),
    ):  # fmt: skip
        value = _number(getattr(changes, field), measure, field)
        if value is not None:
            setattr(measure, attr, value)
            done.append(f"{field} {getattr(changes, field)}")
    if changes.rebase is not None:
        try:
            day = date.fromisoformat(changes.rebase)
        except ValueError:
            raise ValueError(
                f"rebase: '{changes.rebase}' is not a date such as 2023-04-01"
            ) from None
        measure.rebase_dates = sorted({*measure.rebase_dates, day.isoformat()})
        done.append(f"new limits from {day:%d %b %Y}")
    return done


def define_measure(
    session: Session, request: Request, name: str, changes: MeasureChanges
) -> MeasureDefined | DefineProblem:
    """Change what the measure `name` is; an admin only. Nothing changes if one field is wrong."""
    if not is_admin(session, request):
        return DefineProblem("Only an admin changes what a measure is.")
    found = find_measure(session, name)
    if found.measure is None:
        if found.choices:
            return DefineProblem(f"'{name}' could be " + " or ".join(found.choices))
        return DefineProblem(f"No measure is called '{name}'.")
    measure = found.measure
    before = measure.model_dump()
    try:
        done = _apply(session, measure, changes)
    except ValueError as problem:
        for key, value in before.items():
            setattr(measure, key, value)
        return DefineProblem(f"Nothing changed: {problem}.")
    session.add(measure)
    session.flush()
    return MeasureDefined(measure.name, tuple(done))
