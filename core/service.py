"""The core's front door: one incoming message in, replies out, inside one unit of work."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC

from core import texts
from core.command_table import BY_NAME
from core.context import Context, CoreConfig, UserError
from core.handlers import HANDLERS
from core.messages import Incoming, Reply
from core.nudge_pass import refresh_next_nudge
from core.ports import Store
from core.profile import Profile

log = logging.getLogger(__name__)

# Commands after which a runner's next nudge moment may move (profile, reminders, pauses).
NUDGE_SETTINGS = frozenset({"setup", "remind", "pause", "resume"})


def split_command(text: str) -> tuple[str, str] | None:
    """``"/log@runliftbot squat 3x8"`` → ``("log", "squat 3x8")``; ``None`` for plain chat."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    if "\n" in head:
        head, _, more = head.partition("\n")
        rest = more + (" " + rest if rest else "")
    name = head.split("@", 1)[0].lower()
    return name, rest.strip()


class Runlift:
    """Handles one message at a time; safe to call from several threads (one unit of work each)."""

    def __init__(self, store: Store, config: CoreConfig | None = None) -> None:
        self.store = store
        self.config = config or CoreConfig()

    def handle(self, incoming: Incoming) -> list[Reply]:
        parsed = split_command(incoming.text)
        if parsed is None:
            return []
        name, args = parsed
        if name not in BY_NAME or name not in HANDLERS:
            return [Reply(texts.unknown_command(name))]
        if incoming.at.utcoffset():
            # Stored instants are UTC (SQLite keeps no offset); local dates come from the runner's zone.
            incoming = replace(incoming, at=incoming.at.astimezone(UTC))
        try:
            return self._run(incoming, name, args)
        except UserError as error:
            return [Reply(error.message)]
        except Exception:
            log.exception("command /%s failed", name)
            return [Reply(texts.APOLOGY)]

    def _run(self, incoming: Incoming, name: str, args: str) -> list[Reply]:
        with self.store.unit() as uow:
            if incoming.event_id and not uow.claim_event(incoming.event_id, incoming.at):
                log.info("duplicate event %s ignored", incoming.event_id)
                return []
            runner = uow.get_runner(incoming.platform, incoming.user_id)
            schedule_changed = runner is None or runner.unreachable or name in NUDGE_SETTINGS
            if runner is None:
                runner = uow.add_runner(
                    incoming.platform,
                    incoming.user_id,
                    incoming.user_name or incoming.user_id,
                    Profile(tz=self.config.default_tz),
                    incoming.at,
                )
            elif runner.unreachable:  # they wrote again: reachable until a send fails
                uow.set_unreachable(incoming.platform, incoming.user_id, False)
            ctx = Context(uow, incoming, runner, name, args, self.config)
            replies = HANDLERS[name](ctx)
            if schedule_changed:
                refresh_next_nudge(uow, runner.id, incoming.at)
            uow.commit()
        if ctx.notices:
            first = replies[0] if replies else Reply("")
            text = "\n".join([*ctx.notices, first.text]).strip()
            replies = [
                Reply(text, first.title, first.buttons, first.attachments, first.personal),
                *replies[1:],
            ]
        return replies
