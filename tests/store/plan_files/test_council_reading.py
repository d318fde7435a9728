"""The rules behind a council's layout: dates as councils write them, status words and numbers,
column names and their variants, owner cells."""

from __future__ import annotations

from datetime import date

import pytest

from store.plan_files.dates import read_date
from store.plan_files.headers import MappingError, map_columns, parse_map
from store.plan_files.owner_cells import owner_entries
from store.plan_files.status_words import parse_status_map, read_status

PLAN_DAY = date(2023, 6, 1)  # financial year 2023/24


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("End Oct 03", date(2003, 10, 31)),
        ("end of October 2023", date(2023, 10, 31)),
        ("by end of March 2024", date(2024, 3, 31)),
        ("Oct-23", date(2023, 10, 31)),
        ("Sept 2023", date(2023, 9, 30)),
        ("Mar 24", date(2024, 3, 31)),
        ("12th Feb 2024", date(2024, 2, 12)),
        ("1st of March 2024", date(2024, 3, 1)),
        ("February 12, 2024", date(2024, 2, 12)),
        ("31.3.24", date(2024, 3, 31)),
        ("Q1 2023/24", date(2023, 6, 30)),
        ("Q3 2023/24", date(2023, 12, 31)),
        ("Q4 2023/24", date(2024, 3, 31)),
        ("Quarter 2 2024/25", date(2024, 9, 30)),
        ("end of Q3", date(2023, 12, 31)),
        ("Q4", date(2024, 3, 31)),
        ("Q2 2023", date(2023, 6, 30)),
        ("2023/24", date(2024, 3, 31)),
        ("FY 2023-24", date(2024, 3, 31)),
        ("financial year 2024/2025", date(2025, 3, 31)),
        ("w/c 12/02/2024", date(2024, 2, 16)),
        ("W/C 4 March", date(2023, 3, 8)),
        ("week commencing 6th November 2023", date(2023, 11, 10)),
        ("Spring 2024", date(2024, 5, 31)),
        ("Summer 2024", date(2024, 8, 31)),
        ("Autumn 2023", date(2023, 11, 30)),
        ("Winter 2023/24", date(2024, 2, 29)),
        ("Autumn term 2023", date(2023, 12, 31)),
        ("Spring term 2024", date(2024, 3, 31)),
    ],
)
def test_council_dates_are_read_with_a_judgement(text: str, due: date) -> None:
    reading = read_date(text, PLAN_DAY)
    assert reading.due == due
    assert reading.text == text
    if text not in ("12th Feb 2024", "1st of March 2024", "February 12, 2024", "31.3.24"):
        assert reading.judgement and text in reading.judgement


@pytest.mark.parametrize("text", ["Ongoing", "on-going", "BAU", "Continuous"])
def test_ongoing_work_has_no_due_date_and_no_cadence(text: str) -> None:
    reading = read_date(text)
    assert (reading.due, reading.cadence) == (None, None)
    assert reading.judgement == f"'{text}' is ongoing work with no due date; kept as written"


@pytest.mark.parametrize("text", ["Quarterly", "Reviewed monthly"])
def test_cadences_stay_cadences(text: str) -> None:
    assert read_date(text).cadence in ("quarterly", "monthly")


def test_a_quarter_without_a_year_needs_the_plans_date() -> None:
    reading = read_date("end of Q3")
    assert reading.due is None
    assert reading.judgement and "names a quarter but no year" in reading.judgement


@pytest.mark.parametrize(
    ("text", "status", "rag"),
    [
        ("1", "done", "blue"),
        ("Achieved", "done", "blue"),
        ("  COMPLETED ", "done", "blue"),
        ("✓", "done", "blue"),
        ("2 - Partially achieved", "in_progress", "green"),
        ("On track", "in_progress", "green"),
        ("3", "in_progress", "amber"),
        ("Amber/Green", "in_progress", "amber"),
        ("4", "in_progress", "red"),
        ("Not achieved", "in_progress", "red"),
        ("On hold", "blocked", "red"),
        ("Not yet started", "not_started", None),
        ("Withdrawn", "dropped", None),
        ("Green: on track", "in_progress", "green"),
    ],
)
def test_status_words_numbers_and_symbols(text: str, status: str, rag: str | None) -> None:
    reading, judgement = read_status(text)
    assert reading is not None
    assert (reading.status, reading.rag) == (status, rag)
    assert f"status '{text}' read as" in judgement


