"""Store queries for the nudge pass: due candidates and sent records."""

from __future__ import annotations

from sqlalchemy import Connection


class NudgeQueries:
    conn: Connection
