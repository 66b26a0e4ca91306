"""Backups that are safe while the bot runs, and restores into an empty database.

SQLite: SQLite's online backup API copies a consistent snapshot while other connections
keep writing (never a file copy). PostgreSQL: ``pg_dump`` (one consistent snapshot, custom
format) and ``pg_restore``; without them on PATH, the one command to run is explained.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from adapters.store.engine import make_engine, migrate, normalize_url
from adapters.store.operations import holds_data, row_counts, table_names
from adapters.store.tables import metadata

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Said to the operator as it is: what went wrong and what to do."""


@dataclass
class Outcome:
    path: Path
    seconds: float
    size: int
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(n for name, n in self.rows.items() if name != "alembic_version")

    def summary(self, verb: str) -> str:
        rows = f"{self.total_rows} rows in {len(self.rows)} tables, " if self.rows else ""
        return f"{verb} {self.path}: {rows}{self.size / 1024:.0f} KiB in {self.seconds:.2f} s"


def _url(database_url: str) -> URL:
    return make_url(normalize_url(database_url))


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"backups need a SQLite file, not {url.database or 'an in-memory database'!r}")
    return Path(url.database)


def _header(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(16)


# -- SQLite -----------------------------------------------------------------------------------


def _sqlite_counts(path: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        return row_counts(engine)
    finally:
        engine.dispose()


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(part)
        try:
            # pages=-1: one step inside one read transaction, so the copy is one consistent
            # snapshot; in WAL mode the bot's writers go on meanwhile.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                raise BackupError(f"the copy failed its integrity check: {check}")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(part, target)


def _sqlite_restore(backup: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()
        if check is None or check[0] != "ok":
            raise BackupError(f"{backup} failed its integrity check: {check}")
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst, pages=-1)  # replaces the target's pages with the backup's, all at once
        finally:
            dst.close()
    finally:
        src.close()


# -- PostgreSQL -------------------------------------------------------------------------------


def libpq_environment(url: URL) -> tuple[dict[str, str], str | None]:
    """The connection as libpq variables (no password on a command line) and the schema, if one is set."""
    env = {
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }
    env = {k: v for k, v in env.items() if v}
    schema = None
    options = url.query.get("options")
    if isinstance(options, tuple):
        options = " ".join(options)
    if options:
        env["PGOPTIONS"] = options
        for part in options.split():
            if part.startswith("-csearch_path="):
                schema = part.split("=", 1)[1].split(",")[0].strip('"') or None
    return env, schema


def _plain(url: URL) -> str:
    """The URL libpq reads, password hidden (for a message)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-1500:]}")


def _pg_backup(url: URL, target: Path) -> None:
    tool = shutil.which("pg_dump")
    env, schema = libpq_environment(url)
    args = ["--format=custom", "--no-owner", "--no-privileges", *(["--schema", schema] if schema else [])]
    if tool is None:
        raise BackupError(
            "pg_dump is not on PATH (Debian/Ubuntu: apt install postgresql-client). The one command to run:\n"
            f"  pg_dump {' '.join(args)} --file {target} '{_plain(url)}'\n"
            "(give the password with PGPASSWORD or ~/.pgpass; pg_dump's version must be the server's or newer)"
        )
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    _run([tool, *args, "--file", str(part)], env)
    os.replace(part, target)


def _drop_our_tables(engine: Engine) -> None:
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("drop table if exists alembic_version"))


def _dumped_schemas(tool: str, backup: Path, env: dict[str, str]) -> set[str]:
    """The schemas a pg_dump archive creates (none for a whole database's ``public``)."""
    done = subprocess.run(
        [tool, "--list", str(backup)], env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{backup} is not a readable pg_dump archive: {done.stderr.strip()[-500:]}")
    return {
        line.split()[-2]
        for line in done.stdout.splitlines()
        if " SCHEMA - " in line and not line.startswith(";")
    }


def _pg_restore(url: URL, backup: Path, engine: Engine) -> None:
    tool = shutil.which("pg_restore")
    env, schema = libpq_environment(url)
    args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if tool is None:
        raise BackupError(
            "pg_restore is not on PATH (Debian/Ubuntu: apt install postgresql-client). Into an empty database:\n"
            f"  pg_restore {' '.join(args)} --dbname '{_plain(url)}' {backup}\n"
            "then start the bot (`runlift run`) to migrate it."
        )
    dumped = _dumped_schemas(tool, backup, env) - {"public"}
    if dumped and dumped != {schema}:
        raise BackupError(
            f"{backup} holds schema {', '.join(sorted(dumped))}; DATABASE_URL works in {schema or 'public'}:"
            " restore it with the same search_path (in another database)"
        )
    if dumped and schema:
        with engine.begin() as conn:  # empty (or --force): the archive creates the schema itself
            conn.execute(text(f'drop schema if exists "{schema}" cascade'))
    elif table_names(engine):
        _drop_our_tables(engine)  # empty (or --force): make room for the backup's tables
    _run([tool, *args, "--dbname", url.database or "", str(backup)], env)


# -- the two verbs ----------------------------------------------------------------------------


def backup(database_url: str, target: Path) -> Outcome:
    """Write a consistent snapshot of the live database to ``target``."""
    url = _url(database_url)
    target = target.expanduser()
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the backup file, e.g. {target / 'runlift-backup.db'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
        seconds = time.perf_counter() - started
        return Outcome(target, seconds, target.stat().st_size, _sqlite_counts(target))
    if url.get_backend_name() == "postgresql":
        _pg_backup(url, target)
        return Outcome(target, time.perf_counter() - started, target.stat().st_size)
    raise BackupError(f"backups support SQLite and PostgreSQL, not {url.get_backend_name()}")


def restore(database_url: str, source: Path, force: bool = False) -> Outcome:
    """Restore ``source`` into the database, which must hold no data unless ``force``; then migrate."""
    url = _url(database_url)
    source = source.expanduser()
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    header = _header(source)
    backend = url.get_backend_name()
    wanted = {"sqlite": SQLITE_MAGIC, "postgresql": PGDUMP_MAGIC}.get(backend)
    if wanted is None:
        raise BackupError(f"restores support SQLite and PostgreSQL, not {backend}")
    if not header.startswith(wanted):
        kind = (
            "a SQLite file"
            if header.startswith(SQLITE_MAGIC)
            else "a pg_dump archive"
            if header.startswith(PGDUMP_MAGIC)
            else "not a Runlift backup"
        )
        raise BackupError(
            f"{source} is {kind}; DATABASE_URL is {backend}: restore it into the kind it came from"
        )
    started = time.perf_counter()
    engine = make_engine(database_url)
    try:
        if holds_data(engine) and not force:
            raise BackupError(
                "the database is not empty: restore into an empty one, or add --force to replace what it holds"
            )
        if backend == "sqlite":
            engine.dispose()
            _sqlite_restore(source, _sqlite_path(url))
        else:
            _pg_restore(url, source, engine)
        engine.dispose()
        migrate(engine)
        rows = row_counts(engine)
    finally:
        engine.dispose()
    return Outcome(source, time.perf_counter() - started, source.stat().st_size, rows)


# -- daily backups (RUNLIFT_BACKUP_DIR) -----------------------------------------------------------


def daily(database_url: str, folder: Path, keep: int, now: datetime) -> Outcome:
    """One backup named by ``now`` in ``folder``, keeping only the ``keep`` newest."""
    suffix = "db" if _url(database_url).get_backend_name() == "sqlite" else "pgdump"
    folder.mkdir(parents=True, exist_ok=True)
    outcome = backup(database_url, folder / f"runlift-{now.astimezone(UTC):%Y%m%d-%H%M%S}.{suffix}")
    for old in sorted(folder.glob(f"runlift-*.{suffix}"), key=lambda p: p.name)[:-keep]:
        old.unlink(missing_ok=True)
    return outcome


def newest_age_s(folder: Path, now: datetime) -> float | None:
    """Seconds since the newest backup in ``folder`` was taken (by its name), ``None`` when none."""
    names = sorted(p.name for p in folder.glob("runlift-*") if not p.name.endswith(".part"))
    if not names:
        return None
    try:
        taken = datetime.strptime(names[-1].split(".")[0], "runlift-%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return (now - taken).total_seconds()
