"""Challenge badges and stops: a challenge stopped early (``challenges.stopped_on``); the badge each
contributor earned when a challenge's goal was met (``challenge_badges``, kept by runner with the
challenge's name so it outlives the group)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("challenges", sa.Column("stopped_on", sa.Date, nullable=True))
    op.create_table(
        "challenge_badges",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("challenge_id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("earned_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("challenge_badges")
    with op.batch_alter_table("challenges") as batch:
        batch.drop_column("stopped_on")
