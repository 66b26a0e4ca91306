"""The delivery outbox: nudges and recaps a pass decided, waiting in the store for a sender.

A pass only adds entries; senders lease a batch, deliver it at their platform's pace and
settle each entry. The store keeps every entry after it is settled, so it is also the record
of what went out: the unique (recipient, kind, local date) makes a second pass's claim lose.
An entry is delivered only before ``expires_at`` (the end of its late window, or the start
of the recipient's quiet hours); after that it is dropped and counted, never sent late. A
lease that runs out (a sender that died) puts the entry back in the queue for any sender.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from core.messages import ChatAddress, DeliveryError, Outgoing, RecipientUnreachable, Reply
from core.nudges.schedule import LIFT, RECAP, NudgeClaim, lift_text

if TYPE_CHECKING:
    from core.ports import UnitOfWork

log = logging.getLogger(__name__)

QUEUED = "queued"
SENT = "sent"
DROPPED = "dropped"
SKIPPED = "skipped"
UNREACHABLE = "unreachable"

LEASE = timedelta(minutes=2)
RETRY_AFTER = timedelta(minutes=5)
BATCH = 50

Outcome = Literal["sent", "retry", "released", "unreachable"]
Deliver = Callable[[Outgoing], None]


@dataclass(frozen=True)
class OutboxEntry:
    """One message the bot starts, as the outbox holds it (``id`` 0 until it is stored)."""

    claim: NudgeClaim
    address: ChatAddress
    title: str
    text: str
    runner_id: int | None
    due_at: datetime
    expires_at: datetime
    id: int = 0
    attempts: int = 0

    def outgoing(self) -> Outgoing:
        return Outgoing(
            self.address,
            Reply(self.text, title=self.title),
            kind=self.claim.kind,
            recipient_id=self.runner_id,
            meta={"recipient": self.claim.recipient, "local_date": self.claim.local_date.isoformat()},
        )


@dataclass
class Batch:
    """What one lease gave a sender: entries to deliver, and how many were settled on the way."""

    entries: list[OutboxEntry] = field(default_factory=list)
    dropped: int = 0
    skipped: int = 0


@dataclass
class Settled:
    """How many entries came to each end (a sender keeps the running totals)."""

    sent: int = 0
    retried: int = 0
    released: int = 0
    unreachable: int = 0
    dropped: int = 0
    skipped: int = 0

    def add(self, other: Settled) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.released += other.released
        self.unreachable += other.unreachable
        self.dropped += other.dropped
        self.skipped += other.skipped


def take(
    uow: UnitOfWork, platform: str | None, now: datetime, limit: int = BATCH, lease: timedelta = LEASE
) -> Batch:
    """Lease up to ``limit`` entries due by ``now``; a nudge for a day the runner has since
    trained on is settled as skipped (it would only nag), one past its window as dropped."""
    leased, dropped = uow.outbox.lease(platform, now, limit, now + lease)
    for entry in dropped:
        log.info(
            "%s for %s dropped: its window closed before it could go out",
            entry.claim.kind,
            entry.claim.recipient,
        )
    personal = [e for e in leased if e.runner_id is not None and e.claim.kind != RECAP]
    skipped: list[OutboxEntry] = []
    if personal:
        days = [e.claim.local_date for e in personal]
        done = uow.ledger.done_days(
            sorted({e.runner_id for e in personal if e.runner_id}), min(days), max(days)
        )
        skipped = [e for e in personal if e.claim.local_date in done.get(e.runner_id or 0, set())]
    gone = {e.id for e in skipped}
    kept, gone_runners = _worded(uow, [e for e in leased if e.id not in gone])
    skipped += gone_runners
    if skipped:
        uow.outbox.finish([e.id for e in skipped], SKIPPED, now)
    return Batch(kept, len(dropped), len(skipped))


def _worded(uow: UnitOfWork, entries: list[OutboxEntry]) -> tuple[list[OutboxEntry], list[OutboxEntry]]:
    """Word the lift-day nudges claimed by the set (stored without words) with the function the pass
    words the others with, from the runner as they are now; one whose runner is gone is not sent."""
    bare = {e.runner_id for e in entries if not e.text and e.runner_id is not None and e.claim.kind == LIFT}
    if not bare:
        return entries, []
    runners = {r.id: r for r in uow.nudges.runners(sorted(i for i in bare if i is not None))}
    kept: list[OutboxEntry] = []
    gone: list[OutboxEntry] = []
    for entry in entries:
        if entry.text or entry.runner_id not in bare:
            kept.append(entry)
        elif (runner := runners.get(entry.runner_id or 0)) is not None:
            kept.append(replace(entry, text=lift_text(runner, entry.claim.local_date)))
        else:
            gone.append(entry)
    return kept, gone


def settle(uow: UnitOfWork, now: datetime, outcomes: Sequence[tuple[OutboxEntry, Outcome]]) -> Settled:
    """Record what each delivery came to. A failure that may pass is queued again in a few
    minutes (or dropped if that is past its window); one never tried (the sender was stopping)
    is due again at once; a runner who shut the bot out is not nudged again until they write."""
    counts = Settled()
    sent = [e.id for e, o in outcomes if o == "sent"]
    gone = [e for e, o in outcomes if o == "unreachable"]
    released = [e.id for e, o in outcomes if o == "released"]
    retry: dict[int, datetime] = {}
    late: list[int] = []
    for entry, outcome in outcomes:
        if outcome != "retry":
            continue
        again = now + RETRY_AFTER
        if again < entry.expires_at:
            retry[entry.id] = again
        else:
            late.append(entry.id)
    if sent:
        uow.outbox.finish(sent, SENT, now)
    if gone:
        uow.outbox.finish([e.id for e in gone], UNREACHABLE, now)
        uow.nudges.mark_unreachable(
            sorted({e.runner_id for e in gone if e.runner_id and e.claim.kind != RECAP})
        )
    if late:
        uow.outbox.finish(late, DROPPED, now)
    if retry:
        uow.outbox.retry(retry)
    if released:
        uow.outbox.release(released)
    counts.sent, counts.unreachable, counts.dropped = len(sent), len(gone), len(late)
    counts.retried, counts.released = len(retry), len(released)
    return counts


def attempt(entry: OutboxEntry, deliver: Deliver) -> Outcome:
    """Deliver one entry with a blocking ``deliver``; one bad chat never stops the rest."""
    try:
        deliver(entry.outgoing())
    except RecipientUnreachable:
        log.info("%s is unreachable: %s not sent", entry.claim.recipient, entry.claim.kind)
        return "unreachable"
    except Exception as exc:
        error = exc if isinstance(exc, DeliveryError) else DeliveryError(str(exc))
        log.warning("%s for %s failed, will retry: %s", entry.claim.kind, entry.claim.recipient, error)
        return "retry"
    return "sent"


def outcome_of(error: BaseException | None) -> Outcome:
    """A delivery's outcome from the error it raised (``None``: delivered)."""
    if error is None:
        return "sent"
    if isinstance(error, RecipientUnreachable):
        return "unreachable"
    return "retry"
