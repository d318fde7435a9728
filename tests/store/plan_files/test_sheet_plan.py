"""Spreadsheet plans (CSV, XLSX): reading the documented header, and bad files changing nothing."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from plan_store_helpers import FORMULA_START, HOSTILE_CSV, PLANS, Run, dump_tables, url_of
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from store.models import Action, Measure, Step
from store.plan_files.plan_doc import PlanFileError
from store.plan_files.sheet_files import formula_neutralised, formula_restored
from store.plan_files.sheet_plan import plans_to_csv, plans_to_rows, plans_to_xlsx, read_sheet_plans
from store.queries.history import find_item

GOOD_CSV = (
    "plan_key,plan_title,kind,ref,title,text,owners,due,status,measures\r\n"
    "demo,Demo Plan,area,D1,Area one,,,,,\r\n"
    "demo,,action,D1.1,Do the thing,,Head of Demo; Head of Care,,in_progress,"
    '"Measure a\nMeasure b"\r\n'
    "demo,,step,D1.1.1,,First step,,31/03/2023,,\r\n"
    "demo,,step,,,Second step,,30/06/2023,done,\r\n"
)


def _csv(tmp_path: Path, text: str, name: str = "plan.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_reads_into_areas_actions_and_steps(tmp_path: Path) -> None:
    (plan,) = read_sheet_plans(_csv(tmp_path, GOOD_CSV))
    assert (plan.key, plan.title, plan.prefix) == ("demo", "Demo Plan", "D")
    (area,) = plan.areas
    (action,) = area.actions
    assert action.owners == ["Head of Demo", "Head of Care"]
    assert action.measures == ["Measure a", "Measure b"]
    assert action.status == "in_progress"
    assert [(s.ref, s.text, s.due, s.status) for s in action.steps] == [
        ("D1.1.1", "First step", "31/03/2023", None),
        ("D1.1.2", "Second step", "30/06/2023", "done"),
    ]


def test_excel_csv_utf8_with_a_byte_order_mark_imports(
    tmp_path: Path, fresh_url: str, planbot: Run, empty_engine: Engine
) -> None:
    text = GOOD_CSV.replace("Do the thing", "Do the thing – properly for York’s children")
    result = planbot(fresh_url, "import", str(_csv(tmp_path, text, encoding="utf-8-sig")))
    assert result.code == 0, result.err
    assert "demo (Demo Plan): 1 areas, 1 actions, 2 steps" in result.out
    with Session(empty_engine) as session:
        action = find_item(session, "D1.1")
        assert isinstance(action, Action)
        assert action.title == "Do the thing – properly for York’s children"
        assert action.status == "in_progress"
        assert str(action.due_date) == "2023-06-30"  # the latest of its steps' dates
        step = find_item(session, "D1.1.2")
        assert isinstance(step, Step) and step.status == "done"
        measures = session.exec(select(Measure).where(Measure.action_id == action.id)).all()
        assert sorted(m.text for m in measures) == ["Measure a", "Measure b"]


def test_semicolon_separated_csv_and_inferred_kinds(tmp_path: Path) -> None:
    text = "plan_key;plan_title;ref;title;text;due\ndemo;Demo;D1;Area\ndemo;;D1.1;Act;;\n"
    text += "demo;;D1.1.1;;A step;March 2023\n"
    (plan,) = read_sheet_plans(_csv(tmp_path, text))
    assert plan.areas[0].actions[0].steps[0].due == "March 2023"


def test_an_xlsx_with_typed_cells_reads_as_text(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Plan Key", "Plan Title", "Ref", "Title", "Text", "Due", "Timescale"])
    sheet.append(["demo", "Demo", "D1", "Area"])
    sheet.append(["demo", None, "D1.1", "Act", None, None, 2024])
    sheet.append(["demo", None, "D1.1.1", None, "A step", datetime(2023, 3, 31)])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    (plan,) = read_sheet_plans(path)
    action = plan.areas[0].actions[0]
    assert action.timescale == "2024"
    assert action.steps[0].due == "2023-03-31"


def test_text_that_looks_like_a_formula_stays_text_in_a_workbook(tmp_path: Path) -> None:
    (plan,) = read_sheet_plans(_csv(tmp_path, GOOD_CSV.replace("Do the thing", "=1+1 @me")))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plans_to_xlsx([plan]))
    (again,) = read_sheet_plans(path)
    assert again.areas[0].actions[0].title == "=1+1 @me"
    assert plans_to_rows([again]) == plans_to_rows([plan])


def test_a_csv_export_runs_no_formula_and_imports_back_exactly(tmp_path: Path) -> None:
    (plan,) = read_sheet_plans(_csv(tmp_path, HOSTILE_CSV))
    action = plan.areas[0].actions[0]
    assert (action.title, action.text, action.owners) == ("+1+1", "-2+3", ["=cmd|' /C calc'!A0"])
    exported = plans_to_csv([plan])
    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'- one\n- two" in cells and "'-" in cells
    (again,) = read_sheet_plans(_csv(tmp_path, exported, name="again.csv"))
    assert again.areas == plan.areas and plans_to_rows([again]) == plans_to_rows([plan])
    assert plans_to_csv([again]) == exported


def test_an_apostrophe_a_person_typed_is_kept(tmp_path: Path) -> None:
    (plan,) = read_sheet_plans(_csv(tmp_path, HOSTILE_CSV))
    action = plan.areas[0].actions[1]
    # Only an apostrophe before a formula's first character or another apostrophe is taken off:
    # the rule documented in docs/operations.md.
    assert (action.title, action.text, action.progress) == (
        "'apostrophe first",
        "=written by hand",
        "'x",
    )


@given(st.text())
def test_neutralising_a_cell_always_gives_it_back_and_never_leaves_a_formula(cell: str) -> None:
    written = formula_neutralised(cell)
    assert not written.startswith(FORMULA_START)
    assert formula_restored(written) == cell


def _header(text: str) -> str:
    return text.replace("measures\r\n", "measures,colour\r\n", 1)


def _no_ref(text: str) -> str:
    lines = text.split("\r\n")
    return "\r\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in lines
    )


def _xlsx_not_zip(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_text("plan_key,ref,title\r\n", encoding="utf-8")
    return path


def _zip_bomb(tmp_path: Path) -> Path:
    """A real workbook whose sheet holds 200 MB of rows, packed about 300 to 1 into 0.7 MB."""
    (plan,) = read_sheet_plans(_csv(tmp_path, GOOD_CSV))
    good = zipfile.ZipFile(io.BytesIO(plans_to_xlsx([plan])))
    sheet = good.read("xl/worksheets/sheet1.xml").decode()
    # The header row is kept; the declared dimension goes, so a reader meets every row.
    head = re.sub(r"<dimension [^>]*/>", "", sheet.split("</row>")[0] + "</row>")
    tail = "</sheetData></worksheet>"
    cell = '<c t="inlineStr"><is><t>D9</t></is></c>'
    row = f"<row>{cell * 2}</row>"
    rows = (row * (1_000_000 // len(row))).encode()
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in good.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(part, good.read(part))
        with bomb.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(head.encode())
            for _ in range(200):
                out.write(rows)
            out.write(tail.encode())
    return path


def _many_parts(tmp_path: Path) -> Path:
    """101 parts of 1 MB each: none expands suspiciously alone, together over the limit."""
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(101):
            archive.writestr(f"xl/media/part{number}.xml", b" " * 1_000_000)
    return path


def _too_big(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    with path.open("wb") as out:
        out.truncate(25_000_000)  # sparse: nothing is written
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "unknown column": (
        lambda d: _csv(d, _header(GOOD_CSV)),
        ["plan.csv: row 1", "unknown column 'colour'"],
    ),
    "missing required column": (
        lambda d: _csv(d, _no_ref(GOOD_CSV)),
        ["plan.csv: row 1", "required column 'ref' is missing"],
    ),
    "duplicate reference": (
        lambda d: _csv(d, GOOD_CSV.replace(",,,Second step", ",D1.1.1,,Second step")),
        ["plan.csv: row 5, ref", "duplicate reference D1.1.1 (also on row 4)"],
    ),
    "unreadable date": (
        lambda d: _csv(d, GOOD_CSV.replace("31/03/2023", "31/13/2023")),
        ["plan.csv: row 4, due", "'31/13/2023' is not a date (no month 13)"],
    ),
    "bad status": (
        lambda d: _csv(d, GOOD_CSV.replace("in_progress", "finished")),
        ["plan.csv: row 3, status", "status 'finished' is not one of"],
    ),
    "latin-1 text": (
        lambda d: _csv(d, GOOD_CSV.replace("Do the thing", "Café plan"), encoding="latin-1"),
        ["plan.csv: row 3, title", "is not UTF-8", "CSV UTF-8"],
    ),
    "utf-16 text": (
        lambda d: _csv(d, GOOD_CSV, encoding="utf-16"),
        ["plan.csv: is UTF-16 text"],
    ),
    "xlsx that is not a zip": (_xlsx_not_zip, ["plan.xlsx: is not an Excel .xlsx workbook"]),
    "empty file": (lambda d: _csv(d, ""), ["plan.csv: the file is empty"]),
    "zip bomb": (
        _zip_bomb,
        [
            "plan.xlsx: xl/worksheets/sheet1.xml: unpacks from 0.",
            "to 200.0 MB",
            "refuses a workbook part that expands more than 100 times",
        ],
    ),
    "workbook too big unpacked": (
        _many_parts,
        ["plan.xlsx: unpacks to more than 100.0 MB; planbot reads workbooks of up to 100.0 MB"],
    ),
    "workbook too big": (
        lambda d: _too_big(d, "plan.xlsx"),
        ["plan.xlsx: is 25.0 MB; planbot reads plan files of up to 20.0 MB"],
    ),
    "csv too big": (
        lambda d: _too_big(d, "plan.csv"),
        ["plan.csv: is 25.0 MB; planbot reads plan files of up to 20.0 MB"],
    ),
    "header only": (
        lambda d: _csv(d, GOOD_CSV.split("\r\n")[0] + "\r\n"),
        ["plan.csv: has a header but no rows"],
    ),
    "step with no action": (
        lambda d: _csv(d, GOOD_CSV.replace("D1.1.1", "D1.2.1")),
        ["plan.csv: row 4, ref", "D1.2.1 has no action row D1.2"],
    ),
    "value in a column that does not apply": (
        lambda d: _csv(d, GOOD_CSV.replace("Area one,,,,,", "Area one,,Head,,,")),
        ["plan.csv: row 2, owners", "an area row has no owners"],
    ),
    "invalid yaml": (
        lambda d: _csv(d, "plan: [unclosed\n", name="plan.yaml"),
        ["plan.yaml: line 2", "not valid YAML"],
    ),
    "unknown yaml field": (
        lambda d: _csv(d, "plan: {key: x, title: X, prefix: X, colour: red}\n", name="plan.yaml"),
        ["plan.yaml: plan: unknown field colour"],
    ),
    "not a plan format": (
        lambda d: _csv(d, "x", name="plan.xls"),
        ["plan.xls: is not a .yaml, .csv, .xlsx or .docx file (save it as .xlsx)"],
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_and_changes_nothing(
    kind: str, tmp_path: Path, york_shared: Engine, planbot: Run
) -> None:
    make, fragments = BAD_FILES[kind]
    path = make(tmp_path)
    before = dump_tables(york_shared)
    result = planbot(url_of(york_shared), "import", str(path))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"planbot: cannot import {tmp_path}")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.err
    assert result.out == ""
    assert dump_tables(york_shared) == before


def test_a_failure_after_the_first_plan_is_written_rolls_everything_back(
    tmp_path: Path, york_url: str, york_engine: Engine, planbot: Run
) -> None:
    data = yaml.safe_load((PLANS / "york-ofsted-2022.yaml").read_text(encoding="utf-8"))
    data["areas"][0]["actions"][0]["title"] = "A changed title that must not be kept"
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    # A correction naming an entry that does not exist is only found while writing.
    bad.write_text(
        "plan: {key: other, title: Other, prefix: X}\n"
        "areas:\n  - {ref: X1, title: A, actions: [{ref: X1.1, title: B, "
        "history: [{at: 2023-01-02, status: done, corrects: 'X1.1#7'}]}]}\n",
        encoding="utf-8",
    )
    before = dump_tables(york_engine)
    result = planbot(york_url, "import", str(good), str(bad))
    assert result.code == 1
    assert "bad.yaml: areas[0].actions[0].history[0].corrects: X1.1#7 names no" in result.err
    assert "nothing was changed" in result.err
    assert dump_tables(york_engine) == before


def test_reading_errors_carry_file_row_and_field(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD_CSV.replace("in_progress", "finished"))
    with pytest.raises(PlanFileError) as caught:
        read_sheet_plans(path)
    assert (caught.value.file, caught.value.where) == (str(path), "row 3, status")


def test_a_zip_bomb_is_refused_at_once(tmp_path: Path) -> None:
    path = _zip_bomb(tmp_path)
    started = time.perf_counter()
    with pytest.raises(PlanFileError, match="expands more than 100 times"):
        read_sheet_plans(path)
    assert time.perf_counter() - started < 1.0  # it was read row by row for 83 s
