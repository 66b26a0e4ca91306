"""Nudges: each runner's next nudge moment (indexed), and the record of nudges sent."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Runners already in the database become candidates at the first pass, which
# computes their real next moment.
CHECK_SOON = datetime(2000, 1, 1, tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("runners") as batch:
        batch.add_column(sa.Column("next_nudge_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_runners_next_nudge_at", "runners", ["next_nudge_at"])
    op.create_index("ix_groups_tz", "groups", ["tz"])
    op.create_table(
        "nudges_sent",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recipient", sa.String(40), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("recipient", "local_date", "kind", name="uq_nudges_sent_recipient_date_kind"),
    )
    op.create_index("ix_nudges_sent_local_date", "nudges_sent", ["local_date"])
    runners = sa.table(
        "runners", sa.column("remind", sa.String), sa.column("next_nudge_at", sa.DateTime(timezone=True))
    )
    op.execute(runners.update().where(runners.c.remind.is_not(None)).values(next_nudge_at=CHECK_SOON))


def downgrade() -> None:
    op.drop_index("ix_nudges_sent_local_date", table_name="nudges_sent")
    op.drop_table("nudges_sent")
    op.drop_index("ix_groups_tz", table_name="groups")
    op.drop_index("ix_runners_next_nudge_at", table_name="runners")
    with op.batch_alter_table("runners") as batch:
        batch.drop_column("next_nudge_at")
