"""The tables planbot keeps, one module per subject; importing this package registers them all."""

from store.models.conversations import LastQuestion
from store.models.digest import DigestPost, DigestSubscription
from store.models.governance import DateChange, PaperIssued, PlanSetting, RoleCover
from store.models.measures import MeasureLink, MeasureValue, SuccessMeasure
from store.models.plan import Action, ActionOwner, Area, Measure, Plan, Step
from store.models.reminders import Reminder, ReminderLine, ReminderPreference
from store.models.role_managers import RoleManager
from store.models.roles import PersonName, Role, RoleAlias, RoleMember
from store.models.slack import PendingPost, ProcessedEvent, Setting
from store.models.status import Rag, Status
from store.models.updates import StatusUpdate

__all__ = [
    "Action",
    "ActionOwner",
    "Area",
    "DateChange",
    "DigestPost",
    "DigestSubscription",
    "LastQuestion",
    "Measure",
    "MeasureLink",
    "MeasureValue",
    "PaperIssued",
    "PendingPost",
    "PersonName",
    "Plan",
    "PlanSetting",
    "ProcessedEvent",
    "Rag",
    "Reminder",
    "ReminderLine",
    "ReminderPreference",
    "Role",
    "RoleAlias",
    "RoleCover",
    "RoleManager",
    "RoleMember",
    "Setting",
    "Status",
    "StatusUpdate",
    "Step",
    "SuccessMeasure",
]
