"""A memo of rows read within one unit of work, forgotten table by table on writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection

T = TypeVar("T")


class Memo:
    """Rows read often within one command are remembered for the unit of work's life.

    Keys start with the table's name; every write to a remembered table forgets that
    table's entries, so a read after a write sees the write.
    """

    conn: Connection
    _memo: dict[tuple[object, ...], object]

    def _remember(self, key: tuple[object, ...], load: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]  # type: ignore[return-value]

    def _forget(self, table: str) -> None:
        for key in [k for k in self._memo if k[0] == table]:
            del self._memo[key]
