"""One entry for every text command, whichever transport brings it (slash, mention, DM, console).

The first word picks the verb ("role", "history", "digest"...); anything else is a question for
`commands.questions.ask`. Handlers take `(session, request, rest_of_text)` and return a result
dataclass. A new verb gets its line in `VERBS`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from commands.digest.result import DigestResult
from commands.digest.subscriptions import DigestSubscriptionResult, digest_command
from commands.governance.plan_settings import (
    PlanSettingChanged,
    PlanSettingsProblem,
    PlanSettingsShown,
    settings_command,
)
from commands.measures.questions import MeasureAnswer, measures_command
from commands.measures.record import (
    MeasureChart,
    MeasureChoice,
    MeasureProblem,
    MeasureRecorded,
    MeasureRefused,
    measure_command,
)
from commands.measures.scorecard import ScorecardProblem, ScorecardResult, scorecard_command
from commands.questions.answer_result import AnswerResult
from commands.questions.ask import ask_command
from commands.questions.changes import ChangesResult
from commands.questions.grouped import GroupedCount
from commands.questions.help import HelpResult, help_command
from commands.questions.history import HistoryProblem, HistoryResult, history_command
from commands.reminders.by_dm import (
    ReminderDelivery,
    ReminderDeliveryProblem,
    reminders_command,
)
from commands.reminders.channels import ChannelProblem, ChannelsResult, channel_command
from commands.reports.command import PaperDrafted, PaperRefused, report_command
from commands.request import Request
from commands.roles.cover import CoverEnded, CoverList, CoverProblem, CoverSet, cover_command
from commands.roles.directory import (
    RoleChangeResult,
    RoleListResult,
    RoleProblem,
    RolesTransferred,
    WhoAmIResult,
    role_command,
    whoami_command,
)

__all__ = ["VERBS", "Request", "Result", "handle", "split_verb"]

Result = (
    AnswerResult
    | ChangesResult
    | HistoryResult
    | HistoryProblem
    | HelpResult
    | DigestResult
    | DigestSubscriptionResult
    | RoleListResult
    | RoleChangeResult
    | RoleProblem
    | WhoAmIResult
    | ChannelsResult
    | ChannelProblem
    | MeasureRecorded
    | MeasureProblem
    | MeasureChoice
    | MeasureRefused
    | MeasureChart
    | ScorecardResult
    | ScorecardProblem
    | MeasureAnswer
    | RolesTransferred
    | CoverSet
    | CoverEnded
    | CoverList
    | CoverProblem
    | PlanSettingsShown
    | PlanSettingChanged
    | PlanSettingsProblem
    | PaperDrafted
    | PaperRefused
    | GroupedCount
    | ReminderDelivery
    | ReminderDeliveryProblem
)
"""Every result a text command can return; bot.render has a renderer for each."""

Handler = Callable[[Session, Request, str], Result]

VERBS: dict[str, Handler] = {
    "help": help_command,
    "role": role_command,
    "roles": role_command,
    "whoami": whoami_command,
    "history": history_command,
    "channel": channel_command,
    "digest": digest_command,
    "measure": measure_command,
    "measures": measures_command,
    "scorecard": scorecard_command,
    "cover": cover_command,
    "settings": settings_command,
    "report": report_command,
    "reminders": reminders_command,
}


def split_verb(text: str) -> tuple[str | None, str]:
    """("role", "assign ...") for a known verb, else (None, text)."""
    stripped = text.strip()
    first, _, rest = stripped.partition(" ")
    verb = first.lower().rstrip(":")
    if verb in VERBS:
        return verb, rest.strip()
    return None, stripped


def handle(session: Session, request: Request) -> Result:
    """Route one message to its command and return that command's result."""
    verb, rest = split_verb(request.text)
    handler = VERBS[verb] if verb else ask_command
    return handler(session, request, rest)
