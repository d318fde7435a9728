"""The child-data guardrail: what it finds, what it leaves alone, and York's plans passing clean."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from store.personal_data import (
    ADDRESS,
    CASE_NUMBER,
    CHILD_NAME,
    DATE_OF_BIRTH,
    NHS_NUMBER,
    POSTCODE,
    PUPIL_NUMBER,
    fingerprint,
    redact,
    screen,
)

PLANS = Path(__file__).resolve().parents[2] / "store" / "plans"

# (text as a lead might write it, the kinds found, a detail that must not survive)
FOUND = [
    (
        "delayed because Jayden Smith (12/03/2015) moved placement",
        (CHILD_NAME, DATE_OF_BIRTH),
        "Jayden",
    ),
    ("Jayden Smith dob 12/03/2015 still waiting", (CHILD_NAME, DATE_OF_BIRTH), "12/03/2015"),
    ("Kai, born 3 May 2016, was the case that held it up", (CHILD_NAME, DATE_OF_BIRTH), "Kai"),
    ("DOB: 01.02.2014 on the referral", (DATE_OF_BIRTH,), "01.02.2014"),
    ("date of birth 4th June 2012 was wrong on the file", (DATE_OF_BIRTH,), "June 2012"),
    ("d.o.b 14/11/09 - chased twice", (DATE_OF_BIRTH,), "14/11/09"),
    ("child Amelia was seen late", (CHILD_NAME,), "Amelia"),
    ("YP Kai Jones still not placed", (CHILD_NAME,), "Kai Jones"),
    ("a young person called Leo went missing again", (CHILD_NAME,), "Leo"),
    ("her son Noah was the one", (CHILD_NAME,), "Noah"),
    ("Tyler (aged 7) is waiting on CAMHS", (CHILD_NAME,), "Tyler"),
    ("Ruby, 9 years old, moved school", (CHILD_NAME,), "Ruby"),
    ("Mia's mum has not engaged", (CHILD_NAME,), "Mia"),
    ("Oscar's foster carer asked for respite", (CHILD_NAME,), "Oscar"),
    ("NHS 943 476 5919 on the health plan", (NHS_NUMBER,), "943 476 5919"),
    ("nhs no 9434765919", (NHS_NUMBER,), "9434765919"),
    ("UPN B801200005001 missing from the PEP", (PUPIL_NUMBER,), "B801200005001"),
    ("lives at 14 Acacia Avenue now", (ADDRESS,), "Acacia"),
    ("moved to Flat 2, 7 Church Street", (ADDRESS,), "Church Street"),
    ("postcode YO24 1AB", (POSTCODE,), "YO24 1AB"),
    ("the family are in yo31 7ex", (POSTCODE,), "yo31 7ex"),
    ("Mosaic 1234567 case closed", (CASE_NUMBER,), "1234567"),
    ("case ref: 99887766 stepped down", (CASE_NUMBER,), "99887766"),
    ("CP 445566 conference moved", (CASE_NUMBER,), "445566"),
]

# Plan and reply text that must pass untouched.
CLEAN = [
    "in progress, slipping to 31/3. Analyst now in post",
    "done, signed off by Sarah 12/01/2023",
    "amber, P7.5.2 due 31 Jan 2023, Head of MASH",
    "blocked: waiting on police data",
    "Children and Young People in Care",
    "the YP was seen twice and the plan reviewed",
    "Multi-Agency Child Exploitation panel now meets monthly",
    "Head of Corporate Parenting to report to DMT on 14/02/2023",
    "Q1 2023/24, 75% complete",
    "10 children were reviewed at panel",
    "1234 5678 90 is not a valid NHS number",
    "Lesley Furnivall leads this",
    "Ongoing; quarterly reporting to the Assurance Board",
]


@pytest.mark.parametrize(("text", "kinds", "detail"), FOUND)
def test_a_childs_details_are_found_and_replaced_by_their_kind(
    text: str, kinds: tuple[str, ...], detail: str
) -> None:
    redacted = redact(text)
    assert redacted.kinds == kinds
    assert detail not in redacted.text
    for kind in kinds:
        assert kind in redacted.text


@pytest.mark.parametrize("text", CLEAN)
def test_service_text_passes_untouched(text: str) -> None:
    assert screen(text) == ()
    assert redact(text).text == text


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_every_text_field_of_yorks_plans_passes_with_no_finding() -> None:
    texts = [s for path in PLANS.glob("*.yaml") for s in _strings(yaml.safe_load(path.read_text()))]
    assert len(texts) > 1000
    assert [t for t in texts if screen(t)] == []


def test_a_logged_fingerprint_is_salted_and_never_the_detail() -> None:
    one, two = fingerprint("943 476 5919", "salt-a"), fingerprint("943 476 5919", "salt-b")
    assert one != two and "5919" not in one
    assert fingerprint("943 476 5919", "salt-a") == one  # the same detail matches within a run
