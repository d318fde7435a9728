"""success measures: measures as data, their links to actions and areas, and dated values

Revision ID: 0019
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "success_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", String(length=300), nullable=False),
        sa.Column("name", String(length=300), nullable=False),
        sa.Column("as_written", sa.Text(), nullable=True),
        sa.Column("unit", String(length=16), nullable=True),
        sa.Column("polarity", String(length=8), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("frequency", String(length=16), nullable=True),
        sa.Column("owner_role_id", sa.Integer(), nullable=True),
        sa.Column("benchmark_neighbours", sa.Float(), nullable=True),
        sa.Column("benchmark_england", sa.Float(), nullable=True),
        sa.Column("rebase_dates", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["owner_role_id"], ["role.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("success_measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_success_measure_key"), ["key"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_success_measure_owner_role_id"), ["owner_role_id"], unique=False
        )

    op.create_table(
        "measure_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["success_measure.id"]),
        sa.ForeignKeyConstraint(["action_id"], ["action.id"]),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("measure_id", "action_id", "area_id"),
    )
    with op.batch_alter_table("measure_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_link_measure_id"), ["measure_id"])
        batch_op.create_index(batch_op.f("ix_measure_link_action_id"), ["action_id"])
        batch_op.create_index(batch_op.f("ix_measure_link_area_id"), ["area_id"])

    op.create_table(
        "measure_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", String(length=300), nullable=True),
        sa.Column("recorded_by", String(length=64), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("superseded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["success_measure.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measure_value", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_value_measure_id"), ["measure_id"])
        batch_op.create_index(batch_op.f("ix_measure_value_period_start"), ["period_start"])
        batch_op.create_index(batch_op.f("ix_measure_value_superseded_at"), ["superseded_at"])


def downgrade() -> None:
    op.drop_table("measure_value")
    op.drop_table("measure_link")
    op.drop_table("success_measure")
