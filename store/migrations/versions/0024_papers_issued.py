"""papers issued: the next paper of a kind reports from the last one's date (issue 18)

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "paperissued",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=16), nullable=False),
        sa.Column("scope", String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("written_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("written_by", String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paperissued", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paperissued_kind"), ["kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("paperissued", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paperissued_kind"))
    op.drop_table("paperissued")
