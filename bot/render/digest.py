"""Rendering the weekly summary and the `digest` sub-commands: Block Kit and plain text.

Slack allows 50 blocks a message and 3,000 characters a section; each section here takes lines
until the next would not fit and then says "…and N more", so a scope of any size fits. The plain
text carries the same lines and reads on its own (notifications, the console, `--dry-run`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from bot.render.escape import channel_mention, escape, mention, truncate
from bot.render.item_text import day, status_label
from bot.render.rendered import Rendered
from commands.brag import EMOJI, ORDER
from commands.digest.result import (
    AreaLine,
    ChangeLine,
    DigestResult,
    ItemLine,
    PlanHeadline,
    UnansweredLine,
)
from commands.digest.subscriptions import DigestSubscriptionResult, SubscriptionLine
from store.models.status import Rag

SECTION_LIMIT = 3000
THREAD_CHARS = 2400  # a reply in the summary's thread reads on a phone
MAX_BLOCKS = 50
TITLE_CHARS = 70
NOTE_CHARS = 110
INDENT = "   "  # the plain text's detail lines, under their item's first line
SEE_ALL = "ask me about an area (“what's open under P7?”) or `/plan history REF` for the rest"
UNVERIFIED_MARK = ":hourglass_flowing_sand:"
LABEL = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Blue", Rag.GREY: "Grey"}
SHORT = {Rag.RED: "R", Rag.AMBER: "A", Rag.GREEN: "G", Rag.BLUE: "B", Rag.GREY: "Grey "}


def short_day(value: date) -> str:
    return f"{value.day} {value:%b}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


@dataclass(frozen=True)
class Line:
    """One line in both forms: mrkdwn for blocks, plain for the fallback text."""

    rich: str
    plain: str


@dataclass(frozen=True)
class Section:
    """A titled list; `lines` is drawn lazily, only as far as the section has room."""

    title: str
    lines: Iterable[Line]
    total: int  # how many entries there are in all (lines may be fewer, for size)
    intro: Line | None = None
    empty: str | None = None  # said instead when there are no entries
    see: str = SEE_ALL  # where the reader finds the entries that did not fit
    # For a list the session must act on: what the entries are ("overdue"), and the ones that
    # do not fit go into a reply in the summary's thread instead of "…and N more".
    threaded: str | None = None


def fit(
    section: Section, limit: int = SECTION_LIMIT, rest: list[Line] | None = None
) -> tuple[str, str]:
    """The section as (mrkdwn, plain), lines added while they fit, then "…and N more" (or, for
    a threaded section with `rest` given, "…and N more overdue in the thread", the lines that
    did not fit added to `rest`)."""
    head_rich = f"*{section.title}*"
    head_plain = section.title.upper()
    rich = [head_rich]
    plain = [head_plain]
    if section.intro:
        rich.append(section.intro.rich)
        plain.append(section.intro.plain)
    if section.total == 0 and section.empty:
        rich.append(section.empty)
        plain.append(section.empty)
    used = sum(len(x) for x in rich) + len(rich) - 1  # the lines and the newlines between
    # Room kept for the "…and N more" line; N is at most the total, so this always fits.
    reserve = len(f"\n_…and {section.total} more — {section.see}_")
    shown = 0
    lines = iter(section.lines)
    for line in lines:
        last = shown + 1 == section.total
        if used + 1 + len(line.rich) + (0 if last else reserve) > limit:
            if rest is not None and section.threaded:
                rest.append(line)
                rest.extend(lines)
            break
        rich.append(line.rich)
        plain.append(line.plain)
        used += len(line.rich) + 1
        shown += 1
    if section.total > shown:
        if rest is not None and section.threaded:
            more = f"…and {section.total - shown} more {section.threaded} in the thread below"
        else:
            more = f"…and {section.total - shown} more — {section.see}"
        rich.append(f"_{more}_")
        plain.append(more)
    return "\n".join(rich), "\n".join(plain)


def continued(section: Section, rest: list[Line], beyond: int) -> list[Rendered]:
    """The entries of a threaded section that did not fit the summary, as replies in its thread,
    each within a phone's reading; `beyond` entries the summary did not carry are counted in
    the last, with where to find them."""
    chunks: list[list[Line]] = [[]]
    size = 0
    for line in rest:
        if size + len(line.rich) + 1 > THREAD_CHARS and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line.rich) + 1
    messages: list[Rendered] = []
    for number, chunk in enumerate(chunks, start=1):
        part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        total = len(chunk) + (beyond if number == len(chunks) else 0)
        rich, plain = fit(Section(f"{section.title}, continued{part}", tuple(chunk), total,
                                  see=section.see))  # fmt: skip
        block = {"type": "section", "text": {"type": "mrkdwn", "text": rich}}
        messages.append(Rendered(text=plain, blocks=[block], ephemeral=False))
    return messages


# ---------------------------------------------------------------- lines


def history(ref: str) -> Line:
    return Line(f"_/plan history {ref}_", f"/plan history {ref}")


def quoted(note: str | None) -> str:
    """A note as the summary quotes it: one line, shortened, escaped."""
    return f"“{escape(truncate(' '.join(note.split()), NOTE_CHARS))}”" if note else ""


def entry(head: tuple[str, str], details: Sequence[str], ref: str, note: str | None) -> Line:
    """One listed item over two or three short lines, so it reads on a phone: what it is, then
    its owner, status, due date and the rest, then the lead's latest words, if any.

    `head` is (mrkdwn, plain); `details` are already escaped; the history pointer ends it.
    """
    pointer = history(ref)
    facts = " · ".join(details)
    said = quoted(note)
    rich_tail = f"{facts}\n{said} · {pointer.rich}" if said else f"{facts} · {pointer.rich}"
    plain_tail = (
        f"{facts}\n{INDENT}{said} · {pointer.plain}" if said else f"{facts} · {pointer.plain}"
    )
    return Line(f"{head[0]}\n{rich_tail}", f"{head[1]}\n{INDENT}{plain_tail}")


def due_words(due: date | None, as_written: str | None = None, days_overdue: int = 0) -> str:
    if due is None:
        return f"due {escape(as_written)}" if as_written else "no due date"
    text = f"due {day(due)}"
    return text + (f" ({plural(days_overdue, 'day')} overdue)" if days_overdue else "")


def item_line(item: ItemLine, *, extra: Sequence[str] = (), note: bool = False) -> Line:
    ref, title = escape(item.ref), escape(truncate(item.title, TITLE_CHARS))
    facts = [
        escape(item.owner),
        status_label(item.status),
        due_words(item.due, item.due_as_written, item.days_overdue),
    ]
    if item.rebaselined:
        facts.append(f"re-baselined ×{item.rebaselined}")
    facts.extend(extra)
    if item.unverified:
        head = (f"{UNVERIFIED_MARK} *{ref}* {title}", f"[Unverified] {ref} {title}")
    else:
        head = (f"{EMOJI[item.rag]} *{ref}* {title}", f"[{LABEL[item.rag]}] {ref} {title}")
    return entry(head, facts, item.ref, item.note if note else None)


def reason_of(item: ItemLine) -> list[str]:
    return [] if item.reason == "overdue" else [item.reason]


def updated(item: ItemLine) -> str:
    if item.days_since_update is None:
        return "never updated"
    return f"last update {plural(item.days_since_update, 'day')} ago"


def change_line(change: ChangeLine) -> Line:
    """What moved, by whom, beside the item's owner and where it stands now."""
    facts = [escape(change.owner or "no owner named")]
    if change.new_status and change.new_status != change.old_status:
        old = status_label(change.old_status or "none")
        facts.append(f"{old} → {status_label(change.new_status)}")
    else:
        facts.append(status_label(change.status))
    if change.new_rag and change.new_rag != change.old_rag:
        facts.append(f"{change.old_rag or 'no colour'} → {change.new_rag}")
    if change.new_due:
        label = "re-baselined" if change.rebaselined else "due date set"
        facts.append(f"due {day(change.old_due)} → {day(change.new_due)} ({label})")
    else:
        facts.append(due_words(change.due))
    facts.append(f"by {escape(change.author)}")
    when = short_day(change.at.date())
    ref, title = escape(change.ref), escape(truncate(change.title, TITLE_CHARS))
    head = (f"{when} · *{ref}* {title}", f"{when} · {ref} {title}")
    return entry(head, facts, change.ref, change.note)


