"""`planbot report scrutiny`: the paper opened with python-docx as a reader would see it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import Session

from bot.cli import main
from bot.render.paper_docx import SCRUTINY_HEADINGS, TRACKER_HEADER
from commands.reports.facts import PaperFacts, paper_facts


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, york_url: str) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.chdir(tmp_path)


def test_scrutiny_paper_for_york(
    terminal: None, tmp_path: Path, york_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.docx"
    assert main(["report", "scrutiny", "--as-of", "2023-02-15", "--out", str(out)]) == 0
    assert "data as at 2023-02-15" in capsys.readouterr().out
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SCRUTINY_HEADINGS)
    text = [p.text for p in document.paragraphs]
    assert "Data as at 15 February 2023." in text
    with Session(york_engine) as session:
        facts = paper_facts(session, __import__("datetime").date(2023, 2, 15))
    assert isinstance(facts, PaperFacts)
    assert [a.ref for a in facts.areas] == [f"OA{n}" for n in range(1, 8)]
    for letter, area in zip("abcdefg", facts.areas, strict=True):
        title = f"{letter}.\t{area.ref}: {area.title}"
        at = text.index(title)
        counts = ", ".join(f"{n} {label}" for label, n in area.counts if n)
        assert text[at + 1].startswith(f"Of its {area.total} actions: {counts}.")
        assert sum(n for _, n in area.counts) == area.total
        for exception in area.exceptions:
            assert any(exception.ref in line and exception.owner in line for line in text)


def test_scope_that_does_not_exist_is_refused(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.docx"
    args = ["report", "scrutiny", "--as-of", "2023-02-15", "--scope", "nowhere", "--out", str(out)]
    assert main(args) == 1
    assert "No plan or area is called 'nowhere'" in capsys.readouterr().err
    assert not out.exists()
    assert TRACKER_HEADER[0] == "Reference"


def _merged_cells(path: Path) -> bool:
    import zipfile

    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    return "w:gridSpan" in xml or "w:vMerge" in xml


def test_board_pack_has_the_covering_report_and_both_annexes(
    terminal: None, tmp_path: Path, york_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from openpyxl import load_workbook

    values = tmp_path / "values.csv"
    values.write_text(
        "measure,period_start,period_end,value,unit,polarity,target\n"
        "Reduced staff turnover,2023-01-01,2023-01-31,14.2,%,lower,12\n"
        "Reduced staff turnover,2023-02-01,2023-02-28,13.1,%,lower,12\n"
        "Reduced use of agency,2023-02-01,2023-02-28,3,count,lower,\n",
        encoding="utf-8",
    )
    assert main(["measures", "import", str(values), "--as-of", "2023-03-01"]) == 0
    capsys.readouterr()
    out, sheet_file = tmp_path / "board.docx", tmp_path / "annex-a.xlsx"
    args = [
        "report",
        "board",
        "--as-of",
        "2023-03-31",
        "--out",
        str(out),
        "--xlsx",
        str(sheet_file),
    ]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "16 areas" in said and "2 measures in Annex B" in said

    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [*SCRUTINY_HEADINGS, "Annex A: Action tracker", "Annex B: Success measures"]
    text = [p.text for p in document.paragraphs]
    assert any("update the Board on progress against the" in line for line in text)
    assert any(line.endswith("The Board is asked to note the progress of the action plan.")
               for line in text)  # fmt: skip
    tracker, scorecard = document.tables
    with Session(york_engine) as session:
        facts = paper_facts(session, date(2023, 3, 31), scope="all")
    assert isinstance(facts, PaperFacts)
    assert [a.ref for a in facts.areas] == [f"OA{n}" for n in range(1, 8)] + [
        f"P{n}" for n in range(1, 10)
    ]
    assert [row.cells[0].text for row in tracker.rows[1:]] == [r.ref for r in facts.rows]
    # the covering report names three exceptions per area; Annex A carries the rest
    for area in facts.areas:
        named = [line for line in text if line.startswith(f"Exception – {area.ref}.")]
        assert len(named) == min(3, len(area.exceptions))
        more = f"…and {len(area.exceptions) - 3} more, listed in Annex A."
        assert (more in text) == (len(area.exceptions) > 3)
    assert any(len(area.exceptions) > 3 for area in facts.areas)
    assert tracker.rows[0].cells[0].text == "Reference"
    staff = {row.cells[0].text: [c.text for c in row.cells] for row in scorecard.rows[1:]}
    assert staff["Reduced staff turnover"][2:5] == ["13.1% (Feb 2023)", "12%", "Red"]
    assert staff["Reduced use of agency"][2] == "fewer than 5 (Feb 2023)"
    for table in (tracker, scorecard):
        assert table.rows[0]._tr.trPr.xml.count("w:tblHeader") == 1  # repeats on every page
    assert not _merged_cells(out)
    # delivery by area and the trend, each with its words for a screen reader
    [picture, trend] = document.inline_shapes
    alt = picture._inline.docPr.get("descr")
    assert trend._inline.docPr.get("descr").startswith("Line chart of the actions open")
    assert alt.startswith("Bar chart of each area's actions by delivery status on 31 March 2023.")
    assert "OA1: 6 done" in alt and "P5: " in alt
    assert document.sections[-1].orientation == 1  # the annexes on landscape pages

    rows = list(load_workbook(sheet_file)["Annex A"].iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and len(rows) == len(facts.rows) + 1
    assert [r[0] for r in rows[1:]] == [r.ref for r in facts.rows]


def test_board_pack_without_measures_says_so(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "board.docx"
    args = ["report", "board", "--as-of", "2023-03-31", "--scope", "OA2", "--out", str(out)]
    assert main(args) == 0
    text = [p.text for p in Document(str(out)).paragraphs]
    assert any(line.startswith("No success measure has a value") for line in text)
    assert "a.\tOA2: " in "\n".join(text)


def test_challenge_pack_for_one_head_of_service(
    terminal: None, tmp_path: Path, york_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from bot.render.paper_docx import CHALLENGE_HEADINGS

    out = tmp_path / "mash.docx"
    args = ["report", "challenge", "--as-of", "2023-02-28", "--scope", "head of mash"]
    assert main([*args, "--out", str(out)]) == 0
    assert "data as at 2023-02-28" in capsys.readouterr().out
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(CHALLENGE_HEADINGS)
    assert document.paragraphs[0].text == "Support and challenge: Head of MASH"
    with Session(york_engine) as session:
        facts = paper_facts(session, date(2023, 2, 28), date(2023, 1, 29), owned_by="Head of MASH")
    assert isinstance(facts, PaperFacts)
    [table] = document.tables
    assert [row.cells[0].text for row in table.rows[1:]] == [r.ref for r in facts.rows]
    assert all("Head of MASH" in row.lead for row in facts.rows)
    questions = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    exceptions = [e for area in facts.areas for e in area.exceptions]
    assert exceptions, "Head of MASH has overdue items on 28 Feb 2023"
    for exception in exceptions:
        assert any(q.startswith(f"{exception.ref} was due") for q in questions)

    assert main(["report", "challenge", "--as-of", "2023-02-28", "--out", str(out)]) == 1
    assert 'say whose pack: --scope "Head of MASH"' in capsys.readouterr().err
    assert main([*args[:4], "--scope", "Head of Nothing", "--out", str(out)]) == 1
    assert "I don't know a role called “Head of Nothing”" in capsys.readouterr().err


def _council_template(path: Path, *, with_progress: bool = True) -> Path:
    """A council's house template: its own headings, planbot's tags under them."""
    document = Document()
    document.add_paragraph("{{ committee }} · {{ meeting_date }}")
    document.add_heading("1. Purpose of the report", level=1)
    document.add_paragraph("{%p for p in summary %}")
    document.add_paragraph("{{ p }}")
    document.add_paragraph("{%p endfor %}")
    document.add_heading("2. Progress against the plan", level=1)
    if with_progress:
        document.add_paragraph("{%p for a in areas %}")
        document.add_paragraph("{{ a.letter }}) {{ a.ref }} {{ a.title }} — {{ a.sentences }}")
        document.add_paragraph("{%p endfor %}")
    document.add_heading("3. Contact", level=1)
    document.add_paragraph("{%p for p in contact %}")
    document.add_paragraph("{{ p }}")
    document.add_paragraph("{%p endfor %}")
    document.save(str(path))
    return path


def test_a_councils_own_template_keeps_its_headings(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = _council_template(tmp_path / "house.docx")
    standing = tmp_path / "standing.yaml"
    standing.write_text(
        "committee: Children, Education and Communities Policy and Scrutiny Committee\n"
        "meeting_date: 1 November 2022\ncontact:\n  - 'Author: Head of QA'\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.docx"
    args = ["report", "scrutiny", "--as-of", "2022-10-20", "--out", str(out)]
    assert main([*args, "--template", str(template), "--settings", str(standing)]) == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Purpose of the report", "2. Progress against the plan", "3. Contact"]
    text = [p.text for p in document.paragraphs]
    assert text[0] == (
        "Children, Education and Communities Policy and Scrutiny Committee · 1 November 2022"
    )
    assert text[2].startswith("The purpose of this paper is to update the Committee")
    assert sum(line.startswith(("a) OA1 ", "b) OA2 ", "g) OA7 ")) for line in text) == 3
    assert "Author: Head of QA" in text
    assert not any("{{" in line or "{%" in line for line in text)

    # no settings: the standing text is a marked placeholder, never invented
    assert main([*args, "--template", str(template)]) == 0
    placeholder = (
        "[To be completed by the report author: the author and chief officer responsible.]"
    )
    assert placeholder in [p.text for p in Document(str(out)).paragraphs]

    # planbot's own starting template, filled, has the seed-001 headings
    starting = tmp_path / "start.docx"
    assert main(["report", "template", "--out", str(starting)]) == 0
    assert main([*args, "--template", str(starting)]) == 0
    filled = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert filled == list(SCRUTINY_HEADINGS)
    capsys.readouterr()


def test_a_template_planbot_cannot_use_is_refused_by_name(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.docx"
    args = ["report", "scrutiny", "--as-of", "2022-10-20", "--out", str(out)]
    no_progress = _council_template(tmp_path / "thin.docx", with_progress=False)
    assert main([*args, "--template", str(no_progress)]) == 1
    said = capsys.readouterr().err
    assert "the template has no progress or areas tag" in said
    assert "Add e.g. {%p for p in progress %}{{ p }}{%p endfor %}." in said
    text_file = tmp_path / "notes.docx"
    text_file.write_text("not a Word file", encoding="utf-8")
    assert main([*args, "--template", str(text_file)]) == 1
    assert "the template is not a Word .docx file" in capsys.readouterr().err
    bad = tmp_path / "standing.yaml"
    bad.write_text("colour: blue\n", encoding="utf-8")
    assert main([*args, "--settings", str(bad)]) == 1
    assert "standing.yaml: unknown keys colour" in capsys.readouterr().err
    assert not out.exists()


def test_the_forecast_names_what_falls_due_before_the_next_meeting(york_engine: Engine) -> None:
    from datetime import date, timedelta

    from bot.render.paper_docx import area_sentences

    as_of = date(2023, 2, 15)
    with Session(york_engine) as session:
        facts = paper_facts(session, as_of, scope="ambition")
    assert isinstance(facts, PaperFacts)
    due_soon = [
        row for row in facts.rows
        if row.current_due and as_of <= row.current_due <= as_of + timedelta(days=91)
        and row.flag not in ("Complete", "Dropped")
    ]  # fmt: skip
    assert due_soon, "York's Ambition Plan has items due by mid-May 2023"
    assert all(row.forecast for row in due_soon)
    assert all(not row.forecast for row in facts.rows if row not in due_soon)
    forecast_refs = {line.split(" due ")[0] for area in facts.areas for line in area.forecast}
    assert forecast_refs == {row.ref for row in due_soon}
    for area in facts.areas:
        said = " ".join(area_sentences(area))
        assert ("Due before the next meeting:" in said) == bool(area.forecast)


def test_the_next_paper_reports_from_the_last_ones_date(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.docx"
    assert main(["report", "scrutiny", "--as-of", "2022-10-20", "--out", str(out)]) == 0
    assert "changes since 2022-07-20" in capsys.readouterr().out  # no paper before: a quarter
    assert main(["report", "scrutiny", "--as-of", "2023-02-15", "--out", str(out)]) == 0
    assert "changes since 2022-10-20" in capsys.readouterr().out  # the last scrutiny paper
    text = [p.text for p in Document(str(out)).paragraphs]
    assert "Progress reported for the period 20 October 2022 to 15 February 2023." in text
    assert main(["report", "board", "--as-of", "2023-02-15", "--out", str(out)]) == 0
    assert "changes since 2022-11-15" in capsys.readouterr().out  # each kind keeps its own
    args = ["report", "scrutiny", "--as-of", "2023-02-20", "--since", "2023-01-01"]
    assert main([*args, "--out", str(out)]) == 0
    assert "changes since 2023-01-01" in capsys.readouterr().out  # --since still wins


def _pictures(document: object) -> list[str]:
    """Each inline picture's alt text, in document order."""
    shapes = document.inline_shapes  # type: ignore[attr-defined]
    return [shape._inline.docPr.get("descr") or "" for shape in shapes]


