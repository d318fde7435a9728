"""A synthetic store of many council-sized plans, for benchmarks (answers, digests).

`fill_synthetic(engine)` adds, beside whatever the store holds (York's plans, usually), 100 plans
of 10 areas x 10 actions x 3 steps: about 10,000 actions and 30,000 steps, with owners drawn from a
role directory with aliases, due dates spread over two years, a mix of statuses, and one dated
document update per item (some with notes). Texts recombine the vocabulary of York's own plans, so
fuzzy search meets realistic words. Rows are written in bulk with ids from `ID_BASE` upwards, far
above anything a real store reaches, so the synthetic plans can sit beside real ones.
`SyntheticSize(first_plan_actions_per_area=30)` makes the first plan (key `synthetic-saa`) larger
than the rest: 10 areas of 30 actions, one plan of 300 actions among plans of 100.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import product
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.models import (
    Action,
    ActionOwner,
    Area,
    Plan,
    Role,
    RoleAlias,
    StatusUpdate,
    Step,
)
from store.queries.roles import role_key

ID_BASE = 1_000_000
PLANS_DIR = Path(__file__).resolve().parent.parent / "store" / "plans"
STATUSES = (("not_started", 0.62), ("in_progress", 0.2), ("done", 0.12), ("blocked", 0.06))
REGIONS = ("North", "South", "East", "West")
ROLE_TOPICS = (
    "MASH",
    "Corporate Parenting",
    "Safeguarding",
    "Quality Assurance",
    "Virtual School",
    "Early Help",
    "Fostering",
    "Adoption",
    "Youth Justice",
    "Disabled Children",
    "Leaving Care",
    "Commissioning",
    "Workforce",
    "Performance",
    "Participation",
)


@dataclass(frozen=True)
class SyntheticSize:
    plans: int = 100
    areas_per_plan: int = 10
    actions_per_area: int = 10
    steps_per_action: int = 3
    first_plan_actions_per_area: int | None = None  # the first plan larger (or smaller)

    def actions_per_area_of(self, plan_number: int) -> int:
        if plan_number == 0 and self.first_plan_actions_per_area is not None:
            return self.first_plan_actions_per_area
        return self.actions_per_area

    @property
    def actions(self) -> int:
        return sum(
            self.areas_per_plan * self.actions_per_area_of(number) for number in range(self.plans)
        )

    @property
    def steps(self) -> int:
        return self.actions * self.steps_per_action


def york_words() -> list[str]:
    """Words of York's plan texts (titles, steps), the vocabulary synthetic texts are made of."""
    text = " ".join(path.read_text(encoding="utf-8") for path in PLANS_DIR.glob("york-*.yaml"))
    words = re.findall(r"[A-Za-z][a-z]{3,}", text)
    return sorted(set(words))


def prefixes(count: int) -> Iterator[str]:
    """Letters-only reference prefixes that no real plan here uses: SAA, SAB, ..."""
    for pair in product(string.ascii_uppercase, repeat=2):
        if count == 0:
            return
        count -= 1
        yield "S" + "".join(pair)


def sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    chosen = rng.choices(words, k=rng.randint(low, high))
    return (" ".join(chosen)).capitalize() + "."


def status_for(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]