def unanswered_line(line: UnansweredLine) -> Line:
    facts = [
        escape(line.owner),
        status_label(line.status),
        due_words(line.due),
        f"{line.reason} reminder of {short_day(line.posted_on)} unanswered",
    ]
    if line.holders:  # the current holders are mentioned: the summary is for chasing them
        facts.append("held by " + ", ".join(mention(u) for u in line.holders))
    if line.unfilled:
        facts.append("nobody holds " + ", ".join(escape(r) for r in line.unfilled))
    ref, title = escape(line.ref), escape(truncate(line.title, TITLE_CHARS))
    return entry((f"• *{ref}* {title}", f"• {ref} {title}"), facts, line.ref, None)


def area_line(area: AreaLine) -> Line:
    counts = " ".join(f"{SHORT[r]}{area.counts[r]}" for r in ORDER if r is not Rag.GREY)
    if area.unverified:
        counts += f" U{area.unverified}"
    if area.counts.get(Rag.GREY):
        counts += f" Grey{area.counts[Rag.GREY]}"
    next_due = f"next due {day(area.next_due)}" if area.next_due else "nothing due ahead"
    title = escape(truncate(area.title, 45))
    text = f"{title} — {counts} · {area.done}/{area.total} done · {next_due}"
    rolled = area.rollup
    if rolled is None:
        emoji, label = ":white_circle:", "-"
    elif rolled.unverified:
        emoji, label = UNVERIFIED_MARK, "Unverified"
    else:
        emoji, label = EMOJI[rolled.rag], LABEL[rolled.rag]
    return Line(f"{emoji} *{escape(area.ref)}* {text}", f"[{label}] {escape(area.ref)} {text}")


