"""Reading a spreadsheet file's cells safely, for every format planbot reads from one (plans,
council sheets, Word tables' workbooks, measure values).

A file over MAX_FILE_BYTES is refused before it is read, and a workbook whose parts would unpack
to more than MAX_UNPACKED_BYTES, or a large part that expands more than MAX_RATIO times (a zip
bomb), before it is unpacked (docs/operations.md, "Big and hostile plan files"). A CSV cell a
spreadsheet would run as a formula is written with a leading apostrophe (OWASP's rule for CSV
injection), and the apostrophe is taken off again when a CSV is read, so an export imports back
exactly (docs/operations.md, "Formula cells in exports"). Text that is not UTF-8, or a workbook
that is not one, raises `PlanFileError` naming the file and, where it can, the row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from store.plan_files.plan_doc import PlanFileError

# What a spreadsheet program reads as the start of a formula (OWASP, "CSV Injection"); an
# apostrophe is added too, so that one taken off on reading is always one that export added.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "'")
# York's two plans are a 25 KB workbook (124 KB of sheet XML) and a 59 KB CSV; these bounds leave
# room for plans hundreds of times that size.
MAX_FILE_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 100_000_000  # a workbook's parts together, unpacked
MAX_RATIO = 100  # unpacked to packed size, for a part larger than RATIO_GRACE unpacked
RATIO_GRACE = 1_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_sheet_bytes(path: Path) -> bytes:
    """A spreadsheet file's bytes, refused when too big, unreadable or empty."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PlanFileError(
                file, "", f"is {_mb(size)}; planbot reads plan files of up to {_mb(MAX_FILE_BYTES)}"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise PlanFileError(file, "", f"cannot be read ({error.strerror})") from None
    if not raw.strip():
        raise PlanFileError(file, "", "the file is empty")
    return raw


def csv_rows(raw: bytes, file: str) -> list[list[str]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFileError(
            file, "", "is UTF-16 text; save it as 'CSV UTF-8 (Comma delimited)' and import again"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanFileError(
            file,
            _bad_text_at(raw),
            f"byte 0x{raw[error.start]:02x} is not UTF-8 text (the file looks like Latin-1 or "
            "Windows text); save it as 'CSV UTF-8 (Comma delimited)' and import again",
        ) from None
    if "\x00" in text:
        raise PlanFileError(file, "", "holds NUL bytes; it is not a CSV text file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [[formula_restored(cell) for cell in row] for row in reader]
    except csv.Error as error:
        raise PlanFileError(
            file, f"line {reader.line_num}", f"is not valid CSV ({error})"
        ) from None


def _bad_text_at(raw: bytes) -> str:
    """The row and column of the first cell that is not UTF-8, as "row 3, title"."""
    text = raw.decode("utf-8", "replace")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    header = [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in rows[0]] if rows else []
    for number, cells in enumerate(rows, 1):
        for index, cell in enumerate(cells):
            if "\ufffd" in cell:
                name = (
                    header[index] if number > 1 and index < len(header) else f"column {index + 1}"
                )
                return f"row {number}, {name}"
    return ""


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab some Excel locales save CSV with."""
    first_line = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first_line.count)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_unpacked_size(raw: bytes, file: str) -> None:
    """Refuse a workbook that would unpack too big, from the sizes its zip directory declares
    (zipfile never unpacks a part beyond its declared size), before any of it is unpacked."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except zipfile.BadZipFile:
        return  # openpyxl says why it is not a workbook
    unpacked = 0
    for part in parts:
        unpacked += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_GRACE and ratio > MAX_RATIO:
            raise PlanFileError(
                file,
                part.filename,
                f"unpacks from {_mb(part.compress_size)} to {_mb(part.file_size)} ({ratio:.0f} "
                f"times); planbot refuses a workbook part that expands more than {MAX_RATIO} "
                "times, as a zip bomb would",
            )
        if unpacked > MAX_UNPACKED_BYTES:
            raise PlanFileError(
                file,
                "",
                f"unpacks to more than {_mb(MAX_UNPACKED_BYTES)}; planbot reads workbooks of up "
                f"to {_mb(MAX_UNPACKED_BYTES)} unpacked",
            )


def refuse_locked(raw: bytes, file: str) -> None:
    """A password-protected Office file (or an old .xls/.doc) is an OLE file, not a zip."""
    if raw.startswith(OLE_MAGIC):
        raise PlanFileError(
            file,
            "",
            "is password-protected (or an old .xls/.doc); remove the password and save it as "
            ".xlsx or .docx",
        )


def xlsx_rows(raw: bytes, file: str) -> list[list[str]]:
    refuse_locked(raw, file)
    check_unpacked_size(raw, file)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise PlanFileError(
            file, "", f"is not an Excel .xlsx workbook ({type(error).__name__}); save it as .xlsx"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def formula_neutralised(cell: str) -> str:
    """`cell` as a CSV cell no spreadsheet runs: an apostrophe before a formula's first character
    ("=HYPERLINK(…)", "+1", "-2+3", "@SUM(…)", a tab or carriage return) or before an apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_LEADS) else cell


def formula_restored(cell: str) -> str:
    """The cell `formula_neutralised` was given: its added apostrophe taken off."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_LEADS) else cell