def fill_synthetic(
    engine: Engine,
    size: SyntheticSize = SyntheticSize(),
    *,
    seed: int = 7,
    at: datetime = datetime(2022, 12, 1, 9, 0, tzinfo=UTC),
) -> SyntheticSize:
    """Add `size` synthetic plans to the store behind `engine`, in one transaction."""
    rng = random.Random(seed)
    words = york_words()
    first_due = date(2022, 6, 1)
    roles: list[dict] = []
    aliases: list[dict] = []
    for number, topic in enumerate(ROLE_TOPICS * len(REGIONS)):
        region = REGIONS[number // len(ROLE_TOPICS)]
        name = f"Head of {topic} ({region})"
        role_id = ID_BASE + number
        roles.append(
            {
                "id": role_id,
                "name": name,
                "key": role_key(name),
                "head_of_service": True,
                "group": False,
                "created_at": at,
            }
        )
        short = f"HoS {topic} {region[0]}"
        aliases.append({"id": role_id, "role_id": role_id, "alias": short, "key": role_key(short)})
    plans, areas, actions, steps, owners, updates = [], [], [], [], [], []
    area_id = action_id = step_id = owner_id = update_id = ID_BASE
    for plan_number, prefix in enumerate(prefixes(size.plans)):
        plan_id = ID_BASE + plan_number
        plans.append(
            {
                "id": plan_id,
                "key": f"synthetic-{prefix.lower()}",
                "title": f"Synthetic Council {plan_number + 1} Improvement Plan",
                "council": f"Synthetic Council {plan_number + 1}",
                "prefix": prefix,
                "document_date": date(2022, 7, 1),
            }
        )
        for area_number in range(1, size.areas_per_plan + 1):
            area_id += 1
            area_ref = f"{prefix}{area_number}"
            areas.append(
                {
                    "id": area_id,
                    "plan_id": plan_id,
                    "ref": area_ref,
                    "number": area_number,
                    "title": sentence(rng, words, 2, 9).rstrip("."),
                    "strategic_lead": rng.choice(roles)["name"],
                    "position": area_number - 1,
                }
            )
            for action_number in range(1, size.actions_per_area_of(plan_number) + 1):
                action_id += 1
                ref = f"{area_ref}.{action_number}"
                title = sentence(rng, words, 5, 16)
                status = status_for(rng)
                due = first_due + timedelta(days=rng.randint(0, 730))
                actions.append(
                    {
                        "id": action_id,
                        "plan_id": plan_id,
                        "area_id": area_id,
                        "ref": ref,
                        "number": action_number,
                        "title": title,
                        "text": title + " " + sentence(rng, words, 6, 20),
                        "owners_as_written": None,
                        "dates_as_written": [due.strftime("%d/%m/%Y")],
                        "planned_due": due,
                        "planned_due_as_written": due.strftime("%d/%m/%Y"),
                        "due_as_written": due.strftime("%d/%m/%Y"),
                        "due_date": due,
                        "oa_refs": [],
                        "status": status,
                        "last_update_at": at,
                        "rebaselined": 0,
                        "position": action_number - 1,
                        "missing_from_source": False,
                    }
                )
                for position, role in enumerate(rng.sample(roles, rng.choice((1, 1, 2)))):
                    owner_id += 1
                    owners.append(
                        {
                            "id": owner_id,
                            "action_id": action_id,
                            "role_id": role["id"],
                            "position": position,
                        }
                    )
                update_id += 1
                updates.append(
                    {
                        "id": update_id,
                        "action_id": action_id,
                        "at": at,
                        "source": "document",
                        "new_status": status,
                        "note": sentence(rng, words, 6, 14) if rng.random() < 0.3 else None,
                        "superseded": False,
                        "deleted": False,
                    }
                )
                for step_number in range(1, size.steps_per_action + 1):
                    step_id += 1
                    step_due = due - timedelta(days=30 * (size.steps_per_action - step_number))
                    step_status = "done" if status == "done" else status_for(rng)
                    steps.append(
                        {
                            "id": step_id,
                            "action_id": action_id,
                            "ref": f"{ref}.{step_number}",
                            "number": step_number,
                            "text": sentence(rng, words, 6, 22),
                            "planned_due": step_due,
                            "planned_due_as_written": step_due.strftime("%d/%m/%Y"),
                            "due_as_written": step_due.strftime("%d/%m/%Y"),
                            "due_date": step_due,
                            "status": step_status,
                            "last_update_at": at,
                            "rebaselined": 0,
                            "missing_from_source": False,
                        }
                    )
                    update_id += 1
                    updates.append(
                        {
                            "id": update_id,
                            "step_id": step_id,
                            "at": at,
                            "source": "document",
                            "new_status": step_status,
                            "note": None,
                            "superseded": False,
                            "deleted": False,
                        }
                    )
    with Session(engine) as session:
        for model, rows in (
            (Role, roles),
            (RoleAlias, aliases),
            (Plan, plans),
            (Area, areas),
            (Action, actions),
            (Step, steps),
            (ActionOwner, owners),
            (StatusUpdate, updates),
        ):
            session.bulk_insert_mappings(model, rows)  # type: ignore[arg-type]
        session.commit()
    return size
