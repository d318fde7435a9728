"""The chart in a committee paper: delivery by area (actions by status, one bar per area), with
alt text that says the same in words. Hatching as well as colour, so a greyscale print or a
reader who cannot tell the colours apart loses nothing. A paper over more areas than a page can
show as bars (MAX_BARS) has a bar per plan instead; over more plans still, the plans with the
most open actions, the rest said in the title and all of them in the alt text."""

from __future__ import annotations

import io
from dataclasses import dataclass

from commands.reports.facts import PaperFacts

SEGMENTS = (  # status label as facts count it, shown label, colour, hatch
    ("done", "Done", "#1565c0", ""),
    ("in progress", "In progress", "#2e7d32", "//"),
    ("not started", "Not started", "#9e9e9e", ".."),
    ("blocked", "Blocked", "#c62828", "xx"),
    ("dropped", "Dropped", "#d7ccc8", "--"),
)


MAX_BARS = 30  # bars that still read on an A4 page


@dataclass(frozen=True)
class _Bar:
    name: str  # as drawn
    label: str  # as the alt text says it
    counts: dict[str, int]

    @property
    def open(self) -> int:
        return sum(n for status, n in self.counts.items() if status not in ("done", "dropped"))


def _plan_bars(facts: PaperFacts) -> list[_Bar]:
    """A bar per plan, its areas' counts added up, in document order."""
    by_plan: dict[str, dict[str, int]] = {}
    for area in facts.areas:
        counts = by_plan.setdefault(area.plan, {})
        for status, n in area.counts:
            counts[status] = counts.get(status, 0) + n
    return [
        _Bar(f"{plan[:44]}{'…' if len(plan) > 44 else ''}", plan, counts)
        for plan, counts in by_plan.items()
    ]


def _bars(facts: PaperFacts) -> tuple[str, list[_Bar], int]:
    """What the chart draws: its subject ("area" or "plan"), the bars, and the bars left out."""
    if len(facts.areas) <= MAX_BARS:
        bars = [
            _Bar(f"{a.ref} {a.title[:38]}{'…' if len(a.title) > 38 else ''}", a.ref, dict(a.counts))
            for a in facts.areas
        ]
        return "area", bars, 0
    bars = _plan_bars(facts)
    if len(bars) <= MAX_BARS:
        return "plan", bars, 0
    busiest = sorted(range(len(bars)), key=lambda i: -bars[i].open)[:MAX_BARS]
    return "plan", [bars[i] for i in sorted(busiest)], len(bars) - MAX_BARS


def delivery_chart(facts: PaperFacts) -> tuple[bytes, str]:
    """(PNG bytes, alt text) of each area's (or plan's) actions by delivery status."""
    from matplotlib.figure import Figure  # loaded for a paper, not with every command line

    subject, bars, left_out = _bars(facts)
    height = max(2.5, 0.45 * len(bars) + 1.4)
    figure = Figure(figsize=(8.0, height), dpi=150)
    axes = figure.add_subplot()
    names = [bar.name for bar in bars]
    left = [0] * len(bars)
    for status, label, colour, hatch in SEGMENTS:
        values = [bar.counts.get(status, 0) for bar in bars]
        if not any(values):
            continue
        axes.barh(names, values, left=left, color=colour, hatch=hatch, edgecolor="white",
                  label=label)  # fmt: skip
        left = [x + v for x, v in zip(left, values, strict=True)]
    axes.invert_yaxis()  # document order, first area at the top
    axes.set_xlabel("actions")
    title = f"Delivery by {subject}, {facts.as_of:%-d %b %Y}"
    if left_out:
        title += f"\nThe {len(bars)} plans with most open actions; {left_out} more in Annex A."
        figure.suptitle(title, x=0.02, ha="left", fontsize=11)  # wider than the bars' axes
    else:
        axes.set_title(title, loc="left", fontsize=11)
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), alt_text(facts)


def alt_text(facts: PaperFacts) -> str:
    """The chart in words: every area's counts, or every plan's when it has a bar per plan (those
    left off the picture too)."""
    subject, bars, left_out = _bars(facts)
    if left_out:
        bars = _plan_bars(facts)
    parts = []
    for bar in bars:
        counts = ", ".join(f"{n} {status}" for status, n in bar.counts.items() if n)
        parts.append(f"{bar.label}: {counts or 'no actions'}")
    return (
        f"Bar chart of each {subject}'s actions by delivery status on {facts.as_of:%-d %B %Y}. "
        + "; ".join(parts)
        + "."
    )


LINES = (  # trend series: field, label, colour, line style, marker
    ("open", "Open", "#37474f", "-", "o"),
    ("overdue", "Overdue", "#c62828", "--", "s"),
    ("done", "Done", "#1565c0", ":", "^"),
)


def trend_chart(facts: PaperFacts) -> tuple[bytes, str]:
    """(PNG bytes, alt text) of the actions open, overdue and done on each day sampled since the
    plan began; each line has its own dash and marker and is named at its end, not by colour."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    points = facts.trend
    days = date2num([point.on for point in points])
    figure = Figure(figsize=(8.0, 3.2), dpi=150)
    axes = figure.add_subplot()
    for name, label, colour, style, marker in LINES:
        values = [getattr(point, name) for point in points]
        axes.plot(days, values, color=colour, linestyle=style, marker=marker, markersize=3,
                  linewidth=2, label=label, drawstyle="steps-post")  # fmt: skip
        if values:
            axes.annotate(f" {label} {values[-1]}", (days[-1], values[-1]), fontsize=8,
                          color=colour, va="center")  # fmt: skip
    for start in facts.plan_starts[1:]:  # a later plan's actions join the count on its date
        when = float(date2num(start.on))
        axes.axvline(when, color="#9e9e9e", linestyle="-.", linewidth=1)
        axes.annotate(f" {start.title} begins", (when, axes.get_ylim()[1]), fontsize=7,
                      color="#616161", va="top")  # fmt: skip
    axes.set_ylabel("actions")
    axes.set_ylim(bottom=0)
    axes.set_title("Actions open, overdue and done since the plan began", loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), trend_alt_text(facts)


def trend_alt_text(facts: PaperFacts) -> str:
    points = facts.trend
    if not points:
        return "Line chart of actions open, overdue and done: no data."
    first, last = points[0], points[-1]
    parts = []
    for name, label, *_ in LINES:
        values = [getattr(point, name) for point in points]
        peak = max(values)
        at = points[values.index(peak)].on
        said = f"{label.lower()} went from {values[0]} to {values[-1]}"
        if peak > max(values[0], values[-1]):
            said += f" (highest {peak}, on {at:%-d %b %Y})"
        parts.append(said)
    joins = "".join(
        f" The {start.title}'s actions are counted from {start.on:%-d %B %Y}."
        for start in facts.plan_starts[1:]
    )
    return (
        f"Line chart of the actions open, overdue and done from {first.on:%-d %B %Y} to "
        f"{last.on:%-d %B %Y}: " + "; ".join(parts) + "." + joins
    )
