"""The nudge schedule in a narrow table of its own, and the outbox's key led by the day.

A busy minute moves the next moment of some 150,000 runners and claims as many nudges. With the
moment a column of ``runners``, every move rewrote a wide runner row (and, on PostgreSQL, an entry
in each of its indexes); with the outbox's key led by the recipient, every claim landed on a page
of its own among nine days of sent nudges. Now the moments live in ``nudge_schedule`` (a runner id
and an instant, about 200 to a page) and the key is (day, recipient, kind), so a minute's claims
fill the newest pages of today — a tenth of the pages written (``bench.nudges``). The key's old
second index (``ix_outbox_local_date``) is its prefix now, and goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nudge_schedule",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.execute("INSERT INTO nudge_schedule (runner_id, next_at) SELECT id, next_nudge_at FROM runners")
    op.create_index("ix_nudge_schedule_next", "nudge_schedule", ["next_at", "runner_id"])
    op.drop_index("ix_runners_next_nudge_at", table_name="runners")
    with op.batch_alter_table("runners") as batch:
        batch.drop_column("next_nudge_at")
    op.drop_index("ix_outbox_local_date", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_recipient_date_kind", type_="unique")
        batch.create_unique_constraint("uq_outbox_date_recipient_kind", ["local_date", "recipient", "kind"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_date_recipient_kind", type_="unique")
        batch.create_unique_constraint("uq_outbox_recipient_date_kind", ["recipient", "local_date", "kind"])
    op.create_index("ix_outbox_local_date", "outbox", ["local_date"])
    with op.batch_alter_table("runners") as batch:
        batch.add_column(sa.Column("next_nudge_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE runners SET next_nudge_at ="
        " (SELECT s.next_at FROM nudge_schedule s WHERE s.runner_id = runners.id)"
    )
    op.create_index("ix_runners_next_nudge_at", "runners", ["next_nudge_at", "id"])
    op.drop_index("ix_nudge_schedule_next", table_name="nudge_schedule")
    op.drop_table("nudge_schedule")
