"""last questions: each person's last question in a conversation, for a follow-up (issue 15)

Revision ID: 0028
Revises: 0027
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "lastquestion",
        sa.Column("person", String(length=64), nullable=False),
        sa.Column("conversation", String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person", "conversation"),
    )
    op.create_index(op.f("ix_lastquestion_asked_at"), "lastquestion", ["asked_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_lastquestion_asked_at"), table_name="lastquestion")
    op.drop_table("lastquestion")
