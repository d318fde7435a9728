"""The existing role an owner as written is closest to, for "did you mean" in an import report."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from store.models import Role, RoleAlias
from store.queries.roles import role_key

CLOSE_ENOUGH = 88


def closest_role(session: Session, name: str) -> tuple[Role, int] | None:
    """The role whose name or alias is within CLOSE_ENOUGH of `name`, with the score, or None."""
    choices: dict[str, int] = {role.key: role.id or 0 for role in session.exec(select(Role))}
    for alias in session.exec(select(RoleAlias)):
        choices.setdefault(alias.key, alias.role_id)
    if not choices:
        return None
    best = process.extractOne(
        role_key(name), list(choices), scorer=fuzz.token_sort_ratio, score_cutoff=CLOSE_ENOUGH
    )
    if best is None:
        return None
    role = session.get(Role, choices[best[0]])
    return (role, int(best[1])) if role else None
