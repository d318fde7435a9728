"""A measure's XmR chart as a PNG, with the alt text that says what it shows.

Points in time order, the mean and natural process limits of each period (a rebase starts a new
one), points in a special-cause signal ringed (improvement blue, concern orange, neither
purple, as Making Data Count colours them; a point in both an improving and a worrying signal is
ringed as a concern) and the target dashed. Counts below the
small-number threshold are drawn in a shaded "fewer than N" band at its middle, never at their
value. A bare Figure drawn with Agg: no display, no shared pyplot state.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from commands.measures.assess import good_side
from commands.measures.numbers import show_value, suppressed
from commands.measures.series import Series

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 5.0, 100
IMPROVEMENT, CONCERN, NEITHER, COMMON = "#1565c0", "#e65100", "#6a1b9a", "#616161"
RING_LABELS = {IMPROVEMENT: "improvement", CONCERN: "concern", NEITHER: "special cause"}
MAX_TICKS = 24  # more periods than this: every second (third…) label, so none overlap


def _shown(series: Series, value: float) -> float:
    scale = 100.0 if series.unit == "fraction" else 1.0
    return value * scale


def chart_png(series: Series, small_count: int) -> bytes:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.subplots()
    labels = [p.period.label for p in series.points]
    xs = list(range(len(labels)))
    hidden = [suppressed(p.value, series.unit, small_count) for p in series.points]
    ys = [
        small_count / 2 if hide else _shown(series, p.value)
        for p, hide in zip(series.points, hidden, strict=True)
    ]
    if any(hidden):
        axes.axhspan(0, small_count, color="#eeeeee", label=f"fewer than {small_count}")
    axes.plot(xs, ys, color=COMMON, marker="o", linewidth=1.5, label=series.name[:60])
    chart = series.assessment.chart
    if chart is not None:
        for n, (span, limits) in enumerate(zip(chart.spans, chart.periods, strict=True)):
            first, last = span.start - 0.3, span.stop - 1 + 0.3
            mean_label = "mean" if n == 0 else "_nolegend_"
            limit_label = "process limits" if n == 0 else "_nolegend_"
            axes.hlines(_shown(series, limits.mean), first, last, colors="#212121",
                        label=mean_label)  # fmt: skip
            axes.hlines(
                [_shown(series, limits.upper), _shown(series, limits.lower)], first, last,
                colors="#757575", linestyles="dotted", label=limit_label,
            )  # fmt: skip
        ringed: dict[str, list[int]] = {CONCERN: [], IMPROVEMENT: [], NEITHER: []}
        for index in sorted({flag.index for flag in chart.flags}):
            sides = {good_side(flag, series.polarity) for flag in chart.flags_at(index)}
            colour = CONCERN if False in sides else IMPROVEMENT if True in sides else NEITHER
            ringed[colour].append(index)
        for colour, indices in ringed.items():
            if indices:
                axes.plot(indices, [ys[i] for i in indices], linestyle="none", marker="o",
                          markersize=11, color=colour, markerfacecolor="none",
                          markeredgewidth=2, label=RING_LABELS[colour])  # fmt: skip
    if series.target is not None:
        axes.axhline(_shown(series, series.target), color="#c62828", linestyle="--", label="target")
    step = max(1, -(-len(xs) // MAX_TICKS))
    axes.set_xticks(xs[::step], labels[::step], rotation=45, ha="right", fontsize=9)
    axes.set_title(series.name[:90], fontsize=12)
    unit = {"percent": "%", "fraction": "%", "days": "days", "count": "count"}.get(
        series.unit or "", "value"
    )
    axes.set_ylabel(unit, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.subplots_adjust(left=0.07, right=0.8, top=0.92, bottom=0.2)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def alt_text(series: Series, small_count: int) -> str:
    """What the chart shows, in words, for a screen reader (Slack's alt text, under 1000)."""
    a = series.assessment
    points = series.points
    first, last = points[0].period.label, points[-1].period.label
    words = [
        f"XmR chart of {series.name[:120]}: {len(points)} points from {first} to {last}.",
        f"Latest {show_value(a.latest, series.unit, small_count)} ({last}).",
    ]
    if a.chart is not None:
        limits = a.chart.current
        words.append(
            f"Mean {show_value(limits.mean, series.unit, 0)}, process limits "
            f"{show_value(limits.lower, series.unit, 0)} to "
            f"{show_value(limits.upper, series.unit, 0)}."
        )
        words.append(f"Variation: {a.variation}. Assurance: {a.assurance}.")
    elif a.spc_note:
        words.append(f"No limits drawn: {a.spc_note}. Direction: {a.direction}.")
    if series.target is not None:
        words.append(f"Target {show_value(series.target, series.unit, 0)} (dashed line).")
    return " ".join(words)[:1000]
