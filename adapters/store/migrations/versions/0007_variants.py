"""Exercise identity: sets, goals and posted PRs move from a movement to the variant the runner did.

Every set is kept. A set of a movement becomes that movement's default variant for the
equipment the runner has (the only equipment the record knows): a set with a weight the
loaded one, a set without the one done without load (so a gym runner's weightless squats
are bodyweight squats, a bodyweight runner's weighted ones goblet squats). A weighted set
gets the runner's units as the unit it was typed in. The old bodyweight quad extension
(a Spanish squat hold) counted its holds as reps: they become seconds.

New columns: the set's unit and seconds; the runner's swaps and a pending /log; a table of
runners' own exercises. The caches (books, weeks, bests) are dropped and rebuilt from the
record at the next start.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# movement → base equipment → (variant with a weight, variant without one), frozen as of this revision
_VARIANTS: dict[str, dict[str, tuple[str, str]]] = {
    "clamshell": {
        "gym": ("banded-clamshell", "banded-clamshell"),
        "home": ("banded-clamshell", "banded-clamshell"),
        "bodyweight": ("side-lying-clamshell", "side-lying-clamshell"),
    },
    "squat": {
        "gym": ("barbell-back-squat", "bodyweight-squat"),
        "home": ("goblet-squat", "bodyweight-squat"),
        "bodyweight": ("goblet-squat", "bodyweight-squat"),
    },
    "hex-bar-deadlift": {
        "gym": ("hex-bar-deadlift", "glute-bridge"),
        "home": ("kettlebell-deadlift", "glute-bridge"),
        "bodyweight": ("kettlebell-deadlift", "glute-bridge"),
    },
    "calf-raise": {
        "gym": ("standing-calf-raise", "single-leg-calf-raise"),
        "home": ("dumbbell-calf-raise", "single-leg-calf-raise"),
        "bodyweight": ("dumbbell-calf-raise", "single-leg-calf-raise"),
    },
    "lunge": {
        "gym": ("dumbbell-reverse-lunge", "reverse-lunge"),
        "home": ("goblet-reverse-lunge", "reverse-lunge"),
        "bodyweight": ("goblet-reverse-lunge", "reverse-lunge"),
    },
    "side-lunge": {
        "gym": ("dumbbell-side-lunge", "bodyweight-side-lunge"),
        "home": ("goblet-side-lunge", "bodyweight-side-lunge"),
        "bodyweight": ("goblet-side-lunge", "bodyweight-side-lunge"),
    },
    "romanian-deadlift": {
        "gym": ("barbell-rdl", "good-morning"),
        "home": ("dumbbell-rdl", "good-morning"),
        "bodyweight": ("dumbbell-rdl", "good-morning"),
    },
    "single-leg-rdl": {
        "gym": ("dumbbell-single-leg-rdl", "bodyweight-single-leg-rdl"),
        "home": ("kettlebell-single-leg-rdl", "bodyweight-single-leg-rdl"),
        "bodyweight": ("kettlebell-single-leg-rdl", "bodyweight-single-leg-rdl"),
    },
    "quad-extension": {
        "gym": ("leg-extension", "leg-extension"),
        "home": ("leg-extension", "banded-leg-extension"),
        "bodyweight": ("leg-extension", "spanish-squat-hold"),
    },
    "pull-up": {e: ("pull-up", "pull-up") for e in ("gym", "home", "bodyweight")},
    "push-up": {e: ("push-up", "push-up") for e in ("gym", "home", "bodyweight")},
    "row": {
        "gym": ("cable-row", "inverted-row"),
        "home": ("dumbbell-row", "table-row"),
        "bodyweight": ("dumbbell-row", "table-row"),
    },
}
_HOLDS = frozenset({"spanish-squat-hold"})


def variant_of(movement: str, equipment: str, weighted: bool) -> str:
    """The variant an old set of ``movement`` becomes (an unknown key stays as it is)."""
    by_equipment = _VARIANTS.get(movement)
    if by_equipment is None:
        return movement
    pair = by_equipment.get(equipment.split("+", 1)[0], by_equipment["gym"])
    return pair[0] if weighted else pair[1]


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("set_logs") as batch:
        batch.add_column(sa.Column("unit", sa.String(2), nullable=True))
        batch.add_column(sa.Column("seconds", sa.Integer, nullable=True))
    with op.batch_alter_table("runners") as batch:
        batch.add_column(sa.Column("swaps", sa.String(400), nullable=False, server_default=""))
        batch.add_column(sa.Column("pending_log", sa.Text, nullable=True))
        batch.add_column(sa.Column("pending_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "own_exercises",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("movement", sa.String(40), nullable=False),
        sa.UniqueConstraint("runner_id", "key", name="uq_own_exercises_runner_key"),
    )
    runners = sa.table(
        "runners",
        sa.column("id", sa.Integer),
        sa.column("equipment", sa.String),
        sa.column("units", sa.String),
    )
    kit = {rid: (equipment, units) for rid, equipment, units in conn.execute(sa.select(*runners.c))}
    _sets(conn, kit)
    _goals(conn, kit)
    _posts(conn, kit)
    # The caches follow the record: a runner without a book has everything rebuilt at the next start.
    for table in ("books", "weeks", "bests"):
        conn.execute(sa.text(f"DELETE FROM {table}"))


def _sets(conn: sa.Connection, kit: dict[int, tuple[str, str]]) -> None:
    sets = sa.table(
        "set_logs",
        sa.column("id", sa.Integer),
        sa.column("runner_id", sa.Integer),
        sa.column("exercise", sa.String),
        sa.column("reps", sa.Integer),
        sa.column("weight_kg", sa.Float),
        sa.column("unit", sa.String),
        sa.column("seconds", sa.Integer),
    )
    rows = conn.execute(
        sa.select(sets.c.id, sets.c.runner_id, sets.c.exercise, sets.c.reps, sets.c.weight_kg)
    )
    for set_id, rid, exercise, reps, weight in list(rows):
        equipment, units = kit.get(rid, ("gym", "kg"))
        key = variant_of(exercise, equipment, weight is not None)
        values: dict[str, object] = {"exercise": key, "unit": units if weight is not None else None}
        if key in _HOLDS:
            values |= {"reps": 1, "seconds": min(max(reps, 1), 600)}
        conn.execute(sets.update().where(sets.c.id == set_id).values(**values))


def _goals(conn: sa.Connection, kit: dict[int, tuple[str, str]]) -> None:
    goals = sa.table(
        "goals",
        sa.column("id", sa.Integer),
        sa.column("runner_id", sa.Integer),
        sa.column("exercise", sa.String),
    )
    for goal_id, rid, exercise in list(conn.execute(sa.select(*goals.c))):
        key = variant_of(exercise, kit.get(rid, ("gym", "kg"))[0], True)
        conn.execute(goals.update().where(goals.c.id == goal_id).values(exercise=key))


def _posts(conn: sa.Connection, kit: dict[int, tuple[str, str]]) -> None:
    """PRs posted in a group name their exercise in the key: ``pr:EXERCISE:REPS:KG:DATE``."""
    posts = sa.table(
        "posts", sa.column("id", sa.Integer), sa.column("runner_id", sa.Integer), sa.column("key", sa.String)
    )
    for post_id, rid, key in list(conn.execute(sa.select(*posts.c))):
        if not key.startswith("pr:"):
            continue
        _, exercise, rest = key.split(":", 2)
        renamed = f"pr:{variant_of(exercise, kit.get(rid, ('gym', 'kg'))[0], True)}:{rest}"
        conn.execute(posts.update().where(posts.c.id == post_id).values(key=renamed))


def downgrade() -> None:
    raise NotImplementedError("the variants migration is one-way: back up the database before upgrading")
