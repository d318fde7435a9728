"""Every example in the user guide's table of replies (docs/user-guide.md, "Reminders and
replies") reads as the table says: the status, colour and due date named in its second column,
nothing where it says nothing, a question with buttons where it says planbot asks."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import pytest

from commands.updates.replies import parse_reply

TODAY = date(2023, 2, 15)
GUIDE = Path(__file__).parents[3] / "docs" / "user-guide.md"
STATUSES = {
    "not started": "not_started",
    "in progress": "in_progress",
    "blocked": "blocked",
    "dropped": "dropped",
    "done": "done",
}
MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}


def _rows() -> list[tuple[str, str]]:
    """(example, what planbot records) for each example of the first replies table."""
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("| you write | planbot records |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        for example in re.findall(r"`([^`]+)`", cells[0]):
            rows.append((example, cells[1]))
    return rows


ROWS = _rows()


def test_the_table_has_an_example_of_each_kind() -> None:
    assert len(ROWS) >= 60


@pytest.mark.parametrize(("example", "records"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_each_example_reads_as_the_guide_says(example: str, records: str) -> None:
    parsed = parse_reply(example, TODAY)
    said = records.split("(")[0]  # what follows in brackets explains; it is not the reading
    if records.startswith("nothing"):
        assert parsed.kind == "nothing"
        return
    if "asks with buttons" in records:
        assert parsed.ambiguous and parsed.note
        return
    first = said.split(",")[0].split(";")[0].strip()
    status = next((value for name, value in STATUSES.items() if first.startswith(name)), None)
    assert parsed.status == status
    colour = re.search(r"declared (\w+)", said)
    assert parsed.rag == (colour.group(1) if colour else None)
    due = re.search(r"due (\d{1,2}) (\w{3})", said)
    wanted = date(2023, MONTHS[due.group(2)], int(due.group(1))) if due else None
    assert parsed.due == wanted
    assert parsed.correction == ("replacing your last update" in records)
    if "note" in said:
        assert parsed.note
