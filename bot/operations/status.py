"""The operator's status: `runlift status` prints it, `/admin status` answers it — the same facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import metadata as package_metadata
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from adapters.store.engine import current_revision, newest_revision, normalize_url
from adapters.store.operations import Counts, OutboxFigures, PassRecord, counts, last_pass, outbox_figures
from bot.settings import Settings


def version() -> str:
    try:
        return package_metadata.version("runlift")
    except package_metadata.PackageNotFoundError:
        return "unknown"


def safe_url(url: str) -> str:
    """The database URL without its password."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable DATABASE_URL)"


@dataclass
class Facts:
    version: str
    database: str
    schema: str | None
    newest: str
    counts: Counts | None
    last_pass: PassRecord | None
    configured: list[str]
    operators: int
    http: str
    backups: str
    outbox: OutboxFigures | None = None
    connected: Mapping[str, str] = field(default_factory=dict)
    error: str = ""
    ha: str = ""  # with RUNLIFT_HA=on: who leads


def newest_backup(folder: str) -> str:
    if not folder:
        return "off (RUNLIFT_BACKUP_DIR)"
    found = sorted(Path(folder).glob("runlift-*"), key=lambda p: p.name) if Path(folder).is_dir() else []
    if not found:
        return f"{folder}: none yet"
    return f"{folder}: newest {found[-1].name} ({len(found)} kept)"


def gather(
    settings: Settings, engine: Engine, now: datetime, connected: Mapping[str, str] | None = None
) -> Facts:
    """Everything `runlift status` shows; a database that does not answer is said, not raised."""
    facts = Facts(
        version=version(),
        database=safe_url(settings.database_url),
        schema=None,
        newest=newest_revision(),
        counts=None,
        last_pass=None,
        configured=settings.configured_adapters(),
        operators=len(settings.operators()),
        http=settings.runlift_http or "off (RUNLIFT_HTTP)",
        backups=newest_backup(settings.runlift_backup_dir),
        connected=dict(connected or {}),
    )
    try:
        with engine.connect() as conn:  # a database that does not answer, before one without tables
            conn.execute(text("select 1"))
        facts.schema = current_revision(engine)
        if facts.schema is not None:
            facts.counts = counts(engine, now)
            facts.last_pass = last_pass(engine) if facts.schema >= "0008" else None
            facts.outbox = outbox_figures(engine, now - timedelta(days=1)) if facts.schema >= "0008" else None
        if settings.ha() and engine.dialect.name == "postgresql":
            from bot.leadership import holder

            with engine.connect() as conn:
                facts.ha = holder(conn)
    except Exception as error:
        first = (str(error).strip().splitlines() or [""])[0]
        facts.error = f"{type(error).__name__}: {first[:200]}"
    return facts


def _ago(then: datetime, now: datetime) -> str:
    seconds = int((now - then).total_seconds())
    if seconds < 0:
        return "ahead of now"
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def render(facts: Facts, now: datetime) -> str:
    lines = [f"Runlift {facts.version}", f"database: {facts.database}"]
    if facts.error:
        lines.append(f"database: NOT ANSWERING — {facts.error}")
    elif facts.schema is None:
        lines.append(f"schema: none yet (the first `runlift run` creates it; newest is {facts.newest})")
    else:
        state = (
            "up to date"
            if facts.schema == facts.newest
            else f"behind {facts.newest}: migrates at the next start"
        )
        lines.append(f"schema: {facts.schema} ({state})")
    if facts.counts is not None:
        c = facts.counts
        lines.append(
            f"runners: {c.runners}, groups: {c.groups}, sets logged: {c.sets}, nudges due in the next hour: {c.due_next_hour}"
        )
    p = facts.last_pass
    if p is not None:
        lines.append(
            f"last nudge pass: {p.at.isoformat(timespec='minutes')} ({_ago(p.at, now)}): {p.candidates} due,"
            f" {p.queued} queued, {p.missed} missed while no pass ran, {p.duration_ms} ms"
        )
    elif not facts.error and facts.schema is not None:
        lines.append("last nudge pass: none recorded yet")
    o = facts.outbox
    if o is not None:
        waiting = ", ".join(f"{platform} {n}" for platform, n in sorted(o.queued.items()))
        lines.append(
            f"outbox: {sum(o.queued.values())} queued{f' ({waiting})' if waiting else ''}, {o.retrying} to retry;"
            f" last 24 h: {o.sent} sent ({o.late} late), {o.dropped} dropped (window closed),"
            f" {o.skipped} skipped (already trained), {o.unreachable} unreachable"
        )
    adapters: list[str] = []
    for platform in facts.configured:
        live = facts.connected.get(platform)
        adapters.append(f"{platform} ({live})" if live else platform)
    lines.append(
        "adapters configured: "
        + (", ".join(adapters) if adapters else "none (`runlift run` opens the console chat; set a token)")
    )
    if facts.ha:
        lines.append(f"high availability (RUNLIFT_HA=on): {facts.ha}")
    lines.append(f"operators: {facts.operators}; http: {facts.http}; backups: {facts.backups}")
    return "\n".join(lines)
