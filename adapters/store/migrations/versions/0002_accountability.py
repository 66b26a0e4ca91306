"""Accountability: pauses and hiding on runners; streaks, weekly aggregates, badges, groups, rewards."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _runner_fk() -> sa.Column:
    return sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("runners") as batch:
        batch.add_column(sa.Column("paused_from", sa.Date, nullable=True))
        batch.add_column(sa.Column("paused_until", sa.Date, nullable=True))
        batch.add_column(sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "streaks",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("current", sa.Integer, nullable=False),
        sa.Column("best", sa.Integer, nullable=False),
        sa.Column("freezes", sa.Integer, nullable=False),
        sa.Column("toward_freeze", sa.Integer, nullable=False),
        sa.Column("settled_until", sa.Date, nullable=True),
        sa.Column("pending", sa.String(1000), nullable=False, server_default=""),
    )
    op.create_table(
        "weeks",
        _runner_fk(),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("target", sa.Integer, nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("after_current", sa.Integer, nullable=True),
        sa.Column("after_best", sa.Integer, nullable=True),
        sa.Column("after_freezes", sa.Integer, nullable=True),
        sa.Column("after_toward", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("runner_id", "week_start", name="pk_weeks"),
    )
    op.create_table(
        "badges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _runner_fk(),
        sa.Column("badge_id", sa.String(32), nullable=False),
        sa.Column("earned_on", sa.Date, nullable=False),
        sa.UniqueConstraint("runner_id", "badge_id", name="uq_badges_runner_badge"),
    )
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "chat_id", name="uq_groups_platform_chat"),
    )
    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
        _runner_fk(),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("group_id", "runner_id", name="uq_group_members_group_runner"),
    )
    op.create_index("ix_group_members_runner", "group_members", ["runner_id"])
    op.create_table(
        "rewards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=True),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("after_sessions", sa.Integer, nullable=True),
        sa.Column("unlock_at", sa.Integer, nullable=True),
        sa.Column("set_on", sa.Date, nullable=False),
        sa.Column("unlocked_on", sa.Date, nullable=True),
        sa.Column("week_start", sa.Date, nullable=True),
        sa.Column("announced", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_rewards_runner", "rewards", ["runner_id"])
    op.create_index("ix_rewards_group", "rewards", ["group_id"])
    op.create_table(
        "group_feed",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
        _runner_fk(),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
    )
    op.create_index("ix_group_feed_group_date", "group_feed", ["group_id", "local_date"])
    _backfill_weeks()


def _backfill_weeks() -> None:
    """Weekly aggregates for sessions completed before this version, so no week loses its count."""
    conn = op.get_bind()
    targets: dict[int, int] = {r: s for r, s in conn.execute(sa.text("SELECT id, sessions FROM runners"))}
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for runner_id, day in conn.execute(sa.text("SELECT runner_id, local_date FROM sessions_done")):
        if isinstance(day, str):
            day = date.fromisoformat(day)
        counts[(runner_id, day - timedelta(days=day.weekday()))] += 1
    if counts:
        weeks = sa.table(
            "weeks",
            sa.column("runner_id"),
            sa.column("week_start"),
            sa.column("sessions"),
            sa.column("target"),
            sa.column("state"),
        )
        op.bulk_insert(
            weeks,
            [
                {"runner_id": r, "week_start": w, "sessions": n, "target": targets.get(r, 2), "state": "open"}
                for (r, w), n in counts.items()
            ],
        )


def downgrade() -> None:
    for table in ("group_feed", "rewards", "group_members", "groups", "badges", "weeks", "streaks"):
        op.drop_table(table)
    with op.batch_alter_table("runners") as batch:
        batch.drop_column("hidden")
        batch.drop_column("paused_until")
        batch.drop_column("paused_from")
