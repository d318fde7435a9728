"""XmR limits, the four Making Data Count rules and both icon families on series worked by hand,
with property tests and a cross-check of the limits against statprocon."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.measures.assess import (
    Assurance,
    Direction,
    Rag,
    Target,
    Variation,
    assess,
    assurance_of,
    direction_of,
    rag_of,
    variation_of,
)
from commands.measures.settings import MeasureSettings
from commands.measures.spc import Rule, limits_of, runs, trends, two_of_three, xmr

SETTINGS = MeasureSettings()
STABLE = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0, 10.0, 12.0]  # mean 11, mR 2


def rules_at(values: list[float], index: int, **kw: int) -> set[Rule]:
    return {flag.rule for flag in xmr(values, **kw).flags_at(index)}


def test_limits_of_a_series_worked_by_hand() -> None:
    limits = limits_of(STABLE)
    assert limits.mean == 11.0
    assert limits.mean_moving_range == 2.0
    assert limits.upper == pytest.approx(11 + 2.66 * 2)  # 16.32
    assert limits.lower == pytest.approx(11 - 2.66 * 2)  # 5.68
    assert limits.upper_near == pytest.approx(11 + 2.66 * 2 * 2 / 3)
    # another: 5, 7, 6, 8 -> mean 6.5, moving ranges 2, 1, 2 -> 5/3
    other = limits_of([5, 7, 6, 8])
    assert other.mean == 6.5
    assert other.mean_moving_range == pytest.approx(5 / 3)
    assert other.upper == pytest.approx(6.5 + 2.66 * 5 / 3)


def test_a_stable_series_has_no_signal() -> None:
    assert xmr(STABLE).flags == ()


def test_rule_one_a_point_beyond_a_limit() -> None:
    values = [*STABLE, 30.0]  # mean 11+19/11, far above the upper limit
    chart = xmr(values)
    assert Rule.BEYOND_LIMIT in rules_at(values, 10)
    assert all(flag.index == 10 or flag.rule != Rule.BEYOND_LIMIT for flag in chart.flags)
    low = [*STABLE, -20.0]
    assert [f.high for f in xmr(low).flags_at(10) if f.rule == Rule.BEYOND_LIMIT] == [False]


def test_rule_two_two_of_three_beyond_two_sigma_on_one_side() -> None:
    # mean 11, mR 2 for the base; checked directly against fixed limits so the case is exact
    limits = limits_of(STABLE)  # 2 sigma above: 11 + 3.5467 = 14.55
    flagged = two_of_three([11, 15, 11, 15.5, 11], limits)
    assert [f.index for f in flagged] == [1, 3]
    assert all(f.high for f in flagged)
    # two near the limit but on opposite sides: no signal
    assert two_of_three([15, 11, 7], limits) == []
    # only one of three near: no signal
    assert two_of_three([15, 11, 11, 11, 15], limits) == []


def test_rule_three_a_run_on_one_side_of_the_mean_and_its_length_is_a_setting() -> None:
    assert [f.index for f in runs([1, 1, 1, 1, 1, 1, 1, 9], 5, 7)] == [0, 1, 2, 3, 4, 5, 6]
    assert runs([1, 1, 1, 1, 1, 1, 9], 5, 7) == []  # six: not yet
    assert len(runs([1, 1, 1, 1, 1, 1, 9], 5, 6)) == 6  # run length 6 as a setting
    # a point on the mean breaks the run
    assert runs([1, 1, 1, 5, 1, 1, 1, 1], 5, 7) == []
    assert all(not f.high for f in runs([1] * 7, 5, 7))


def test_rule_four_a_trend_rising_or_falling_and_its_length_is_a_setting() -> None:
    assert [f.index for f in trends([1, 2, 3, 4, 5, 6, 7], 7)] == list(range(7))
    assert trends([1, 2, 3, 4, 5, 6], 7) == []
    assert len(trends([1, 2, 3, 4, 5, 6], 6)) == 6
    assert all(not f.high for f in trends([9, 8, 7, 6, 5, 4, 3], 7))
    # a repeated value breaks a trend
    assert trends([1, 2, 3, 3, 4, 5, 6, 7], 7) == []
    assert [f.index for f in trends([5, 1, 2, 3, 4, 5, 6, 7], 7)] == list(range(1, 8))


def test_a_rebase_starts_new_limits_at_the_change_point() -> None:
    values = [*STABLE, *[v + 20 for v in STABLE]]
    whole = xmr(values)
    assert Rule.RUN in rules_at(values, 19)
    rebased = xmr(values, rebase_at=[10])
    assert [p.mean for p in rebased.periods] == [11.0, 31.0]
    assert rebased.flags == ()
    assert whole.current.mean == 21.0


def test_variation_icon_reads_the_latest_point_by_polarity() -> None:
    rising = [*STABLE, 30.0]
    assert variation_of(xmr(rising), "up") == Variation.IMPROVEMENT
    assert variation_of(xmr(rising), "down") == Variation.CONCERN
    assert variation_of(xmr(rising), "near") == Variation.NEITHER
    assert variation_of(xmr(STABLE), "up") == Variation.COMMON
    # an early trend (points 0-6) does not colour the latest point
    old = [1.0, 2, 3, 4, 5, 6, 7, 4, 5, 3, 4, 5, 3, 4]
    assert {f.index for f in xmr(old).flags} == set(range(7))
    assert variation_of(xmr(old), "up") == Variation.COMMON
    # a spike early moves the mean so much that all later points run below it: a concern
    assert variation_of(xmr([30.0, *STABLE]), "up") == Variation.CONCERN


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        (5.0, "up", Assurance.PASSES),  # lower limit 5.68 above the target
        (17.0, "up", Assurance.FAILS),  # upper limit 16.32 below the target
        (11.0, "up", Assurance.HIT_AND_MISS),
        (17.0, "down", Assurance.PASSES),
        (5.0, "down", Assurance.FAILS),
        (11.0, "down", Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_icon_places_the_target_against_the_limits(
    target: float, polarity: str, expected: Assurance
) -> None:
    assert assurance_of(xmr(STABLE), Target(polarity, target, None)) == expected


def test_assurance_for_a_near_target_measure_uses_the_tolerance_band() -> None:
    chart = xmr(STABLE)  # limits 5.68 .. 16.32
    assert assurance_of(chart, Target("near", 11, 6)) == Assurance.PASSES
    assert assurance_of(chart, Target("near", 11, 2)) == Assurance.HIT_AND_MISS
    assert assurance_of(chart, Target("near", 40, 2)) == Assurance.FAILS
    assert assurance_of(chart, Target("up", None, None)) == Assurance.NO_TARGET


def test_rag_against_the_tolerance_band() -> None:
    assert rag_of(12, Target("down", 12, 1)) == Rag.GREEN
    assert rag_of(12.8, Target("down", 12, 1)) == Rag.AMBER
    assert rag_of(13.5, Target("down", 12, 1)) == Rag.RED
    assert rag_of(80, Target("up", 75, 5)) == Rag.GREEN
    assert rag_of(71, Target("up", 75, 5)) == Rag.AMBER
    assert rag_of(69, Target("up", 75, 5)) == Rag.RED
    assert rag_of(22, Target("near", 20, 3)) == Rag.GREEN
    assert rag_of(25, Target("near", 20, 3)) == Rag.AMBER
    assert rag_of(27, Target("near", 20, 3)) == Rag.RED
    assert rag_of(27, Target("up", None, None)) == Rag.NONE


def test_direction_of_travel_by_polarity() -> None:
    assert direction_of([5, 4], Target("down", None, None)) == Direction.IMPROVING
    assert direction_of([5, 4], Target("up", None, None)) == Direction.WORSENING
    assert direction_of([5, 5], Target("up", None, None)) == Direction.SAME
    assert direction_of([5, 4], Target(None, None, None)) == Direction.CHANGED
    assert direction_of([10, 12], Target("near", 13, 1)) == Direction.IMPROVING
    assert direction_of([5], Target("up", None, None)) == Direction.ONE_POINT


def test_below_ten_points_only_direction_of_travel_and_it_says_so() -> None:
    few = assess(STABLE[:9], Target("up", 11, 1), SETTINGS)
    assert few.chart is None
    assert few.variation == Variation.TOO_FEW and few.assurance == Assurance.TOO_FEW
    assert few.spc_note == "9 of 10 points needed: direction of travel only"
    assert few.direction == Direction.WORSENING  # 12 then 10, higher is better
    enough = assess(STABLE, Target("up", 11, 1), SETTINGS)
    assert enough.chart is not None and enough.spc_note is None
    fewer_needed = assess(STABLE[:6], Target("up", 11, 1), MeasureSettings(min_points=6))
    assert fewer_needed.chart is not None


series = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(series)
def test_limits_bracket_the_mean_symmetrically_and_shift_with_the_data(values: list[float]) -> None:
    limits = limits_of(values)
    assert limits.lower <= limits.mean <= limits.upper
    assert limits.upper - limits.mean == pytest.approx(limits.mean - limits.lower, abs=1e-6)
    shifted = limits_of([v + 100 for v in values])
    assert shifted.mean == pytest.approx(limits.mean + 100, abs=1e-6)
    assert shifted.mean_moving_range == pytest.approx(limits.mean_moving_range, abs=1e-5)


@settings(max_examples=200, deadline=None)
@given(series)
def test_every_flag_is_on_a_point_that_breaks_its_rule(values: list[float]) -> None:
    chart = xmr(values)
    limits = chart.current
    for flag in chart.flags:
        value = values[flag.index]
        if flag.rule == Rule.BEYOND_LIMIT:
            assert value > limits.upper or value < limits.lower
        if flag.rule == Rule.TWO_OF_THREE:
            assert value > limits.upper_near or value < limits.lower_near
        if flag.rule == Rule.RUN:
            assert (value > limits.mean) == flag.high and value != limits.mean


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=60))
def test_limits_match_statprocon(values: list[int]) -> None:
    from statprocon import XmR

    theirs = XmR(values)  # statprocon rounds to three decimal places
    ours = limits_of([float(v) for v in values])
    assert float(theirs.x_central_line()[0]) == pytest.approx(ours.mean, abs=1e-3)
    assert float(theirs.upper_natural_process_limit()[0]) == pytest.approx(ours.upper, abs=0.01)
    lower = theirs.lower_natural_process_limit()[0]
    assert isinstance(lower, Decimal)
    assert float(lower) == pytest.approx(ours.lower, abs=0.01)
