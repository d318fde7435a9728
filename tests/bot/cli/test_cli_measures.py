"""`planbot measures import|export|chart` and `planbot scorecard [--json]` from the terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli import main

VALUES = [14.2, 13.9, 15.1, 14.0, 13.2, 12.8, 12.1, 11.9, 11.0, 10.2, 9.8]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, york_url: str) -> None:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", york_url)
    monkeypatch.setenv("PLANBOT_TODAY", "2024-03-15")
    monkeypatch.chdir(tmp_path)


def values_file(tmp_path: Path) -> Path:
    lines = ["measure,month,value,unit,polarity,target"]
    lines += [
        f"Reduced staff turnover,{month:02d}/2023,{value},%,lower,12"
        for month, value in enumerate(VALUES, start=1)
    ]
    lines += ["Children waiting over 20 days,01/2023,3,count,lower,"]
    path = tmp_path / "monthly.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_scorecard_json_export_and_chart(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = values_file(tmp_path)
    assert main(["measures", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "monthly.csv: nothing imported." in err
    assert "row 13, measure: no measure is called 'Children waiting over 20 days'" in err

    assert main(["measures", "import", str(path), "--create"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("monthly.csv: 12 values recorded, 0 corrected")
    assert "Created 1 measures: Children waiting over 20 days" in out

    assert main(["scorecard", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    staff = rows["Reduced staff turnover"]
    wanted = "name latest target rag direction variation assurance mean upper_limit lower_limit"
    assert set(staff) >= {*wanted.split(), "signals", "points"}
    assert staff["latest"] == 9.8 and staff["rag"] == "Green"
    assert staff["variation"] == "special cause: improvement"
    assert len(staff["points"]) == 11
    waiting = rows["Children waiting over 20 days"]
    assert waiting["latest"] == "fewer than 5"
    assert waiting["points"][0]["value"] == "fewer than 5"

    assert main(["scorecard", "P1.3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Scorecard · P1.3 · as of 15 Mar 2024 · 1 measures")

    out_csv = tmp_path / "export.csv"
    assert main(["measures", "export", "--exact", "--out", str(out_csv)]) == 0
    capsys.readouterr()
    assert main(["measures", "import", str(out_csv)]) == 0
    assert "0 values recorded, 0 corrected (the old values kept in the history), 12 unchanged" in (
        capsys.readouterr().out
    )

    # Excel: values as numbers, small counts hidden unless --exact, and it imports back unchanged
    out_xlsx = tmp_path / "export.xlsx"
    assert main(["measures", "export", "--out", str(out_xlsx)]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote 12 values to {out_xlsx}")
    from openpyxl import load_workbook

    sheet = load_workbook(out_xlsx).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("measure", "period_start", "period_end", "value")
    turnover = [r for r in rows if r[0] == "Reduced staff turnover"]
    assert [r[3] for r in turnover] == VALUES
    assert main(["measures", "export", "--exact", "--out", str(out_xlsx)]) == 0
    capsys.readouterr()
    assert main(["measures", "import", str(out_xlsx)]) == 0
    assert "12 unchanged" in capsys.readouterr().out

    png = tmp_path / "turnover.png"
    assert main(["measures", "chart", "staff turnover", "--out", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "XmR chart of Reduced staff turnover" in capsys.readouterr().out
    assert main(["scorecard", "the moon"]) == 1
    assert "No measure is under 'the moon'" in capsys.readouterr().err


def test_the_small_number_threshold_is_a_setting(
    terminal: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["measures", "import", str(values_file(tmp_path)), "--create"]) == 0
    monkeypatch.setenv("PLANBOT_SMALL_COUNT", "3")
    capsys.readouterr()
    assert main(["scorecard", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["Children waiting over 20 days"]["latest"] == 3


def test_set_what_a_measure_is_and_rebase_its_limits(
    terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["measure,period_start,period_end,value"]
    for month in range(1, 13):
        value = 10 + (month % 2) if month <= 5 else 20 + (month % 2)  # a step up in June
        lines.append(f"Reduced use of agency,2023-{month:02d}-01,2023-{month:02d}-28,{value}")
    path = tmp_path / "agency.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["measures", "import", str(path)]) == 0
    args = ["measures", "set", "use of agency", "--unit", "count", "--target", "15",
            "--neighbours", "18.5", "--england", "22", "--owner", "Head of MASH"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "unit count; owner Head of MASH; target 15; neighbours 18.5; england 22." in out
    assert "owner Head of MASH" in out
    assert main(["scorecard", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["mean"] == pytest.approx(196 / 12)  # one set of limits across the step
    assert "run on one side of the mean" in row["signals"]
    assert main(["measures", "set", "use of agency", "--rebase", "2023-06-01"]) == 0
    capsys.readouterr()
    assert main(["scorecard"]) == 0
    text = capsys.readouterr().out
    assert "statistical neighbours 18.5; England 22" in text
    assert main(["scorecard", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["mean"] == pytest.approx(143 / 7)  # new limits from June
    assert row["signals"] == []
    assert main(["measures", "set", "use of agency", "--target", "lots"]) == 1
    assert "Nothing changed: target: 'lots' is not a number." in capsys.readouterr().err
