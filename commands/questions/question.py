"""What a question was read as (`Question`), and the vocabulary of a store it is read with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class AreaName:
    ref: str
    plan_key: str
    terms: tuple[str, ...]  # the title's content terms, stemmed


@dataclass(frozen=True)
class RoleName:
    name: str  # the canonical role
    forms: tuple[str, ...]  # the name and its aliases, as typed in the directory


@dataclass(frozen=True)
class Vocabulary:
    """What the store knows that a question may name."""

    prefixes: tuple[str, ...] = ("OA", "P")
    ofsted_prefix: str | None = "OA"  # the prefix "Ofsted action 4" means
    priority_prefix: str | None = "P"  # the prefix "priority 7" means
    plans: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (plan key, its distinctive terms)
    areas: tuple[AreaName, ...] = ()
    roles: tuple[RoleName, ...] = ()
    area_terms: tuple[str, ...] = ()  # every term of every area title, for fuzzy lookups
    known: frozenset[str] = frozenset()  # every term the plans hold (empty: not known)
    name_words: frozenset[str] = frozenset()  # every word of a role's or area's name, as typed
    heads_of_service: tuple[str, ...] = ()  # the roles a "Head of Service" may be
    group_roles: tuple[str, ...] = ()  # roles that stand for every Head of Service ("All HoS")


@dataclass(frozen=True)
class DateWindow:
    """Due dates from `start` to `end` inclusive; None means open-ended."""

    start: date | None
    end: date | None
    label: str


@dataclass(frozen=True)
class Question:
    """A question as understood. `text` is the cleaned text (Slack markup removed)."""

    text: str
    references: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # areas named by their title
    area_phrases: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()  # canonical role names
    owner_phrases: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # stemmed terms
    topic_words: tuple[str, ...] = ()  # the same words as typed
    # open | overdue | done | blocked | not_started | in_progress | started (begun, done included)
    status: str | None = None
    status_assumed: bool = False  # "open" was assumed because no status was asked for
    rag: str | None = None
    window: DateWindow | None = None
    plan: str | None = None
    truncated: bool = False
    # What was removed before reading: mentions, broadcasts, emoji, a quote, links, formatting.
    ignored: tuple[str, ...] = field(default=())
    changes: bool = False  # "what changed?": the updates recorded, not the items' state
    mine: bool = False  # "for me", "my actions": the asker's own roles are the owners
    past: bool = False  # asked in the past tense ("what was completed in December?")
    bad_dates: tuple[str, ...] = ()  # written as dates but no real one ("31/02", "Q5")
    # Negated filters: "aren't led by Head of MASH", "not overdue", "anything not green", "not
    # due in March". Each holds what the items must NOT be.
    not_owners: tuple[str, ...] = ()
    not_references: tuple[str, ...] = ()  # "everything except P7": areas or items left out
    not_status: str | None = None  # overdue | blocked | in_progress
    not_rags: tuple[str, ...] = ()  # "not red or amber"
    more_rags: tuple[str, ...] = ()  # "red or amber": the colours asked for beside `rag`
    window_negated: bool = False  # due outside `window` (or with no due date)
    has_owner: bool | None = None  # "no owner": False; "has an owner": True; None: either
    has_due: bool | None = None  # "no due date": False; "with a deadline": True
    heads_of_service: bool = False  # "HoS", "heads of service": every Head of Service's items
    foreign: bool = False  # written in another language
    typed_words: int = 0  # how many words the message held (a pasted document is long)

    def as_json(self) -> dict[str, object]:
        """The reading as data (`planbot ask --json`'s `query`): what selects, what filters."""
        window = self.window
        return {
            "references": list(self.references),
            "areas": list(self.areas),
            "owners": list(self.owners),
            "plan": self.plan,
            "topic": list(self.topic_words),
            "status": self.status,
            "status_assumed": self.status_assumed,
            "colour": self.rag,
            "colours": [self.rag, *self.more_rags] if self.rag else [],
            "due_from": window.start.isoformat() if window and window.start else None,
            "due_to": window.end.isoformat() if window and window.end else None,
            "mine": self.mine,
            "changes": self.changes,
            "not": {
                "references": list(self.not_references),
                "owners": list(self.not_owners),
                "status": self.not_status,
                "colours": list(self.not_rags),
                "due_window": self.window_negated,
            },
            "heads_of_service": self.heads_of_service,
            "has_owner": self.has_owner,
            "has_due_date": self.has_due,
        }

    @property
    def is_empty(self) -> bool:
        """Nothing in the text that could select anything."""
        return not (
            self.changes or self.mine or self.scoped or self.topic or self.filtered or self.negated
        )

    @property
    def scoped(self) -> bool:
        """Named items, areas, owners or a plan."""
        return bool(self.references or self.areas or self.owners or self.plan)

    @property
    def negated(self) -> bool:
        """Asks for something the items must not be, or to lack an owner or a due date."""
        return bool(
            self.not_owners
            or self.not_references
            or self.not_status
            or self.not_rags
            or self.has_owner is not None
            or self.has_due is not None
        )

    @property
    def filtered(self) -> bool:
        """Asks for a status, colour or date window (not only "open", which is assumed)."""
        return bool(self.window or self.rag or (self.status and not self.status_assumed))
