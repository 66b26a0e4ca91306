"""Store queries for streaks, badges, rewards and buddy groups."""

from __future__ import annotations

from sqlalchemy import Connection


class AccountabilityQueries:
    conn: Connection
