"""lead reminder threads: a thread per lead listing their items, and reminders by DM (issue 17)

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lead_user_id", String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_reminder_thread_id"), ["thread_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_reminder_thread_id_reminder", "reminder", ["thread_id"], ["id"]
        )
    op.create_table(
        "reminderline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["reminder.id"]),
        sa.ForeignKeyConstraint(["reminder_id"], ["reminder.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("thread_id", "reminder_id"),
    )
    with op.batch_alter_table("reminderline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminderline_thread_id"), ["thread_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reminderline_reminder_id"), ["reminder_id"], unique=False
        )
    op.create_table(
        "reminderpreference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", String(length=32), nullable=False),
        sa.Column("by_dm", sa.Boolean(), nullable=False),
        sa.Column("set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("reminderpreference")
    with op.batch_alter_table("reminderline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminderline_reminder_id"))
        batch_op.drop_index(batch_op.f("ix_reminderline_thread_id"))
    op.drop_table("reminderline")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_constraint("fk_reminder_thread_id_reminder", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_reminder_thread_id"))
        batch_op.drop_column("lead_user_id")
        batch_op.drop_column("thread_id")
