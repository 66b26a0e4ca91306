"""The database tables, as SQLAlchemy Core metadata (the migrations are the source of truth)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    false,
)

metadata = MetaData()

runners = Table(
    "runners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(20), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("tz", String(64), nullable=False),
    Column("runs", String(100), nullable=False),
    Column("equipment", String(16), nullable=False),
    Column("terrain", String(16), nullable=False),
    Column("sessions", Integer, nullable=False),
    Column("remind", String(5), nullable=True),
    Column("units", String(2), nullable=False),
    Column("playlist", String(200), nullable=False, default=""),
    Column("configured", Boolean, nullable=False, default=False),
    Column("unreachable", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "user_id", name="uq_runners_platform_user"),
)

set_logs = Table(
    "set_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("exercise", String(40), nullable=False),
    Column("set_no", Integer, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("weight_kg", Float, nullable=True),
    Column("batch", String(32), nullable=False),
    Column("logged_at", DateTime(timezone=True), nullable=False),
    Index("ix_set_logs_runner_exercise_date", "runner_id", "exercise", "local_date"),
    Index("ix_set_logs_runner_date", "runner_id", "local_date"),
    Index("ix_set_logs_runner_batch", "runner_id", "batch"),
)

sessions_done = Table(
    "sessions_done",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("source", String(8), nullable=False),
    Column("batch", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("runner_id", "local_date", name="uq_sessions_done_runner_date"),
)

goals = Table(
    "goals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(40), nullable=False),
    Column("weight_kg", Float, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("set_on", Date, nullable=False),
    Column("reached_on", Date, nullable=True),
    UniqueConstraint("runner_id", "exercise", name="uq_goals_runner_exercise"),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(40), nullable=False),
    Column("reps", Integer, nullable=False),
    Column("weight_kg", Float, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("batch", String(32), nullable=False),
    Index("ix_records_runner_exercise_reps", "runner_id", "exercise", "reps"),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", String(100), primary_key=True),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)

# accountability (migration 0002)
runners.append_column(Column("paused_from", Date, nullable=True))
runners.append_column(Column("paused_until", Date, nullable=True))
runners.append_column(Column("hidden", Boolean, nullable=False, default=False, server_default=false()))

streaks = Table(
    "streaks",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("current", Integer, nullable=False),
    Column("best", Integer, nullable=False),
    Column("freezes", Integer, nullable=False),
    Column("toward_freeze", Integer, nullable=False),
    Column("settled_until", Date, nullable=True),
    Column("pending", String(1000), nullable=False, default=""),
)

weeks = Table(
    "weeks",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("week_start", Date, primary_key=True),
    Column("sessions", Integer, nullable=False),
    Column("target", Integer, nullable=False),
    Column("state", String(8), nullable=False),
    Column("after_current", Integer, nullable=True),
    Column("after_best", Integer, nullable=True),
    Column("after_freezes", Integer, nullable=True),
    Column("after_toward", Integer, nullable=True),
)

badges = Table(
    "badges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("badge_id", String(32), nullable=False),
    Column("earned_on", Date, nullable=False),
    UniqueConstraint("runner_id", "badge_id", name="uq_badges_runner_badge"),
)

groups = Table(
    "groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(20), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("tz", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "chat_id", name="uq_groups_platform_chat"),
)

group_members = Table(
    "group_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("group_id", "runner_id", name="uq_group_members_group_runner"),
    Index("ix_group_members_runner", "runner_id"),
)

rewards = Table(
    "rewards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=True),
    Column("text", String(200), nullable=False),
    Column("after_sessions", Integer, nullable=True),
    Column("unlock_at", Integer, nullable=True),
    Column("set_on", Date, nullable=False),
    Column("unlocked_on", Date, nullable=True),
    Column("week_start", Date, nullable=True),
    Column("announced", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_rewards_runner", "runner_id"),
    Index("ix_rewards_group", "group_id"),
)

group_feed = Table(
    "group_feed",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("text", String(300), nullable=False),
    Index("ix_group_feed_group_date", "group_id", "local_date"),
)

# nudges (migration 0003)
runners.append_column(Column("next_nudge_at", DateTime(timezone=True), nullable=True))
Index("ix_runners_next_nudge_at", runners.c.next_nudge_at)
Index("ix_groups_tz", groups.c.tz)

nudges_sent = Table(
    "nudges_sent",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient", String(40), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("recipient", "local_date", "kind", name="uq_nudges_sent_recipient_date_kind"),
    Index("ix_nudges_sent_local_date", "local_date"),
)
