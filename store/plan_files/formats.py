"""Plan files by extension: read YAML, CSV or XLSX into `PlanDoc`s; write them back out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from store.plan_files.importer import validate
from store.plan_files.plan_doc import PlanDoc, PlanFileError
from store.plan_files.sheet_plan import plans_to_csv, plans_to_xlsx, read_sheet_plans
from store.plan_files.yaml_plan import plans_to_yaml, read_yaml_plans

FORMATS = ("yaml", "csv", "xlsx")
_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


def format_of(path: Path) -> str | None:
    """The plan format a file name says (`.yml` is YAML), or None."""
    return _EXTENSIONS.get(path.suffix.lower())


def read_plan_file(path: Path) -> list[PlanDoc]:
    """Every plan in a .yaml/.yml, .csv or .xlsx file; `PlanFileError` names what is wrong."""
    kind = format_of(path)
    if kind is None:
        hint = " (save it as .xlsx)" if path.suffix.lower() in (".xls", ".xlsm", ".ods") else ""
        raise PlanFileError(
            str(path), "", f"is not a .yaml, .csv or .xlsx file{hint}; planbot reads those three"
        )
    if not path.is_file():
        raise PlanFileError(str(path), "", "does not exist or is not a file")
    return read_yaml_plans(path) if kind == "yaml" else read_sheet_plans(path)


def read_plan_files(paths: Sequence[Path]) -> list[PlanDoc]:
    """Read and check every file before anything is written; a plan key given twice is an error."""
    plans: list[PlanDoc] = []
    seen: dict[str, str] = {}
    for path in paths:
        for plan in read_plan_file(path):
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
