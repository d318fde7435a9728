"""What a weekly summary covers: the whole store, one plan, one area or one role, read as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session

from store.queries.roles import all_roles, find_role
from store.queries.whole_plan import load_plans_and_areas


@dataclass(frozen=True)
class Scope:
    """What a summary covers: everything, one plan (by key), one area (OA4, P7) or one role."""

    kind: str = "all"  # all | plan | area | role
    value: str | None = None
    label: str = "All plans"


ALL = Scope()


class ScopeError(ValueError):
    """A scope the store does not know; the message says what would work."""


_AREA = re.compile(
    r"^(?:(oa|ofsted(?:\s+(?:action|area))?)|(p|priority))\s*[-.]?\s*(\d{1,3})$", re.IGNORECASE
)


def resolve_scope(session: Session, text: str) -> Scope:
    """Read a scope as people type it: `all`, `OA4`/`oa 4`/`priority 7`, a plan key or name,
    or a role ("Head of MASH"). Raises ScopeError with a helpful message."""
    cleaned = text.strip().strip("\"'“”‘’").strip()
    if cleaned.casefold() in ("", "all", "everything", "all plans"):
        return ALL
    tree_plans, tree_areas = load_plans_and_areas(session)
    match = _AREA.match(cleaned)
    if match:
        prefix = "OA" if match.group(1) else "P"
        ref = f"{prefix}{int(match.group(3))}"
        areas = [a for a in tree_areas if a.ref.upper() == ref]
        if not areas:
            raise ScopeError(f"There is no area {ref} in the plans I hold.")
        return Scope("area", ref, f"{ref} {areas[0].title}")
    wanted = cleaned.casefold()
    for plan in tree_plans:
        names = {plan.key.casefold(), plan.title.casefold(), plan.key.split("-")[0].casefold()}
        if wanted in names or wanted.removesuffix(" plan") in names:
            return Scope("plan", plan.key, plan.title)
    role = find_role(session, cleaned)
    if role is not None:
        return Scope("role", role.name, role.name)
    near = process.extractOne(
        cleaned,
        [r.name for r in all_roles(session)],
        scorer=fuzz.ratio,
        processor=utils.default_process,
        score_cutoff=80,
    )
    if near is not None:  # "Head of MSAH": say what was meant rather than guess silently
        raise ScopeError(f"I don't know the scope '{cleaned}'. Did you mean \"{near[0]}\"?")
    plans = ", ".join(p.key for p in tree_plans) or "none yet"
    raise ScopeError(
        f"I don't know the scope '{cleaned}'. Try all, a plan ({plans}), "
        'an area (OA4, P7) or an owner role ("Head of MASH").'
    )


def scope_from_subscription(kind: str, value: str | None) -> Scope:
    if kind == "all" or not value:
        return ALL
    return Scope(kind, value, value)
