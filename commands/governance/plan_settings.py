"""Each plan's own governance settings, set by admins: `settings show`, `settings PLAN KEY VALUE`.

The settings are the fields of `PlanPolicy`; a plan that sets nothing takes the defaults, which
change nothing (a lead's new date applies at once and is logged; "done" is Blue on the lead's
word), so a plan opts in when its board decides to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import date

from sqlmodel import Session

from commands.request import Request
from commands.roles.directory import is_admin, match_role
from commands.updates.reply_dates import find_dates
from store.queries import governance
from store.queries.paper_items import all_plans, plan_called

log = logging.getLogger(__name__)

APPROVAL = ("required", "recorded")
BLUE_NEEDS = ("none", "evidence", "signoff")
REMINDER_THREADS = ("per_lead", "per_item")


@dataclass(frozen=True)
class PlanPolicy:
    """One plan's settings. Field names are the keys people type."""

    approval: str = "recorded"  # required: a lead's new due date waits for the approver
    blue_needs: str = "none"  # evidence | signoff: "done" waits for evidence (and sign-off)
    approver: str = "Director of Safeguarding"  # the role that approves dates and signs off
    slip_weeks: int = 8  # a date moved further than this is flagged for the board
    reminder_threads: str = "per_lead"  # per_item: a thread for each item, as before issue 17
    next_board: date | None = None  # the next board meeting: "by the next board" in a reply

    def board_after(self, today: date) -> date | None:
        """The next board's date, if it is known and not past."""
        return self.next_board if self.next_board and self.next_board >= today else None

    @classmethod
    def of(cls, stored: dict[str, str]) -> PlanPolicy:
        """The policy from a plan's stored settings; anything not set keeps its default."""
        default = cls()
        weeks = stored.get("slip_weeks", "")
        return cls(
            approval=stored.get("approval", default.approval),
            blue_needs=stored.get("blue_needs", default.blue_needs),
            approver=stored.get("approver", default.approver),
            slip_weeks=int(weeks) if weeks.isdigit() else default.slip_weeks,
            reminder_threads=stored.get("reminder_threads", default.reminder_threads),
            next_board=_iso(stored.get("next_board")),
        )


def _iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


KEYS = tuple(item.name for item in fields(PlanPolicy))
HELP = {
    "approval": "required or recorded",
    "blue_needs": "none, evidence or signoff",
    "approver": "a role, e.g. Director of Safeguarding",
    "slip_weeks": "a number of weeks",
    "reminder_threads": "per_lead (one thread per person) or per_item",
    "next_board": "the next board meeting's date, e.g. 22/3/2023, or none",
}


@dataclass(frozen=True)
class PlanSettingsRow:
    plan: str  # the plan's key
    title: str
    policy: PlanPolicy
    set_keys: tuple[str, ...]  # the keys set for this plan (the rest are defaults)


@dataclass(frozen=True)
class PlanSettingsShown:
    rows: tuple[PlanSettingsRow, ...]


@dataclass(frozen=True)
class PlanSettingChanged:
    plan: str
    key: str
    value: str
    before: str


@dataclass(frozen=True)
class PlanSettingsProblem:
    message: str


SettingsResult = PlanSettingsShown | PlanSettingChanged | PlanSettingsProblem


def policy_for(session: Session, plan_id: int) -> PlanPolicy:
    return PlanPolicy.of(governance.plan_settings(session).get(plan_id, {}))


def settings_command(session: Session, request: Request, rest: str) -> SettingsResult:
    """`settings [show]` or `settings [set] PLAN KEY VALUE`."""
    words = rest.split()
    if words and words[0].lower() in ("show", "list"):
        words = words[1:]
        if not words:
            return show_settings(session)
    if words and words[0].lower() == "set":
        words = words[1:]
    if not words:
        return show_settings(session)
    if len(words) < 3:
        return PlanSettingsProblem(
            "Say `settings PLAN KEY VALUE`, e.g. `settings ofsted approval required`. Keys: "
            + "; ".join(f"{key} ({HELP[key]})" for key in KEYS)
            + "."
        )
    return set_setting(session, request, words[0], words[1], " ".join(words[2:]))


def show_settings(session: Session) -> PlanSettingsShown:
    stored = governance.plan_settings(session)
    rows = tuple(
        PlanSettingsRow(
            plan.key,
            plan.title,
            PlanPolicy.of(stored.get(plan.id or 0, {})),
            tuple(stored.get(plan.id or 0, {})),
        )
        for plan in all_plans(session)
    )
    return PlanSettingsShown(rows)


def _board_date(value: str, today: date) -> str | PlanSettingsProblem:
    """A board date as typed ("22/3/2023", "22 March"), stored as ISO; "none" forgets it."""
    if value.lower() in ("none", "unknown", "-", "off"):
        return ""
    found = find_dates(value, today)
    if len(found) == 1 and found[0].text.strip().lower() == value.strip().lower():
        if found[0].day < today:
            return PlanSettingsProblem(
                f"{found[0].day:%-d %b %Y} has passed: give the next board's date."
            )
        return found[0].day.isoformat()
    return PlanSettingsProblem(f"next_board takes {HELP['next_board']}, not “{value}”.")


def _checked(session: Session, key: str, value: str, today: date) -> str | PlanSettingsProblem:
    """The value as stored, or what is wrong with it."""
    if key == "approval" and value.lower() in APPROVAL:
        return value.lower()
    if key == "blue_needs" and value.lower().replace("-", "") in BLUE_NEEDS:
        return value.lower().replace("-", "")
    if key == "approver":
        role, suggestions = match_role(session, value)
        if role is not None:
            return role.name
        if suggestions:
            return PlanSettingsProblem(
                f"I'm not sure which role “{value}” means: {'; '.join(suggestions)}?"
            )
        return PlanSettingsProblem(f"I don't know a role called “{value}”. Try `role list`.")
    if key == "reminder_threads" and value.lower().replace("-", "_") in REMINDER_THREADS:
        return value.lower().replace("-", "_")
    if key == "slip_weeks" and value.isdigit() and 0 < int(value) <= 104:
        return str(int(value))
    if key == "next_board":
        return _board_date(value, today)
    return PlanSettingsProblem(f"{key} takes {HELP[key]}, not “{value}”.")


def set_setting(
    session: Session, request: Request, plan_text: str, key_text: str, value: str
) -> PlanSettingChanged | PlanSettingsProblem:
    if not is_admin(session, request):
        log.info("settings change refused for %s: not an admin", request.caller.label)
        return PlanSettingsProblem("Only an admin can change a plan's settings.")
    plan = plan_called(session, plan_text)
    if plan is None:
        known = ", ".join(p.key for p in all_plans(session)) or "none"
        return PlanSettingsProblem(f"No plan is called “{plan_text}”. Plans: {known}.")
    key = key_text.lower().replace("-", "_")
    if key not in KEYS:
        return PlanSettingsProblem(
            f"There is no setting “{key_text}”. Settings: {', '.join(KEYS)}."
        )
    checked = _checked(session, key, value.strip().strip("\"“”'"), request.clock.today())
    if isinstance(checked, PlanSettingsProblem):
        return checked
    default = str(getattr(PlanPolicy(), key) or "none")
    before = governance.set_plan_setting(
        session, plan, key, checked, by=request.caller.label, at=request.clock.utcnow()
    )
    log.info("plan %s setting %s = %s by %s", plan.key, key, checked, request.caller.label)
    return PlanSettingChanged(plan.key, key, checked, before if before is not None else default)
