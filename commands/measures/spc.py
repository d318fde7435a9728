"""XmR (individuals and moving range) charts as the NHS "Making Data Count" method reads them.

Plain arithmetic, no dependency: the centre line is the mean of the points, the natural process
limits are mean ± 2.66 × the mean moving range (2.66 = 3 / 1.128, so the limits sit three
sigma out), and the "near a limit" band is beyond two sigma (mean ± 2/3 of that distance). A
stated change point (a rebase) starts a new period whose mean and limits are worked out afresh.

The four rules, each flagging the points that make it:
1. a single point beyond a process limit;
2. two out of three points in a row beyond two sigma on the same side of the mean;
3. a run of `run_length` points in a row on one side of the mean (a point on the mean breaks it);
4. a trend of `trend_length` points in a row each higher (or each lower) than the one before.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

LIMIT_FACTOR = 2.66
NEAR_FACTOR = LIMIT_FACTOR * 2 / 3  # two sigma


class Rule(StrEnum):
    BEYOND_LIMIT = "beyond a limit"
    TWO_OF_THREE = "two of three near a limit"
    RUN = "run on one side of the mean"
    TREND = "trend"


_RULE_ORDER = {rule: n for n, rule in enumerate(Rule)}


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float

    @property
    def upper(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lower(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def upper_near(self) -> float:
        return self.mean + NEAR_FACTOR * self.mean_moving_range

    @property
    def lower_near(self) -> float:
        return self.mean - NEAR_FACTOR * self.mean_moving_range


@dataclass(frozen=True)
class Flag:
    """Point `index` is part of a signal by `rule`, on the `high` or low side of the mean."""

    index: int
    rule: Rule
    high: bool


def limits_of(values: Sequence[float]) -> Limits:
    """Mean and mean moving range of at least one value (one value: no spread)."""
    if not values:
        raise ValueError("an XmR chart needs at least one value")
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    return Limits(mean, sum(ranges) / len(ranges) if ranges else 0.0)


def segments(count: int, starts: Sequence[int]) -> list[range]:
    """Index ranges of the periods between change points (`starts`: first index of each new one)."""
    cuts = sorted({s for s in starts if 0 < s < count})
    bounds = [0, *cuts, count]
    return [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def beyond_limits(values: Sequence[float], limits: Limits) -> list[Flag]:
    return [
        Flag(i, Rule.BEYOND_LIMIT, v > limits.mean)
        for i, v in enumerate(values)
        if v > limits.upper or v < limits.lower
    ]


def two_of_three(values: Sequence[float], limits: Limits) -> list[Flag]:
    flags: dict[int, Flag] = {}
    upper, lower = limits.upper_near, limits.lower_near
    for high, beyond in ((True, [v > upper for v in values]), (False, [v < lower for v in values])):
        for start in range(len(values) - 2):
            near = [i for i in range(start, start + 3) if beyond[i]]
            if len(near) >= 2:
                flags.update({i: Flag(i, Rule.TWO_OF_THREE, high) for i in near})
    return [flags[i] for i in sorted(flags)]


def runs(values: Sequence[float], mean: float, length: int) -> list[Flag]:
    flags: list[Flag] = []
    side, start = 0, 0
    for i, value in enumerate([*values, mean]):  # the sentinel closes the last run
        now = (value > mean) - (value < mean)
        if now != side or now == 0:
            if side and i - start >= length:
                flags.extend(Flag(j, Rule.RUN, side > 0) for j in range(start, i))
            side, start = now, i
    return flags


def trends(values: Sequence[float], length: int) -> list[Flag]:
    """Points in a row each above (or below) the one before; `length` counts the points."""
    flags: list[Flag] = []
    direction, start = 0, 0
    for i in range(1, len(values) + 1):
        step = 0 if i == len(values) else (values[i] > values[i - 1]) - (values[i] < values[i - 1])
        if step != direction or step == 0:
            if direction and i - start >= length:
                flags.extend(Flag(j, Rule.TREND, direction > 0) for j in range(start, i))
            direction, start = step, i - 1
    return flags


@dataclass(frozen=True)
class Chart:
    """One XmR chart: the limits of each period (`periods[k]` covers `spans[k]`) and the flags."""

    values: tuple[float, ...]
    spans: tuple[range, ...]
    periods: tuple[Limits, ...]
    flags: tuple[Flag, ...]

    @property
    def current(self) -> Limits:
        return self.periods[-1]

    def limits_at(self, index: int) -> Limits:
        for span, limits in zip(self.spans, self.periods, strict=True):
            if index in span:
                return limits
        raise IndexError(index)

    def flags_at(self, index: int) -> tuple[Flag, ...]:
        return tuple(flag for flag in self.flags if flag.index == index)


def xmr(
    values: Sequence[float],
    *,
    run_length: int = 7,
    trend_length: int = 7,
    rebase_at: Sequence[int] = (),
) -> Chart:
    """The chart of `values` in time order, new limits from each index in `rebase_at`."""
    spans = segments(len(values), rebase_at)
    periods: list[Limits] = []
    flags: list[Flag] = []
    for span in spans:
        part = [values[i] for i in span]
        limits = limits_of(part)
        periods.append(limits)
        found = [
            *beyond_limits(part, limits),
            *two_of_three(part, limits),
            *runs(part, limits.mean, run_length),
            *trends(part, trend_length),
        ]
        flags.extend(Flag(f.index + span.start, f.rule, f.high) for f in found)
    flags.sort(key=lambda f: (f.index, _RULE_ORDER[f.rule]))
    return Chart(tuple(values), tuple(spans), tuple(periods), tuple(flags))
