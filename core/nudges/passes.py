"""One scheduler pass: decide and claim what is due (one unit of work), deliver, then settle the failures.

Only :func:`settle` writes what a delivery failure means (retry later, unreachable,
released): delivery itself records nothing, so one blocked DM is written once.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from core.ledger.recap import group_recap
from core.messages import ChatAddress, DeliveryError, Outgoing, RecipientUnreachable, Reply
from core.nudges.rules import RULES, NudgeRules
from core.nudges.schedule import (
    RECAP,
    Nudge,
    NudgeClaim,
    NudgeHistory,
    due_nudges,
    next_due,
    recap_possible,
    recap_zones,
    recipient_of,
)
from core.ports import Store, UnitOfWork
from core.training.model import Runner
from core.weeks import week_start

log = logging.getLogger(__name__)

Deliver = Callable[[Outgoing], None]
Result = Literal["sent", "retry", "released", "unreachable"]

CHUNK = 500
RETRY_AFTER = timedelta(minutes=5)
BROKEN_RETRY = timedelta(hours=1)
KEEP_SENT = timedelta(days=9)
# Platforms redeliver an update for a day at most; handled-event ids are kept a little longer.
KEEP_EVENTS = timedelta(days=3)


@dataclass(frozen=True)
class Planned:
    """A nudge decided and claimed: recorded as sent before it is delivered."""

    claim: NudgeClaim
    outgoing: Outgoing


@dataclass
class PassReport:
    """What one pass did; ``sent`` holds the nudges delivered, in order."""

    candidates: int = 0
    claimed: int = 0
    retried: int = 0
    unreachable: int = 0
    sent: list[Outgoing] = field(default_factory=list)


def _history(claims: Sequence[NudgeClaim], done: set[date]) -> NudgeHistory:
    return NudgeHistory(
        sent=frozenset((c.kind, c.local_date) for c in claims),
        sent_per_day=Counter(c.local_date for c in claims),
        done=frozenset(done),
    )


def _outgoing(runner: Runner, nudge: Nudge) -> Outgoing:
    return Outgoing(
        ChatAddress(runner.platform, runner.user_id, False),
        Reply(nudge.text),
        kind=nudge.kind,
        recipient_id=runner.id,
        meta={
            "recipient": recipient_of(runner.id),
            "local_date": nudge.local_date.isoformat(),
            "due_at": nudge.at.isoformat(),
        },
    )


def refresh_next_nudge(uow: UnitOfWork, runner_id: int, now: datetime, rules: NudgeRules = RULES) -> None:
    """Recompute a runner's next nudge moment after their profile, pause or reachability changed.

    Slots from the last late window stay candidates: the pass skips those already sent.
    """
    runners = uow.nudges.runners([runner_id])
    if not runners:
        return
    runner = runners[0]
    floor = max(now.astimezone(UTC) - rules.late_window, runner.created_at or now)
    uow.nudges.set_next({runner_id: next_due(runner, floor - timedelta(microseconds=1), rules)})


def _decide_runners(uow: UnitOfWork, ids: Sequence[int], now: datetime, rules: NudgeRules) -> list[Planned]:
    runners = uow.nudges.runners(ids)
    # Every local date within the late window lies within two days of the UTC date.
    first, last = now.date() - timedelta(days=2), now.date() + timedelta(days=2)
    sent: dict[str, list[NudgeClaim]] = defaultdict(list)
    for claim in uow.nudges.sent([recipient_of(r.id) for r in runners], first, last):
        sent[claim.recipient].append(claim)
    done = uow.ledger.done_days([r.id for r in runners], week_start(first), last + timedelta(days=6))
    planned: list[Planned] = []
    next_at: dict[int, datetime | None] = {}
    for runner in runners:
        try:
            history = _history(sent[recipient_of(runner.id)], done.get(runner.id, set()))
            nudges = due_nudges(runner, now, history, rules)
            next_at[runner.id] = next_due(runner, now, rules)
        except Exception:
            log.exception("deciding nudges for runner %s failed", runner.id)
            next_at[runner.id] = now + BROKEN_RETRY
            continue
        planned += [Planned(n.claim(), _outgoing(runner, n)) for n in nudges]
    claimed = set(uow.nudges.claim([p.claim for p in planned], now))
    uow.nudges.set_next(next_at)
    return [p for p in planned if p.claim in claimed]


def _decide_recaps(uow: UnitOfWork, now: datetime, rules: NudgeRules) -> list[Planned]:
    if not recap_possible(now, rules):
        return []
    zones = recap_zones(now, uow.groups.zones(), rules)
    groups = uow.groups.in_zones(sorted(zones)) if zones else []
    if not groups:
        return []
    days = set(zones.values())
    taken = {
        (c.recipient, c.local_date)
        for c in uow.nudges.sent([f"group:{g.id}" for g in groups], min(days), max(days))
        if c.kind == RECAP
    }
    planned: list[Planned] = []
    for group in groups:
        claim = NudgeClaim(f"group:{group.id}", RECAP, zones[group.tz])
        if (claim.recipient, claim.local_date) in taken or not uow.groups.members(group.id):
            continue
        try:
            reply = group_recap(uow, group, week_start(claim.local_date), now)
        except Exception:
            log.exception("weekly recap for group %s failed", group.id)
            continue
        address = ChatAddress(group.platform, group.chat_id, True)
        planned.append(Planned(claim, Outgoing(address, reply, kind=RECAP, recipient_id=group.id)))
    claimed = set(uow.nudges.claim([p.claim for p in planned], now))
    return [p for p in planned if p.claim in claimed]


def decide(
    store: Store, now: datetime, *, dry_run: bool = False, rules: NudgeRules = RULES, chunk: int = CHUNK
) -> tuple[int, list[Planned]]:
    """Claim every nudge due at ``now``: the number of candidates, and what to deliver.

    A nudge is claimed (recorded as sent) in the transaction that decides it, so
    another pass — a restart, a second process — finds it taken. ``dry_run`` claims
    nothing for good.
    """
    now = now.astimezone(UTC)
    with store.unit() as uow:
        ids = uow.nudges.candidates(now)
    planned: list[Planned] = []
    for i in range(0, len(ids), chunk):
        with store.unit() as uow:
            planned += _decide_runners(uow, ids[i : i + chunk], now, rules)
            if not dry_run:
                uow.commit()
    with store.unit() as uow:
        planned += _decide_recaps(uow, now, rules)
        if not dry_run:
            uow.commit()
    return len(ids), planned


def settle(store: Store, now: datetime, results: Sequence[tuple[Planned, Result]]) -> None:
    """Record what the deliveries came to: a failure that may pass is released for a retry in a
    few minutes; one never tried (the bot was stopping) is released for the very next pass; a
    recipient who shut the bot out is marked unreachable (a group keeps its claim)."""
    retry = [p for p, r in results if r in ("retry", "released")]
    gone = [p for p, r in results if r == "unreachable"]
    if not retry and not gone:
        return
    soon = {id(p): now if r == "released" else now + RETRY_AFTER for p, r in results}
    with store.unit() as uow:
        uow.nudges.release([p.claim for p in retry] + [p.claim for p in gone if p.outgoing.kind != RECAP])
        for p in retry:
            if p.outgoing.kind != RECAP and p.outgoing.recipient_id is not None:
                uow.nudges.retry_by(p.outgoing.recipient_id, soon[id(p)])
        for p in gone:
            if p.outgoing.kind != RECAP and p.outgoing.recipient_id is not None:
                uow.nudges.mark_unreachable(p.outgoing.recipient_id)
        uow.commit()


def prune(store: Store, now: datetime) -> None:
    """Once an hour: forget nudges and handled events older than anything a pass still needs."""
    if now.minute != 0:
        return
    with store.unit() as uow:
        uow.nudges.prune((now - KEEP_SENT).date())
        uow.inbox.prune(now - KEEP_EVENTS)
        uow.events.prune(now - KEEP_EVENTS)
        uow.commit()


def classify(error: BaseException | None) -> Result:
    """A delivery's outcome from the error it raised (``None``: delivered)."""
    if error is None:
        return "sent"
    if isinstance(error, RecipientUnreachable):
        return "unreachable"
    return "retry"


