"""The core's front door: one incoming message in, replies out, inside one unit of work."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from core import texts
from core.commands.calendar_feed import calendar_notice
from core.commands.context import Context, CoreConfig, UserError
from core.commands.groups import unannounced_rewards
from core.commands.spec import Command
from core.commands.table import BY_NAME, HIDDEN
from core.ledger.keeper import Keeper
from core.ledger.model import Book, Merge
from core.ledger.restore import restore
from core.messages import REPLY_LEASE, Incoming, Reply
from core.nudges.passes import refresh_next_nudge
from core.parsing.commands import nearest_command, split_command
from core.parsing.errors import ParseError
from core.parsing.text import UNREADABLE, clean_id, clean_name, clean_text
from core.ports import KeptReply, Store, UnitOfWork
from core.training.model import Runner
from core.training.profile import Profile
from core.weeks import local_day

log = logging.getLogger(__name__)
ATTEMPTS = 4


def clean(incoming: Incoming) -> Incoming | Reply:
    """The message as it can be stored, or the one short answer when it cannot be."""
    text = clean_text(incoming.text)
    user_id, chat_id = clean_id(incoming.user_id), clean_id(incoming.chat_id)
    if isinstance(text, ParseError):
        return Reply(text.message)
    if user_id is None or chat_id is None:
        return Reply(UNREADABLE)
    name = clean_name(incoming.user_name, user_id)
    title = clean_name(incoming.chat_title, chat_id)
    if (text, name, title) == (incoming.text, incoming.user_name, incoming.chat_title):
        return incoming
    return replace(incoming, text=text, user_name=name, chat_title=title)


class Runlift:
    """Handles one message at a time; safe to call from several threads (one unit of work each)."""

    def __init__(self, store: Store, config: CoreConfig | None = None) -> None:
        self.store = store
        self.config = config or CoreConfig()

    def handle(self, incoming: Incoming, now: datetime | None = None) -> list[Reply]:
        """The answer to one message. ``now`` (the caller's clock) dates a kept answer's lease."""
        cleaned = clean(incoming)
        if isinstance(cleaned, Reply):
            return [cleaned] if split_command(incoming.text.replace("\x00", "")) is not None else []
        incoming = cleaned
        parsed = split_command(incoming.text)
        if parsed is None:
            return []
        name, args = parsed
        command = BY_NAME.get(name) or self._hidden(name, incoming)
        if command is None:
            return [Reply(texts.unknown_command(name, nearest_command(name, BY_NAME)))]
        if command.private_only and incoming.is_group:
            return [Reply(f"{texts.PERSONAL_IN_GROUP} e.g. /{command.name}", personal=True)]
        if incoming.at.utcoffset():
            # Stored instants are UTC (SQLite keeps no offset); local dates come from the runner's zone.
            incoming = replace(incoming, at=incoming.at.astimezone(UTC))
        try:
            return self._run_retrying(incoming, command, args, now)
        except UserError as error:
            answer = [Reply(error.message)]
        except Exception:
            log.exception("command /%s failed", name)
            answer = [Reply(texts.APOLOGY)]
        # Answered, with nothing written: the event is handled all the same (a redelivery is not run again).
        return answer if self._settle(incoming, answer, now) else []

    @staticmethod
    def _keep(uow: UnitOfWork, incoming: Incoming, replies: list[Reply], now: datetime | None) -> None:
        """With the command, its answer until the adapter says it went out (``Incoming.keep_reply``)."""
        if not (incoming.keep_reply and incoming.event_id and replies):
            return
        at = now or incoming.at
        kept = KeptReply(
            incoming.event_id,
            incoming.platform,
            incoming.chat_id,
            incoming.is_group,
            incoming.user_id,
            tuple(replies),
            at,
        )
        uow.replies.keep(kept, at + REPLY_LEASE)

    def _settle(self, incoming: Incoming, answer: list[Reply], now: datetime | None) -> bool:
        """Claim the event in a unit of its own; false when it was handled before (answer nothing)."""
        if not incoming.event_id:
            return True
        try:
            with self.store.unit() as uow:
                fresh = uow.events.claim(incoming.event_id, incoming.at)
                if fresh:
                    self._keep(uow, incoming, answer, now)
                uow.commit()
                return fresh
        except Exception:
            log.exception("event %s could not be recorded", incoming.event_id)
            return True

    def _run_retrying(
        self, incoming: Incoming, command: Command, args: str, now: datetime | None = None
    ) -> list[Reply]:
        """A conflict with a concurrent command (another process, another thread) runs it again."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._run(incoming, command, args, now)
            except UserError:
                raise
            except Exception as error:
                if attempt == ATTEMPTS or not self.store.retryable(error):
                    raise
                log.info("/%s met a concurrent change (attempt %d): running it again", command.name, attempt)
        raise AssertionError("unreachable")

    def _hidden(self, name: str, incoming: Incoming) -> Command | None:
        """A hidden command, for an operator in a direct message; for anyone else it does not exist."""
        command = HIDDEN.get(name)
        if command is None or incoming.is_group:
            return None
        return command if self.config.is_operator(incoming.platform, incoming.user_id) else None

    @staticmethod
    def _merged(
        uow: UnitOfWork, merge: Merge, runner: Runner, stored: Book | None, incoming: Incoming
    ) -> tuple[Runner, Book | None]:
        """An account merged into another runner speaks for that runner; where they wrote is kept."""
        if merge.last != incoming.platform:
            uow.merges.set_route(merge.id, last=incoming.platform)
        if merge.other_id != runner.id:
            return runner, stored
        kept = uow.runners.get(merge.runner_id)
        if kept is None:
            return runner, stored
        uow.locks.hold(f"runner:{kept[0].platform}:{kept[0].user_id}")
        return kept

    def _run(
        self, incoming: Incoming, command: Command, args: str, now: datetime | None = None
    ) -> list[Reply]:
        with self.store.unit() as uow:
            # One command of a runner at a time: set numbers, PRs and weeks are computed in turn.
            # With an event, its claim holds the lock in the same step (one round trip, not two).
            lock = f"runner:{incoming.platform}:{incoming.user_id}"
            if not incoming.event_id:
                uow.locks.hold(lock)
            elif not uow.events.claim(incoming.event_id, incoming.at, lock):
                log.info("duplicate event %s ignored", incoming.event_id)
                return []
            if incoming.is_group:  # every group command reads the chat's group: in the same step
                found, loaded = uow.groups.asker_and_group(
                    incoming.platform, incoming.user_id, incoming.chat_id
                )
            else:
                found, loaded = uow.runners.find(incoming.platform, incoming.user_id), None
            if found is None:
                tz = self.config.default_tz
                runner = uow.runners.add(
                    Runner(
                        0,
                        incoming.platform,
                        incoming.user_id,
                        incoming.user_name or incoming.user_id,
                        Profile(tz=tz),
                        created_at=incoming.at,
                        created_on=local_day(incoming.at, tz),
                    )
                )
                book, schedule_moves = Book(), True
            else:
                runner, stored = found
                merge = uow.merges.of(runner.id) if runner.merged else None
                if merge is not None:
                    runner, stored = self._merged(uow, merge, runner, stored, incoming)
                book = stored if stored is not None else restore(uow, runner, incoming.at)
                schedule_moves = runner.unreachable or command.moves_schedule
                if runner.unreachable:  # they wrote again: reachable until a send fails
                    uow.runners.set_unreachable(incoming.platform, incoming.user_id, False)
                    runner.unreachable = False
            keeper = Keeper(uow, runner, book, incoming.at)
            ctx = Context(uow, incoming, runner, book, keeper, command.name, args, self.config)
            if incoming.is_group:
                ctx.read_here(loaded)
            ctx.notices += keeper.settle(private=not incoming.is_group)
            if not incoming.is_group and (notice := calendar_notice(ctx)):
                ctx.notices.append(notice)
            here = ctx.here()
            if here is not None and ctx.group_news:
                ctx.notices += unannounced_rewards(ctx, here[0])
            replies = command.handler(ctx)
            if schedule_moves and not ctx.forgotten:
                refresh_next_nudge(uow, runner.id, incoming.at)
            if ctx.notices:
                first = replies[0] if replies else Reply("")
                text = "\n".join([*ctx.notices, first.text]).strip()
                replies = [replace(first, text=text), *replies[1:]]
            self._keep(uow, incoming, replies, now)
            uow.commit()
        return replies
