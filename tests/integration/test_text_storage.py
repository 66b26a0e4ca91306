"""Text that cannot be stored is refused or cleaned the same way on every backend: the same random input
gives the same answers and the same stored data on SQLite, PostgreSQL and the in-memory store."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from adapters.store.engine import make_engine, migrate
from adapters.store.unit_of_work import SqlStore
from core.messages import Incoming
from core.service import Runlift
from tests.conftest import PG_SCHEMA, empty_store, fresh_pg_schema
from tests.memory_store import MemoryStore
from tests.pg_probe import main as pg_answers

AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
# Every kind of character a platform or a terminal can hand over: NUL and controls, lone surrogates
# (what undecodable bytes become), emoji, right-to-left text, very long runs.
awkward = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.sampled_from(["\x00", "\x1b", "\ud800", "\udcff", "\u202e", "é", "🏃", "\n", "\t", " "]),
    ),
    max_size=300,
)
ids = st.one_of(st.text(min_size=0, max_size=80), st.from_regex(r"[0-9]{1,20}", fullmatch=True))
commands = st.sampled_from(
    ["/reward {} after 2", "/playlist {}", "/start", "/join", "/log {}", "/goal {}", "/{}"]
)


def message(user: str, name: str, chat: str | None, title: str, text: str) -> Incoming:
    return Incoming("test", user, name, chat or user, chat is not None, text, AT, chat_title=title)


def stored(store: Any) -> dict[str, Any]:
    with store.unit() as uow:
        out: dict[str, Any] = {"runners": [], "groups": [], "rewards": []}
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            assert found is not None
            runner = found[0]
            out["runners"].append((runner.user_id, runner.name, runner.profile.playlist))
            out["rewards"] += [r.text for r in uow.rewards.of_runner(runner_id)]
        out["groups"] = [(g.chat_id, g.title) for g in uow.groups.all()]
        return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    engines = {"sqlite": make_engine(f"sqlite:///{tmp_path_factory.mktemp('text') / 'text.db'}")}
    pg = os.environ.get("TEST_DATABASE_URL") or (
        "postgresql+psycopg://postgres@127.0.0.1:5432/test" if pg_answers() == 0 else ""
    )
    if pg:
        engines["postgresql"] = make_engine(fresh_pg_schema(pg, f"{PG_SCHEMA}_text_storage"))
    for engine in engines.values():
        migrate(engine)
    yield engines  # type: ignore[misc]
    for engine in engines.values():
        engine.dispose()
    if pg:
        admin = make_engine(pg)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}_text_storage" CASCADE')
        admin.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(ids, awkward, st.one_of(st.none(), ids), awkward, commands, awkward),
        min_size=1,
        max_size=6,
    )
)
def test_the_same_input_gives_the_same_answers_and_data_everywhere(
    stores: dict[str, Engine], steps: list
) -> None:  # type: ignore[type-arg]
    targets: dict[str, Any] = {name: empty_store(engine) for name, engine in stores.items()}
    targets["memory"] = MemoryStore()
    answers: dict[str, list[str]] = {name: [] for name in targets}
    for user, name, chat, title, template, arg in steps:
        text = template.format(arg)
        for store_name, store in targets.items():
            replies = Runlift(store).handle(message(user, name, chat, title, text))
            answers[store_name].append("\n".join(r.full_text() for r in replies))
    first = next(iter(targets))
    for store_name in targets:
        assert answers[store_name] == answers[first], store_name
        assert "Sorry — something went wrong" not in "".join(answers[store_name])
        assert stored(targets[store_name]) == stored(targets[first]), store_name
    if len(stores) < 2:
        pytest.skip(
            "PostgreSQL did not answer: SQLite and the in-memory store were compared"
        )  # after the checks ran


def test_ids_and_names_too_long_for_their_columns_are_refused_or_cut(
    stores: dict[str, Engine], tmp_path: Path
) -> None:
    for engine in stores.values():
        core = Runlift(empty_store(engine))
        [refused] = core.handle(message("u" * 65, "Ana", None, "", "/start"))
        assert "can't be read" in refused.text
        core.handle(message("ana", "N" * 500, "c" * 64, "T" * 500, "/join"))
        data = stored(SqlStore(engine))
        assert data["runners"] == [("ana", "N" * 200, "")] and data["groups"] == [("c" * 64, "T" * 200)]
