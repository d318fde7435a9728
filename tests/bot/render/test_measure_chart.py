"""A measure's chart: a readable PNG with alt text that says what it shows, small counts never
drawn at their value."""

from __future__ import annotations

import io
from datetime import date

import pytest
from matplotlib.image import imread

from bot.render.measure_chart import alt_text, chart_png
from commands.measures.assess import Target, assess
from commands.measures.numbers import Period, month_end
from commands.measures.series import Point, Series
from commands.measures.settings import MeasureSettings

# what people read: the answers' queries are pinned on PostgreSQL in tests/commands
pytestmark = pytest.mark.engine_independent


def series_of(values: list[float], unit: str | None, target: float | None = None) -> Series:
    points = tuple(
        Point(Period(date(2023, m, 1), month_end(date(2023, m, 1))), v, None, None)
        for m, v in enumerate(values, start=1)
    )
    goal = Target("down", target, None)
    return Series(1, "Children waiting", unit, "down", target, None, "monthly", None, (), None,
                  None, points, assess(values, goal, MeasureSettings()))  # fmt: skip


def test_chart_is_a_png_of_a_readable_size_with_alt_text() -> None:
    series = series_of(
        [14.2, 13.9, 15.1, 14.0, 13.2, 12.8, 12.1, 11.9, 11.0, 10.2, 9.8], "percent", 12
    )
    png = chart_png(series, 5)
    image = imread(io.BytesIO(png))
    assert image.shape[1] == 1000 and image.shape[0] == 500
    words = alt_text(series, 5)
    assert words.startswith("XmR chart of Children waiting: 11 points from Jan 2023 to Nov 2023.")
    assert "Latest 9.8% (Nov 2023)." in words
    assert "Variation: special cause: improvement. Assurance: hit and miss." in words
    assert "Target 12% (dashed line)." in words


def test_small_counts_are_not_said_or_drawn_at_their_value() -> None:
    series = series_of([3, 8, 9], "count")
    words = alt_text(series, 5)
    assert "Latest 9" in words
    assert "No limits drawn: 3 of 10 points needed: direction of travel only." in words
    low = series_of([12, 3], "count")
    assert "Latest fewer than 5" in alt_text(low, 5)
    assert chart_png(low, 5).startswith(b"\x89PNG")
