"""Owner roles ("Head of MASH"), the other ways documents write them, and who holds them."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Role(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    key: str = Field(unique=True, index=True, max_length=200)  # normalised name for lookups
    head_of_service: bool = False  # reached by "All HoS"
    group: bool = False  # stands for other roles ("All HoS", "Heads of Service")
    created_at: datetime | None = None


class RoleAlias(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    role_id: int = Field(foreign_key="role.id", index=True)
    alias: str = Field(max_length=200)
    key: str = Field(unique=True, index=True, max_length=200)


class RoleMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("role_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    role_id: int = Field(foreign_key="role.id", index=True)
    user_id: str = Field(index=True, max_length=32)
    assigned_by: str | None = Field(default=None, max_length=32)
    assigned_at: datetime | None = None
    active: bool = True  # false when Slack reports the user deactivated


class PersonName(SQLModel, table=True):
    """What Slack calls a person (their display name), as last seen: how the terminal names
    people instead of printing their ids."""

    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    seen_at: datetime