def headline_lines(result: DigestResult) -> list[Line]:
    lines = []
    for plan in result.plans:
        lines.append(plan_line(plan))
    t = result.totals
    steps_overdue = f" and {plural(t.overdue_steps, 'step')}" if t.overdue_steps else ""
    steps_soon = f" and {plural(t.due_soon_steps, 'step')}" if t.due_soon_steps else ""
    total = (  # actions, with the change since last week; steps with dates of their own beside
        f"Open {t.open}{_delta(t.open, t.open_last_week)} · "
        f"Overdue {t.overdue}{_delta(t.overdue, t.overdue_last_week)}{steps_overdue} · "
        f"Due in the next 14 days {t.due_soon}{steps_soon} · "
        f"Completed this week {t.completed_this_week} · Blocked {t.blocked}"
    )
    lines.append(Line(total, total))
    return lines


def _delta(now: int, then: int) -> str:
    diff = now - then
    return f" ({diff:+d})" if diff else ""


def plan_line(plan: PlanHeadline) -> Line:
    parts: list[tuple[Rag | None, str]] = []
    for rag in ORDER:
        if rag is Rag.GREY and not plan.counts[rag] and not plan.last_week[rag]:
            continue
        parts.append(
            (rag, f"{LABEL[rag]} {plan.counts[rag]}{_delta(plan.counts[rag], plan.last_week[rag])}")
        )
    if plan.unverified or plan.unverified_last_week:
        delta = _delta(plan.unverified, plan.unverified_last_week)
        parts.insert(3, (None, f"Unverified {plan.unverified}{delta}"))
    if plan.awaiting_evidence:  # inside Green; said apart so Blue keeps meaning evidenced
        parts.append((None, f"Done, awaiting evidence {plan.awaiting_evidence} (in Green)"))
    pct = (
        f"{plan.percent_complete}% complete{_delta(plan.percent_complete, plan.percent_last_week)}"
    )
    unchanged = (
        " · no change since last week"
        if plan.counts == plan.last_week
        and plan.unverified == plan.unverified_last_week
        and plan.percent_complete == plan.percent_last_week
        else ""
    )
    title = escape(plan.title)
    rich = " · ".join(f"{EMOJI[r] if r else UNVERIFIED_MARK} {text}" for r, text in parts)
    plain = " · ".join(text for _, text in parts)
    n = plural(plan.actions, "action")
    return Line(
        f"*{title}* ({n}): {rich} · {pct}{unchanged}",
        f"{title} ({n}): {plain} · {pct}{unchanged}",
    )


# ---------------------------------------------------------------- the summary


def header_text(result: DigestResult) -> str:
    """The summary's title; the scope's label (a role or area title) is escaped."""
    label = escape(truncate(result.scope.label, 80))
    return f"Weekly summary: {label} · week of {day(result.week)}"


def as_of_text(result: DigestResult) -> str:
    moment: datetime = result.as_of
    return f"As of {moment:%a} {day(moment.date())} {moment:%H:%M} ({result.timezone})."


def key_text(result: DigestResult) -> str:
    return (
        "Red = overdue, blocked or off track. Amber = at risk, or due soon and not started. "
        f"Unverified = otherwise on track but no update for {result.stale_days} days."
    )


