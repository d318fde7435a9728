"""The paper's delivery chart stays a readable picture however many areas a paper covers."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from bot.render.paper_chart import MAX_BARS, alt_text, delivery_chart
from commands.reports.facts import AreaFacts, PaperFacts


def area(ref: str, plan: str, done: int, in_progress: int) -> AreaFacts:
    counts = (("done", done), ("in progress", in_progress), ("not started", 0))
    return AreaFacts(ref, f"Area {ref}", counts, done + in_progress, 0, (), 0, (), (), plan=plan)


def facts(areas: list[AreaFacts]) -> PaperFacts:
    return PaperFacts("Plans", None, date(2023, 3, 31), date(2022, 12, 28), "all",
                      tuple(areas), (), 0)  # fmt: skip


def test_a_paper_of_few_areas_has_a_bar_per_area() -> None:
    shown = facts([area("P1", "Ambition Plan", 1, 2), area("P2", "Ambition Plan", 0, 3)])
    assert alt_text(shown) == (
        "Bar chart of each area's actions by delivery status on 31 March 2023. "
        "P1: 1 done, 2 in progress; P2: 3 in progress."
    )


def test_more_areas_than_a_page_holds_become_a_bar_per_plan() -> None:
    many = [area(f"A{n}", "Plan one", 1, 0) for n in range(25)]
    many += [area(f"B{n}", "Plan two", 0, 2) for n in range(25)]
    said = alt_text(facts(many))
    assert said.startswith("Bar chart of each plan's actions by delivery status")
    assert said.endswith("Plan one: 25 done; Plan two: 50 in progress.")
    picture, _ = delivery_chart(facts(many))
    assert Image.open(io.BytesIO(picture)).height < 1200  # two bars, not fifty


def test_more_plans_than_a_page_holds_draws_the_busiest_and_says_every_one() -> None:
    plans = [area(f"A{n}", f"Plan {n}", 0, n) for n in range(MAX_BARS + 10)]
    plans += [area(f"B{n}", f"Plan {n}", 1, 0) for n in range(MAX_BARS + 10)]
    said = alt_text(facts(plans))
    assert all(f"Plan {n}:" in said for n in range(MAX_BARS + 10))  # all, drawn or not
    picture, _ = delivery_chart(facts(plans))
    height = Image.open(io.BytesIO(picture)).height
    assert height <= (0.45 * MAX_BARS + 1.4) * 150 + 1  # thirty bars at 150 dpi
