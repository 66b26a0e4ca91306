"""Calendars: each runner's feed of their run plan (its secret URL, validators, refresh schedule and
problem) and the plan last read from it, kept on the runner."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runners", sa.Column("calendar_plan", sa.Text, nullable=True))
    op.create_table(
        "calendars",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("etag", sa.String(200), nullable=False, server_default=""),
        sa.Column("last_modified", sa.String(64), nullable=False, server_default=""),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("problem", sa.String(200), nullable=False, server_default=""),
        sa.Column("told", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_index("ix_calendars_next_check_at", "calendars", ["next_check_at"])


def downgrade() -> None:
    op.drop_index("ix_calendars_next_check_at", table_name="calendars")
    op.drop_table("calendars")
    with op.batch_alter_table("runners") as batch:
        batch.drop_column("calendar_plan")
