"""Merges that carry imports and calendars: the imported sets a merge left with the other account
because the kept one held them already (``runner_merges.aside``), and whether the kept account took
the other's calendar feed (``runner_merges.calendar``)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runner_merges", sa.Column("aside", sa.Text, nullable=False, server_default=""))
    op.add_column(
        "runner_merges", sa.Column("calendar", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    with op.batch_alter_table("runner_merges") as batch:
        batch.drop_column("calendar")
        batch.drop_column("aside")
