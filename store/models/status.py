"""The status and colour vocabularies shared by every table that records progress."""

from enum import StrEnum


class Status(StrEnum):
    """Where an action or step stands. Open means neither done nor dropped."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self not in (Status.DONE, Status.DROPPED)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Rag(StrEnum):
    """A BRAG colour as UK councils report it, plus grey for dropped items."""

    BLUE = "blue"
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


STATUS_VALUES = tuple(s.value for s in Status)
DECLARED_RAG_VALUES = ("blue", "green", "amber", "red")