def test_the_board_pack_in_the_councils_template_keeps_its_annexes_and_charts(
    terminal: None, tmp_path: Path, york_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    start = tmp_path / "board-template.docx"
    assert main(["report", "template", "--paper", "board", "--out", str(start)]) == 0
    out = tmp_path / "board.docx"
    args = ["report", "board", "--as-of", "2023-03-31", "--out", str(out)]
    assert main([*args, "--template", str(start)]) == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        *SCRUTINY_HEADINGS,
        "Annex A: Action tracker",
        "Annex B: Success measures",
    ]
    text = [p.text for p in document.paragraphs]
    assert not any("{{" in line or "{%" in line for line in text)
    assert "The Board is asked to note the progress of the action plan." in text
    assert any(line.startswith("No success measure has a value") for line in text)
    with Session(york_engine) as session:
        facts = paper_facts(session, date(2023, 3, 31), scope="all")
    assert isinstance(facts, PaperFacts)
    tracker = document.tables[0]
    assert [c.text for c in tracker.rows[0].cells] == list(TRACKER_HEADER)
    assert [r.cells[0].text for r in tracker.rows[1:]] == [row.ref for row in facts.rows]
    p75 = next(r for r in tracker.rows if r.cells[0].text == "P7.5")
    assert p75.cells[6].text == "Overdue (not started)"
    assert not _merged_cells(out)
    xml = __import__("zipfile").ZipFile(out).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader") == 2  # both tables repeat their header row
    assert 'w:fill="FFC7CE"' in xml  # an overdue row's status shaded, beside its words
    alts = _pictures(document)
    assert len(alts) == 2
    assert alts[0].startswith("Bar chart of each area's actions by delivery status")
    assert alts[1].startswith("Line chart of the actions open, overdue and done")
    capsys.readouterr()