def grouped_section(
    title: str,
    items: Sequence[ItemLine],
    total: int,
    line_of: Callable[[ItemLine, list[str]], Line],
    **options: Any,
) -> Section:
    """A list with each action's steps folded into one line under it, so the list is short: an
    action listed with its steps named ("2 steps too: P7.5.2, P7.5.3"), or, where only steps
    are listed, one line for them under their action's reference. Order is kept: a group stands
    where its first entry stood."""
    groups: dict[str, list[ItemLine]] = {}
    for item in items:
        key = item.ref if item.kind == "action" else item.ref.rsplit(".", 1)[0]
        groups.setdefault(key, []).append(item)
    lines: list[Line] = []
    for key, members in groups.items():
        action = next((m for m in members if m.kind == "action"), None)
        steps = [m for m in members if m.kind == "step"]
        if action is not None:
            also = [f"{plural(len(steps), 'step')} too: {', '.join(s.ref for s in steps)}"]
            lines.append(line_of(action, also if steps else []))
        elif len(steps) == 1:
            lines.append(line_of(steps[0], []))
        else:
            lines.append(steps_line(key, steps))
    uncarried = max(0, total - len(items))  # beyond what the summary carries: counted
    return Section(title, tuple(lines), len(lines) + uncarried, **options)


def steps_line(action_ref: str, steps: Sequence[ItemLine]) -> Line:
    """Several steps of one action, on one entry: their references, owner and due dates."""
    first = steps[0]
    ref = escape(action_ref)
    listed = "; ".join(
        f"{escape(s.ref)} {due_words(s.due, s.due_as_written, s.days_overdue)}" for s in steps
    )
    head = (
        f"{EMOJI[first.rag]} *{ref}*: {len(steps)} of its steps",
        f"[{LABEL[first.rag]}] {ref}: {len(steps)} of its steps",
    )
    return entry(head, [escape(first.owner), listed], action_ref, None)


def exceptions_section(result: DigestResult) -> Section:
    """Red then newly amber items, beyond those already listed as needing a decision (every one
    of which is red or blocked): the title and the empty line say "other" so the two sections
    never read as contradicting each other."""
    n_red, n_amber = result.total("exceptions_red"), result.total("exceptions_amber")
    decided = result.total("needs_decision")
    red = f"{n_red} other red" if decided else f"{n_red} red"
    if decided:
        empty = "No red item besides those needing a decision above; nothing newly amber."
    else:
        empty = "Nothing red and nothing newly amber."
    return Section(
        f"Exceptions: {red}, {n_amber} newly amber",
        (
            item_line(i, extra=[updated(i)], note=True)
            for i in (*result.exceptions_red, *result.exceptions_amber)
        ),
        n_red + n_amber,
        empty=empty,
        threaded="exceptions",
    )


def date_changes_section(result: DigestResult) -> Section:
    dates = result.dates
    lines = [
        f"Moved with approval this week: {dates.approved}",
        f"Moved where no approval is needed (recorded): {dates.recorded}",
    ]
    if dates.awaiting:
        lines.append("Awaiting approval: " + ", ".join(dates.awaiting))
    if dates.flagged:
        lines.append("Flagged for the board: " + "; ".join(dates.flagged))
    return Section(
        f"Due dates moved ({dates.approved + dates.recorded}, {len(dates.awaiting)} awaiting "
        "approval)",
        (Line(escape(line), line) for line in lines),
        len(lines),
    )


