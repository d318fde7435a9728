"""Recording values from chat and from files: owners only, corrections with history, every kind
of bad input named by row and field with nothing half-written, and the export round trip."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from measure_helpers import give_role, request_as
from sqlmodel import Session, select

from commands.measures.numbers import read_period, show_value
from commands.measures.record import (
    MeasureChoice,
    MeasureProblem,
    MeasureRecorded,
    MeasureRefused,
    measure_command,
)
from commands.measures.settings import MeasureSettings
from commands.measures.values_export import export_values
from commands.measures.values_import import (
    MeasuresImported,
    MeasuresImportProblems,
    import_values,
)
from store.models import MeasureValue, SuccessMeasure
from store.queries.measures import current_values, measure_by_key, value_history

OWNER = "Corporate DCS"  # first owner of P1.1, which names "Reduced staff turnover"


def turnover(session: Session) -> SuccessMeasure:
    found = measure_by_key(session, "reduced staff turnover")
    assert found is not None
    return found


def values_of(session: Session, measure: SuccessMeasure) -> list[float]:
    assert measure.id is not None
    return [v.value for v in current_values(session, [measure.id]).get(measure.id, [])]


def make_percent(session: Session) -> SuccessMeasure:
    measure = turnover(session)
    measure.unit, measure.polarity, measure.target, measure.tolerance = "percent", "down", 12, 1
    session.add(measure)
    session.flush()
    return measure


def test_york_measures_are_seeded_from_the_plans_with_no_values(york: Session) -> None:
    measure = turnover(york)
    assert measure.as_written == "Reduced staff turnover"
    assert measure.polarity == "down"  # "Reduced": lower is better, read from the words
    assert measure.target is None and measure.unit is None
    assert york.exec(select(MeasureValue)).first() is None
    from store.queries.measures import links

    assert links(york)[measure.id] == ["P1.1", "P1.2", "P1.3", "P1.4"]


@pytest.mark.parametrize(
    "line",
    [
        '"Staff turnover" 14.2% for Jan 2023',
        "staff turnover 14.2 for January 2023",
        "Staff turnover = 14.2% for 2023-01",
        "“Staff turnover” is 14.2% in 01/2023",
    ],
)
def test_the_owner_records_a_value_in_many_phrasings(york: Session, line: str) -> None:
    make_percent(york)
    give_role(york, OWNER, "UOWNER001")
    result = measure_command(york, request_as("UOWNER001"), line)
    assert result == MeasureRecorded("Reduced staff turnover", "Jan 2023", "14.2%", None, None)
    assert values_of(york, turnover(york)) == [14.2]


def test_a_first_percentage_sets_the_unit_the_plans_left_unsaid(york: Session) -> None:
    assert turnover(york).unit is None
    first = measure_command(york, request_as(), '"Staff turnover" 14.2% for Jan 2023')
    assert isinstance(first, MeasureRecorded) and first.value == "14.2%"
    assert turnover(york).unit == "percent"
    agency = measure_by_key(york, "reduced use of agency")
    assert agency is not None
    measure_command(york, request_as(), '"use of agency" 21 for Jan 2023')
    later = measure_command(york, request_as(), '"use of agency" 14% for Feb 2023')
    assert isinstance(later, MeasureProblem)  # it has values already: the unit is not guessed
    assert "not a percentage: write 14" in later.message
    assert agency.unit is None


def test_a_correction_replaces_the_value_and_keeps_the_history(york: Session) -> None:
    measure = make_percent(york)
    request = request_as()
    measure_command(york, request, '"Staff turnover" 14.2% for Jan 2023')
    again = measure_command(
        york, request, '"Staff turnover" 14.6% for Jan 2023: two late leavers counted'
    )
    assert isinstance(again, MeasureRecorded)
    assert again.previous == "14.2%" and again.value == "14.6%"
    assert again.note == "two late leavers counted"
    assert values_of(york, measure) == [14.6]
    assert measure.id is not None
    history = value_history(york, measure.id, date(2023, 1, 1))
    assert [(v.value, v.superseded_at is not None) for v in history] == [
        (14.2, True),
        (14.6, False),
    ]


def test_a_note_holding_a_childs_details_is_refused_and_nothing_recorded(york: Session) -> None:
    measure = make_percent(york)
    refused = measure_command(
        york, request_as(), '"Staff turnover" 14.2% for Jan 2023: includes child Jayden Smith'
    )
    assert isinstance(refused, MeasureProblem)
    assert "child's name" in refused.message and "Jayden" not in refused.message
    assert values_of(york, measure) == []


def test_a_non_owner_is_refused_and_told_who_can(york: Session) -> None:
    make_percent(york)
    give_role(york, OWNER, "UOWNER001")
    refused = measure_command(york, request_as("USTRANGER"), '"Staff turnover" 14.2% for Jan 2023')
    assert isinstance(refused, MeasureRefused)
    assert refused.holders == ("UOWNER001",)
    assert "Director" in (refused.owner or "")
    assert values_of(york, turnover(york)) == []
    admin = measure_command(
        york, request_as("UADMIN001", admins=("UADMIN001",)), '"Staff turnover" 14% for Feb 2023'
    )
    assert isinstance(admin, MeasureRecorded)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('"Staff turnover" lots for Jan 2023', "could not read"),
        ('"Staff turnover" 14.2% for Smarch 2023', "is not a period"),
        ('"Staff turnover" 14.2% for Jan 2030', "has not started yet"),
        ('"Staff turnover" 142% for Jan 2023', "not a percentage between 0 and 100"),
        ('"The weather" 3 for Jan 2023', "No measure is called 'The weather'"),
        ("", "Record a value with"),
    ],
)
def test_bad_chat_input_gets_a_calm_specific_answer(york: Session, line: str, says: str) -> None:
    make_percent(york)
    result = measure_command(york, request_as(), line)
    assert isinstance(result, MeasureProblem)
    assert says in result.message
    assert values_of(york, turnover(york)) == []


def test_a_fraction_measure_says_which_unit_it_wants(york: Session) -> None:
    measure = turnover(york)
    measure.unit = "fraction"
    york.add(measure)
    wrong = measure_command(york, request_as(), '"Staff turnover" 14.2 for Jan 2023')
    assert isinstance(wrong, MeasureProblem)
    assert "stored as a fraction between 0 and 1 (write 0.142 or 14.2%)" in wrong.message
    right = measure_command(york, request_as(), '"Staff turnover" 14.2% for Jan 2023')
    assert isinstance(right, MeasureRecorded) and right.value == "14.2%"
    assert values_of(york, measure) == [pytest.approx(0.142)]


def test_a_name_that_fits_two_measures_is_asked_about(york: Session) -> None:
    result = measure_command(york, request_as(), '"feedback from children" 3 for Jan 2023')
    assert isinstance(result, MeasureChoice)
    assert len(result.choices) >= 2


FILE = """measure,period_start,period_end,value,note,target,unit,polarity
Reduced staff turnover,2023-01-01,2023-01-31,14.2,,12,percent,lower
Reduced staff turnover,2023-02-01,2023-02-28,13.9,=HYPERLINK("x"),,,
Children missing education,2023-01-01,2023-01-31,3,,,count,lower
Children missing education,2023-02-01,2023-02-28,12,,,count,lower
"""


def test_import_round_trip_through_export(york: Session) -> None:
    request = request_as()
    first = import_values(york, request, "values.csv", FILE.encode(), create=True)
    assert first == MeasuresImported("values.csv", 4, 0, 0, ("Children missing education",))
    exported = export_values(york, MeasureSettings(), exact=True)
    again = import_values(york, request, "export.csv", exported.encode())
    assert again == MeasuresImported("export.csv", 0, 0, 4, ())
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {(r["measure"], r["period_start"], r["value"]) for r in rows} == {
        ("Reduced staff turnover", "2023-01-01", "14.2"),
        ("Reduced staff turnover", "2023-02-01", "13.9"),
        ("Children missing education", "2023-01-01", "3"),
        ("Children missing education", "2023-02-01", "12"),
    }
    assert "'=HYPERLINK" in exported  # a formula goes out as text a spreadsheet will not run
    # the default export suppresses small counts
    plain = export_values(york, MeasureSettings())
    assert ",fewer than 5," in plain and ",3," not in plain


def test_import_accepts_other_headers_and_periods(york: Session) -> None:
    text = (
        "Indicator,Month,Actual,Commentary\nReduced use of agency,Jan 2023,21,Two contracts ended\n"
    )
    result = import_values(york, request_as(), "perf.csv", text.encode())
    assert isinstance(result, MeasuresImported) and result.recorded == 1
    agency = measure_by_key(york, "reduced use of agency")
    assert agency is not None and agency.id is not None
    [value] = current_values(york, [agency.id])[agency.id]
    assert (value.period_start, value.period_end, value.note) == (
        date(2023, 1, 1),
        date(2023, 1, 31),
        "Two contracts ended",
    )


def test_import_of_an_xlsx_workbook(york: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["measure", "period_start", "period_end", "value"])
    sheet.append(["Reduced use of agency", date(2023, 1, 1), date(2023, 1, 31), 21])
    sheet.append(["Reduced use of agency", date(2023, 2, 1), date(2023, 2, 28), 19.5])
    path = tmp_path / "monthly.xlsx"
    book.save(path)
    result = import_values(york, request_as(), "monthly.xlsx", path.read_bytes())
    assert isinstance(result, MeasuresImported) and result.recorded == 2


BAD = """measure,period_start,period_end,value,unit
Reduced staff turnover,2023-01-01,2023-01-31,14.2,fraction
Reduced staff turnover,2023-01-01,2023-01-31,0.13,fraction
Reduced use of agency,2030-01-01,2030-01-31,3,
Reduced use of agency,2023-03-01,2023-03-31,three,
Staff turnover,2023-04-01,2023-04-30,0.1,
feedback from children,2023-04-01,2023-04-30,4,
Reduced use of agency,2023-05-31,2023-05-01,4,
Reduced use of agency,2023-06-01,2023-06-30,4,parsecs
"""


def test_a_bad_file_names_each_row_and_field_and_writes_nothing(york: Session) -> None:
    before = len(york.exec(select(SuccessMeasure)).all())
    result = import_values(york, request_as(), "bad.csv", BAD.encode())
    assert isinstance(result, MeasuresImportProblems)
    problems = "\n".join(result.problems)
    assert "row 2, value: 14.2 is not a fraction" in problems
    assert "row 3, period: Jan 2023 is already on row 2" in problems
    assert "row 4, period: Jan 2030 is in the future" in problems
    assert "row 5, value: 'three' is not a number" in problems
    assert "row 6, measure: no measure is called 'Staff turnover' — did you mean" in problems
    assert "'Reduced staff turnover'? (--create adds it)" in problems
    assert "row 7, measure: no measure is called 'feedback from children'" in problems
    assert "row 8, period_end: 2023-05-01 is before the period starts" in problems
    assert "row 9, unit: 'parsecs' is not" in problems
    assert york.exec(select(MeasureValue)).first() is None
    assert len(york.exec(select(SuccessMeasure)).all()) == before
    assert turnover(york).unit is None  # the unit column was not applied either


def test_a_file_without_the_needed_columns_says_which(york: Session) -> None:
    result = import_values(york, request_as(), "x.csv", b"name,when\nA,B\n")
    assert isinstance(result, MeasuresImportProblems)
    assert "value" in result.problems[0] and "period_start and period_end" in result.problems[0]
    empty = import_values(york, request_as(), "e.csv", b"")
    assert isinstance(empty, MeasuresImportProblems) and "empty" in empty.problems[0]


def test_small_counts_read_as_fewer_than_five() -> None:
    assert show_value(3, "count", 5) == "fewer than 5"
    assert show_value(0, "count", 5) == "0"
    assert show_value(5, "count", 5) == "5"
    assert show_value(3, "count", 10) == "fewer than 10"  # the threshold is a setting
    assert show_value(3, "percent", 5) == "3%"  # only counts are suppressed
    assert show_value(0.142, "fraction", 5) == "14.2%"


def test_periods_in_the_shapes_people_write() -> None:
    assert read_period("Sept 2022") is not None
    q = read_period("Q4 2022-23")
    assert q is not None and (q.start, q.end) == (date(2023, 1, 1), date(2023, 3, 31))
    q1 = read_period("Q1 2023-24")
    assert q1 is not None and (q1.start, q1.end) == (date(2023, 4, 1), date(2023, 6, 30))
    assert read_period("2023-13") is None
    assert read_period("next tuesday") is None
