"""The weekly summary's chart: status by area (stacked bars by colour, areas named) and a
burn-up of the last 12 weeks (done against what the plan had due by then, and overdue), with
alt text that says the same in words.

A bare matplotlib Figure (no pyplot, so no GUI backend and no global state shared between
threads) renders with Agg into bytes; nothing touches a display or the disk. Many
areas (a synthetic or merged store) are cut to the areas with the most open actions so the bars stay
readable; the title says how many were left out.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from commands.digest.result import AreaLine, DigestResult
from store.models.status import Rag

MAX_AREAS = 20
AREA_TITLE = 28  # characters of an area's title beside its reference
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


def area_label(area: AreaLine) -> str:
    """An area as the chart names it: its reference and its title, cut at a word."""
    title = " ".join(area.title.split()).rstrip(".")
    if len(title) > AREA_TITLE:
        title = title[:AREA_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{area.ref} {title}"


def _burn_up(axes: Axes, result: DigestResult) -> None:
    """Done against what the plan had due by then, with overdue beside: a line style and marker
    each, named in the legend, so colour is never the only sign."""
    points = result.trend
    days = date2num([p.on for p in points])
    axes.plot(days, [p.planned for p in points], color="#616161", linestyle="--", marker="s",
              markersize=4, label="due by then (plan)")  # fmt: skip
    axes.plot(days, [p.done for p in points], color=COLOURS[Rag.BLUE], linewidth=3, marker="o",
              label="done")  # fmt: skip
    axes.plot(days, [p.overdue for p in points], color=COLOURS[Rag.RED], linestyle=":",
              marker="^", label="overdue")  # fmt: skip
    weeks = len(points)
    axes.set_title(f"Done against due, {weeks} wk (dated actions)", fontsize=11, loc="left")
    peak = max([max(p.planned, p.done, p.overdue) for p in points] or [0])
    axes.set_ylim(0, max(4, peak * 1.3))  # headroom so the legend never covers a line
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
    ticks = days[::-2][::-1]  # every other week, always including this one
    axes.set_xticks(ticks)
    labels = [f"{p.on.day} {p.on:%b}" for p in points[::-2][::-1]]
    axes.set_xticklabels(labels, rotation=45, fontsize=8)


def chart_alt_text(result: DigestResult) -> str:
    """What the chart shows, in words, for the upload's alt text."""
    areas, left_out = chosen_areas(result.areas)
    parts = []
    for area in areas:
        counts = ", ".join(
            f"{area.counts.get(rag, 0)} {LABELS[rag].split(' ')[0].lower()}"
            for rag in STACK
            if area.counts.get(rag, 0)
        )
        if area.unverified:
            counts += (", " if counts else "") + f"{area.unverified} unverified"
        parts.append(f"{area.ref} {counts or 'no actions'}")
    text = "Bar chart of actions by area and colour: " + "; ".join(parts) + "."
    if left_out:
        text += f" {left_out} quieter areas not shown."
    if result.trend:
        first, last = result.trend[0], result.trend[-1]
        text += (
            f" Line chart from {first.on:%-d %b} to {last.on:%-d %b %Y} of the actions the plan "
            f"gives a date: {last.planned} due by now, {last.done} done (from {first.done}); "
            f"overdue went from {first.overdue} to {last.overdue}."
        )
    return text


def chart_png(result: DigestResult) -> bytes:
    """A PNG of the summary's area colours and open/overdue trend (about 1100×500 pixels)."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    areas, left_out = chosen_areas(result.areas)
    names = [area_label(a) for a in areas][::-1]
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

    _burn_up(right, result)
    figure.suptitle(
        f"{result.scope.label[:80]} · week of {result.week.day} {result.week:%b %Y}", fontsize=12
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
