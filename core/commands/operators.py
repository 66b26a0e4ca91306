"""Commands for the people who run the bot (``RUNLIFT_OPERATORS``); the service lets only them in."""

from __future__ import annotations

import logging

from core.commands.context import Context
from core.messages import Reply

log = logging.getLogger(__name__)

NO_REPORT = "No status report is wired into this process."


def admin(ctx: Context) -> list[Reply]:
    """``/admin status``: the facts `runlift status` prints, from the running bot."""
    if ctx.args.strip().lower() != "status":
        return [Reply("Operator commands: /admin status", personal=True)]
    report = ctx.config.status_report
    try:
        text = report() if report is not None else NO_REPORT
    except Exception as error:  # the report reads the database and the adapters: say what failed
        log.exception("the status report failed")
        text = f"The status report failed: {type(error).__name__}"
    return [Reply(text, title="Runlift status", personal=True)]
