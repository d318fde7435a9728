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
