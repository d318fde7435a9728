"""cover during leave, per-plan settings, updates made for a role by its cover (issue 20)

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "rolecover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("cover_user_id", String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("set_by", String(length=200), nullable=True),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_by", String(length=200), nullable=True),
        sa.Column("end_reason", String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rolecover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rolecover_role_id"), ["role_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_rolecover_cover_user_id"), ["cover_user_id"], unique=False
        )
    op.create_table(
        "plansetting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", String(length=40), nullable=False),
        sa.Column("value", String(length=200), nullable=False),
        sa.Column("set_by", String(length=200), nullable=True),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "key"),
    )
    with op.batch_alter_table("plansetting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plansetting_plan_id"), ["plan_id"], unique=False)
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("for_role", String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.drop_column("for_role")
    with op.batch_alter_table("plansetting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plansetting_plan_id"))
    op.drop_table("plansetting")
    with op.batch_alter_table("rolecover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rolecover_cover_user_id"))
        batch_op.drop_index(batch_op.f("ix_rolecover_role_id"))
    op.drop_table("rolecover")
