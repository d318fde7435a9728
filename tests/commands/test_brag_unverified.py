"""The staleness rule: "unverified" is its own count, never Amber and never Green."""

from datetime import date, datetime, timedelta

import pytest

from commands.brag import Colour, RollUp, colour_of, counts, roll_up, unverified_count
from store.models.status import Rag

TODAY = date(2023, 2, 13)


def ago(days: int) -> datetime:
    return datetime(2023, 2, 13, 9, 0) - timedelta(days=days)


@pytest.mark.parametrize("days", [28, 40, 200])
def test_a_stale_on_track_item_is_unverified_not_amber(days: int) -> None:
    c = colour_of(status="in_progress", due=date(2023, 9, 1), declared=None,
                  last_update_at=ago(days), today=TODAY)  # fmt: skip
    assert c.unverified and c.rag is Rag.GREEN
    assert counts([c])[Rag.AMBER] == 0 and counts([c])[Rag.GREEN] == 0
    assert unverified_count([c]) == 1


def test_never_updated_counts_as_unverified() -> None:
    c = colour_of(status="not_started", due=None, declared=None, last_update_at=None, today=TODAY)
    assert c.unverified and unverified_count([c]) == 1


@pytest.mark.parametrize(
    ("status", "due", "declared", "rag"),
    [
        ("in_progress", date(2023, 1, 31), None, Rag.RED),  # overdue
        ("blocked", date(2023, 9, 1), None, Rag.RED),
        ("in_progress", date(2023, 9, 1), "red", Rag.RED),
        ("in_progress", date(2023, 9, 1), "amber", Rag.AMBER),
        ("not_started", date(2023, 2, 20), None, Rag.AMBER),  # due soon, not started
    ],
)
def test_a_stale_red_or_amber_keeps_its_colour_and_the_mark(
    status: str, due: date, declared: str | None, rag: Rag
) -> None:
    c = colour_of(status=status, due=due, declared=declared, last_update_at=ago(60), today=TODAY)
    assert c.rag is rag and c.stale and not c.unverified
    assert counts([c])[rag] == 1 and unverified_count([c]) == 0


def test_a_recent_update_is_green_and_a_done_item_never_unverified() -> None:
    fresh = colour_of(status="in_progress", due=date(2023, 9, 1), declared=None,
                      last_update_at=ago(3), today=TODAY)  # fmt: skip
    done = colour_of(status="done", due=None, declared=None, last_update_at=ago(300), today=TODAY)
    assert fresh.rag is Rag.GREEN and not fresh.unverified
    assert done.rag is Rag.BLUE and not done.unverified
    assert counts([fresh, done])[Rag.GREEN] == 1 and unverified_count([fresh, done]) == 0


def _fresh(status: str = "in_progress") -> Colour:
    return colour_of(status=status, due=date(2023, 9, 1), declared=None,
                     last_update_at=ago(2), today=TODAY)  # fmt: skip


def _stale() -> Colour:
    return colour_of(status="in_progress", due=date(2023, 9, 1), declared=None,
                     last_update_at=ago(60), today=TODAY)  # fmt: skip


@pytest.mark.parametrize(
    ("fresh", "stale", "done", "expected"),
    [
        (3, 1, 0, RollUp(Rag.GREEN, unverified=True)),  # a quarter of the open items: Unverified
        (4, 1, 0, RollUp(Rag.GREEN)),  # a fifth: Green
        (1, 1, 6, RollUp(Rag.GREEN, unverified=True)),  # done items do not dilute the quarter
        (0, 0, 3, RollUp(Rag.BLUE)),
    ],
)
def test_an_area_rolls_up_unverified_never_amber_for_staleness(
    fresh: int, stale: int, done: int, expected: RollUp
) -> None:
    colours = [_fresh()] * fresh + [_stale()] * stale + [_fresh("done")] * done
    assert roll_up(colours) == expected


def test_red_and_amber_items_win_over_unverified_ones() -> None:
    amber = colour_of(status="in_progress", due=date(2023, 9, 1), declared="amber",
                      last_update_at=ago(2), today=TODAY)  # fmt: skip
    assert roll_up([amber, _stale(), _stale()]) == RollUp(Rag.AMBER)
    red = colour_of(status="blocked", due=date(2023, 9, 1), declared=None,
                    last_update_at=ago(2), today=TODAY)  # fmt: skip
    assert roll_up([red, amber, _stale()]) == RollUp(Rag.RED)
    assert roll_up([]) is None
