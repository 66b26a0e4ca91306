"""One scheduler pass: pick due runners, decide and claim in one transaction, deliver, settle failures."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.messages import ChatAddress, Outgoing, RecipientUnreachable, Reply
from core.nudges import (
    RECAP,
    RULES,
    Nudge,
    NudgeClaim,
    NudgeHistory,
    NudgeRules,
    NudgeRunner,
    due_nudges,
    next_due,
    recap_possible,
    recap_zones,
)
from core.placement import week_start
from core.ports import Store, UnitOfWork
from core.recap import render_group_recap

log = logging.getLogger(__name__)

Deliver = Callable[[Outgoing], None]
RenderRecap = Callable[[UnitOfWork, int, date], Reply | None]
Planned = tuple[NudgeClaim, Outgoing]

CHUNK = 500
RETRY_AFTER = timedelta(minutes=5)
BROKEN_RETRY = timedelta(hours=1)
KEEP_SENT = timedelta(days=9)
# Platforms redeliver an update for a day at most; handled-event ids are kept a little longer.
KEEP_EVENTS = timedelta(days=3)


@dataclass
class PassReport:
    """What one pass did; ``sent`` holds the nudges delivered, in order."""

    candidates: int = 0
    claimed: int = 0
    retried: int = 0
    unreachable: int = 0
    sent: list[Outgoing] = field(default_factory=list)


def group_recap(uow: UnitOfWork, group_id: int, monday: date) -> Reply | None:
    """The weekly recap of a group with members; ``None`` for an empty group (nothing to post)."""
    if not uow.members(group_id):
        return None
    return render_group_recap(uow, group_id, monday)


def run_nudge_pass(
    store: Store,
    now: datetime,
    deliver: Deliver,
    *,
    dry_run: bool = False,
    rules: NudgeRules = RULES,
    render_recap: RenderRecap = group_recap,
    chunk: int = CHUNK,
) -> PassReport:
    """Send every nudge due at ``now``, each exactly once; ``dry_run`` delivers but records nothing.

    A nudge is claimed (recorded as sent) in the transaction that decides it, so
    another pass — a restart, a second process — finds it taken. Delivery happens
    after the commit; a transient failure releases the claim for a later pass.
    """
    now = now.astimezone(UTC)
    report = PassReport()
    with store.unit() as uow:
        ids = uow.nudge_candidates(now)
    report.candidates = len(ids)
    for i in range(0, len(ids), chunk):
        planned = _decide_runners(store, ids[i : i + chunk], now, rules, dry_run)
        _deliver(store, planned, now, deliver, dry_run, report)
    _deliver(store, _decide_recaps(store, now, rules, render_recap, dry_run), now, deliver, dry_run, report)
    if not dry_run and now.minute == 0:
        with store.unit() as uow:
            uow.prune_nudges((now - KEEP_SENT).date())
            uow.prune_events(now - KEEP_EVENTS)
            uow.commit()
    return report


def refresh_next_nudge(uow: UnitOfWork, runner_id: int, now: datetime, rules: NudgeRules = RULES) -> None:
    """Recompute a runner's next nudge moment after their profile, pause or log changed.

    Slots from the last late window stay candidates: the pass skips those already sent.
    """
    runners = uow.nudge_runners([runner_id])
    if not runners:
        return
    runner = runners[0]
    floor = max(now.astimezone(UTC) - rules.late_window, runner.created_at)
    uow.set_next_nudges({runner_id: next_due(runner, floor - timedelta(microseconds=1), rules)})


def _history(claims: Sequence[NudgeClaim], done: set[date]) -> NudgeHistory:
    return NudgeHistory(
        sent=frozenset((c.kind, c.local_date) for c in claims),
        sent_per_day=Counter(c.local_date for c in claims),
        done=frozenset(done),
    )


def _outgoing(runner: NudgeRunner, nudge: Nudge) -> Outgoing:
    return Outgoing(
        ChatAddress(runner.platform, runner.user_id, False),
        Reply(nudge.text),
        kind=nudge.kind,
        recipient_id=runner.id,
        meta={"recipient": runner.recipient, "local_date": nudge.local_date.isoformat()},
    )


def _decide_runners(
    store: Store, ids: Sequence[int], now: datetime, rules: NudgeRules, dry_run: bool
) -> list[Planned]:
    with store.unit() as uow:
        runners = uow.nudge_runners(ids)
        # Every local date within the late window lies within two days of the UTC date.
        first, last = now.date() - timedelta(days=2), now.date() + timedelta(days=2)
        sent: dict[str, list[NudgeClaim]] = defaultdict(list)
        for claim in uow.sent_nudges([r.recipient for r in runners], first, last):
            sent[claim.recipient].append(claim)
        done = uow.done_days_of([r.id for r in runners], week_start(first), last + timedelta(days=6))
        planned: list[Planned] = []
        next_at: dict[int, datetime | None] = {}
        for runner in runners:
            try:
                nudges = due_nudges(
                    runner, now, _history(sent[runner.recipient], done.get(runner.id, set())), rules
                )
                next_at[runner.id] = next_due(runner, now, rules)
            except Exception:
                log.exception("deciding nudges for runner %s failed", runner.id)
                next_at[runner.id] = now + BROKEN_RETRY
                continue
            planned += [(n.claim(), _outgoing(runner, n)) for n in nudges]
        claimed = set(uow.claim_nudges([claim for claim, _ in planned], now))
        uow.set_next_nudges(next_at)
        if not dry_run:
            uow.commit()
    return [item for item in planned if item[0] in claimed]


def _decide_recaps(
    store: Store, now: datetime, rules: NudgeRules, render: RenderRecap, dry_run: bool
) -> list[Planned]:
    if not recap_possible(now, rules):
        return []
    with store.unit() as uow:
        zones = recap_zones(now, uow.group_zones(), rules)
        groups = uow.groups_in_zones(sorted(zones)) if zones else []
        if not groups:
            return []
        days = set(zones.values())
        taken = {
            (c.recipient, c.local_date)
            for c in uow.sent_nudges([f"group:{g.id}" for g in groups], min(days), max(days))
            if c.kind == RECAP
        }
        planned: list[Planned] = []
        for group in groups:
            claim = NudgeClaim(f"group:{group.id}", RECAP, zones[group.tz])
            if (claim.recipient, claim.local_date) in taken:
                continue
            try:
                reply = render(uow, group.id, week_start(claim.local_date))
            except Exception:
                log.exception("weekly recap for group %s failed", group.id)
                continue
            if reply is None or not reply.full_text().strip():
                continue
            address = ChatAddress(group.platform, group.chat_id, True)
            planned.append((claim, Outgoing(address, reply, kind=RECAP, recipient_id=group.id)))
        claimed = set(uow.claim_nudges([claim for claim, _ in planned], now))
        if not dry_run:
            uow.commit()
    return [item for item in planned if item[0] in claimed]


def _deliver(
    store: Store, planned: list[Planned], now: datetime, deliver: Deliver, dry_run: bool, report: PassReport
) -> None:
    """Hand each claimed nudge to its chat; one bad chat never stops the pass."""
    report.claimed += len(planned)
    retry: list[Planned] = []
    gone: list[Planned] = []
    for claim, outgoing in planned:
        try:
            deliver(outgoing)
        except RecipientUnreachable:
            log.info("%s is unreachable: %s not sent", claim.recipient, claim.kind)
            gone.append((claim, outgoing))
        except Exception as error:
            log.warning("%s for %s failed, will retry: %s", claim.kind, claim.recipient, error)
            retry.append((claim, outgoing))
        else:
            report.sent.append(outgoing)
    report.retried += len(retry)
    report.unreachable += len(gone)
    if dry_run or not (retry or gone):
        return
    with store.unit() as uow:
        # A group that shut the bot out keeps its claim: nothing to retry there.
        uow.release_nudges([c for c, o in retry] + [c for c, o in gone if o.kind != RECAP])
        for _, outgoing in retry:
            if outgoing.kind != RECAP and outgoing.recipient_id is not None:
                uow.retry_nudge_by(outgoing.recipient_id, now + RETRY_AFTER)
        for _, outgoing in gone:
            if outgoing.kind != RECAP and outgoing.recipient_id is not None:
                uow.mark_runner_unreachable(outgoing.recipient_id)
        uow.commit()
