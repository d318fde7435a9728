"""Turning command results into what people see: Block Kit plus a plain-text fallback.

`render(result)` picks the renderer for the result's type from `RENDERERS` below, where every
result type is listed with its function; its `Rendered.text` reads well on its own
(notifications, screen readers, the console). A new result type gets its line here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.render.answer import render_answer
from bot.render.changes import render_changes
from bot.render.date_changes import render_date_change_decided, render_date_change_problem
from bot.render.digest import render_digest, render_digest_subscription
from bot.render.evidence import (
    render_evidence_recorded,
    render_sign_off_problem,
    render_signed_off,
)
from bot.render.governance import (
    render_cover_ended,
    render_cover_list,
    render_cover_problem,
    render_cover_set,
    render_plan_settings,
    render_roles_transferred,
    render_setting_changed,
    render_settings_problem,
)
from bot.render.grouped import render_grouped_count
from bot.render.help import render_help
from bot.render.history import render_history, render_history_problem
from bot.render.home import render_changed_since
from bot.render.measures import (
    render_measure_answer,
    render_measure_chart,
    render_measure_choice,
    render_measure_problem,
    render_measure_recorded,
    render_measure_refused,
    render_scorecard,
)
from bot.render.ownership import (
    render_ownership_claimed,
    render_reassign_problem,
    render_reassigned,
)
from bot.render.papers import render_paper_drafted, render_paper_refused
from bot.render.reminders import render_reminder_plan
from bot.render.rendered import Rendered
from bot.render.roles import (
    render_role_change,
    render_role_list,
    render_role_problem,
    render_who_am_i,
)
from bot.render.updates import (
    render_changed_meanwhile,
    render_channel_problem,
    render_channels,
    render_details_removed,
    render_reminder_delivery,
    render_reminder_delivery_problem,
    render_reply_deleted,
    render_reply_ignored,
    render_snoozed,
    render_status_question,
    render_steps_to_choose,
    render_update_applied,
    render_update_refused,
)
from commands.digest.result import DigestResult
from commands.digest.subscriptions import DigestSubscriptionResult
from commands.governance.date_changes import DateChangeDecided, DateChangeProblem
from commands.governance.evidence import EvidenceRecorded, SignedOff, SignOffProblem
from commands.governance.plan_settings import (
    PlanSettingChanged,
    PlanSettingsProblem,
    PlanSettingsShown,
)
from commands.home.buttons import ChangedSince
from commands.measures.questions import MeasureAnswer
from commands.measures.record import (
    MeasureChart,
    MeasureChoice,
    MeasureProblem,
    MeasureRecorded,
    MeasureRefused,
)
from commands.measures.scorecard import ScorecardProblem, ScorecardResult
from commands.questions.answer_result import AnswerResult
from commands.questions.changes import ChangesResult
from commands.questions.grouped import GroupedCount
from commands.questions.help import HelpResult
from commands.questions.history import HistoryProblem, HistoryResult
from commands.reminders.by_dm import ReminderDelivery, ReminderDeliveryProblem
from commands.reminders.channels import ChannelProblem, ChannelsResult
from commands.reminders.policy import ReminderPlan
from commands.reports.command import PaperDrafted, PaperRefused
from commands.roles.cover import CoverEnded, CoverList, CoverProblem, CoverSet
from commands.roles.directory import (
    RoleChangeResult,
    RoleListResult,
    RoleProblem,
    RolesTransferred,
    WhoAmIResult,
)
from commands.router import Result
from commands.updates.outcomes import (
    ChangedMeanwhile,
    DetailsRemoved,
    OwnershipClaimed,
    ReplyDeleted,
    ReplyIgnored,
    ReplyOutcome,
    SeveralItems,
    Snoozed,
    StatusQuestion,
    StepsToChoose,
    UpdateApplied,
    UpdateRefused,
)
from commands.updates.ownership import Reassigned, ReassignProblem

__all__ = ["RENDERERS", "Rendered", "render"]


def render_several_items(result: SeveralItems) -> Rendered:
    """One message for a reply that named several items: each item's outcome on its own line."""
    parts = [render(outcome) for outcome in result.outcomes]
    lines = [part.text for part in parts if not part.quiet and part.text]
    text = "\n".join(lines)
    buttons = [  # a part's buttons (a step to choose, a status to pick) kept under the lines
        block | {"block_id": f"{block.get('block_id', 'part')}-{number}"}
        for number, part in enumerate(parts)
        for block in part.blocks or []
        if block.get("type") == "actions"
    ]
    return Rendered(
        text=text,
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}, *buttons],
        ephemeral=False,
        quiet=not lines,
        pings=any(part.pings for part in parts),
    )


