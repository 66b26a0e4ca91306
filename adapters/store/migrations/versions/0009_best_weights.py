"""The heaviest weight per (exercise, reps) read from an index, not from years of record changes."""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_bests_runner_exercise_reps_weight", "bests", ["runner_id", "exercise", "reps", "weight_kg"]
    )


def downgrade() -> None:
    op.drop_index("ix_bests_runner_exercise_reps_weight", table_name="bests")