def test_status_map_overrides_and_refuses_what_it_cannot_read() -> None:
    table = parse_status_map("Partly=in_progress:amber, 5=dropped, Sky=blue")
    assert read_status("partly", table)[0] == read_status("3")[0]
    reading = read_status("5", table)[0]
    assert reading is not None and reading.status == "dropped"
    reading = read_status("Sky", table)[0]
    assert reading is not None and (reading.status, reading.rag) == (None, "blue")
    assert read_status("Sort of")[0] is None
    with pytest.raises(ValueError, match="'finished-ish' is not a status"):
        parse_status_map("X=finished-ish")
    with pytest.raises(ValueError, match="should be WRITTEN=STATUS"):
        parse_status_map("justaword")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No.", "reference"),
        ("Action Ref", "reference"),
        ("What we will do", "action"),
        ("Key Actions", "action"),
        ("HOW", "step"),
        ("Milestones", "step"),
        ("Lead Officer", "owner"),
        ("By whom", "owner"),
        ("“Responsible officer”", "owner"),
        ("Target\u00a0date ", "due"),
        ("By when", "due"),
        ("Targt date", "due"),
        ("Deadine", "due"),
        ("Current Status", "status"),
        ("BRAG rating", "rag"),
        ("Progress to date", "progress"),
        ("Progres update", "progress"),
        ("Success criteria", "measures"),
        ("Intended outcome", "outcomes"),
        ("Last updated", "date"),
        ("Due by", "due"),
        ("Lead officr name", "owner"),
    ],
)
def test_column_names_and_their_variants(header: str, field: str) -> None:
    mapping = map_columns(
        ["Action" if field != "action" else "Ref", header], "t", {}, keep_extra=False
    )
    assert mapping.fields[1] == field


def test_an_unknown_column_is_reported_with_did_you_mean_and_kept_when_asked() -> None:
    header = ["Ref", "Action", "Sucess mesures?!", "Budget", "Progress notes"]
    mapping = map_columns(header, "t", {}, keep_extra=True)
    assert mapping.extra == {2: "Sucess mesures?!", 3: "Budget"}
    assert mapping.fields[4] == "progress"
    assert mapping.notes[2:] == [
        "column 'Sucess mesures?!' is not a plan field (did you mean 'success measures', "
        "measures?); kept as extra text",
        "column 'Budget' is not a plan field; kept as extra text",
        "column 'Progress notes' -> progress (holds the word 'notes')",
    ]
    dropped = map_columns(header, "t", {}, keep_extra=False)
    assert dropped.extra == {}
    assert "not imported (--keep-extra keeps it)" in dropped.notes[3]


def test_two_columns_for_one_field_ask_for_map() -> None:
    with pytest.raises(MappingError, match="columns 'Due' and 'Deadline' both read as due"):
        map_columns(["Ref", "Action", "Due", "Deadline"], "table 1", {}, keep_extra=False)
    choices = parse_map("Deadline=extra")
    mapping = map_columns(["Ref", "Action", "Due", "Deadline"], "t", choices, keep_extra=False)
    assert mapping.fields[2] == "due" and mapping.extra == {3: "Deadline"}
    with pytest.raises(ValueError, match="'colours' is not a field"):
        parse_map("RAG=colours")


@pytest.mark.parametrize(
    ("cell", "entries"),
    [
        ("Jane Smith, Head of Children in Care", [("Head of Children in Care", "Jane Smith")]),
        ("Head of Children in Care, Jane Smith", [("Head of Children in Care", "Jane Smith")]),
        ("Head of QA (Tom Brown)", [("Head of QA", "Tom Brown")]),
        ("Tom Brown - Head of QA", [("Head of QA", "Tom Brown")]),
        ("U024BE7LH, Head of QA", [("Head of QA", "U024BE7LH")]),
        ("“Head of MASH”", [("Head of MASH", None)]),
        (
            "Head of MASH, Assessment and Targeted Intervention",
            [("Head of MASH, Assessment and Targeted Intervention", None)],
        ),
        (
            "Head of QA\nPSW; Head of MASH",
            [("Head of QA", None), ("PSW", None), ("Head of MASH", None)],
        ),
        ("- Head of QA\n- Head of QA", [("Head of QA", None)]),
    ],
)
def test_owner_cells(cell: str, entries: list[tuple[str, str | None]]) -> None:
    assert owner_entries(cell) == entries