RENDERERS: dict[type[Any], Callable[[Any], Rendered]] = {
    AnswerResult: render_answer,
    ChangesResult: render_changes,
    DigestResult: render_digest,
    DigestSubscriptionResult: render_digest_subscription,
    HelpResult: render_help,
    HistoryResult: render_history,
    HistoryProblem: render_history_problem,
    ReminderPlan: render_reminder_plan,
    RoleListResult: render_role_list,
    RoleChangeResult: render_role_change,
    RoleProblem: render_role_problem,
    WhoAmIResult: render_who_am_i,
    UpdateApplied: render_update_applied,
    StatusQuestion: render_status_question,
    UpdateRefused: render_update_refused,
    ReplyIgnored: render_reply_ignored,
    ReplyDeleted: render_reply_deleted,
    DetailsRemoved: render_details_removed,
    Snoozed: render_snoozed,
    ChannelsResult: render_channels,
    ChannelProblem: render_channel_problem,
    MeasureRecorded: render_measure_recorded,
    MeasureProblem: render_measure_problem,
    MeasureChoice: render_measure_choice,
    MeasureRefused: render_measure_refused,
    MeasureChart: render_measure_chart,
    ScorecardResult: render_scorecard,
    ScorecardProblem: render_measure_problem,
    MeasureAnswer: render_measure_answer,
    RolesTransferred: render_roles_transferred,
    CoverSet: render_cover_set,
    CoverEnded: render_cover_ended,
    CoverList: render_cover_list,
    CoverProblem: render_cover_problem,
    PlanSettingsShown: render_plan_settings,
    PlanSettingChanged: render_setting_changed,
    PlanSettingsProblem: render_settings_problem,
    DateChangeDecided: render_date_change_decided,
    DateChangeProblem: render_date_change_problem,
    EvidenceRecorded: render_evidence_recorded,
    SignedOff: render_signed_off,
    SignOffProblem: render_sign_off_problem,
    PaperDrafted: render_paper_drafted,
    PaperRefused: render_paper_refused,
    ChangedSince: render_changed_since,
    SeveralItems: render_several_items,
    StepsToChoose: render_steps_to_choose,
    GroupedCount: render_grouped_count,
    OwnershipClaimed: render_ownership_claimed,
    Reassigned: render_reassigned,
    ReassignProblem: render_reassign_problem,
    ChangedMeanwhile: render_changed_meanwhile,
    ReminderDelivery: render_reminder_delivery,
    ReminderDeliveryProblem: render_reminder_delivery_problem,
}


Renderable = (
    Result
    | ReplyOutcome
    | Snoozed
    | ReminderPlan
    | DetailsRemoved
    | DateChangeDecided
    | DateChangeProblem
    | SignedOff
    | SignOffProblem
    | ChangedSince
    | OwnershipClaimed
    | Reassigned
    | ReassignProblem
    | ChangedMeanwhile
)


def render(result: Renderable) -> Rendered:
    renderer = RENDERERS.get(type(result))
    if renderer is None:
        raise TypeError(f"no renderer for {type(result).__name__}")
    return renderer(result)
