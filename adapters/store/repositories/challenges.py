"""Group challenges: what was started, whether its end was told, and the badges it gave."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select, update

from adapters.store.repositories.base import Repository, chunks
from adapters.store.tables import challenge_badges, challenges
from core.ledger.model import Challenge, ChallengeBadge

_COLUMNS = ("group_id", "name", "start_on", "end_on", "goal", "each", "announced", "stopped_on")


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

    def stop(self, challenge_id: int, day: date) -> None:
        self.conn.execute(
            update(challenges).where(challenges.c.id == challenge_id).values(announced=True, stopped_on=day)
        )

    def award(self, challenge: Challenge, runner_ids: Sequence[int], day: date) -> None:
        rows = [
            {"runner_id": rid, "challenge_id": challenge.id, "name": challenge.name, "earned_on": day}
            for rid in runner_ids
        ]
        if rows:
            statement = self.insert(challenge_badges).on_conflict_do_nothing(
                index_elements=["runner_id", "challenge_id"]
            )
            self.conn.execute(statement, rows)

    def badges(self, runner_ids: Sequence[int]) -> list[ChallengeBadge]:
        found: dict[int, ChallengeBadge] = {}
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(select(challenge_badges).where(challenge_badges.c.runner_id.in_(part)))
            for r in rows:
                found.setdefault(r.challenge_id, ChallengeBadge(r.challenge_id, r.name, r.earned_on))
        return sorted(found.values(), key=lambda b: (b.earned_on, b.challenge_id))
