"""Linked chats and linked accounts: a group may span chats on several platforms (``group_chats``), members
remember the chat they came from, one-time link codes, and one runner over two platform accounts
(``runner_merges``); date-ranged group challenges (``challenges``)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_chats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "chat_id", name="uq_group_chats_platform_chat"),
    )
    op.create_index("ix_group_chats_group", "group_chats", ["group_id"])
    op.create_table(
        "link_codes",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=True),
        sa.Column("runner_id", sa.Integer, sa.ForeignKey("runners.id", ondelete="CASCADE"), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("group_members", sa.Column("chat_ref", sa.Integer, nullable=True))
    op.create_table(
        "runner_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "runner_id",
            sa.Integer,
            sa.ForeignKey("runners.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "other_id",
            sa.Integer,
            sa.ForeignKey("runners.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undo_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Text, nullable=False),
        sa.Column("memberships", sa.Text, nullable=False),
        sa.Column("via", sa.String(20), nullable=False),
        sa.Column("last", sa.String(20), nullable=False),
    )

    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("goal", sa.Integer, nullable=True),
        sa.Column("each", sa.Integer, nullable=True),
        sa.Column("announced", sa.Boolean, nullable=False),
    )
    op.create_index("ix_challenges_group", "challenges", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_challenges_group", table_name="challenges")
    op.drop_table("challenges")
    op.drop_table("runner_merges")
    with op.batch_alter_table("group_members") as batch:
        batch.drop_column("chat_ref")
    op.drop_table("link_codes")
    op.drop_index("ix_group_chats_group", table_name="group_chats")
    op.drop_table("group_chats")
