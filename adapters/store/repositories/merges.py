"""Runners whose accounts on two platforms are one: the merge, what moved, and where nudges go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import utc
from adapters.store.tables import runner_merges
from core.ledger.model import Membership, Merge


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def _memberships(text: str) -> tuple[Membership, ...]:
    out = []
    for item in filter(None, text.split(",")):
        group, joined, added = item.split(":")
        out.append(Membership(int(group), date.fromisoformat(joined), added == "1"))
    return tuple(out)


def _pairs(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in (item.split(">") for item in text.split(",") if item))


def _aware(at: datetime) -> datetime:
    """SQLite hands back the stored UTC instant without its zone."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def merge_from(r: Any) -> Merge:
    return Merge(
        r.id,
        r.runner_id,
        r.other_id,
        _aware(r.merged_at),
        _aware(r.undo_until),
        _ids(r.entries),
        _memberships(r.memberships),
        r.via,
        r.last,
        _pairs(r.aside),
        bool(r.calendar),
    )


class SqlMerges(Repository):
    def add(self, merge: Merge) -> int:
        values = {
            "runner_id": merge.runner_id,
            "other_id": merge.other_id,
            "merged_at": utc(merge.merged_at),
            "undo_until": utc(merge.undo_until),
            "entries": ",".join(map(str, merge.entries)),
            "memberships": ",".join(
                f"{m.group_id}:{m.joined_on.isoformat()}:{int(m.added)}" for m in merge.memberships
            ),
            "via": merge.via,
            "last": merge.last,
            "aside": ",".join(f"{held}>{origin}" for held, origin in merge.aside),
            "calendar": merge.calendar,
        }
        return int(
            self.conn.execute(
                insert(runner_merges).values(**values).returning(runner_merges.c.id)
            ).scalar_one()
        )

    def of(self, runner_id: int) -> Merge | None:
        row = self.conn.execute(
            select(runner_merges).where(
                or_(runner_merges.c.runner_id == runner_id, runner_merges.c.other_id == runner_id)
            )
        ).first()
        return merge_from(row) if row else None

    def of_runners(self, runner_ids: Sequence[int]) -> dict[int, Merge]:
        found: dict[int, Merge] = {}
        for part in chunks(list(runner_ids)):
            rows = self.conn.execute(select(runner_merges).where(runner_merges.c.runner_id.in_(part)))
            found.update({r.runner_id: merge_from(r) for r in rows})
        return found

    def set_route(self, merge_id: int, via: str | None = None, last: str | None = None) -> None:
        values = {k: v for k, v in (("via", via), ("last", last)) if v is not None}
        if values:
            self.conn.execute(update(runner_merges).where(runner_merges.c.id == merge_id).values(**values))

    def delete(self, merge_id: int) -> None:
        self.conn.execute(delete(runner_merges).where(runner_merges.c.id == merge_id))
