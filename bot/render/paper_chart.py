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
