"""The chart in a committee paper: delivery by area (actions by status, one bar per area), with
alt text that says the same in words. Hatching as well as colour, so a greyscale print or a
reader who cannot tell the colours apart loses nothing."""

from __future__ import annotations

import io

from commands.reports.facts import PaperFacts

SEGMENTS = (  # status label as facts count it, shown label, colour, hatch
    ("done", "Done", "#1565c0", ""),
    ("in progress", "In progress", "#2e7d32", "//"),
    ("not started", "Not started", "#9e9e9e", ".."),
    ("blocked", "Blocked", "#c62828", "xx"),
    ("dropped", "Dropped", "#d7ccc8", "--"),
)


def delivery_chart(facts: PaperFacts) -> tuple[bytes, str]:
    """(PNG bytes, alt text) of each area's actions by delivery status."""
    from matplotlib.figure import Figure  # loaded for a paper, not with every command line

    areas = list(facts.areas)
    height = max(2.5, 0.45 * len(areas) + 1.4)
    figure = Figure(figsize=(8.0, height), dpi=150)
    axes = figure.add_subplot()
    names = [f"{a.ref} {a.title[:38]}{'…' if len(a.title) > 38 else ''}" for a in areas]
    left = [0] * len(areas)
    for status, label, colour, hatch in SEGMENTS:
        values = [dict(a.counts).get(status, 0) for a in areas]
        if not any(values):
            continue
        axes.barh(names, values, left=left, color=colour, hatch=hatch, edgecolor="white",
                  label=label)  # fmt: skip
        left = [x + v for x, v in zip(left, values, strict=True)]
    axes.invert_yaxis()  # document order, first area at the top
    axes.set_xlabel("actions")
    axes.set_title(f"Delivery by area, {facts.as_of:%-d %b %Y}", loc="left", fontsize=11)
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue(), alt_text(facts)


def alt_text(facts: PaperFacts) -> str:
    parts = []
    for area in facts.areas:
        counts = ", ".join(f"{n} {label}" for label, n in area.counts if n) or "no actions"
        parts.append(f"{area.ref}: {counts}")
    return (
        f"Bar chart of each area's actions by delivery status on {facts.as_of:%-d %B %Y}. "
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
