"""The ledger: entries as the record of what was logged; weeks, books and bests as caches rebuilt from it.

Sets keep every value; each old batch becomes an entry (in the order it was logged)
and each ``/done`` an entry of its own. Streaks, badges and records were stored
facts; they are now derived, and rebuilt from the record at the next start.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _runner_fk() -> sa.Column:
    return sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)


def _local_date(instant: datetime, tz: str) -> date:
    value = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    try:
        return value.astimezone(ZoneInfo(tz)).date()
    except (KeyError, ValueError):
        return value.astimezone(UTC).date()


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("runners") as batch:
        batch.add_column(sa.Column("reminders", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("created_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("plan_since", sa.Date, nullable=True))
    runners = sa.table(
        "runners",
        sa.column("id", sa.Integer),
        sa.column("tz", sa.String),
        sa.column("remind", sa.String),
        sa.column("reminders", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("created_on", sa.Date),
    )
    tz_of: dict[int, str] = {}
    for rid, tz, remind, created_at in conn.execute(
        sa.select(runners.c.id, runners.c.tz, runners.c.remind, runners.c.created_at)
    ):
        tz_of[rid] = tz
        conn.execute(
            runners.update()
            .where(runners.c.id == rid)
            .values(
                reminders=remind is not None,
                remind=remind or "18:00",
                created_on=_local_date(created_at, tz),
            )
        )
    with op.batch_alter_table("runners") as batch:
        batch.alter_column("reminders", existing_type=sa.Boolean, nullable=False)
        batch.alter_column("created_on", existing_type=sa.Date, nullable=False)
        batch.alter_column("remind", existing_type=sa.String(5), nullable=False)

    op.create_table(
        "past_pauses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _runner_fk(),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("until", sa.Date, nullable=False),
    )
    op.create_index("ix_past_pauses_runner", "past_pauses", ["runner_id"])
    op.create_table(
        "plan_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _runner_fk(),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("sessions", sa.Integer, nullable=False),
        sa.Column("hard_days", sa.String(20), nullable=False),
        sa.UniqueConstraint("runner_id", "effective_on", name="uq_plan_changes_runner_day"),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _runner_fk(),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("group_id", sa.Integer, nullable=True),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_entries_runner_date", "entries", ["runner_id", "local_date"])
    _entries_from_batches(conn)

    with op.batch_alter_table("set_logs") as batch:
        batch.drop_index("ix_set_logs_runner_batch")
        batch.drop_column("batch")
        batch.drop_column("logged_at")
        batch.alter_column("entry_id", existing_type=sa.Integer, nullable=False)
        batch.create_foreign_key("fk_set_logs_entry", "entries", ["entry_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_set_logs_entry", "set_logs", ["entry_id"])

    with op.batch_alter_table("group_members") as batch:
        batch.add_column(sa.Column("joined_on", sa.Date, nullable=True))
    members = sa.table(
        "group_members",
        sa.column("id", sa.Integer),
        sa.column("runner_id", sa.Integer),
        sa.column("joined_at", sa.DateTime(timezone=True)),
        sa.column("joined_on", sa.Date),
    )
    for mid, rid, joined_at in conn.execute(
        sa.select(members.c.id, members.c.runner_id, members.c.joined_at)
    ):
        conn.execute(
            members.update()
            .where(members.c.id == mid)
            .values(joined_on=_local_date(joined_at, tz_of.get(rid, "UTC")))
        )
    with op.batch_alter_table("group_members") as batch:
        batch.alter_column("joined_on", existing_type=sa.Date, nullable=False)

    for table in ("sessions_done", "records", "streaks", "weeks", "badges", "group_feed"):
        op.drop_table(table)
    _create_caches()


def _entries_from_batches(conn: sa.Connection) -> None:
    """One entry per old batch of sets and per ``/done``, created in the order they were logged."""
    with op.batch_alter_table("set_logs") as batch:
        batch.add_column(sa.Column("entry_id", sa.Integer, nullable=True))
    set_logs = sa.table(
        "set_logs",
        sa.column("runner_id", sa.Integer),
        sa.column("batch", sa.String),
        sa.column("local_date", sa.Date),
        sa.column("logged_at", sa.DateTime(timezone=True)),
        sa.column("entry_id", sa.Integer),
    )
    done = sa.table(
        "sessions_done",
        sa.column("runner_id", sa.Integer),
        sa.column("batch", sa.String),
        sa.column("local_date", sa.Date),
        sa.column("source", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    entries = sa.table(
        "entries",
        sa.column("id", sa.Integer),
        sa.column("runner_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("local_date", sa.Date),
        sa.column("group_id", sa.Integer),
        sa.column("logged_at", sa.DateTime(timezone=True)),
    )
    found: dict[tuple[int, str, str], tuple[date, datetime]] = {}
    rows = conn.execute(
        sa.select(
            set_logs.c.runner_id,
            set_logs.c.batch,
            sa.func.min(set_logs.c.local_date),
            sa.func.min(set_logs.c.logged_at),
        ).group_by(set_logs.c.runner_id, set_logs.c.batch)
    )
    for rid, batch_id, day, at in rows:
        found[(rid, batch_id, "sets")] = (day, at)
    for rid, batch_id, day, at in conn.execute(
        sa.select(done.c.runner_id, done.c.batch, done.c.local_date, done.c.created_at).where(
            done.c.source == "done"
        )
    ):
        found[(rid, batch_id, "done")] = (day, at)
    ids: dict[tuple[int, str], int] = defaultdict(int)
    for (rid, batch_id, kind), (day, at) in sorted(found.items(), key=lambda item: (item[0][1], item[0][0])):
        new_id = conn.execute(
            entries.insert()
            .values(runner_id=rid, kind=kind, local_date=day, group_id=None, logged_at=at)
            .returning(entries.c.id)
        ).scalar_one()
        if kind == "sets":
            ids[(rid, batch_id)] = new_id
    for (rid, batch_id), entry_id in ids.items():
        conn.execute(
            set_logs.update()
            .where(set_logs.c.runner_id == rid, set_logs.c.batch == batch_id)
            .values(entry_id=entry_id)
        )


def _create_caches() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
        _runner_fk(),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
    )
    op.create_index("ix_posts_group_date", "posts", ["group_id", "local_date"])
    op.create_index("ix_posts_runner", "posts", ["runner_id"])
    op.create_table(
        "weeks",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("monday", sa.Date, primary_key=True),
        *(sa.Column(name, sa.Integer, nullable=False) for name in ("mask", "hard_mask", "target")),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        *(
            sa.Column(name, sa.Integer, nullable=False)
            for name in ("current", "best", "freezes", "toward", "sessions", "hard")
        ),
    )
    op.create_table(
        "books",
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("closed_through", sa.Date, nullable=True),
        sa.Column("badges", sa.String(400), nullable=False),
        sa.Column("trained", sa.String(400), nullable=False),
        sa.Column("goals_open", sa.String(1000), nullable=False),
        sa.Column("next_reward", sa.Integer, nullable=True),
        sa.Column("pending", sa.Text, nullable=False),
    )
    op.create_table(
        "bests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _runner_fk(),
        sa.Column("exercise", sa.String(40), nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("weight_kg", sa.Float, nullable=False),
        sa.Column("local_date", sa.Date, nullable=False),
        sa.Column("entry_id", sa.Integer, nullable=False),
        sa.Column("is_pr", sa.Boolean, nullable=False),
    )
    op.create_index("ix_bests_runner_exercise_date", "bests", ["runner_id", "exercise", "local_date"])
    op.create_table(
        "group_weeks",
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("monday", sa.Date, primary_key=True),
        sa.Column("hitters", sa.String(4000), nullable=False),
        sa.Column("completed_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("the ledger migration is one-way: back up the database before upgrading")
