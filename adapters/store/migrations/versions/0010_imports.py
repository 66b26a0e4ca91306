"""Imports of other loggers' exports: a table of imports (the file kept while a preview waits for its
confirm), the entry each import wrote, each imported set's stable key (unique per runner, so a second
import of the same history adds nothing) and whether a set was a warm-up (kept, never counted)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(2), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workouts", sa.Integer, nullable=False),
        sa.Column("sets", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Date, nullable=True),
        sa.Column("last_day", sa.Date, nullable=True),
    )
    op.create_index("ix_imports_runner", "imports", ["runner_id", "state"])
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("import_id", sa.Integer, nullable=True))
        batch.create_index("ix_entries_import", ["import_id"])
    with op.batch_alter_table("set_logs") as batch:
        batch.add_column(sa.Column("warmup", sa.Boolean, nullable=False, server_default=sa.text("false")))
        batch.add_column(sa.Column("source_key", sa.String(32), nullable=True))
        batch.create_index("uq_set_logs_runner_source", ["runner_id", "source_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("set_logs") as batch:
        batch.drop_index("uq_set_logs_runner_source")
        batch.drop_column("source_key")
        batch.drop_column("warmup")
    with op.batch_alter_table("entries") as batch:
        batch.drop_index("ix_entries_import")
        batch.drop_column("import_id")
    op.drop_index("ix_imports_runner", "imports")
    op.drop_table("imports")
