"""What a person's App Home tab shows: the items their roles own (and the roles they cover),
grouped by colour with the most urgent first, their cover duties, and the reminder threads they
were last asked in. Someone who holds no role gets the plans' headline and how to get one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from commands.brag import Colour, colour_of_row
from commands.request import Request
from commands.roles.directory import roles_of
from store.models import Action, Role, Step
from store.models.status import Rag
from store.queries.governance import covered_roles, covers_of
from store.queries.home import (
    ActionState,
    HomeReminder,
    actions_of_roles,
    open_steps_of,
    plan_states,
    recent_reminders,
)
from store.queries.roles import holders

GROUPS = ("Red", "Amber", "Unverified", "Green")  # Blue (done) is counted, not listed
SHOWN = 60  # items listed at most: Slack draws a Home tab of up to 100 blocks
THREADS = 5
HEADLINE_PLANS = 10  # a council runs a few plans; a store of many shows the first ten


@dataclass(frozen=True)
class HomeItem:
    kind: str  # action | step
    id: int
    ref: str
    title: str
    status: str
    due: date | None
    reason: str  # why it has its colour: "overdue", "lead says at risk"…
    seen: str  # the item's last update when drawn: a press on a stale tab is caught
    overdue_days: int = 0


@dataclass(frozen=True)
class CoverDuty:
    role: str
    holders: tuple[str, ...]  # user ids of the people covered
    until: date


@dataclass(frozen=True)
class MyHome:
    user_id: str
    roles: tuple[str, ...]
    covering: tuple[CoverDuty, ...]
    groups: tuple[tuple[str, tuple[HomeItem, ...]], ...]  # (group, items), GROUPS order
    done: int
    hidden: int  # items beyond SHOWN, still counted in their groups' totals
    threads: tuple[HomeReminder, ...]
    headline: tuple[tuple[str, dict[str, int]], ...] = ()  # (plan, counts) for someone with no role

    @property
    def items(self) -> int:
        return sum(len(items) for _, items in self.groups) + self.hidden


def seen_token(moment: datetime | None) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") if moment else "-"


def my_home(session: Session, request: Request, user_id: str) -> MyHome:
    today = request.clock.today()
    held = roles_of(session, user_id)
    covered = covered_roles(session, user_id, today)
    roles = {role.id or 0: role for role in [*held, *covered.values()]}
    if not roles:
        return MyHome(user_id, (), (), (), 0, 0, (), headline=_headline(session, request))
    actions = {a.id or 0: a for a in actions_of_roles(session, list(roles))}
    items: list[tuple[Colour, Action | Step]] = []
    done = 0
    steps = open_steps_of(session, list(actions))
    for action in actions.values():
        for item in (action, *steps.get(action.id or 0, ())):
            colour = _colour(item, request, today)
            if colour.rag is Rag.BLUE:
                done += isinstance(item, Action)
            elif colour.rag is not Rag.GREY:
                items.append((colour, item))
    grouped: dict[str, list[HomeItem]] = {name: [] for name in GROUPS}
    items.sort(key=lambda pair: (-pair[0].overdue_days, pair[1].due_date or date.max))
    for colour, item in items:
        group = "Unverified" if colour.unverified else colour.rag.value.capitalize()
        grouped[group].append(_item(item, colour))
    listed, hidden = _cap(grouped)
    duties = tuple(
        CoverDuty(role.name, tuple(holders(session, role)), _until(session, role, user_id, today))
        for role in covered.values()
    )
    return MyHome(
        user_id=user_id,
        roles=tuple(role.name for role in held),
        covering=duties,
        groups=listed,
        done=done,
        hidden=hidden,
        threads=tuple(recent_reminders(session, list(actions), THREADS)),
    )


def _colour(item: Action | Step | ActionState, request: Request, today: date) -> Colour:
    return colour_of_row(item, today, request.policy.thresholds)


def _item(item: Action | Step, colour: Colour) -> HomeItem:
    title = item.title if isinstance(item, Action) else item.text
    return HomeItem(
        kind="action" if isinstance(item, Action) else "step",
        id=item.id or 0,
        ref=item.ref,
        title=" ".join(title.split()),
        status=item.status,
        due=item.due_date,
        reason=colour.reason,
        seen=seen_token(item.last_update_at),
        overdue_days=colour.overdue_days,
    )


def _cap(
    grouped: dict[str, list[HomeItem]],
) -> tuple[tuple[tuple[str, tuple[HomeItem, ...]], ...], int]:
    """At most SHOWN items, taken group by group in order of urgency; how many were left out."""
    room, listed, hidden = SHOWN, [], 0
    for name in GROUPS:
        items = grouped[name]
        if items:
            listed.append((name, tuple(items[:room])))
            hidden += max(0, len(items) - room)
            room = max(0, room - len(items))
    return tuple(listed), hidden


def _until(session: Session, role: Role, user_id: str, today: date) -> date:
    mine = [c for c in covers_of(session, role.id or 0, today) if c.cover_user_id == user_id]
    return max((c.ends_on for c in mine), default=today)


def _headline(session: Session, request: Request) -> tuple[tuple[str, dict[str, int]], ...]:
    """Each plan's actions by colour, for someone who owns nothing yet."""
    today = request.clock.today()
    found = []
    for title, actions in plan_states(session, HEADLINE_PLANS):
        tally = {name: 0 for name in (*GROUPS, "Blue")}
        for action in actions:
            colour = _colour(action, request, today)
            if colour.rag is Rag.GREY:
                continue
            name = "Unverified" if colour.unverified else colour.rag.value.capitalize()
            tally[name] += 1
        found.append((title, tally))
    return tuple(found)