def report_of(candidates: int, results: Sequence[tuple[Planned, Result]]) -> PassReport:
    report = PassReport(candidates=candidates, claimed=len(results))
    for planned, result in results:
        if result == "sent":
            report.sent.append(planned.outgoing)
        elif result in ("retry", "released"):
            report.retried += 1
        else:
            report.unreachable += 1
    return report


def run_nudge_pass(
    store: Store,
    now: datetime,
    deliver: Deliver,
    *,
    dry_run: bool = False,
    rules: NudgeRules = RULES,
    chunk: int = CHUNK,
) -> PassReport:
    """Decide, deliver one by one with ``deliver``, settle: the pass as `runlift nudges` runs it."""
    candidates, planned = decide(store, now, dry_run=dry_run, rules=rules, chunk=chunk)
    results: list[tuple[Planned, Result]] = []
    for item in planned:
        error: BaseException | None = None
        try:
            deliver(item.outgoing)
        except RecipientUnreachable as exc:
            log.info("%s is unreachable: %s not sent", item.claim.recipient, item.claim.kind)
            error = exc
        except Exception as exc:  # one bad chat never stops the pass
            log.warning("%s for %s failed, will retry: %s", item.claim.kind, item.claim.recipient, exc)
            error = exc if isinstance(exc, DeliveryError) else DeliveryError(str(exc))
        results.append((item, classify(error)))
    if not dry_run:
        settle(store, now, results)
        prune(store, now)
    return report_of(candidates, results)
