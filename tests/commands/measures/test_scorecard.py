"""The scorecard: rows for Annex B, the scope, the text people read, questions about measures and
the weekly signal changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from measure_helpers import request_as
from sqlmodel import Session

from bot.render import render
from commands.measures.questions import MeasureAnswer, answer_measure_question, measures_command
from commands.measures.scorecard import (
    ScopeProblem,
    ScorecardProblem,
    ScorecardResult,
    scorecard_command,
    scorecard_rows,
)
from commands.measures.settings import MeasureSettings
from commands.measures.values_import import MeasuresImported, import_values
from commands.measures.weekly import signal_changes

# Staff turnover, % (lower is better, target 12 ± 1): eleven months falling to 9.8
TURNOVER = [14.2, 13.9, 15.1, 14.0, 13.2, 12.8, 12.1, 11.9, 11.0, 10.2, 9.8]
AGENCY = [3, 4, 2]  # a count, all under 5


def load(session: Session, *, recorded_on: date = date(2024, 3, 15)) -> None:
    lines = ["measure,period_start,period_end,value,note,target,unit,polarity"]
    for month, value in enumerate(TURNOVER, start=1):
        end = (date(2023, month % 12 + 1, 1) if month < 12 else date(2024, 1, 1)) - timedelta(1)
        note = "Two new starters in the front door team" if month == 11 else ""
        lines.append(
            f"Reduced staff turnover,2023-{month:02d}-01,{end},{value},{note},12,percent,lower"
        )
    for month, value in enumerate(AGENCY, start=1):
        end = date(2023, month + 1, 1) - timedelta(1)
        lines.append(f"Reduced use of agency,2023-{month:02d}-01,{end},{value},,,count,lower")
    text = "\n".join(lines) + "\n"
    result = import_values(session, request_as(today=recorded_on), "v.csv", text.encode())
    assert isinstance(result, MeasuresImported), result
    session.flush()


def test_scorecard_rows_for_annex_b(york: Session) -> None:
    load(york)
    from store.models import SuccessMeasure
    from store.queries.measures import measure_by_key

    turnover = measure_by_key(york, "reduced staff turnover")
    assert isinstance(turnover, SuccessMeasure)
    turnover.tolerance = 1
    york.add(turnover)
    rows = scorecard_rows(york, date(2024, 3, 15))
    by_name = {row.name: row for row in rows}
    assert set(by_name) == {"Reduced staff turnover", "Reduced use of agency"}
    staff = by_name["Reduced staff turnover"]
    assert (staff.latest, staff.period, staff.target) == ("9.8%", "Nov 2023", "12% (±1%)")
    assert staff.rag == "Green"  # lower is better and 9.8 is under 12
    assert staff.direction == "improving"
    assert staff.variation == "special cause: improvement"  # a falling trend to the latest
    assert staff.assurance == "hit and miss"  # the target sits inside the limits
    assert staff.mean == pytest.approx(sum(TURNOVER) / 11)
    # 9.8 is below the lower limit (12.56 - 2.66 × 0.68), the second of two beyond two sigma,
    # and the ninth fall in a row
    assert staff.signals == ("beyond a limit", "two of three near a limit", "trend")
    # moving ranges 0.3, 1.2, 1.1, 0.8, 0.4, 0.7, 0.2, 0.9, 0.8, 0.4: mean 0.68
    assert staff.lower_limit == pytest.approx(138.2 / 11 - 2.66 * 0.68)
    assert staff.upper_limit == pytest.approx(138.2 / 11 + 2.66 * 0.68)
    assert staff.commentary == "Two new starters in the front door team"
    assert staff.refs == ("P1.1", "P1.2", "P1.3", "P1.4")
    agency = by_name["Reduced use of agency"]
    assert agency.latest == "fewer than 5" and agency.latest_value is None
    assert all(point.shown == "fewer than 5" for point in agency.points)
    assert agency.spc_note == "3 of 10 points needed: direction of travel only"
    # frozen rows: a paper cannot change them
    with pytest.raises(AttributeError):
        staff.latest = "x"  # type: ignore[misc]
    # as of a day before the values were recorded: the scorecard as it stood then
    earlier = {row.name: row for row in scorecard_rows(york, date(2024, 3, 14))}
    assert earlier["Reduced staff turnover"].points == ()
    assert earlier["Reduced staff turnover"].latest == "no value"


def test_scope_narrows_and_an_unknown_scope_is_named(york: Session) -> None:
    load(york)
    assert [r.name for r in scorecard_rows(york, date(2024, 3, 15), "P1.2")] == [
        "Reduced staff turnover",
        "Reduced use of agency",
    ]
    assert [r.name for r in scorecard_rows(york, date(2024, 3, 15), "P1.3")] == [
        "Reduced staff turnover"
    ]
    assert scorecard_rows(york, date(2024, 3, 15), "ofsted") == ()
    with pytest.raises(ScopeProblem):
        scorecard_rows(york, date(2024, 3, 15), "the moon")


def test_scorecard_text_reads_alone(york: Session) -> None:
    load(york)
    result = scorecard_command(york, request_as(), "")
    assert isinstance(result, ScorecardResult)
    text = render(result).text
    lines = text.splitlines()
    assert lines[0] == "Scorecard · as of 15 Mar 2024 · 2 measures"
    assert lines[1] == (
        "Reduced staff turnover: 9.8% (Nov 2023) · target 12% · Green · direction improving · "
        "special cause: improvement · assurance: hit and miss · "
        "signals: beyond a limit, two of three near a limit, trend · "
        "owner Corporate Director of Children's Services"
    )
    assert lines[2] == "    “Two new starters in the front door team”"
    assert lines[3].startswith("Reduced use of agency: fewer than 5 (Mar 2023) · no target")
    assert "direction of travel only" in lines[3]
    assert text.endswith("(`measures` lists them all).")
    problem = scorecard_command(york, request_as(), "the moon")
    assert isinstance(problem, ScorecardProblem)


def test_a_note_cannot_ping_anyone(york: Session) -> None:
    load(york)
    from commands.measures.record import measure_command

    measure_command(york, request_as(), '"staff turnover" 9% for Dec 2023: ask <!channel> <@U123>')
    result = scorecard_command(york, request_as(), "")
    blocks = str(render(result).blocks)
    assert "<!channel>" not in blocks and "<@U123>" not in blocks
    assert "&lt;!channel&gt;" in blocks


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("how's staff turnover doing?", ["Reduced staff turnover"]),
        ("How is agency use looking", ["Reduced use of agency"]),
        ("what's the latest on staff turnover", ["Reduced staff turnover"]),
        ("which measures are improving?", ["Reduced staff turnover", "Reduced use of agency"]),
        ("which measures have signals", ["Reduced staff turnover"]),
        ("which measures are off target?", []),
    ],
)
def test_questions_about_measures(york: Session, question: str, names: list[str]) -> None:
    load(york)
    answer = answer_measure_question(york, request_as(), question)
    assert isinstance(answer, MeasureAnswer)
    assert [row.name for row in answer.rows] == names


def test_what_measures_does_an_action_have(york: Session) -> None:
    answer = answer_measure_question(york, request_as(), "what measures does P1.2 have?")
    assert isinstance(answer, MeasureAnswer)
    assert [row.name for row in answer.rows] == [
        "Reduced staff turnover",
        "Reduced use of agency",
        "Staff understanding the workforce strategy / offer",
    ]
    assert render(answer).text.startswith("Success measures for P1.2")
    # not about measures: left for the question engine
    assert answer_measure_question(york, request_as(), "what's open under OA4?") is None
    # a word of a measure's name ("…children open to social care") that asks about the items
    for question in ("what's open?", "whats open", "what's overdue?", "show me what's done"):
        assert answer_measure_question(york, request_as(), question) is None, question
    school = answer_measure_question(york, request_as(), "how's school attendance doing?")
    assert isinstance(school, MeasureAnswer)
    assert answer_measure_question(york, request_as(), "how is the weather") is None


def test_off_target_finds_a_red_measure(york: Session) -> None:
    load(york)
    from commands.measures.record import measure_command

    measure_command(york, request_as(), '"staff turnover" 15.5% for Dec 2023')
    answer = answer_measure_question(york, request_as(), "which measures are off target?")
    assert isinstance(answer, MeasureAnswer)
    assert [(r.name, r.rag) for r in answer.rows] == [("Reduced staff turnover", "Red")]
    listed = measures_command(york, request_as(), "off target")
    assert isinstance(listed, MeasureAnswer) and len(listed.rows) == 1
    everything = measures_command(york, request_as(), "")
    assert isinstance(everything, MeasureAnswer) and len(everything.rows) > 100


def test_weekly_signal_changes_list_measures_whose_signal_moved(york: Session) -> None:
    load(york, recorded_on=date(2024, 3, 1))
    week_start = datetime(2024, 3, 11, tzinfo=UTC)
    settings = MeasureSettings()
    assert signal_changes(york, settings, since=week_start, until=week_start + timedelta(7)) == ()
    from commands.measures.record import measure_command

    measure_command(york, request_as(today=date(2024, 3, 13)), '"staff turnover" 16% for Dec 2023')
    changes = signal_changes(york, settings, since=week_start, until=week_start + timedelta(7))
    assert [c.name for c in changes] == ["Reduced staff turnover"]
    assert changes[0].before.startswith("special cause: improvement")
    assert "→" in changes[0].line


def test_the_weekly_summary_has_a_line_per_measure_whose_signal_changed(york: Session) -> None:
    from bot.render import render
    from commands.clock import Clock
    from commands.digest.scope import ALL, Scope
    from commands.digest.summary import compose_digest
    from commands.measures.record import measure_command

    load(york, recorded_on=date(2024, 3, 1))
    measure_command(york, request_as(today=date(2024, 3, 13)), '"staff turnover" 16% for Dec 2023')
    york.flush()
    clock = Clock.fixed_at(datetime(2024, 3, 15, 9, 0))
    summary = compose_digest(york, ALL, clock)
    assert [c.name for c in summary.measure_signals] == ["Reduced staff turnover"]
    shown = render(summary)
    rich = "\n".join(str(b.get("text", "")) for b in shown.blocks)
    assert "*Success measures whose signal changed (1)*" in rich
    assert "SUCCESS MEASURES WHOSE SIGNAL CHANGED (1)" in shown.text
    assert "Reduced staff turnover: special cause: improvement" in shown.text
    # scoped: the measure evidences Ambition actions, not the Ofsted plan's
    assert compose_digest(york, Scope("area", "P1", "P1"), clock).measure_signals
    ofsted = compose_digest(york, Scope("area", "OA4", "OA4"), clock)
    assert ofsted.measure_signals == ()
    assert "SIGNAL CHANGED" not in render(ofsted).text
    # a week later nothing moved: the section is left out
    later = compose_digest(york, ALL, Clock.fixed_at(datetime(2024, 3, 29, 9, 0)))
    assert later.measure_signals == ()
