"""Answers kept with their command until they went out (``kept_replies``): a process that dies
between committing a command and sending its answer leaves the answer for the leader to send."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_replies",
        sa.Column("event_id", sa.String(120), primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("is_group", sa.Boolean, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("replies", sa.LargeBinary, nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_kept_replies_due", "kept_replies", ["platform", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_kept_replies_due", "kept_replies")
    op.drop_table("kept_replies")
