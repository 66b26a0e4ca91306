"""Senders: one task per adapter drains its platform's part of the outbox at the platform's pace.

A sender leases a batch (a short unit of work on the database thread), delivers it with a
few sends in flight, no faster than the adapter's ``nudge_rate``, and settles the batch. It
wakes when a pass queued something and otherwise looks every few seconds (retries come due,
another instance's lease runs out). Replies to commands share the adapter's pacer: the
sender's rate stays below the platform's limit so that they never queue behind nudges.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from core.messages import ChatAddress, RecipientUnreachable, Reply
from core.nudges import outbox
from core.nudges.outbox import BATCH, Batch, OutboxEntry, Outcome, Settled
from core.ports import KeptReply

if TYPE_CHECKING:
    from core.clock import Clock
    from core.ports import ChatAdapter, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_S = 5.0
IN_FLIGHT = 8
DELIVERY_TIMEOUT_S = 60.0
# Kept answers taken at once: a chat's go out together, so a backlog costs a message or two a chat.
KEPT_BATCH = 500
KEPT_LEASE = timedelta(minutes=2)  # a taken batch is this sender's while it sends it (500 messages at 5/s)
KEPT_REPLY_LIFE = timedelta(hours=1)  # an answer no process could send within the hour is dropped
FORGET_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Round:
    """What one round of a sender came to (``idle``: it found nothing more to send now)."""

    outcomes: tuple[tuple[OutboxEntry, Outcome], ...] = ()
    dropped: int = 0
    skipped: int = 0
    idle: bool = False


OnRound = Callable[[str, Round], None]


JOINED = "\n"  # between the event ids of answers sent together
TOGETHER_MAX = 3500  # characters of plain answers joined into one message (Telegram holds 4,096)


def together(kept: list[KeptReply]) -> list[KeptReply]:
    """A chat's plain answers (no buttons, no files, not personal) joined into one message, in order,
    as the adapter joins replies that waited together: a chat whose answers were lost gets one message."""
    out: list[KeptReply] = []
    for answer in sorted(kept, key=lambda k: (k.platform, k.chat_id, k.is_group)):  # stable: in order
        last = out[-1] if out else None
        if (
            last is not None
            and (last.platform, last.chat_id, last.is_group)
            == (answer.platform, answer.chat_id, answer.is_group)
            and all(_plain(r) for r in (*last.replies, *answer.replies))
            and sum(len(r.full_text()) + 2 for r in (*last.replies, *answer.replies)) <= TOGETHER_MAX
        ):
            text = "\n\n".join(r.full_text() for r in (*last.replies, *answer.replies))
            out[-1] = replace(last, event_id=last.event_id + JOINED + answer.event_id, replies=(Reply(text),))
            continue
        out.append(answer)
    return out


def by_turns(messages: list[KeptReply]) -> list[KeptReply]:
    """Each chat's first message, then each chat's second, …: a chat's own order is kept, and no chat
    waits out its per-chat pace while others could be sent to."""
    chats: dict[tuple[str, str, bool], list[KeptReply]] = {}
    for message in messages:
        chats.setdefault((message.platform, message.chat_id, message.is_group), []).append(message)
    turns: list[KeptReply] = []
    for turn in range(max((len(m) for m in chats.values()), default=0)):
        turns += [m[turn] for m in chats.values() if turn < len(m)]
    return turns


def _plain(reply: Reply) -> bool:
    return not reply.buttons and not reply.attachments and not reply.personal


class InDb(Protocol):
    """Runs blocking store work off the event loop (``App.in_db``)."""

    def __call__(self, work: Callable[[], T]) -> Awaitable[T]: ...


class Sender:
    def __init__(
        self,
        adapter: ChatAdapter,
        store: Store,
        clock: Clock,
        in_db: InDb,
        *,
        batch: int = BATCH,
        poll: float = POLL_S,
        on_round: OnRound | None = None,
    ) -> None:
        self.adapter = adapter
        self.store = store
        self.clock = clock
        self.in_db = in_db
        self.batch = batch
        self.poll = poll
        self.on_round = on_round
        self.rate = adapter.nudge_rate
        self.totals = Settled()
        self._wake = asyncio.Event()
        self._asked = 0  # wake-ups so far; ``_quiet``: the last one a round found nothing after
        self._quiet = -1
        self._quiet_changed = asyncio.Condition()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_send = 0.0
        self._forgot: datetime | None = None

    def start(self) -> Sender:
        self._task = asyncio.create_task(self._run(), name=f"sender-{self.adapter.platform}")
        return self

    def wake(self) -> None:
        self._asked += 1
        self._wake.set()

    async def idle(self) -> None:
        """Wake the sender and wait until a round begun after that found nothing more to send now."""
        self.wake()
        wanted = self._asked
        async with self._quiet_changed:
            await self._quiet_changed.wait_for(lambda: self._quiet >= wanted)

    def halt(self) -> None:
        """Leadership lost: sends in flight are cancelled now (their leases pass to the new leader, which
        ends them when it takes over); ``stop()`` follows."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            self._task.cancel()

    async def stop(self, timeout: float = 2.0) -> None:
        """Finish the sends in flight; entries leased but not tried go back to the queue at once.

        Sends still hanging after ``timeout`` are cancelled: their lease runs out and any
        sender offers them again (still only within their window)."""
        self._stopping.set()
        self._wake.set()
        task = self._task
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=timeout)
        if not done:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        busy = False
        while not self._stopping.is_set():
            asked = self._asked
            self._wake.clear()
            try:
                worked = await self._round()
            except Exception:
                log.exception("%s sender: a round failed; trying again shortly", self.adapter.platform)
                worked = False
            if worked:
                busy = True
                continue
            if busy and self.on_round is not None:
                self.on_round(self.adapter.platform, Round(idle=True))
            busy = False
            async with self._quiet_changed:
                self._quiet = asked
                self._quiet_changed.notify_all()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
        async with self._quiet_changed:
            self._quiet = self._asked  # stopped: nobody waits for it any longer
            self._quiet_changed.notify_all()

    async def _round(self) -> bool:
        resent = await self._resend_kept()
        now = self.clock.now()
        taken = await self.in_db(lambda: self._take(now))
        self.totals.dropped += taken.dropped
        self.totals.skipped += taken.skipped
        outcomes: list[tuple[OutboxEntry, Outcome]] = []
        if taken.entries:
            outcomes = await self._deliver_all(taken.entries)
            settled = await self.in_db(lambda: self._settle(self.clock.now(), outcomes))
            self.totals.add(settled)
        worked = bool(taken.entries or taken.dropped or taken.skipped or resent)
        if worked and self.on_round is not None:
            self.on_round(self.adapter.platform, Round(tuple(outcomes), taken.dropped, taken.skipped))
        return worked

    async def _resend_kept(self) -> bool:
        """Answers a process committed but did not live to send (their lease ran out): sent now, a
        chat's plain ones together, a personal one from a group to the runner's direct messages. One
        that fails stays kept (tried again when this lease runs out); one not tried before a stop is
        due again at once."""
        now = self.clock.now()
        kept = await self.in_db(lambda: self._take_kept(now))
        if not kept:
            return False
        sent: list[str] = []
        tried: list[str] = []
        for answer in by_turns(together(kept)):
            if self._stopping.is_set():
                break
            tried.extend(answer.event_id.split(JOINED))
            try:
                for reply in answer.replies:
                    if self._stopping.is_set():
                        raise asyncio.CancelledError
                    to_runner = answer.is_group and reply.personal
                    address = ChatAddress(
                        answer.platform,
                        answer.user_id if to_runner else answer.chat_id,
                        answer.is_group and not to_runner,
                    )
                    try:
                        await asyncio.wait_for(self.adapter.send(address, reply), DELIVERY_TIMEOUT_S)
                    except RecipientUnreachable:
                        continue
            except asyncio.CancelledError:
                break
            except Exception as exc:
                log.info(
                    "%s: a kept answer to %s was not delivered: %s",
                    self.adapter.platform,
                    answer.chat_id,
                    exc,
                )
                continue
            sent.extend(answer.event_id.split(JOINED))
        untried = sorted({k.event_id for k in kept} - set(tried))
        await self.in_db(lambda: self._forget_kept(sent, untried))
        log.info(
            "%s: %d answers left unsent by a process that ended were sent", self.adapter.platform, len(sent)
        )
        return True

    def _take_kept(self, now: datetime) -> list[KeptReply]:
        """Writes only when there is something to take (or, every few minutes, to forget)."""
        with self.store.unit() as uow:
            if self._forgot is None or now - self._forgot >= FORGET_EVERY:
                uow.replies.forget_before(now - KEPT_REPLY_LIFE)
                self._forgot = now
            kept = uow.replies.take_due(self.adapter.platform, now, now + KEPT_LEASE, KEPT_BATCH)
            uow.commit()
        return kept

    def _forget_kept(self, sent: list[str], untried: list[str]) -> None:
        if not (sent or untried):
            return
        with self.store.unit() as uow:
            uow.replies.done(sent)
            uow.replies.release(untried, self.clock.now())
            uow.commit()

    def _take(self, now: datetime) -> Batch:
        with self.store.unit() as uow:
            taken = outbox.take(uow, self.adapter.platform, now, self.batch)
            uow.commit()
        return taken

    def _settle(self, now: datetime, outcomes: list[tuple[OutboxEntry, Outcome]]) -> Settled:
        with self.store.unit() as uow:
            settled = outbox.settle(uow, now, outcomes)
            uow.commit()
        return settled

    async def _deliver_all(self, entries: list[OutboxEntry]) -> list[tuple[OutboxEntry, Outcome]]:
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def one(entry: OutboxEntry) -> tuple[OutboxEntry, Outcome]:
            async with gate:
                if self._stopping.is_set():
                    return entry, "released"
                await self._pace()
                if self._stopping.is_set():
                    return entry, "released"
                return entry, await self._deliver(entry)

        return list(await asyncio.gather(*(one(e) for e in entries)))

    async def _pace(self) -> None:
        if not self.rate:
            return
        now = time.monotonic()
        at = max(now, self._next_send)
        self._next_send = at + 1.0 / self.rate
        if at > now:
            await asyncio.sleep(at - now)

    async def _deliver(self, entry: OutboxEntry) -> Outcome:
        error: BaseException | None = None
        try:
            await asyncio.wait_for(
                self.adapter.send(entry.address, entry.outgoing().reply), DELIVERY_TIMEOUT_S
            )
        except Exception as exc:
            log.info("%s for %s not delivered: %s", entry.claim.kind, entry.claim.recipient, exc)
            error = exc
        return outbox.outcome_of(error)
