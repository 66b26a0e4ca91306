"""On the SQL store too, after random histories the live caches equal a rebuild and the screens agree."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from tests.conftest import empty_store
from tests.fakes import Conversation
from tests.ledger_check import check_caches, check_screens
from tests.unit.test_ledger_properties import START, USERS, play, step


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(step, min_size=5, max_size=25))
def test_sql_caches_equal_a_rebuild_after_any_history(engine: Engine, steps: list) -> None:  # type: ignore[type-arg]
    chat = Conversation(empty_store(engine), at=START)
    for u in USERS:
        chat.say("/join", user=u, chat="club")
    play(chat, steps)
    chat.advance(days=9)
    check_screens(chat, USERS, "club")
    check_caches(chat.core.store, chat.clock.now())  # type: ignore[arg-type]
