"""one message, several items: a reply may update several items, each once (issue 16)

The unique index that makes a chat message's update happen once now counts the item too, so a
reply naming P6.2.1 and P6.2.2 makes one update on each, and a redelivered reply still none.

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "corrects_id IS NULL AND message_ts IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_statusupdate_message",
            sqlite_where=sa.text(WHERE),
            postgresql_where=sa.text(WHERE),
        )
    op.create_index(
        "ux_statusupdate_message",
        "statusupdate",
        [
            "channel",
            "message_ts",
            sa.text("coalesce(action_id, 0)"),
            sa.text("coalesce(step_id, 0)"),
        ],
        unique=True,
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index("ux_statusupdate_message", table_name="statusupdate")
    with op.batch_alter_table("statusupdate", schema=None) as batch_op:
        batch_op.create_index(
            "ux_statusupdate_message",
            ["channel", "message_ts"],
            unique=True,
            sqlite_where=sa.text(WHERE),
            postgresql_where=sa.text(WHERE),
        )
