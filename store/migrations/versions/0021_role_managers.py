"""role managers: the role file's `manager` (issue 21)

Revision ID: 0021
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rolemanager",
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("manager_role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["manager_role_id"], ["role.id"]),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"]),
        sa.PrimaryKeyConstraint("role_id"),
    )
    with op.batch_alter_table("rolemanager", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rolemanager_manager_role_id"), ["manager_role_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rolemanager", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rolemanager_manager_role_id"))
    op.drop_table("rolemanager")
