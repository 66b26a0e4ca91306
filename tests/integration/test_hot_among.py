"""``Hot.among``: one bind for a list of ids or texts (an array literal on PostgreSQL, a JSON array on
SQLite) finds exactly the rows whose value is in the list, whatever characters the texts hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert

from adapters.store.hot import Hot
from adapters.store.tables import outbox
from tests.conftest import empty_store

DAY = date(2026, 12, 1)
AT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
# Recipients with what an array literal must escape: quotes, backslashes, braces, commas, spaces, NULL.
TEXTS = st.text(
    alphabet=st.sampled_from(list('ab"\\{},; Nul:é\u0131\U0001f3c3'))
    | st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=0,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.lists(TEXTS, unique=True, max_size=8), asked=st.lists(TEXTS, max_size=8))
def test_texts_among_a_list_are_exactly_those_in_it(
    engine: Engine, stored: list[str], asked: list[str]
) -> None:
    store = empty_store(engine)
    with store.unit() as uow:
        for i, recipient in enumerate(stored):
            uow.conn.execute(
                insert(outbox).values(
                    recipient=recipient,
                    local_date=DAY,
                    kind="lift",
                    platform="test",
                    chat_id=str(i),
                    is_group=False,
                    title="",
                    body="",
                    state="sent",
                    due_at=AT,
                    expires_at=AT,
                    attempts=1,
                )
            )
        hot = Hot(uow.conn)
        among, values = hot.among("recipient", asked)
        found = {r for (r,) in hot.rows(f"SELECT recipient FROM outbox WHERE {among}", (values,))}
        assert found == set(stored) & set(asked)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.lists(st.integers(min_value=-(2**31), max_value=2**31 - 1), max_size=10))
def test_ids_among_a_list_are_exactly_those_in_it(engine: Engine, asked: list[int]) -> None:
    store = empty_store(engine)
    with store.unit() as uow:
        hot = Hot(uow.conn)
        among, values = hot.among("v", asked)
        rows = hot.rows(
            f"SELECT v FROM (SELECT 7 AS v UNION ALL SELECT -3 UNION ALL SELECT 2) t WHERE {among}", (values,)
        )
        assert {v for (v,) in rows} == {7, -3, 2} & set(asked)
