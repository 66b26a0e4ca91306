"""Group challenges: what was started, and whether its end was told."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, update

from adapters.store.repositories.base import Repository
from adapters.store.tables import challenges
from core.ledger.model import Challenge

_COLUMNS = ("group_id", "name", "start_on", "end_on", "goal", "each", "announced")


def _from(r: object) -> Challenge:
    m = r._mapping  # type: ignore[attr-defined]
    return Challenge(m["id"], *(m[c] for c in _COLUMNS))


class SqlChallenges(Repository):
    def add(self, challenge: Challenge) -> int:
        values = {c: getattr(challenge, c) for c in _COLUMNS}
        return int(
            self.conn.execute(insert(challenges).values(**values).returning(challenges.c.id)).scalar_one()
        )

    def of_group(self, group_id: int) -> list[Challenge]:
        rows = self.conn.execute(
            select(challenges).where(challenges.c.group_id == group_id).order_by(challenges.c.id.desc())
        )
        return [_from(r) for r in rows]

    def unannounced(self, before: date) -> list[Challenge]:
        rows = self.conn.execute(
            select(challenges)
            .where(challenges.c.announced.is_(False), challenges.c.end_on < before)
            .order_by(challenges.c.id)
        )
        return [_from(r) for r in rows]

    def announced(self, challenge_id: int) -> None:
        self.conn.execute(update(challenges).where(challenges.c.id == challenge_id).values(announced=True))