def sections(result: DigestResult) -> list[Section]:
    # Long but straight: the summary's sections in reading order, each as data: what the
    # session acts on first (decisions, exceptions, overdue, coming up), then what changed.
    out = [
        grouped_section(
            f"Needs a decision ({result.total('needs_decision')})",
            result.needs_decision,
            result.total("needs_decision"),
            lambda i, extra: item_line(i, extra=[*reason_of(i), updated(i), *extra], note=True),
            empty="Nothing blocked or red for two weeks.",
            threaded="needing a decision",
        ),
        exceptions_section(result),
        grouped_section(
            f"Overdue, newest slips first ({result.total('overdue')})",
            result.overdue,
            result.total("overdue"),
            lambda i, extra: item_line(i, extra=extra),
            empty="Nothing overdue.",
            see="ask me “anything overdue?” for the full list",
            threaded="overdue",
        ),
        Section(
            f"Coming up: due in the next 14 days ({result.total('coming_up')})",
            (item_line(i) for i in result.coming_up),
            result.total("coming_up"),
            empty="Nothing due in the next 14 days.",
        ),
        _changes_section(result),
        Section(
            f"No update for {result.stale_days}+ days ({result.total('silent')})",
            (item_line(i, extra=[updated(i)]) for i in result.silent),
            result.total("silent"),
            empty="Every open action has a recent update.",
        ),
    ]
    if result.unanswered:
        out.append(
            Section(
                f"Reminders left unanswered ({result.total('unanswered')})",
                (unanswered_line(u) for u in result.unanswered),
                result.total("unanswered"),
            )
        )
    if result.dates.any:
        out.append(date_changes_section(result))
    if result.owners_to_confirm:
        out.append(
            Section(
                f"Owners to confirm ({len(result.owners_to_confirm)})",
                (Line(escape(name), name) for name in result.owners_to_confirm),
                len(result.owners_to_confirm),
                intro=Line(
                    "_Roles that own open actions with nobody behind them and no cover: "
                    "`role assign` or `cover` puts someone there._",
                    "(Roles that own open actions with nobody behind them and no cover.)",
                ),
                see="ask me “role list”",
            )
        )
    if result.measure_signals:
        out.append(
            Section(
                f"Success measures whose signal changed ({len(result.measure_signals)})",
                (Line(escape(c.line), c.line) for c in result.measure_signals),
                len(result.measure_signals),
                see="ask me for the scorecard",
            )
        )
    out += [
        Section(
            f"Area roll-up ({len(result.areas)})",
            (area_line(a) for a in result.areas),
            len(result.areas),
            intro=Line(
                "_R A G B U = red, amber, green, blue, unverified actions_",
                "(R A G B U = red, amber, green, blue, unverified actions)",
            ),
        ),
    ]
    return out


def _changes_section(result: DigestResult) -> Section:
    """The week's changes, with how many dates were re-baselined."""
    rebaselined = (
        f", {plural(result.rebaselined_this_week, 'date')} re-baselined"
        if result.rebaselined_this_week
        else ""
    )
    return Section(
        f"Changes in the last 7 days ({result.total('changes')}{rebaselined})",
        (change_line(c) for c in result.changes),
        result.total("changes"),
        empty="No updates this week.",
    )


def render_digest(result: DigestResult) -> Rendered:
    title = header_text(result)
    if result.empty:
        line = f"{title}: nothing to report — {result.empty_reason}."
        return Rendered(
            text=line,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": line}}],
        )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(title, 150)}},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": escape(as_of_text(result))},
                {"type": "mrkdwn", "text": escape(key_text(result))},
            ],
        },
    ]
    plain = [title, as_of_text(result), key_text(result), ""]
    head = Section("Headline", tuple(headline_lines(result)), len(headline_lines(result)))
    rich, text = fit(head)
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": rich}})
    plain += [text, ""]
    thread: list[Rendered] = []
    for section in sections(result):
        rest: list[Line] = []
        if section.threaded:
            section = replace(section, lines=tuple(section.lines))
        rich, text = fit(section, rest=rest)
        blocks.append({"type": "divider"})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": rich}})
        plain += [text, ""]
        if rest:
            carried = len(section.lines)  # type: ignore[arg-type]  # a tuple, made so above
            thread += continued(section, rest, section.total - carried)
    footer = escape(
        "For any item above: /plan history <reference> shows every dated update and who made it."
    )
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    plain.append(footer)
    text = "\n".join(plain).strip()
    whole = "\n\n".join([text, *(reply.text for reply in thread)]) if thread else None
    return Rendered(text=text, blocks=blocks[:MAX_BLOCKS], thread=tuple(thread), whole_text=whole)


# ---------------------------------------------------------------- subscriptions


def subscription_line(line: SubscriptionLine) -> Line:
    scope = escape(line.scope.label)
    posted = "posted this week" if line.posted_this_week else "not posted yet this week"
    if line.last_error and not line.posted_this_week:
        posted += f" (last try failed: {escape(truncate(line.last_error, 80))})"
    nxt = line.next_at
    text = f"{scope} — {line.when}; next {nxt:%a} {day(nxt.date())} {nxt:%H:%M} · {posted}"
    return Line(
        f"• #{line.id} {channel_mention(line.channel)}: {text}",
        f"• #{line.id} {escape(line.channel)}: {text}",
    )


def render_digest_subscription(result: DigestSubscriptionResult) -> Rendered:
    message = escape(result.message)
    if result.contact:
        message += f" (set up by {mention(result.contact)})"
    lines = [subscription_line(s) for s in result.subscriptions]
    section = Section("Weekly summaries", tuple(lines), len(lines))
    rich, plain = fit(section) if lines else ("", "")
    text = message + ("\n" + plain if plain else "")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": message}}
    ]
    if lines:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": rich}})
    return Rendered(text=text, blocks=blocks)
