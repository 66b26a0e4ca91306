"""The database tables, each defined once in its current shape (the migrations build it step by step).

Record tables hold what runners did and set; cache tables (``weeks``, ``books``,
``bests``, ``group_weeks``) hold what the ledger derives from them and can be rebuilt.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# -- the record ---------------------------------------------------------------------------------

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
    Column("remind", String(5), nullable=False),
    Column("reminders", Boolean, nullable=False),
    Column("units", String(2), nullable=False),
    Column("playlist", String(200), nullable=False, default=""),
    Column("configured", Boolean, nullable=False, default=False),
    Column("unreachable", Boolean, nullable=False, default=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_on", Date, nullable=False),
    Column("paused_from", Date, nullable=True),
    Column("paused_until", Date, nullable=True),
    Column("plan_since", Date, nullable=True),
    Column("swaps", String(400), nullable=False, default=""),
    # A /log waiting for "/log confirm": its canonical text and when it was asked.
    Column("pending_log", Text, nullable=True),
    Column("pending_at", DateTime(timezone=True), nullable=True),
    # The run plan last read from the runner's calendar (compact JSON; NULL without a calendar).
    Column("calendar_plan", Text, nullable=True),
    UniqueConstraint("platform", "user_id", name="uq_runners_platform_user"),
)

# The schedule: each runner's next nudge moment, derived from the profile and pause. Narrow, so a
# busy minute that moves a hundred thousand moments writes few pages (migration 0017).
nudge_schedule = Table(
    "nudge_schedule",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("next_at", DateTime(timezone=True), nullable=True),
    Index("ix_nudge_schedule_next", "next_at", "runner_id"),
)

# A runner's calendar feed: the URL is a secret (never logged, never shown in full).
calendars = Table(
    "calendars",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("source", Text, nullable=False),
    Column("etag", String(200), nullable=False, default=""),
    Column("last_modified", String(64), nullable=False, default=""),
    Column("checked_at", DateTime(timezone=True), nullable=True),
    Column("next_check_at", DateTime(timezone=True), nullable=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("problem", String(200), nullable=False, default=""),
    Column("told", Boolean, nullable=False, default=True),
    Index("ix_calendars_next_check_at", "next_check_at"),
)

past_pauses = Table(
    "past_pauses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("start", Date, nullable=False),
    Column("until", Date, nullable=False),
    Index("ix_past_pauses_runner", "runner_id"),
)

plan_changes = Table(
    "plan_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("sessions", Integer, nullable=False),
    Column("hard_days", String(20), nullable=False),
    UniqueConstraint("runner_id", "effective_on", name="uq_plan_changes_runner_day"),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("group_id", Integer, nullable=True),
    Column("logged_at", DateTime(timezone=True), nullable=False),
    Column("import_id", Integer, nullable=True),  # the /import that wrote it
    Index("ix_entries_runner_date", "runner_id", "local_date"),
    Index("ix_entries_import", "import_id"),
)

set_logs = Table(
    "set_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", Integer, ForeignKey("entries.id", ondelete="CASCADE"), nullable=False),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("exercise", String(40), nullable=False),
    Column("set_no", Integer, nullable=False),
    Column("reps", Integer, nullable=False),
    Column("weight_kg", Float, nullable=True),
    Column("unit", String(2), nullable=True),  # the unit the weight was typed in
    Column("seconds", Integer, nullable=True),  # a hold's length (reps is then 1)
    Column("warmup", Boolean, nullable=False, default=False, server_default=text("false")),
    Column("source_key", String(32), nullable=True),  # an imported set's stable key
    Index("ix_set_logs_runner_exercise_date", "runner_id", "exercise", "local_date"),
    Index("ix_set_logs_runner_date", "runner_id", "local_date"),
    Index("ix_set_logs_entry", "entry_id"),
    Index("uq_set_logs_runner_source", "runner_id", "source_key", unique=True),
)

# Imports of other loggers' exports: one waiting for its confirm (with the file), then those written.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(8), nullable=False),  # pending | done
    Column("filename", String(200), nullable=False),
    Column("format", String(16), nullable=False),
    Column("unit", String(2), nullable=False),
    Column("data", LargeBinary, nullable=True),  # the file, zlib-compressed, while pending
    Column("at", DateTime(timezone=True), nullable=False),
    Column("workouts", Integer, nullable=False, default=0),
    Column("sets", Integer, nullable=False, default=0),
    Column("first_day", Date, nullable=True),
    Column("last_day", Date, nullable=True),
    Index("ix_imports_runner", "runner_id", "state"),
)

own_exercises = Table(
    "own_exercises",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(40), nullable=False),
    Column("name", String(40), nullable=False),
    Column("movement", String(40), nullable=False),
    UniqueConstraint("runner_id", "key", name="uq_own_exercises_runner_key"),
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
    Column("reached_on", Date, nullable=True),  # derived: the first set that met it
    UniqueConstraint("runner_id", "exercise", name="uq_goals_runner_exercise"),
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
    Index("ix_groups_tz", "tz"),
)

group_members = Table(
    "group_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("joined_on", Date, nullable=False),
    # The linked chat (group_chats.id) the member came from; NULL: the group's own chat.
    Column("chat_ref", Integer, nullable=True),
    UniqueConstraint("group_id", "runner_id", name="uq_group_members_group_runner"),
    Index("ix_group_members_runner", "runner_id"),
)

# Further chats linked into a group (the group's own chat is in ``groups``): one member list, one tally.
group_chats = Table(
    "group_chats",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "chat_id", name="uq_group_chats_platform_chat"),
    Index("ix_group_chats_group", "group_id"),
)

# One-time codes: ``/group link`` hands one out; the first admin to send it back elsewhere uses it.
link_codes = Table(
    "link_codes",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

# One runner on two platforms: ``other_id``'s account now speaks for ``runner_id``; what moved, to undo it.
runner_merges = Table(
    "runner_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("other_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("undo_until", DateTime(timezone=True), nullable=False),
    Column("entries", Text, nullable=False),  # the other account's entry ids, comma-separated
    Column("memberships", Text, nullable=False),  # group:joined_on:added, comma-separated
    Column("via", String(20), nullable=False, default=""),  # where nudges go; "": where they wrote last
    Column("last", String(20), nullable=False),
    # Imported sets the kept account held already, left with the other: "held>origin" entry ids, comma-separated.
    Column("aside", Text, nullable=False, server_default=""),
    Column("calendar", Boolean, nullable=False, server_default=text("false")),  # kept took other's feed
)

# A group's date-ranged challenge: sessions from ``start_on`` through ``end_on``; its end is told once.
challenges = Table(
    "challenges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(60), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("goal", Integer, nullable=True),  # sessions of the whole group
    Column("each", Integer, nullable=True),  # sessions of every member
    Column("announced", Boolean, nullable=False, default=False),
    Column("stopped_on", Date, nullable=True),  # an admin ended it early (/challenge stop): no badge
    Index("ix_challenges_group", "group_id"),
)

# The badge a runner earned for a challenge whose goal was met: kept with the challenge's name, so it
# outlives the challenge's group (a chat that links into another group takes its badges along).
challenge_badges = Table(
    "challenge_badges",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_id", Integer, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("earned_on", Date, nullable=False),
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
    Column("unlocked_on", Date, nullable=True),  # derived
    Column("week_start", Date, nullable=True),  # derived
    Column("announced", Boolean, nullable=False, default=False),
    Index("ix_rewards_runner", "runner_id"),
    Index("ix_rewards_group", "group_id"),
)

# What the bot said where: the PRs and badges announced in a group chat, for its recap.
posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("key", String(120), nullable=False),
    Index("ix_posts_group_date", "group_id", "local_date"),
    Index("ix_posts_runner", "runner_id"),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", String(100), primary_key=True),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)

# Answers committed with their command, until the adapter says they went out (then deleted). A
# process that died in between leaves them: once ``lease_until`` passes, the leader's sender sends them.
kept_replies = Table(
    "kept_replies",
    metadata,
    Column("event_id", String(120), primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("is_group", Boolean, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("replies", LargeBinary, nullable=False),
    Column("kept_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Index("ix_kept_replies_due", "platform", "lease_until"),
)

# The outbound budget shared by every process on the database: tokens left in each limit's bucket
# (``telegram:0:*`` for all sends, ``telegram:1:<chat>`` per chat …) as of ``at`` (database time).
send_budget = Table(
    "send_budget",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Fetched platform events, kept before the platform is told they arrived; handled once claimed above.
inbox = Table(
    "inbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(120), nullable=False, unique=True),
    Column("platform", String(20), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Index("ix_inbox_platform_seq", "platform", "seq"),
)

# Nudges and recaps the pass decided, waiting for a sender and then kept as the record of what went
# out: one row per recipient, kind and local date (the unique key makes a second pass's claim lose).
# ``state``: queued (a sender may lease it from ``due_at`` on), sent, dropped (its window passed
# first), skipped (no longer needed: the session was done), unreachable.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("recipient", String(40), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("is_group", Boolean, nullable=False),
    Column("runner_id", Integer, nullable=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(12), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("settled_at", DateTime(timezone=True), nullable=True),
    # Led by the day: a minute's claims fill today's newest pages, not one page each among the history.
    UniqueConstraint("local_date", "recipient", "kind", name="uq_outbox_date_recipient_kind"),
    Index(
        "ix_outbox_queued",
        "platform",
        "due_at",
        sqlite_where=text("state = 'queued'"),
        postgresql_where=text("state = 'queued'"),
    ),
)

# What the last nudge pass did (one row, named "last"): for `runlift status`, and so the first pass
# after a restart knows since when no pass ran.
nudge_passes = Table(
    "nudge_passes",
    metadata,
    Column("name", String(16), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("candidates", Integer, nullable=False),
    Column("queued", Integer, nullable=False),
    Column("missed", Integer, nullable=False),
    Column("duration_ms", Integer, nullable=False),
)

# -- caches derived from the record -------------------------------------------------------------

weeks = Table(
    "weeks",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("monday", Date, primary_key=True),
    Column("mask", Integer, nullable=False),
    Column("hard_mask", Integer, nullable=False),
    Column("target", Integer, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("outcome", String(8), nullable=False),
    Column("current", Integer, nullable=False),
    Column("best", Integer, nullable=False),
    Column("freezes", Integer, nullable=False),
    Column("toward", Integer, nullable=False),
    Column("sessions", Integer, nullable=False),
    Column("hard", Integer, nullable=False),
)

books = Table(
    "books",
    metadata,
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True),
    Column("closed_through", Date, nullable=True),
    Column("badges", String(400), nullable=False),
    Column("trained", String(400), nullable=False),
    Column("goals_open", String(1000), nullable=False),
    Column("next_reward", Integer, nullable=True),
    Column("pending", Text, nullable=False),
)

bests = Table(
    "bests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("runner_id", Integer, ForeignKey("runners.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(40), nullable=False),
    Column("reps", Integer, nullable=False),
    Column("weight_kg", Float, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("entry_id", Integer, nullable=False),
    Column("is_pr", Boolean, nullable=False),
    Index("ix_bests_runner_exercise_date", "runner_id", "exercise", "local_date"),
    Index("ix_bests_runner_exercise_reps_weight", "runner_id", "exercise", "reps", "weight_kg"),
)

group_weeks = Table(
    "group_weeks",
    metadata,
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("monday", Date, primary_key=True),
    Column("hitters", String(4000), nullable=False),
    Column("completed_on", Date, nullable=False),
)

RECORD_TABLES = (
    runners,
    calendars,
    past_pauses,
    plan_changes,
    entries,
    set_logs,
    own_exercises,
    goals,
    groups,
    group_members,
    group_chats,
    link_codes,
    runner_merges,
    challenges,
    challenge_badges,
    rewards,
    imports,
)
CACHE_TABLES = (weeks, books, bests, group_weeks)
