"""psycopg's cursor with a plain ``description``: what SQLAlchemy reads of it, built cheaply."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.pq import ExecStatus

_TUPLES = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


class PlainDescriptionCursor(psycopg.Cursor[Any]):
    """``description`` as DBAPI 7-tuples of the column's name and type oid, the rest ``None``.

    SQLAlchemy reads ``description`` once per statement, only its names and type codes, while
    psycopg's own builds a ``Column`` per column with a type lookup each: ~125 of them for a
    group ``/log`` (its runner, book and weeks; its group), some 15 % of the core's CPU there.
    """

    @property
    def description(self) -> list[Any] | None:  # type: ignore[override]
        res = self.pgresult
        if res is None or not (res.nfields or res.status in _TUPLES):
            return None
        encoding = self._encoding
        out = []
        for i in range(res.nfields):
            name = res.fname(i)
            label = name.decode(encoding) if name else f"column_{i + 1}"
            out.append((label, res.ftype(i), None, None, None, None, None))
        return out
