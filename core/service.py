"""The core's front door: one incoming message in, replies out, inside one unit of work."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC

from core import texts
from core.commands.context import Context, CoreConfig, UserError
from core.commands.groups import unannounced_rewards
from core.commands.spec import Command
from core.commands.table import BY_NAME, HIDDEN
from core.ledger.keeper import Keeper
from core.ledger.model import Book
from core.ledger.restore import restore
from core.messages import Incoming, Reply
from core.nudges.passes import refresh_next_nudge
from core.parsing.commands import nearest_command, split_command
from core.ports import Store
from core.training.model import Runner
from core.training.profile import Profile
from core.weeks import local_day

log = logging.getLogger(__name__)


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
        command = BY_NAME.get(name) or self._hidden(name, incoming)
        if command is None:
            return [Reply(texts.unknown_command(name, nearest_command(name, BY_NAME)))]
        if incoming.at.utcoffset():
            # Stored instants are UTC (SQLite keeps no offset); local dates come from the runner's zone.
            incoming = replace(incoming, at=incoming.at.astimezone(UTC))
        try:
            return self._run(incoming, command, args)
        except UserError as error:
            return [Reply(error.message)]
        except Exception:
            log.exception("command /%s failed", name)
            return [Reply(texts.APOLOGY)]

    def _hidden(self, name: str, incoming: Incoming) -> Command | None:
        """A hidden command, for an operator in a direct message; for anyone else it does not exist."""
        command = HIDDEN.get(name)
        if command is None or incoming.is_group:
            return None
        return command if self.config.is_operator(incoming.platform, incoming.user_id) else None

    def _run(self, incoming: Incoming, command: Command, args: str) -> list[Reply]:
        with self.store.unit() as uow:
            if incoming.event_id and not uow.events.claim(incoming.event_id, incoming.at):
                log.info("duplicate event %s ignored", incoming.event_id)
                return []
            found = uow.runners.find(incoming.platform, incoming.user_id)
            if found is None:
                tz = self.config.default_tz
                runner = uow.runners.add(
                    Runner(
                        0,
                        incoming.platform,
                        incoming.user_id,
                        (incoming.user_name or incoming.user_id)[:200],
                        Profile(tz=tz),
                        created_at=incoming.at,
                        created_on=local_day(incoming.at, tz),
                    )
                )
                book, schedule_moves = Book(), True
            else:
                runner, stored = found
                book = stored if stored is not None else restore(uow, runner, incoming.at)
                schedule_moves = runner.unreachable or command.moves_schedule
                if runner.unreachable:  # they wrote again: reachable until a send fails
                    uow.runners.set_unreachable(incoming.platform, incoming.user_id, False)
                    runner.unreachable = False
            keeper = Keeper(uow, runner, book, incoming.at)
            ctx = Context(uow, incoming, runner, book, keeper, command.name, args, self.config)
            ctx.notices += keeper.settle(private=not incoming.is_group)
            here = ctx.here()
            if here is not None and ctx.group_news:
                ctx.notices += unannounced_rewards(ctx, here[0])
            replies = command.handler(ctx)
            if schedule_moves and not ctx.forgotten:
                refresh_next_nudge(uow, runner.id, incoming.at)
            uow.commit()
        if ctx.notices:
            first = replies[0] if replies else Reply("")
            text = "\n".join([*ctx.notices, first.text]).strip()
            replies = [replace(first, text=text), *replies[1:]]
        return replies
