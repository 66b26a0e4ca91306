"""``raw.Prepared``: a Core statement run on psycopg's cursor (PostgreSQL) gives the same column
names and values as the same statement run through SQLAlchemy, and a statement whose values
SQLAlchemy would convert is refused rather than read raw."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, PickleType, bindparam, literal, select

from adapters.store import raw
from adapters.store.repositories.groups import _ASKER_AND_GROUP, _LOAD
from adapters.store.repositories.runners import _FIND, _GET
from core.ledger.model import Book, FoldState, WeekInputs, WeekRow
from core.training.model import Runner
from core.training.profile import Profile
from tests.conftest import empty_store

AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 30)


def _seeded(engine: Engine) -> object:
    store = empty_store(engine)
    with store.unit() as uow:
        group = uow.groups.add("test", "club", "Club 'é' %s", "Europe/Berlin", AT)
        for i, user in enumerate(("ana", "ben", "cy")):
            runner = uow.runners.add(
                Runner(0, "test", user, user, Profile(tz="Asia/Tokyo"), created_at=AT, created_on=AT.date())
            )
            uow.groups.add_member(group.id, runner.id, AT.date() + timedelta(days=i), AT)
            if user != "cy":  # cy has no book: the outer joins give NULLs
                weeks = [MONDAY - timedelta(days=7 * k) for k in range(3)]
                uow.ledger.save_weeks(
                    runner.id, [WeekRow(WeekInputs(m, 0b101, 0, 2), "open", FoldState()) for m in weeks]
                )
                uow.ledger.save_book(runner.id, Book(badges={"first-session": AT.date()}, next_reward=3))
        uow.commit()
    return store


@pytest.mark.parametrize(
    ("prepared", "params"),
    [
        (_FIND, {"platform": "test", "user_id": "ana"}),
        (_FIND, {"platform": "test", "user_id": "nobody"}),
        (_GET, {"runner_id": 1}),
        (_LOAD, {"platform": "test", "chat_id": "club"}),
        (_LOAD, {"platform": "test", "chat_id": "no such chat"}),
        (_ASKER_AND_GROUP, {"platform": "test", "user_id": "ben", "chat_id": "club"}),
        (_ASKER_AND_GROUP, {"platform": "test", "user_id": "nobody", "chat_id": "club"}),
    ],
)
def test_prepared_statements_read_what_sqlalchemy_reads(
    engine: Engine, prepared: raw.Prepared, params: dict[str, object]
) -> None:
    store = _seeded(engine)
    with store.unit() as uow:  # type: ignore[attr-defined]
        names, rows = prepared.run(uow.conn, params)
        got = [tuple(row) for row in rows]
        result = uow.conn.execute(prepared.statement, params)
        assert names == list(result.keys())
        assert got == [tuple(row) for row in result]
    if prepared is _LOAD and params.get("chat_id") == "club":
        assert len(got) == 2 * 3 + 1  # ana's and ben's three weeks each, cy's one row of NULLs


def test_a_statement_sqlalchemy_would_convert_is_refused_on_postgresql(engine: Engine) -> None:
    store = empty_store(engine)
    pickled = raw.Prepared(select(literal([1, 2], PickleType).label("p")))
    plain = raw.Prepared(select(bindparam("n", type_=PickleType()).is_(None).label("p")))
    with store.unit() as uow:
        if uow.conn.dialect.name == "postgresql":
            with pytest.raises(ValueError, match="converts"):
                pickled.run(uow.conn, {})
            with pytest.raises(ValueError, match="converts"):
                plain.run(uow.conn, {"n": None})
        else:  # elsewhere SQLAlchemy runs it and converts as usual
            names, rows = pickled.run(uow.conn, {})
            assert (names, [tuple(r) for r in rows]) == (["p"], [([1, 2],)])
