"""What an import did: counts per plan and area, and every judgement made, for `plan import`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AreaCount:
    ref: str
    title: str
    actions: int
    steps: int


@dataclass
class PlanCount:
    key: str
    title: str
    areas: list[AreaCount] = field(default_factory=list)

    @property
    def actions(self) -> int:
        return sum(area.actions for area in self.areas)

    @property
    def steps(self) -> int:
        return sum(area.steps for area in self.areas)


@dataclass
class ImportReport:
    """What an import did or, with --dry-run, would do."""

    plans: list[PlanCount] = field(default_factory=list)
    judgements: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    new_roles: list[str] = field(default_factory=list)
    history_added: int = 0
    reading: list[str] = field(default_factory=list)  # how a council's layout was read
    holders: list[str] = field(default_factory=list)  # people suggested for roles

    def merge(self, other: ImportReport) -> None:
        self.plans += other.plans
        self.judgements += other.judgements
        self.added += other.added
        self.changed += other.changed
        self.missing += other.missing
        self.new_roles += [r for r in other.new_roles if r not in self.new_roles]
        self.reading += other.reading
        self.holders += [h for h in other.holders if h not in self.holders]
        self.history_added += other.history_added

    def render(self, *, dry_run: bool = False) -> str:
        lines = ["Dry run: nothing was written." if dry_run else "Import complete."]
        if self.reading:
            lines.append("How the file was read:")
            lines += [f"  {item}" for item in self.reading]
        for plan in self.plans:
            lines.append(
                f"{plan.key} ({plan.title}): {len(plan.areas)} areas, "
                f"{plan.actions} actions, {plan.steps} steps"
            )
            for area in plan.areas:
                lines.append(f"  {area.ref}: {area.actions} actions, {area.steps} steps")
        lines.append(
            f"Rows added: {len(self.added)}; changed: {len(self.changed)}; "
            f"status updates added: {self.history_added}"
        )
        if self.changed:
            lines.append("Changed: " + ", ".join(self.changed))
        if self.missing:
            lines.append("In the store but not in the file (kept, not deleted):")
            lines += [f"  {item}" for item in self.missing]
        if self.new_roles:
            lines.append(
                "New roles (nothing in the directory was close): " + ", ".join(self.new_roles)
            )
        if self.holders:
            lines.append("People named with their roles:")
            lines += [f"  {item}" for item in self.holders]
        if self.judgements:
            lines.append(f"Judgements ({len(self.judgements)}):")
            lines += [f"  {item}" for item in self.judgements]
        return "\n".join(lines)
