"""The role directory as a file (docs/roles.md): read and written as YAML or CSV, applied to the
store in the caller's transaction.

Each role has a name, aliases (other ways documents write it), whether it is a Head of Service
(reached by "All HoS"), whether it is a group standing for others, the role that manages it, and
its holders (Slack user ids). Importing adds and updates, never removes: a role, alias or holder
missing from the file is left as it is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml
from sqlmodel import Session, select

from store.db import id_of
from store.models import Role, RoleManager
from store.queries.roles import (
    add_alias,
    aliases_of,
    all_roles,
    assign,
    find_role,
    members_of,
    role_key,
)

CSV_COLUMNS = ("role", "aliases", "head_of_service", "group", "manager", "holders")
SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,20}")
_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", ""}


class RoleFileError(ValueError):
    """A role file that cannot be applied; the message names the file, entry and field."""


@dataclass
class RoleEntry:
    name: str
    aliases: list[str] = field(default_factory=list)
    head_of_service: bool = False
    group: bool = False
    manager: str | None = None
    holders: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class RoleFileReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    aliases_added: int = 0
    holders_added: int = 0

    def render(self, *, dry_run: bool = False) -> str:
        head = "Dry run: nothing was written." if dry_run else "Role directory imported."
        lines = [
            head,
            f"Roles added: {len(self.added)}; changed: {len(self.changed)}; "
            f"aliases added: {self.aliases_added}; holders added: {self.holders_added}",
        ]
        if self.added:
            lines.append("Added: " + ", ".join(self.added))
        if self.changed:
            lines.append("Changed: " + ", ".join(self.changed))
        return "\n".join(lines)


def _flag(value: object, file: str, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise RoleFileError(f"{file}: {where}: '{value}' should be yes or no")


def _names(value: object, file: str, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    raise RoleFileError(f"{file}: {where}: should be a list of names")


def _entry(data: dict[str, object], file: str, where: str) -> RoleEntry:
    name = data.get("name", data.get("role"))
    if not isinstance(name, str) or not name.strip():
        raise RoleFileError(f"{file}: {where}: needs a role name")
    manager = data.get("manager")
    holders = _names(data.get("holders"), file, f"{where}.holders")
    for holder in holders:
        if not SLACK_USER.fullmatch(holder):
            raise RoleFileError(
                f"{file}: {where}.holders: '{holder}' is not a Slack user id (U… or W…)"
            )
    return RoleEntry(
        name=name.strip(),
        aliases=_names(data.get("aliases"), file, f"{where}.aliases"),
        head_of_service=_flag(data.get("head_of_service"), file, f"{where}.head_of_service"),
        group=_flag(data.get("group"), file, f"{where}.group"),
        manager=manager.strip() if isinstance(manager, str) and manager.strip() else None,
        holders=holders,
        where=where,
    )


def read_role_file(path: Path) -> list[RoleEntry]:
    """The roles a .yaml/.yml or .csv role file lists; RoleFileError says what is wrong."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RoleFileError(f"{file}: cannot be read ({type(error).__name__})") from None
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [
            (name or "").strip().lower().replace(" ", "_") for name in reader.fieldnames or []
        ]
        if "role" not in header:
            raise RoleFileError(f"{file}: row 1: needs a 'role' column ({', '.join(CSV_COLUMNS)})")
        reader.fieldnames = header
        return [_entry(dict(row), file, f"row {n}") for n, row in enumerate(reader, 2)]
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise RoleFileError(f"{file}: is not readable YAML") from None
    roles = data.get("roles") if isinstance(data, dict) else None
    if not isinstance(roles, list) or not all(isinstance(r, dict) for r in roles):
        raise RoleFileError(f"{file}: expected `roles:`, a list of roles with a name each")
    return [_entry(entry, file, f"roles[{n}]") for n, entry in enumerate(roles)]


def apply_role_file(
    session: Session, entries: list[RoleEntry], *, at: datetime, by: str | None = None
) -> RoleFileReport:
    """Add and update the file's roles in the caller's transaction."""
    report = RoleFileReport()
    roles: dict[str, Role] = {}
    for entry in entries:
        role = find_role(session, entry.name)
        if role is None:
            role = Role(name=entry.name, key=role_key(entry.name), created_at=at)
            report.added.append(entry.name)
        elif (role.head_of_service, role.group) != (entry.head_of_service, entry.group):
            report.changed.append(role.name)
        role.head_of_service, role.group = entry.head_of_service, entry.group
        session.add(role)
        session.flush()
        roles[entry.where] = role
        for alias in entry.aliases:
            owner = find_role(session, alias)
            if owner is not None and owner.id != role.id:
                raise RoleFileError(
                    f"{entry.where}.aliases: '{alias}' already names the role {owner.name}"
                )
            if owner is None:
                add_alias(session, role, alias)
                session.flush()
                report.aliases_added += 1
        for holder in entry.holders:
            report.holders_added += int(assign(session, role, holder, by=by, at=at))
    for entry in entries:
        if entry.manager is None:
            continue
        manager = find_role(session, entry.manager)
        if manager is None:
            raise RoleFileError(f"{entry.where}.manager: '{entry.manager}' is not a role")
        link = session.get(RoleManager, roles[entry.where].id)
        if link is None:
            link = RoleManager(role_id=id_of(roles[entry.where]), manager_role_id=id_of(manager))
        link.manager_role_id = id_of(manager)
        session.add(link)
    session.flush()
    return report


def role_entries(session: Session) -> list[RoleEntry]:
    """Every role in the store, as a role file would list it."""
    managers = {link.role_id: link.manager_role_id for link in session.exec(select(RoleManager))}
    names = {role.id: role.name for role in session.exec(select(Role))}
    return [
        RoleEntry(
            name=role.name,
            aliases=aliases_of(session, role),
            head_of_service=role.head_of_service,
            group=role.group,
            manager=names.get(managers.get(role.id or 0)),
            holders=[member.user_id for member in members_of(session, role)],
        )
        for role in all_roles(session)
    ]


def role_file_text(entries: list[RoleEntry], kind: str) -> str:
    """The role file as YAML or CSV text."""
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for e in entries:
            writer.writerow(
                (
                    e.name,
                    "; ".join(e.aliases),
                    "yes" if e.head_of_service else "no",
                    "yes" if e.group else "no",
                    e.manager or "",
                    "; ".join(e.holders),
                )
            )
        return out.getvalue()
    roles = []
    for e in entries:
        item: dict[str, object] = {"name": e.name}
        if e.aliases:
            item["aliases"] = e.aliases
        item["head_of_service"] = e.head_of_service
        if e.group:
            item["group"] = True
        if e.manager:
            item["manager"] = e.manager
        if e.holders:
            item["holders"] = e.holders
        roles.append(item)
    return yaml.safe_dump({"roles": roles}, sort_keys=False, allow_unicode=True, width=100)
