"""Training: runners, logged sets, completed sessions, goals, records, processed events."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runners",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("runs", sa.String(100), nullable=False),
        sa.Column("equipment", sa.String(16), nullable=False),
        sa.Column("terrain", sa.String(16), nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("remind", sa.String(5), nullable=True),
        sa.Column("units", sa.String(2), nullable=False),
        sa.Column("playlist", sa.String(200), nullable=False),
        sa.Column("configured", sa.Boolean, nullable=False),
        sa.Column("unreachable", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "user_id", name="uq_runners_platform_user"),
    )
    op.create_table(
        "set_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("exercise", sa.String(40), nullable=False),
        sa.Column("set_no", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("weight_kg", sa.Float, nullable=True),
        sa.Column("batch", sa.String(32), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_set_logs_runner_exercise_date", "set_logs", ["runner_id", "exercise", "local_date"])
    op.create_index("ix_set_logs_runner_date", "set_logs", ["runner_id", "local_date"])
    op.create_index("ix_set_logs_runner_batch", "set_logs", ["runner_id", "batch"])
    op.create_table(
        "sessions_done",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("batch", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("runner_id", "local_date", name="uq_sessions_done_runner_date"),
    )
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("exercise", sa.String(40), nullable=False),
        sa.Column("weight_kg", sa.Float, nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("set_on", sa.Date, nullable=False),
        sa.Column("reached_on", sa.Date, nullable=True),
        sa.UniqueConstraint("runner_id", "exercise", name="uq_goals_runner_exercise"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("exercise", sa.String(40), nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("weight_kg", sa.Float, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("batch", sa.String(32), nullable=False),
    )
    op.create_index("ix_records_runner_exercise_reps", "records", ["runner_id", "exercise", "reps"])
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(100), primary_key=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("processed_events", "records", "goals", "sessions_done", "set_logs", "runners"):
        op.drop_table(table)
