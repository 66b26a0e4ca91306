"""Test fixtures: one migrated database per run (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from adapters.store.engine import make_engine, migrate, normalize_url
from adapters.store.tables import metadata
from adapters.store.unit_of_work import SqlStore

PG_SCHEMA = os.environ.get("TEST_PG_SCHEMA", "runlift_test")  # one per checkout when several run at once


def pg_url_in_schema(url: str, schema: str) -> str:
    """The same PostgreSQL database, with every connection working in its own schema."""
    base = normalize_url(url)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def fresh_pg_schema(url: str, schema: str) -> str:
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return pg_url_in_schema(url, schema)


def fresh_database_url(tmp: Path, name: str) -> str:
    """An empty database: a schema of TEST_DATABASE_URL's PostgreSQL, or a SQLite file."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        # Prefixed with this checkout's schema, so suites of two checkouts never share one.
        schema = name if name == PG_SCHEMA else f"{PG_SCHEMA}_{name}"[:63]
        _schemas.add(schema)
        return fresh_pg_schema(pg, schema)
    return f"sqlite:///{tmp / (name + '.db')}"


_databases: list[str] = []
_schemas: set[str] = set()  # every schema a test made, dropped when the run ends


def fresh_database_like(tmp: Path, name: str, like: str) -> str:
    """An empty database for a restore: on PostgreSQL a new database (named with this checkout's
    prefix, dropped when the run ends) with the same schema option as ``like``; else a SQLite file."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp / (name + '.db')}"
    database = f"{PG_SCHEMA}_{name}"[:63]
    admin = make_engine(pg).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    _databases.append(database)
    return str(make_url(normalize_url(like)).set(database=database).render_as_string(hide_password=False))


_made: dict[Path, str] = {}


def database_url_for(workdir: Path) -> str:
    """The database of one bot's work dir: empty the first time, the same one for a restart."""
    if workdir not in _made:
        digest = hashlib.sha1(str(workdir).encode()).hexdigest()[:12]
        workdir.mkdir(parents=True, exist_ok=True)
        _made[workdir] = fresh_database_url(workdir, f"e2e_{digest}")
    return _made[workdir]


@pytest.fixture(scope="session", autouse=True)
def _drop_bot_schemas_at_the_end() -> Iterator[None]:
    """Bot processes' PostgreSQL schemas are dropped when the run ends (SQLite files go with tmp)."""
    yield
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg or not (_made or _databases or _schemas):
        return
    admin = make_engine(pg).execution_options(isolation_level="AUTOCOMMIT")
    made = {url.rsplit("%3D", 1)[-1] for url in _made.values()}
    with admin.connect() as conn:
        # One schema per statement: dropping them all in one transaction locks every table of every
        # schema at once and runs out of PostgreSQL's lock table (max_locks_per_transaction).
        for schema in sorted(made | _schemas):
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        for database in _databases:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fresh_database_url(tmp_path_factory.mktemp("db"), PG_SCHEMA)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    migrate(eng)
    yield eng
    eng.dispose()


def empty_store(engine: Engine) -> SqlStore:
    """A store over empty tables (callable inside a hypothesis example, unlike a fixture)."""
    with engine.begin() as conn:
        names = [t.name for t in reversed(metadata.sorted_tables)]
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(names) + " RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))
    return SqlStore(engine)


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    """A store over empty tables."""
    return empty_store(engine)