def test_the_challenge_pack_in_a_template_and_a_board_template_without_annex_b(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.render.paper_docx import CHALLENGE_HEADINGS

    start = tmp_path / "challenge-template.docx"
    assert main(["report", "template", "--paper", "challenge", "--out", str(start)]) == 0
    out = tmp_path / "mash.docx"
    args = ["report", "challenge", "--as-of", "2023-02-28", "--scope", "head of mash"]
    assert main([*args, "--template", str(start), "--out", str(out)]) == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(CHALLENGE_HEADINGS)
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Support and challenge: Head of MASH"
    asks = text[text.index("Questions to ask") + 1 :]
    assert any("what is the realistic new date" in line for line in asks)
    assert len(document.tables) == 1 and len(document.tables[0].rows) > 1
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    assert _pictures(document)[0].startswith("Line chart")

    # a council's board template that leaves out the success measures is refused by name
    thin = Document()
    for name in ("summary", "progress"):
        for line in (f"{{%p for p in {name} %}}", "{{ p }}", "{%p endfor %}"):
            thin.add_paragraph(line)
    table = thin.add_table(rows=3, cols=1)
    table.rows[0].cells[0].text = "{%tr for r in annex_a %}"
    table.rows[1].cells[0].text = "{{ r.ref }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    thin.save(str(tmp_path / "thin.docx"))
    board = ["report", "board", "--as-of", "2023-03-31", "--out", str(tmp_path / "b.docx")]
    assert main([*board, "--template", str(tmp_path / "thin.docx")]) == 1
    said = capsys.readouterr().err
    assert "the template has no annex_b tag" in said and "board paper" in said
    assert "{%tr for r in annex_b %}" in said
    assert not (tmp_path / "b.docx").exists()
