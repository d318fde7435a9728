"""`/plan report board|scrutiny|challenge …`: a committee paper drafted in Slack and sent to the
person who asked, privately. `challenge` (one Head of Service's pack) is for admins and for the
Head of Service it is about; the others for anyone who may read the plan.

    /plan report board
    /plan report scrutiny as of 20/10/2022
    /plan report challenge @jo            (or: challenge "Head of MASH")
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from commands.measures.scorecard import ScopeProblem, ScorecardRow, scorecard_rows
from commands.reports.facts import PaperFacts, PaperProblem, default_since, paper_facts
from commands.request import Request
from commands.roles.directory import is_admin, match_role, parse_users
from commands.updates.reply_dates import find_dates
from store.queries.governance import last_paper, record_paper
from store.queries.roles import roles_held_by

log = logging.getLogger(__name__)

KINDS = ("board", "scrutiny", "challenge")
USAGE = (
    "Say which paper: `report board`, `report scrutiny` or `report challenge @person` "
    '(or `report challenge "Head of MASH"`), optionally `as of 31/3/2023`.'
)


@dataclass(frozen=True)
class PaperDrafted:
    kind: str  # board | scrutiny | challenge
    facts: PaperFacts
    measures: tuple[ScorecardRow, ...] = ()


@dataclass(frozen=True)
class PaperRefused:
    message: str


def report_command(session: Session, request: Request, rest: str) -> PaperDrafted | PaperRefused:
    words = rest.split(maxsplit=1)
    kind = words[0].lower() if words else ""
    if kind not in KINDS:
        return PaperRefused(USAGE)
    text = words[1] if len(words) > 1 else ""
    today = request.clock.today()
    as_of = today
    marker = text.lower().find("as of")
    if marker >= 0:
        found = find_dates(text[marker:], today)
        if not found:
            return PaperRefused(f"I couldn't read the date in “{text[marker:].strip()}”.")
        as_of = min(found[0].day, today)
        text = text[:marker]
    if kind == "challenge":
        return _challenge(session, request, text.strip(), as_of)
    scope = "ofsted" if kind == "scrutiny" else "all"
    last = last_paper(session, kind, scope, as_of)
    facts = paper_facts(session, as_of, last.as_of if last else default_since(as_of), scope)
    if isinstance(facts, PaperProblem):
        return PaperRefused(facts.message)
    record_paper(session, kind, scope, as_of, by=request.caller.label, at=request.clock.utcnow())
    measures: tuple[ScorecardRow, ...] = ()
    if kind == "board":
        try:
            measures = scorecard_rows(session, as_of, settings=request.policy.measures)
        except ScopeProblem:
            measures = ()
    log.info("%s paper drafted for %s, data as at %s", kind, request.caller.label, as_of)
    return PaperDrafted(kind, facts, measures)


def _challenge(
    session: Session, request: Request, text: str, as_of: date
) -> PaperDrafted | PaperRefused:
    users, role_text = parse_users(text)
    role_name: str | None = None
    if users:
        heads = [r for r in roles_held_by(session, users[0]) if not r.group]
        if not heads:
            return PaperRefused("That person holds no role in the plan directory.")
        role_name = next((r.name for r in heads if r.head_of_service), heads[0].name)
    elif role_text.strip(' "“”'):
        role, _ = match_role(session, role_text)
        role_name = role.name if role else role_text.strip(' "“”')
    else:
        return PaperRefused(USAGE)
    user = request.caller.user_id
    holds = user is not None and any(r.name == role_name for r in roles_held_by(session, user))
    if not (holds or is_admin(session, request)):
        log.info("challenge pack for %s refused for %s", role_name, request.caller.label)
        return PaperRefused(
            f"A support-and-challenge pack is for admins and for {role_name} themselves."
        )
    month = timedelta(days=30)  # the sessions are monthly
    last = last_paper(session, "challenge", role_name, as_of)
    since = last.as_of if last else as_of - month
    facts = paper_facts(session, as_of, since, owned_by=role_name, next_meeting=as_of + month)
    if isinstance(facts, PaperProblem):
        return PaperRefused(facts.message)
    record_paper(session, "challenge", facts.scope, as_of, by=request.caller.label,
                 at=request.clock.utcnow())  # fmt: skip
    return PaperDrafted("challenge", facts)
