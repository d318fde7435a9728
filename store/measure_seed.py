"""York's success measures, read from the plans' own words: one scorecard measure per distinct
"How we will know we are succeeding" line or expected outcome, linked to every action and area
that names it, with no values, targets or units (nothing the documents do not say).

The polarity is read from the words the plans use ("Reduced staff turnover": lower is better;
"Improved…", "Increased…": higher is better); anything else is left unset. The owner role is
the first owner of the first action that names the measure, or the area's strategic lead.
Running it again adds only what is new.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, select

from store.models import Action, Area, Measure, SuccessMeasure
from store.queries.measures import link, measure_by_key, measure_key
from store.queries.roles import find_role, owner_roles

_OA_TAG = re.compile(r"\s*\((?:OA\d+(?:\s*[,/&]\s*OA\d+)*)\)\s*")
_LOWER = re.compile(r"^(reduc|fewer|decreas|lower)", re.IGNORECASE)
_HIGHER = re.compile(r"^(improv|increas|more|higher|better)", re.IGNORECASE)


def measure_name(text: str) -> str:
    """The plan's words tidied into a name: "(OA7)" tags, doubled spaces and the final stop go."""
    name = _OA_TAG.sub(" ", text)
    return " ".join(name.split()).rstrip(". ").strip()


def polarity_in_words(name: str) -> str | None:
    if _LOWER.match(name):
        return "down"
    if _HIGHER.match(name):
        return "up"
    return None


def seed_measures(session: Session, *, at: datetime) -> int:
    """Create the scorecard measures the plans' text names; the number created."""
    rows = session.exec(select(Measure).order_by(col(Measure.id))).all()
    actions = {a.id: a for a in session.exec(select(Action))}
    areas = {a.id: a for a in session.exec(select(Area))}
    created = 0
    for row in rows:
        name = measure_name(row.text)
        key = measure_key(name)
        if not key:
            continue
        measure = measure_by_key(session, key)
        if measure is None:
            owner = _owner(session, actions.get(row.action_id), areas.get(row.area_id))
            measure = SuccessMeasure(
                key=key,
                name=name[:300],
                as_written=row.text,
                polarity=polarity_in_words(name),
                owner_role_id=owner,
                created_at=at,
            )
            session.add(measure)
            session.flush()
            created += 1
        link(session, measure, action_id=row.action_id, area_id=row.area_id)
    session.flush()
    return created


def _owner(session: Session, action: Action | None, area: Area | None) -> int | None:
    if action is not None and action.id is not None:
        roles = owner_roles(session, action.id)
        if roles:
            return roles[0].id
        area = area or session.get(Area, action.area_id)
    if area is not None and area.strategic_lead:
        role = find_role(session, area.strategic_lead)
        return role.id if role else None
    return None
