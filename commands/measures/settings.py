"""The settings the measures journey reads: rule lengths for the XmR signals and suppression."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeasureSettings:
    """PLANBOT_SPC_RUN, PLANBOT_SPC_TREND, PLANBOT_SPC_MIN_POINTS, PLANBOT_SMALL_COUNT."""

    run_length: int = 7  # points in a row on one side of the mean: a shift
    trend_length: int = 7  # points in a row rising (or falling): a trend
    min_points: int = 10  # fewer points than this: direction of travel only
    small_count: int = 5  # a count below this (above 0) is shown as "fewer than 5"
