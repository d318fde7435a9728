"""`help`: what planbot understands, in the words people type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from commands.request import Request


@dataclass(frozen=True)
class HelpResult:
    topics: tuple[tuple[str, str], ...]


HELP_TOPICS: tuple[tuple[str, str], ...] = (
    (
        "what's open under OA4?",
        "open actions for an Ofsted area, with the Ambition Plan follow-ups",
    ),
    ("anything overdue for Head of MASH?", "overdue items owned by a role"),
    ("status of P7.5", "one action with its steps, owner, due date and colour"),
    ("what's due in March?", "items due in a month, a week (this week) or the next 14 days"),
    ("where are we on missing from home?", "a topic, matched loosely (typos are fine)"),
    ("how are we doing on OA4?", "the weekly summary's headline and exceptions, now"),
    ("what changed this week under OA4?", "the updates recorded in a week, month or since a date"),
    ("history OA4.1", "every dated update, who made it and where it came from"),
    ("what's overdue for me?", "the same for the roles you hold (“my actions”, “what do I own?”)"),
    ("whoami", "the roles you hold and the actions they own"),
    ("who is Head of MASH?", "who holds a role, and what it owns"),
    (
        'role list | role assign "Head of MASH" @user | role remove …',
        "the role directory (admins change it)",
    ),
    ("which heads of service have the most overdue?", "a count per owner, area or colour"),
    ("channel reminders #channel", "where reminder threads are posted (admins)"),
    ("reminders dm on | off", "your reminder thread in a direct message instead of the channel"),
    (
        "settings | settings ambition next_board 22/3/2023",
        "each plan's settings, e.g. the next board's date for “by the next board” (admins)",
    ),
    (
        'cover "Head of MASH" @deputy until 18 Aug | cover list | cover end …',
        "someone to stand in for a role while its holder is away",
    ),
    (
        'report board | report scrutiny | report challenge "Head of MASH"',
        "a committee paper drafted as Word, sent to you privately",
    ),
    (
        "digest subscribe [OA4|P7|role] [monday 08:30] | list | unsubscribe | preview",
        "the weekly performance-session summary for this channel",
    ),
    ("scorecard [P1|OA4|role]", "success measures: latest value, target, RAG, SPC signals"),
    (
        'measure "Staff turnover" 14.2% for Jan 2023 | measure chart "Staff turnover"',
        "record a measure's value (its owner) or see its XmR chart",
    ),
    ("share <question>", "post the answer in the channel instead of only to you"),
)


def help_command(session: Session, request: Request, rest: str) -> HelpResult:
    return HelpResult(HELP_TOPICS)
