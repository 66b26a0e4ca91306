"""The delivery outbox replaces the record of nudges sent; the due-runner index gains the id for paging."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

QUEUED = sa.text("state = 'queued'")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("recipient", sa.String(40), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("is_group", sa.Boolean, nullable=False),
        sa.Column("runner_id", sa.Integer, nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("recipient", "local_date", "kind", name="uq_outbox_recipient_date_kind"),
    )
    op.create_index("ix_outbox_local_date", "outbox", ["local_date"])
    op.create_index(
        "ix_outbox_queued",
        "outbox",
        ["platform", "due_at"],
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )
    # What was sent before stays the record a pass reads (no second nudge for the same day).
    op.execute(
        "INSERT INTO outbox (recipient, local_date, kind, platform, chat_id, is_group, runner_id, title, body,"
        " state, due_at, expires_at, attempts, settled_at)"
        " SELECT recipient, local_date, kind, '', '', false, NULL, '', '', 'sent', sent_at, sent_at, 1, sent_at"
        " FROM nudges_sent"
    )
    op.drop_index("ix_nudges_sent_local_date", table_name="nudges_sent")
    op.drop_table("nudges_sent")
    op.drop_index("ix_runners_next_nudge_at", table_name="runners")
    op.create_index("ix_runners_next_nudge_at", "runners", ["next_nudge_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_runners_next_nudge_at", table_name="runners")
    op.create_index("ix_runners_next_nudge_at", "runners", ["next_nudge_at"])
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
    op.execute(
        "INSERT INTO nudges_sent (recipient, local_date, kind, sent_at)"
        " SELECT recipient, local_date, kind, COALESCE(settled_at, due_at) FROM outbox WHERE state <> 'queued'"
    )
    op.drop_index("ix_outbox_queued", table_name="outbox")
    op.drop_index("ix_outbox_local_date", table_name="outbox")
    op.drop_table("outbox")
