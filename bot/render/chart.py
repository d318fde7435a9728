"""The weekly summary's chart: status by area (stacked bars by colour) and the 12-week trend.

A bare matplotlib Figure (no pyplot, so no GUI backend and no global state shared between
threads) renders with Agg into bytes; nothing touches a display or the disk. Many
areas (a synthetic or merged store) are cut to the areas with the most open actions so the bars stay
readable; the title says how many were left out.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from commands.digest.result import AreaLine, DigestResult
from store.models.status import Rag

MAX_AREAS = 20
WIDTH_IN, HEIGHT_IN, DPI = 11.0, 5.0, 100
# Council BRAG colours, darkened enough to read as text on white and distinct in greyscale.
COLOURS = {
    Rag.RED: "#c62828",
    Rag.AMBER: "#f9a825",
    Rag.GREEN: "#2e7d32",
    Rag.BLUE: "#1565c0",
    Rag.GREY: "#9e9e9e",
}
UNVERIFIED_COLOUR = "#6d4c41"
STACK = (Rag.BLUE, Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREY)
LABELS = {Rag.BLUE: "Blue (done)", Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red",
          Rag.GREY: "Grey (dropped)"}  # fmt: skip


def chosen_areas(areas: tuple[AreaLine, ...]) -> tuple[list[AreaLine], int]:
    """The areas to draw (document order) and how many were left out."""
    if len(areas) <= MAX_AREAS:
        return list(areas), 0
    busiest = sorted(areas, key=lambda a: -(a.counts[Rag.RED] * 1000 + a.total - a.done))[
        :MAX_AREAS
    ]
    keep = {id(a) for a in busiest}
    return [a for a in areas if id(a) in keep], len(areas) - MAX_AREAS


def chart_png(result: DigestResult) -> bytes:
    """A PNG of the summary's area colours and open/overdue trend (about 1100×500 pixels)."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    areas, left_out = chosen_areas(result.areas)
    names = [a.ref for a in areas][::-1]
    lefts = [0] * len(names)
    for rag in STACK:
        values = [a.counts.get(rag, 0) for a in areas][::-1]
        if not any(values):
            continue
        left.barh(
            names, values, left=lefts, color=COLOURS[rag], label=LABELS[rag], edgecolor="white"
        )
        lefts = [x + v for x, v in zip(lefts, values, strict=True)]
    unverified = [a.unverified for a in areas][::-1]
    if any(unverified):  # no recent update: a colour of its own, never drawn as green or amber
        left.barh(names, unverified, left=lefts, color=UNVERIFIED_COLOUR,
                  label="Unverified (no update)", edgecolor="white", hatch="//")  # fmt: skip
        lefts = [x + v for x, v in zip(lefts, unverified, strict=True)]
    title = "Actions by area and colour"
    if left_out:
        title += f" ({left_out} quieter areas not shown)"
    left.set_title(title, fontsize=11, loc="left")
    left.set_xlabel("actions")
    left.set_xlim(0, max([*lefts, 1]) * 1.08)
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = left.get_legend_handles_labels()
    left.legend(handles[::-1], labels[::-1], loc="lower right", fontsize=8, framealpha=0.9)
    left.grid(axis="x", alpha=0.3)
    left.set_axisbelow(True)
    left.tick_params(axis="y", labelsize=9)

    days = [p.on for p in result.trend]
    right.plot(
        days, [p.open for p in result.trend], marker="o", color="#37474f", label="open", linewidth=3
    )
    right.plot(
        days,
        [p.overdue for p in result.trend],
        marker="o",
        color=COLOURS[Rag.RED],
        label="overdue",
    )
    right.set_title("Open and overdue actions, last 12 weeks", fontsize=11, loc="left")
    peak = max([p.open for p in result.trend] or [0])
    right.set_ylim(0, max(4, peak * 1.3))  # headroom so the legend never covers a line
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.grid(alpha=0.3)
    right.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
    ticks = days[::-2][::-1]  # every other week, always including this one
    right.set_xticks(ticks)
    right.set_xticklabels([f"{d.day} {d:%b}" for d in ticks], rotation=45, fontsize=8)
    figure.suptitle(
        f"{result.scope.label[:80]} · week of {result.week.day} {result.week:%b %Y}", fontsize=12
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
