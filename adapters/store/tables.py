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
