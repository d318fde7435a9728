"""The project's YAML plan format (docs/PLAN_FORMAT.md): read into a `PlanDoc`, written back out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from store.plan_files.plan_doc import (
    ActionDoc,
    AreaDoc,
    HistoryDoc,
    PlanDoc,
    PlanFileError,
    StepDoc,
)
from store.utc import as_utc

PLAN_KEYS = {"key", "title", "council", "prefix", "source", "document_date"}
AREA_KEYS = {"ref", "title", "strategic_lead", "outcomes", "actions"}
ACTION_KEYS = {
    "ref",
    "title",
    "text",
    "owners",
    "timescale",
    "dates",
    "progress",
    "measures",
    "steps",
    "history",
    "status",
    "rag",
}
STEP_KEYS = {"text", "due", "history", "status", "rag", "ref"}
HISTORY_KEYS = {
    "at",
    "status",
    "rag",
    "due",
    "due_date",
    "author",
    "source",
    "source_ref",
    "note",
    "channel",
    "message_ts",
    "superseded",
    "deleted",
    "corrects",
}


class _Reader:
    def __init__(self, file: str, document: str = "") -> None:
        self.file = file
        self.document = document  # "document 2" in a stream of several plans

    def fail(self, where: str, problem: str) -> PlanFileError:
        return PlanFileError(self.file, f"{self.document} {where}".strip(), problem)

    def mapping(self, value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, found {type(value).__name__}")
        unknown = sorted(str(key) for key in value if key not in allowed)
        if unknown:
            raise self.fail(where, f"unknown field {', '.join(unknown)}")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(f"{where}.{key}", "is required")
            return ""
        if isinstance(value, (dict, list)):
            raise self.fail(f"{where}.{key}", "expected text")
        return str(value).strip()

    def optional(self, data: dict[str, Any], key: str, where: str) -> str | None:
        return self.text(data, key, where) or None

    def texts(self, data: dict[str, Any], key: str, where: str) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", "expected a list")
        out = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)) or item is None:
                raise self.fail(f"{where}.{key}[{index}]", "expected text")
            out.append(str(item).strip())
        return out

    def moment(self, value: Any, where: str) -> datetime:
        if isinstance(value, datetime):
            return as_utc(value)
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=UTC)
        try:
            return as_utc(datetime.fromisoformat(str(value).strip()))
        except ValueError:
            raise self.fail(where, f"'{value}' is not a date (use YYYY-MM-DD)") from None

    def history(self, data: dict[str, Any], where: str) -> list[HistoryDoc]:
        entries = data.get("history") or []
        if not isinstance(entries, list):
            raise self.fail(f"{where}.history", "expected a list")
        out = []
        for index, raw in enumerate(entries):
            at = f"{where}.history[{index}]"
            entry = self.mapping(raw, at, HISTORY_KEYS)
            if entry.get("at") is None:
                raise self.fail(f"{at}.at", "is required")
            out.append(
                HistoryDoc(
                    at=self.moment(entry["at"], f"{at}.at"),
                    status=self.optional(entry, "status", at),
                    rag=self.optional(entry, "rag", at),
                    due=self.optional(entry, "due", at),
                    due_date=(
                        self.moment(entry["due_date"], f"{at}.due_date").date()
                        if entry.get("due_date") is not None
                        else None
                    ),
                    author=self.optional(entry, "author", at),
                    source=self.optional(entry, "source", at) or "document",
                    source_ref=self.optional(entry, "source_ref", at),
                    note=self.optional(entry, "note", at),
                    channel=self.optional(entry, "channel", at),
                    message_ts=self.optional(entry, "message_ts", at),
                    superseded=self.flag(entry, "superseded", at),
                    deleted=self.flag(entry, "deleted", at),
                    corrects=self.corrects(entry, at),
                )
            )
        return out

    def flag(self, data: dict[str, Any], key: str, where: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"expected true or false, found '{value}'")
        return value

    def corrects(self, data: dict[str, Any], where: str) -> int | str | None:
        value = data.get("corrects")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(f"{where}.corrects", "expected an entry number or REF#NUMBER")
        if isinstance(value, str):
            ref, _, index = value.strip().rpartition("#")
            if not ref or not index.isdigit():
                raise self.fail(f"{where}.corrects", f"'{value}' is not REF#NUMBER (P7.5#0)")
            return f"{ref}#{int(index)}"
        return value


def parse_yaml_plans(content: str, file: str = "<plan>") -> list[PlanDoc]:
    """Read every plan of a YAML stream (plans separated by `---`); raises `PlanFileError`."""
    try:
        documents = [data for data in yaml.safe_load_all(content) if data is not None]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise PlanFileError(file, where, f"not valid YAML ({problem})") from None
    if not documents:
        raise PlanFileError(file, "", "the file is empty")
    plans = []
    for index, data in enumerate(documents):
        where = f"document {index + 1}" if len(documents) > 1 else ""
        plans.append(_plan_from_data(data, file, where))
    return plans


def parse_yaml_plan(content: str, file: str = "<plan>") -> PlanDoc:
    """Read a YAML file holding exactly one plan."""
    plans = parse_yaml_plans(content, file)
    if len(plans) != 1:
        raise PlanFileError(file, "", f"holds {len(plans)} plans where one was expected")
    return plans[0]


def _plan_from_data(data: Any, file: str, document: str) -> PlanDoc:
    # Long but straight: it reads the file's fields in the order the format documents them,
    # each checked where it is read so that an error names its place in the file.
    reader = _Reader(file, document)
    top = reader.mapping(data, "top level", {"plan", "areas"})
    plan_data = reader.mapping(top.get("plan"), "plan", PLAN_KEYS)
    document_date = plan_data.get("document_date")
    plan = PlanDoc(
        key=reader.text(plan_data, "key", "plan", required=True),
        title=reader.text(plan_data, "title", "plan", required=True),
        prefix=reader.text(plan_data, "prefix", "plan", required=True),
        council=reader.optional(plan_data, "council", "plan"),
        source=reader.optional(plan_data, "source", "plan"),
        document_date=(
            reader.moment(document_date, "plan.document_date").date() if document_date else None
        ),
        file=file,
    )
    areas = top.get("areas") or []
    if not isinstance(areas, list):
        raise reader.fail("areas", "expected a list")
    for a_index, raw_area in enumerate(areas):
        where = f"areas[{a_index}]"
        area_data = reader.mapping(raw_area, where, AREA_KEYS)
        area = AreaDoc(
            ref=reader.text(area_data, "ref", where, required=True),
            title=reader.text(area_data, "title", where, required=True),
            strategic_lead=reader.optional(area_data, "strategic_lead", where),
            outcomes=reader.texts(area_data, "outcomes", where),
            where=where,
        )
        actions = area_data.get("actions") or []
        if not isinstance(actions, list):
            raise reader.fail(f"{where}.actions", "expected a list")
        for b_index, raw_action in enumerate(actions):
            at = f"{where}.actions[{b_index}]"
            data = reader.mapping(raw_action, at, ACTION_KEYS)
            text = reader.text(data, "text", at) or reader.text(data, "title", at, required=True)
            action = ActionDoc(
                ref=reader.text(data, "ref", at, required=True),
                title=reader.text(data, "title", at) or text,
                text=text,
                owners=reader.texts(data, "owners", at),
                timescale=reader.optional(data, "timescale", at),
                dates=reader.texts(data, "dates", at),
                progress=reader.optional(data, "progress", at),
                measures=reader.texts(data, "measures", at),
                history=reader.history(data, at),
                status=reader.optional(data, "status", at),
                rag=reader.optional(data, "rag", at),
                where=at,
            )
            steps = data.get("steps") or []
            if not isinstance(steps, list):
                raise reader.fail(f"{at}.steps", "expected a list")
            for c_index, raw_step in enumerate(steps):
                st = f"{at}.steps[{c_index}]"
                if isinstance(raw_step, str):
                    raw_step = {"text": raw_step}
                step_data = reader.mapping(raw_step, st, STEP_KEYS)
                action.steps.append(
                    StepDoc(
                        text=reader.text(step_data, "text", st, required=True),
                        due=reader.optional(step_data, "due", st),
                        status=reader.optional(step_data, "status", st),
                        rag=reader.optional(step_data, "rag", st),
                        history=reader.history(step_data, st),
                        ref=reader.optional(step_data, "ref", st),
                        where=st,
                    )
                )
            area.actions.append(action)
        plan.areas.append(area)
    return plan


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PlanFileError(str(path), "", f"cannot be read ({error.strerror})") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanFileError(str(path), "", "is UTF-16 text; save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PlanFileError(
            str(path), f"line {line}", "is not UTF-8 text (save the file as UTF-8)"
        ) from None


def read_yaml_plan(path: Path) -> PlanDoc:
    return parse_yaml_plan(_read_text(path), str(path))


def read_yaml_plans(path: Path) -> list[PlanDoc]:
    return parse_yaml_plans(_read_text(path), str(path))


def _history_out(entries: list[HistoryDoc]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        moment = as_utc(entry.at)
        at: Any = moment.date() if moment.time() == time() else moment.isoformat()
        row: dict[str, Any] = {
            "at": at,
            "status": entry.status,
            "rag": entry.rag,
            "due": entry.due,
            "author": entry.author,
            "source": entry.source,
            "source_ref": entry.source_ref,
            "note": entry.note,
        }
        # Chat provenance and edit flags only when present, so document history stays short.
        optional = {
            "due_date": entry.due_date,
            "channel": entry.channel,
            "message_ts": entry.message_ts,
            "superseded": entry.superseded or None,
            "deleted": entry.deleted or None,
            "corrects": entry.corrects,
        }
        row.update({key: value for key, value in optional.items() if value is not None})
        out.append(row)
    return out


def plans_to_yaml(plans: list[PlanDoc]) -> str:
    """Several plans as one YAML stream, separated by `---` (read back by `parse_yaml_plans`)."""
    return "---\n".join(plan_to_yaml(plan) for plan in plans)


def plan_to_yaml(plan: PlanDoc) -> str:
    """Write a `PlanDoc` in the YAML format, history included, so it reads back unchanged."""
    data = {
        "plan": {
            "key": plan.key,
            "title": plan.title,
            "council": plan.council,
            "prefix": plan.prefix,
            "source": plan.source,
            "document_date": plan.document_date,
        },
        "areas": [
            {
                "ref": area.ref,
                "title": area.title,
                "strategic_lead": area.strategic_lead,
                "outcomes": area.outcomes,
                "actions": [
                    {
                        "ref": action.ref,
                        "title": action.title,
                        "text": action.text,
                        "owners": action.owners,
                        "timescale": action.timescale,
                        "dates": action.dates,
                        "progress": action.progress,
                        "measures": action.measures,
                        "steps": [
                            {"text": step.text}
                            | ({"due": step.due} if step.due else {})
                            | ({"history": _history_out(step.history)} if step.history else {})
                            for step in action.steps
                        ],
                        "history": _history_out(action.history),
                    }
                    for action in area.actions
                ],
            }
            for area in plan.areas
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
