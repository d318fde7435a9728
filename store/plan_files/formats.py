"""Plan files by extension: read YAML, CSV, XLSX or DOCX into `PlanDoc`s; write them back out.

A spreadsheet with planbot's own header (a plan_key column) is read as docs/PLAN_FORMAT.md says;
any other spreadsheet, and every Word document, is read as a council's own layout
(`council_table`), one plan per file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from store.plan_files.council_sheet import csv_table, xlsx_tables
from store.plan_files.council_table import CouncilOptions, read_council_tables
from store.plan_files.docx_tables import read_docx_tables
from store.plan_files.plan_checks import validate
from store.plan_files.plan_doc import FORMATS, PlanDoc, PlanFileError
from store.plan_files.sheet_files import read_sheet_bytes
from store.plan_files.sheet_plan import (
    is_planbot_header,
    parse_sheet_rows,
    plans_to_csv,
    plans_to_xlsx,
    sheet_rows,
)
from store.plan_files.yaml_plan import plans_to_yaml, read_yaml_plans

_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx", ".docx": "docx"}


def format_of(path: Path) -> str | None:
    """The plan format a file name says (`.yml` is YAML), or None."""
    return _EXTENSIONS.get(path.suffix.lower())


def council_options(path: Path, given: CouncilOptions | None) -> CouncilOptions:
    """The options for a council file: what was given, with key, title and prefix from the file
    name when not given ("torbay-plan.docx" -> key torbay-plan, prefix TP)."""
    options = CouncilOptions(**vars(given)) if given else CouncilOptions("", "", "")
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:64] or "plan"
    options.key = options.key or stem
    options.title = options.title or path.stem.replace("_", " ").replace("-", " ").strip()
    initials = "".join(word[0] for word in re.findall(r"[a-z]+", options.key))[:3].upper()
    options.prefix = options.prefix or initials or "A"
    return options


def read_plan_file(path: Path, options: CouncilOptions | None = None) -> list[PlanDoc]:
    """Every plan in a .yaml/.yml, .csv, .xlsx or .docx file; `PlanFileError` says what is wrong."""
    kind = format_of(path)
    if kind is None:
        hint = " (save it as .xlsx)" if path.suffix.lower() in (".xls", ".xlsm", ".ods") else ""
        hint = " (save it as .docx)" if path.suffix.lower() in (".doc", ".odt", ".rtf") else hint
        raise PlanFileError(
            str(path), "", f"is not a .yaml, .csv, .xlsx or .docx file{hint}; planbot reads those"
        )
    if not path.is_file():
        raise PlanFileError(str(path), "", "does not exist or is not a file")
    if kind == "yaml":
        return read_yaml_plans(path)
    if kind == "docx":
        tables = read_docx_tables(path)
    elif kind == "xlsx":
        tables = xlsx_tables(read_sheet_bytes(path), str(path))
        first = tables[0].rows if tables else []
        if first and is_planbot_header([cell.text for cell in first[0]]):
            return parse_sheet_rows([[cell.text for cell in row] for row in first], str(path))
    else:
        rows = sheet_rows(path)
        if rows and is_planbot_header(rows[0]):
            return parse_sheet_rows(rows, str(path))
        tables = csv_table(rows)
    return [read_council_tables(tables, str(path), council_options(path, options))]


def read_plan_files(paths: Sequence[Path], options: CouncilOptions | None = None) -> list[PlanDoc]:
    """Read and check every file before anything is written; a plan key given twice is an error."""
    plans: list[PlanDoc] = []
    seen: dict[str, str] = {}
    for path in paths:
        for plan in read_plan_file(path, options):
            if plan.key in seen:
                raise PlanFileError(
                    str(path), "plan_key", f"plan '{plan.key}' is also given by {seen[plan.key]}"
                )
            seen[plan.key] = str(path)
            validate(plan)
            plans.append(plan)
    return plans


def render_plans(plans: Sequence[PlanDoc], kind: str) -> str | bytes:
    """The export text (YAML, CSV) or workbook bytes (XLSX) for `plans`."""
    if kind == "yaml":
        return plans_to_yaml(list(plans))
    if kind == "csv":
        return plans_to_csv(plans)
    if kind == "xlsx":
        return plans_to_xlsx(plans)
    raise ValueError(f"unknown format {kind!r}; one of {', '.join(FORMATS)}")
