"""The tables of a Word (.docx) plan as `council_table.Table`s, read with python-docx.

Merged cells come back once per grid position they cover (python-docx), marked `merged_up` where
a cell continues the one above (a merged "area" cell spanning its actions); list paragraphs in a
cell come back as "• " lines, so they can be read as steps. A password-protected, old .doc or
corrupt file is refused with a line saying which.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from store.plan_files.council_table import Cell, Table
from store.plan_files.plan_doc import PlanFileError
from store.plan_files.sheet_files import MAX_FILE_BYTES, check_unpacked_size, refuse_locked


def _is_list(paragraph: Paragraph) -> bool:
    """A bulleted or numbered paragraph: list numbering, or a list style ("List Bullet").
    Read from the XML: python-docx's style lookup walks every style, and was most of the time
    of reading a long plan."""
    properties = paragraph._p.pPr
    if properties is None:
        return False
    if properties.numPr is not None:
        return True
    style = properties.pStyle
    return style is not None and "List" in (style.val or "")


def cell_text(cell: _Cell) -> str:
    lines = []
    for paragraph in cell.paragraphs:
        text = paragraph.text
        if text.strip():
            lines.append(f"• {text.strip()}" if _is_list(paragraph) else text)
    for inner in cell.tables:  # a table nested in a cell is read as its lines
        for row in inner.rows:
            lines.append(" | ".join(cell_text(c) for c in row.cells if c.text.strip()))
    return "\n".join(lines)


def read_docx_tables(path: Path) -> list[Table]:
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PlanFileError(file, "", f"cannot be read ({error.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise PlanFileError(file, "", "is larger than planbot reads (20 MB)")
    refuse_locked(raw, file)
    check_unpacked_size(raw, file)
    try:
        document = Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise PlanFileError(
            file,
            "",
            f"is not a readable Word .docx document ({type(error).__name__}); is it corrupt?",
        ) from None
    tables: list[Table] = []
    for number, table in enumerate(document.tables, 1):
        rows: list[list[Cell]] = []
        above: list[object] = []
        for row in table.rows:
            cells = row.cells
            elements = [cell._tc for cell in cells]
            rows.append(
                [
                    Cell(
                        cell_text(cell),
                        merged_up=index < len(above) and above[index] is elements[index],
                    )
                    for index, cell in enumerate(cells)
                ]
            )
            above = list(elements)
        tables.append(Table(f"table {number}", rows))
    return tables
