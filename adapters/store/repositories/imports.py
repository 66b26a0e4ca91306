"""Imports: the previewed file waiting for its confirm, the imports written, and their sets' keys."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import delete, func, insert, select, update

from adapters.store.repositories.base import Repository, chunks
from adapters.store.rows import aware, set_columns, utc
from adapters.store.tables import entries, imports, set_logs
from core.imports.model import ImportRecord, PendingImport
from core.training.model import LoggedSet
from core.training.profile import Units

_ADD_ENTRIES = insert(entries).returning(entries.c.id, sort_by_parameter_order=True)


class SqlImports(Repository):
    def pending(self, runner_id: int) -> PendingImport | None:
        row = self.conn.execute(
            select(imports).where(imports.c.runner_id == runner_id, imports.c.state == "pending")
        ).first()
        if row is None or row.data is None:
            return None
        return PendingImport(
            row.filename, zlib.decompress(row.data), row.format, cast(Units, row.unit), aware(row.at)
        )

    def save_pending(self, runner_id: int, pending: PendingImport) -> None:
        self.drop_pending(runner_id)
        self.conn.execute(
            insert(imports).values(
                runner_id=runner_id,
                state="pending",
                filename=pending.filename[:200],
                format=pending.format,
                unit=pending.unit,
                data=zlib.compress(pending.data, 6),
                at=utc(pending.asked_at),
                workouts=0,
                sets=0,
            )
        )

    def drop_pending(self, runner_id: int) -> None:
        self.conn.execute(
            delete(imports).where(imports.c.runner_id == runner_id, imports.c.state == "pending")
        )

    def prune_pending(self, before: datetime) -> int:
        done = self.conn.execute(
            delete(imports).where(imports.c.state == "pending", imports.c.at < utc(before))
        )
        return int(done.rowcount or 0)

    def keys(self, runner_id: int) -> set[str]:
        rows = self.conn.execute(
            select(set_logs.c.source_key).where(
                set_logs.c.runner_id == runner_id, set_logs.c.source_key.is_not(None)
            )
        )
        return set(rows.scalars())

    def add(self, runner_id: int, record: ImportRecord) -> int:
        return int(
            self.conn.execute(
                insert(imports)
                .values(
                    runner_id=runner_id,
                    state="done",
                    filename=record.filename[:200],
                    format=record.format,
                    unit="kg",
                    at=utc(record.at),
                    workouts=record.workouts,
                    sets=record.sets,
                    first_day=record.first,
                    last_day=record.last,
                )
                .returning(imports.c.id)
            ).scalar_one()
        )

    def add_workouts(
        self,
        runner_id: int,
        import_id: int,
        at: datetime,
        workouts: Sequence[tuple[date, Sequence[tuple[LoggedSet, str]]]],
    ) -> int:
        if not workouts:
            return 0
        heads = [
            {
                "runner_id": runner_id,
                "kind": "sets",
                "local_date": day,
                "group_id": None,
                "logged_at": utc(at),
                "import_id": import_id,
            }
            for day, _ in workouts
        ]
        ids = list(self.conn.execute(_ADD_ENTRIES, heads).scalars())
        rows = [
            {**set_columns(entry_id, runner_id, s), "source_key": key}
            for entry_id, (_, sets) in zip(ids, workouts, strict=True)
            for s, key in sets
        ]
        # A workout listed twice, far apart in a file, repeats its keys: the second copy is not added.
        statement = self.insert(set_logs).on_conflict_do_nothing(index_elements=["runner_id", "source_key"])
        self.conn.execute(statement, rows)
        return len(rows)

    def mark_done(self, runner_id: int, import_id: int, at: datetime, days: Sequence[date]) -> None:
        if days:
            self.conn.execute(
                insert(entries),
                [
                    {
                        "runner_id": runner_id,
                        "kind": "done",
                        "local_date": day,
                        "group_id": None,
                        "logged_at": utc(at),
                        "import_id": import_id,
                    }
                    for day in days
                ],
            )

    def finish(self, runner_id: int, record: ImportRecord) -> None:
        self.conn.execute(
            update(imports)
            .where(imports.c.id == record.id, imports.c.runner_id == runner_id)
            .values(workouts=record.workouts, sets=record.sets, first_day=record.first, last_day=record.last)
        )

    def last(self, runner_id: int) -> ImportRecord | None:
        row = self.conn.execute(
            select(imports)
            .where(imports.c.runner_id == runner_id, imports.c.state == "done")
            .order_by(imports.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return ImportRecord(
            row.id,
            row.filename,
            row.format,
            aware(row.at),
            row.workouts,
            row.sets,
            row.first_day,
            row.last_day,
        )

    def delete(self, runner_id: int, import_id: int) -> None:
        owned = self.conn.execute(
            delete(imports).where(imports.c.runner_id == runner_id, imports.c.id == import_id)
        )
        if not owned.rowcount:
            return
        # Every entry the import wrote, whoever holds it now (a merge may have left some aside).
        written = select(entries.c.id).where(entries.c.import_id == import_id)
        self.conn.execute(delete(set_logs).where(set_logs.c.entry_id.in_(written)))
        self.conn.execute(delete(entries).where(entries.c.import_id == import_id))

    def set_aside(self, from_id: int, to_id: int) -> list[tuple[int, int]]:
        held = (
            select(set_logs.c.source_key)
            .where(set_logs.c.runner_id == to_id, set_logs.c.source_key.is_not(None))
            .scalar_subquery()
        )
        dup_rows = self.conn.execute(
            select(set_logs.c.id, set_logs.c.entry_id)
            .where(set_logs.c.runner_id == from_id, set_logs.c.source_key.in_(held))
            .order_by(set_logs.c.id)
        )
        dups: dict[int, list[int]] = {}
        for set_id, entry_id in dup_rows:
            dups.setdefault(entry_id, []).append(set_id)
        if not dups:
            return []
        written = self.conn.execute(
            select(entries.c.id, entries.c.import_id, entries.c.kind).where(
                entries.c.runner_id == from_id, entries.c.import_id.is_not(None)
            )
        ).all()
        sizes: dict[int, int] = {}
        for part in chunks(list(dups)):
            sizes.update(
                self.conn.execute(
                    select(set_logs.c.entry_id, func.count())
                    .where(set_logs.c.entry_id.in_(part))
                    .group_by(set_logs.c.entry_id)
                ).all()
            )
        pairs: list[tuple[int, int]] = []
        for entry_id, set_ids in dups.items():
            if len(set_ids) == sizes[entry_id]:
                pairs.append((entry_id, entry_id))
                continue
            head = self.conn.execute(select(entries).where(entries.c.id == entry_id)).one()._mapping
            copy = {k: v for k, v in head.items() if k != "id"}
            new_id = self.conn.execute(_ADD_ENTRIES, [copy]).scalar_one()
            for part in chunks(set_ids):
                self.conn.execute(update(set_logs).where(set_logs.c.id.in_(part)).values(entry_id=new_id))
            pairs.append((new_id, entry_id))
        # An import's day marks go where its sets go: with none of them joining, they stay too.
        whole = {held for held, origin in pairs if held == origin}
        joining = {i for e, i, kind in written if kind != "done" and e not in whole}
        pairs += [(e, e) for e, i, kind in written if kind == "done" and i not in joining]
        return pairs

    def put_back(self, pairs: Sequence[tuple[int, int]]) -> None:
        for held, origin in pairs:
            if held == origin:
                continue
            owner = self.conn.execute(select(entries.c.runner_id).where(entries.c.id == origin)).scalar()
            if owner is None:
                continue
            self.conn.execute(
                update(set_logs).where(set_logs.c.entry_id == held).values(entry_id=origin, runner_id=owner)
            )
            self.conn.execute(delete(entries).where(entries.c.id == held))

    def follow(self, from_id: int, to_id: int) -> list[int]:
        theirs = select(entries.c.import_id).where(
            entries.c.runner_id == to_id, entries.c.import_id.is_not(None)
        )
        ids = list(
            self.conn.execute(
                select(imports.c.id).where(
                    imports.c.runner_id == from_id, imports.c.state == "done", imports.c.id.in_(theirs)
                )
            ).scalars()
        )
        for part in chunks(ids):
            self.conn.execute(update(imports).where(imports.c.id.in_(part)).values(runner_id=to_id))
        return ids
