"""The tracker table of a paper: a header row that repeats, no merged cells, status in words."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import Engine
from sqlmodel import Session

from bot.render.paper_docx import TRACKER_HEADER, tracker_table
from commands.reports.facts import PaperFacts, paper_facts

# what people read: the answers' queries are pinned on PostgreSQL in tests/commands
pytestmark = pytest.mark.engine_independent


def test_tracker_table_for_york(york_engine: Engine) -> None:
    with Session(york_engine) as session:
        facts = paper_facts(session, date(2023, 2, 15))
    assert isinstance(facts, PaperFacts)
    document = Document()
    tracker_table(document, facts.rows)
    buffer = io.BytesIO()
    document.save(buffer)
    table = Document(io.BytesIO(buffer.getvalue())).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == list(TRACKER_HEADER)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == len(facts.rows) + 1
    assert not table._tbl.xpath(".//w:gridSpan | .//w:vMerge")
    refs = [row.cells[0].text for row in table.rows[1:]]
    assert refs == [row.ref for row in facts.rows]
    for row, fact in zip(table.rows[1:], facts.rows, strict=True):
        status, forecast, next_step = (cell.text for cell in row.cells[-3:])
        assert status == f"{fact.flag} ({fact.status})"
        assert forecast == (fact.forecast or "—")
        assert next_step == (fact.next_step or "—")
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # a row never splits a page
