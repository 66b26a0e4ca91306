"""`runlift nudges --at ISO8601 [--dry-run]`: one scheduler pass where printing is the delivery."""

from __future__ import annotations

import logging
import sys
import time
from datetime import datetime
from typing import TextIO

from bot.app import build
from bot.operations import passes as pass_figures
from bot.settings import Settings
from core.clock import FixedClock
from core.messages import Outgoing
from core.nudges.passes import PassReport, run_nudge_pass


def render(outgoing: Outgoing) -> str:
    """``[PLATFORM:CHAT] TEXT``, further lines indented by two spaces; buttons as their commands."""
    reply = outgoing.reply
    lines = reply.full_text().splitlines() or [""]
    for row in reply.buttons:
        lines.append("   ".join(f"[{b.label}] {b.command}" for b in row))
    for attachment in reply.attachments:
        lines.append(f"{attachment.kind}: {attachment.filename}")
    address = outgoing.address
    head = f"[{address.platform}:{address.chat_id}] {lines[0]}"
    return "\n".join([head, *("  " + line for line in lines[1:])])


def run_pass(settings: Settings, at: datetime, dry_run: bool, out: TextIO | None = None) -> int:
    """Run the pass the scheduler runs, as of ``at``, against ``DATABASE_URL``."""
    stream = out or sys.stdout
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    app = build(settings, FixedClock(at))
    try:

        def deliver(outgoing: Outgoing) -> None:
            stream.write(render(outgoing) + "\n")

        if not dry_run:  # the tick the running bot runs: its calendar feeds are read too
            app.refresh_feeds(at)
        started = time.perf_counter()
        missed = (
            0 if dry_run else pass_figures.missed_since(app.store, pass_figures.previous_pass(app.engine), at)
        )
        report = run_nudge_pass(app.store, at, deliver, dry_run=dry_run)
        stream.flush()
        if not dry_run:
            decided = PassReport(report.candidates, report.queued)
            pass_figures.keep(app.engine, at, decided, time.perf_counter() - started, missed)
    finally:
        app.close()
    return 0
