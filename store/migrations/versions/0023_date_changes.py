"""date changes kept as the baseline; evidence and sign-off before Blue (issue 20)

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString
When = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "datechange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("ref", String(length=40), nullable=False),
        sa.Column("original_due", sa.Date(), nullable=True),
        sa.Column("previous_due", sa.Date(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("new_due_as_written", String(length=200), nullable=True),
        sa.Column("reason", String(length=2000), nullable=True),
        sa.Column("requested_by", String(length=200), nullable=True),
        sa.Column("requested_at", When(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=True),
        sa.Column("state", String(length=16), nullable=False),
        sa.Column("approver_role", String(length=200), nullable=True),
        sa.Column("decided_by", String(length=200), nullable=True),
        sa.Column("decided_at", When(), nullable=True),
        sa.Column("flagged", String(length=200), nullable=True),
        sa.Column("more_asked_at", When(), nullable=True),
        sa.Column("channel", String(length=32), nullable=True),
        sa.Column("thread_ts", String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"]),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"]),
        sa.ForeignKeyConstraint(["step_id"], ["step.id"]),
        sa.ForeignKeyConstraint(["update_id"], ["statusupdate.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("update_id"),
    )
    with op.batch_alter_table("datechange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datechange_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datechange_step_id"), ["step_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datechange_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datechange_state"), ["state"], unique=False)
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs", String(length=16), nullable=True))
    for table in ("action", "step"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("awaiting", String(length=16), nullable=True))


def downgrade() -> None:
    for table in ("step", "action"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("awaiting")
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.drop_column("needs")
    with op.batch_alter_table("datechange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_datechange_state"))
        batch_op.drop_index(batch_op.f("ix_datechange_plan_id"))
        batch_op.drop_index(batch_op.f("ix_datechange_step_id"))
        batch_op.drop_index(batch_op.f("ix_datechange_action_id"))
    op.drop_table("datechange")
