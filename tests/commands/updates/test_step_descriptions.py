"""Steps named by what they are about: which steps a description fits, and whether it is sure."""

from __future__ import annotations

import pytest

from commands.updates.step_descriptions import described_steps
from store.models import Step

STEPS = [
    Step(
        id=1, action_id=1, ref="P7.4.1", number=1, text="Review and revise the supervision policy."
    ),
    Step(id=2, action_id=1, ref="P7.4.2", number=2, text="Workshops across the service."),
    Step(id=3, action_id=1, ref="P7.4.3", number=3, text="Embed group supervision (monthly)."),
    Step(
        id=4, action_id=1, ref="P7.4.4", number=4, text="Court Skills training for practitioners."
    ),
]


def read(text: str) -> list[tuple[list[str], bool, str]]:
    return [([s.ref for s in d.steps], d.sure, d.said) for d in described_steps(text, STEPS)]


@pytest.mark.parametrize(
    ("text", "refs", "sure"),
    [
        ("the two supervision steps are finished", ["P7.4.1", "P7.4.3"], True),
        ("both supervision steps done", ["P7.4.1", "P7.4.3"], True),
        ("the supervision steps are on hold", ["P7.4.1", "P7.4.3"], True),  # plural: all of them
        ("the supervision one is done", ["P7.4.1", "P7.4.3"], False),  # one of two: ask
        ("the three supervision steps are done", ["P7.4.1", "P7.4.3"], False),  # says 3, fits 2
        ("the workshop one is done", ["P7.4.2"], True),  # singular of "Workshops"
        ("the traning bit is in progress", ["P7.4.4"], True),  # a typo still matches
        ("the second step is in progress", ["P7.4.2"], True),  # by position
        ("the step about group supervision is done", ["P7.4.3"], True),
    ],
)
def test_a_description_fits_the_steps_whose_words_it_uses(
    text: str, refs: list[str], sure: bool
) -> None:
    [(found, is_sure, _)] = read(text)
    assert (found, is_sure) == (refs, sure)


def test_each_description_keeps_the_words_about_it() -> None:
    assert read("the workshop one is done, the training one is blocked") == [
        (["P7.4.2"], True, "is done,"),
        (["P7.4.4"], True, "is blocked"),
    ]
    assert read("done: the workshop one")[0][2] == "done:"  # the words before it, when alone


@pytest.mark.parametrize(
    "text",
    [
        "done, the other ones are in progress",  # no word that says which
        "the new policy is done",  # no step noun: not a description
        "the budget one is done",  # fits no step
        "in progress",
    ],
)
def test_words_that_describe_no_step_are_not_a_description(text: str) -> None:
    assert read(text) == []


def test_steps_named_by_words_that_fit_none_are_asked_about_not_read_as_the_action() -> None:
    [(refs, sure, said)] = read("the two panel steps are finished")
    assert refs == [s.ref for s in STEPS] and not sure and said == "are finished"
