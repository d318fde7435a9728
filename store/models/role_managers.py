"""Which role manages which (a role file's `manager`), for escalation and the role directory."""

from sqlmodel import Field, SQLModel


class RoleManager(SQLModel, table=True):
    role_id: int = Field(foreign_key="role.id", primary_key=True)
    manager_role_id: int = Field(foreign_key="role.id", index=True)
