"""One scheduler pass: decide what is due and put it in the delivery outbox, a chunk at a time.

A pass never waits for delivery (senders drain the outbox at each platform's pace), so the
next minute's pass runs on time however many nudges one minute holds. Each chunk of due
runners is read, decided and enqueued in one short unit of work — the memory of a pass is
bounded by the chunk, not by the number due. ``run_nudge_pass`` is the whole cycle with a
blocking ``deliver`` (the `runlift nudges` command and the tests).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from core.imports.model import PENDING_FOR
from core.ledger.challenges import award, end_reply, progress
from core.ledger.model import GroupChat
from core.ledger.recap import group_recap
from core.messages import ChatAddress
from core.nudges import outbox
from core.nudges.chat_notices import CHALLENGE_END, notices
from core.nudges.claims import ClaimSlot, SharedPlan, shared_plan
from core.nudges.outbox import BATCH, Deliver, OutboxEntry, Settled
from core.nudges.rules import RULES, NudgeRules
from core.nudges.schedule import (
    RECAP,
    Moments,
    Nudge,
    NudgeClaim,
    NudgeHistory,
    due_nudges,
    lift_text,
    lift_text_key,
    moments,
    next_due,
    recap_possible,
    recap_zones,
    recipient_of,
    shared_schedule,
    window_end,
)
from core.ports import Store, UnitOfWork
from core.training.model import Runner
from core.training.profile import Profile
from core.weeks import local_day, local_instant, week_start

log = logging.getLogger(__name__)

CHUNK = 5000
CACHE_LIMIT = 20_000
BROKEN_RETRY = timedelta(hours=1)
KEEP_SENT = timedelta(days=9)
# Platforms redeliver an update for a day at most; handled-event ids are kept a little longer.
KEEP_EVENTS = timedelta(days=3)


@dataclass
class PassReport:
    """What deciding did: runners looked at, and entries put in the outbox (in all and per kind)."""

    candidates: int = 0
    queued: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        self.queued += n
        if n:
            self.kinds[kind] = self.kinds.get(kind, 0) + n


@dataclass(frozen=True)
class SharedPage:
    """A page of the shared part as read: the runners each slot claims, and where each moves next."""

    claims: dict[ClaimSlot, list[int]]
    moves: dict[datetime | None, list[int]]


@dataclass(frozen=True)
class ClaimedPage:
    """What claiming a page did: entries queued per kind, and the runners moved on."""

    queued: tuple[tuple[str, int], ...]
    moved: int


def _claim_page(uow: UnitOfWork, work: SharedPage, daily_cap: int) -> ClaimedPage:
    queued = tuple((slot.kind, uow.outbox.claim(ids, slot, daily_cap)) for slot, ids in work.claims.items())
    for at, ids in work.moves.items():
        uow.nudges.set_next_all(ids, at)
    return ClaimedPage(queued, sum(len(ids) for ids in work.moves.values()))


@dataclass
class RunReport:
    """A whole cycle (decide, then deliver what is due): counts only, whatever the size."""

    candidates: int = 0
    queued: int = 0
    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    dropped: int = 0
    skipped: int = 0


def _history(claims: Sequence[NudgeClaim], done: set[date]) -> NudgeHistory:
    if not claims:
        return NudgeHistory(done=frozenset(done))
    return NudgeHistory(
        sent=frozenset((c.kind, c.local_date) for c in claims),
        sent_per_day=Counter(c.local_date for c in claims),
        done=frozenset(done),
    )


def refresh_next_nudge(uow: UnitOfWork, runner_id: int, now: datetime, rules: NudgeRules = RULES) -> None:
    """Recompute a runner's next nudge moment after their profile, pause or reachability changed.

    Slots from the last late window stay candidates: the pass skips those already sent.
    """
    runners = uow.nudges.runners([runner_id])
    if not runners:
        return
    merge = uow.merges.of(runner_id)
    if merge is not None and merge.other_id == runner_id:  # its account speaks for another runner now
        uow.nudges.set_next({runner_id: None})
        return
    runner = runners[0]
    floor = max(now.astimezone(UTC) - rules.late_window, runner.created_at or now)
    uow.nudges.set_next({runner_id: next_due(runner, floor - timedelta(microseconds=1), rules)})


class NudgePass:
    """The pass at ``now``, one chunk of due runners per :meth:`step`, then the group recaps.

    Runners are paged by (due moment, id), so a runner is looked at once even when a chunk's
    transaction does not commit (a dry run). The words of a lift-day nudge depend only on the
    profile, the cycle and the day: they are worked out once per pass for each such key.
    """

    def __init__(
        self,
        now: datetime,
        rules: NudgeRules = RULES,
        chunk: int = CHUNK,
        shard: tuple[int, int] | None = None,
        *,
        by_set: bool = True,
    ) -> None:
        if shard is not None and not 0 <= shard[0] < shard[1]:
            raise ValueError(f"a shard is (index, count) with 0 <= index < count, not {shard}")
        self.now = now.astimezone(UTC)
        self.shard = shard
        self.rules = rules
        self.chunk = chunk
        self.report = PassReport()
        self._after: tuple[datetime, int] | None = None
        # First the runners on shared schedules, claimed by the set (core/nudges/claims.py); then
        # everyone still due, one by one. ``by_set=False`` decides everyone one by one (the reference).
        self._shared_after: tuple[datetime, int] | None = None
        self._shared_done = not by_set
        self._plans: dict[int, tuple[Profile, SharedPlan | None]] = {}
        self._runners_done = False
        self._recaps_done = False
        # Keyed by the profile object's identity, which the store shares between runners with
        # equal settings; each value keeps its profile, so an identity is never mistaken.
        self._texts: dict[tuple[int, int, date, int], tuple[Profile, str]] = {}
        self._schedules: dict[int, tuple[Profile, Moments]] = {}
        self._windows: dict[tuple[datetime, str], datetime] = {}

    @property
    def finished(self) -> bool:
        return self._runners_done and self._recaps_done

    def step(self, uow: UnitOfWork) -> bool:
        """Decide and enqueue the next chunk (the caller commits); false once nothing is left."""
        if not self._shared_done:
            self._claim_shared(uow)
            return True
        if not self._runners_done:
            page = uow.nudges.due(self.now, self._after, self.chunk, self.shard)
            if page:
                self._after = (page[-1][0], page[-1][1].id)
                self._decide([r for _, r in page], uow)
            if len(page) < self.chunk:
                self._runners_done = True
            return True
        if not self._recaps_done:
            if self.shard is None or self.shard[0] == 0:  # recaps and challenges are the first shard's
                self._recaps(uow)
                self._challenges(uow)
            self._recaps_done = True
        return False

    def _claim_shared(self, uow: UnitOfWork) -> None:
        """One page of due runners: those on a shared schedule with a plan are claimed a slot at a
        time and moved on to their next moment; the rest stay due for the one-by-one part."""
        self._record(_claim_page(uow, self._shared_page(uow), self.rules.daily_cap))

    def _shared_page(self, uow: UnitOfWork) -> SharedPage:
        """Read the next page of the shared part: which runners each slot claims, where each moves."""
        page, last = uow.nudges.due_schedules(self.now, self._shared_after, self.chunk, self.shard)
        if last is not None:
            self._shared_after = last
        if len(page) < self.chunk:
            self._shared_done = True
        claims: dict[ClaimSlot, list[int]] = defaultdict(list)
        moves: dict[datetime | None, list[int]] = defaultdict(list)
        for runner_id, profile in page:
            plan = self._plan(profile) if profile is not None else None
            if plan is None:
                continue
            for slot in plan.slots:
                claims[slot].append(runner_id)
            moves[plan.next_at].append(runner_id)
        return SharedPage(claims, moves)

    def _record(self, claimed: ClaimedPage) -> None:
        for kind, n in claimed.queued:
            self.report.add(kind, n)
        self.report.candidates += claimed.moved

    def claim_shared(self, store: Store, workers: int) -> None:
        """The shared part of the pass with ``workers`` units of work claiming at once (a database
        that writes in parallel): this thread reads page after page, each page is claimed and
        committed on a worker. Pages hold different runners, and a page read while an earlier one
        is still being claimed cannot hold that page's runners again (the cursor is past them), so
        the outcome is the one-at-a-time one. At most ``workers`` pages are held at once."""
        if self._shared_done or workers < 2:
            return

        def claim(work: SharedPage) -> ClaimedPage:
            with store.unit() as uow:
                done = _claim_page(uow, work, self.rules.daily_cap)
                uow.commit()
                return done

        with ThreadPoolExecutor(workers, thread_name_prefix="runlift-claims") as pool:
            held: deque[Future[ClaimedPage]] = deque()
            try:
                while not self._shared_done:
                    with store.unit() as uow:
                        work = self._shared_page(uow)
                    held.append(pool.submit(claim, work))
                    while len(held) >= workers:
                        self._record(held.popleft().result())
                while held:
                    self._record(held.popleft().result())
            finally:
                for future in held:
                    future.cancel()

    def _plan(self, profile: Profile) -> SharedPlan | None:
        held = self._plans.get(id(profile))
        if held is None or held[0] is not profile:  # keyed by identity: the store shares one per schedule
            if len(self._plans) > CACHE_LIMIT:
                self._plans.clear()
            held = self._plans[id(profile)] = (profile, shared_plan(profile, self.now, self.rules))
        return held[1]

    def _text(self, runner: Runner, day: date, needed: int) -> str:
        key = lift_text_key(runner, day, needed)
        held = self._texts.get(key)
        if held is None or held[0] is not runner.profile:  # the key names the profile by identity
            if len(self._texts) > CACHE_LIMIT:
                self._texts.clear()
            held = self._texts[key] = (runner.profile, lift_text(runner, day, needed))
        return held[1]

    def _moments(self, runner: Runner) -> Moments:
        if not shared_schedule(runner):
            return moments(runner, self.now, self.rules)
        held = self._schedules.get(id(runner.profile))
        if held is None or held[0] is not runner.profile:
            if len(self._schedules) > CACHE_LIMIT:
                self._schedules.clear()
            held = self._schedules[id(runner.profile)] = (
                runner.profile,
                moments(runner, self.now, self.rules),
            )
        return held[1]

    def _decide(self, runners: list[Runner], uow: UnitOfWork) -> None:
        now, rules = self.now, self.rules
        planned = [(runner, self._moments(runner)) for runner in runners]
        # Only the local dates of the slots in the window matter: what was already sent on them
        # (the daily cap, one nudge per kind) and the sessions done in their weeks.
        dates = {s.local_date for _, m in planned for s in m.slots} or {now.date()}
        first, last = min(dates), max(dates)
        taken: dict[str, list[NudgeClaim]] = defaultdict(list)
        for claim in uow.outbox.taken([recipient_of(r.id) for r in runners], first, last):
            taken[claim.recipient].append(claim)
        done = uow.ledger.done_days(
            [r.id for r in runners], week_start(first), week_start(last) + timedelta(days=6)
        )
        entries: list[OutboxEntry] = []
        next_at: dict[int, datetime | None] = {}
        for runner, at_now in planned:
            try:
                history = _history(taken.get(recipient_of(runner.id), ()), done.get(runner.id, set()))
                nudges = due_nudges(runner, now, history, rules, self._text, at_now)
                next_at[runner.id] = at_now.next_at
                entries += [self._entry(runner, n) for n in nudges]
            except Exception:
                log.exception("deciding nudges for runner %s failed", runner.id)
                next_at[runner.id] = now + BROKEN_RETRY
        self.report.candidates += len(runners)
        self._enqueue(uow, _routed(uow, runners, entries))
        uow.nudges.set_next(next_at)

    def _enqueue(self, uow: UnitOfWork, entries: list[OutboxEntry]) -> None:
        """Per kind, so the report knows what each kind came to (a chunk holds one or two kinds)."""
        by_kind: dict[str, list[OutboxEntry]] = defaultdict(list)
        for entry in entries:
            by_kind[entry.claim.kind].append(entry)
        for kind, some in by_kind.items():
            self.report.add(kind, uow.outbox.enqueue(some))

    def _entry(self, runner: Runner, nudge: Nudge) -> OutboxEntry:
        key = (nudge.at, runner.profile.tz)
        expires = self._windows.get(key)
        if expires is None:
            expires = self._windows[key] = window_end(nudge.at, self.now, runner.profile.tz, self.rules)
        return OutboxEntry(
            claim=nudge.claim(),
            address=ChatAddress(runner.platform, runner.user_id, False),
            title="",
            text=nudge.text,
            runner_id=runner.id,
            due_at=nudge.at,
            expires_at=expires,
        )

    def _challenges(self, uow: UnitOfWork) -> None:
        try:
            entries = _challenge_ends(uow, self.now, self.rules)
        except Exception:
            log.exception("announcing the end of a challenge failed")
            return
        self._enqueue(uow, entries)

    def _recaps(self, uow: UnitOfWork) -> None:
        now, rules = self.now, self.rules
        if not recap_possible(now, rules):
            return
        zones = recap_zones(now, uow.groups.zones(), rules)
        groups = uow.groups.in_zones(sorted(zones)) if zones else []
        if not groups:
            return
        days = set(zones.values())
        chats = uow.groups.chats([g.id for g in groups])
        taken = {
            (c.recipient, c.local_date)
            for c in uow.outbox.taken([recap_recipient(c) for c in chats], min(days), max(days))
            if c.kind == RECAP
        }
        by_group: dict[int, list[GroupChat]] = {}
        for chat in chats:
            by_group.setdefault(chat.group_id, []).append(chat)
        entries: list[OutboxEntry] = []
        for group in groups:
            day = zones[group.tz]
            due = [c for c in by_group.get(group.id, []) if (recap_recipient(c), day) not in taken]
            members = uow.groups.members(group.id) if due else []
            if not members:
                continue
            try:
                reply = group_recap(uow, group, week_start(day), now, members)
            except Exception:
                log.exception("weekly recap for group %s failed", group.id)
                continue
            at = local_instant(day, rules.recap_time, group.tz)
            # The same recap in every linked chat, each its own claim (a chat that fails does not hold up the rest).
            entries += [
                OutboxEntry(
                    claim=NudgeClaim(recap_recipient(chat), RECAP, day),
                    address=ChatAddress(chat.platform, chat.chat_id, True),
                    title=reply.title,
                    text=reply.text,
                    runner_id=None,
                    due_at=at,
                    expires_at=window_end(at, now, group.tz, rules),
                )
                for chat in due
            ]
        self._enqueue(uow, entries)


def _challenge_ends(uow: UnitOfWork, now: datetime, rules: NudgeRules) -> list[OutboxEntry]:
    """Challenges over in their group's zone: the end told once in every chat of the group."""
    entries: list[OutboxEntry] = []
    for challenge in uow.challenges.unannounced((now + timedelta(hours=15)).date()):
        group = uow.groups.get(challenge.group_id)
        if group is None:
            continue
        today = local_day(now, group.tz)
        if today <= challenge.end_on:
            continue
        done = progress(uow, challenge, uow.groups.members(group.id), today)
        award(uow, done)
        entries += notices(
            uow.groups.chats([group.id]),
            end_reply(done),
            f"challenge:{challenge.id}",
            CHALLENGE_END,
            challenge.end_on,
            now,
            rules,
        )
        uow.challenges.announced(challenge.id)
    return entries


def _routed(uow: UnitOfWork, runners: list[Runner], entries: list[OutboxEntry]) -> list[OutboxEntry]:
    """A runner on two platforms is nudged where they chose (``/remind via=…``) or wrote last."""
    merges = uow.merges.of_runners([r.id for r in runners])
    if not merges:
        return entries
    home = {r.id: r.platform for r in runners}
    addresses: dict[int, ChatAddress] = {}
    for runner_id, merge in merges.items():
        if merge.route and merge.route != home.get(runner_id):
            found = uow.runners.get(merge.other_id)
            if found is not None:
                addresses[runner_id] = ChatAddress(found[0].platform, found[0].user_id, False)
    return [replace(e, address=addresses[e.runner_id]) if e.runner_id in addresses else e for e in entries]


def recap_recipient(chat: GroupChat) -> str:
    """``group:7`` for the group's own chat (as before linking), ``group:7:3`` for its linked chat 3."""
    return f"group:{chat.group_id}" if chat.ref is None else f"group:{chat.group_id}:{chat.ref}"


def decide(
    store: Store,
    now: datetime,
    *,
    rules: NudgeRules = RULES,
    chunk: int = CHUNK,
    shard: tuple[int, int] | None = None,
    by_set: bool = True,
) -> PassReport:
    """The pass at ``now``: every chunk in its own committed unit of work (of one shard's runners)."""
    run = NudgePass(now, rules, chunk, shard, by_set=by_set)
    run.claim_shared(store, store.writers)
    more = True
    while more:
        with store.unit() as uow:
            more = run.step(uow)
            uow.commit()
    return run.report


def prune(uow: UnitOfWork, now: datetime) -> None:
    """Once an hour: forget settled nudges and handled events older than anything a pass still needs,
    and previewed imports never confirmed (their files)."""
    if now.minute != 0:
        return
    uow.outbox.prune((now - KEEP_SENT).date())
    uow.inbox.prune(now - KEEP_EVENTS)
    uow.events.prune(now - KEEP_EVENTS)
    uow.imports.prune_pending(now - PENDING_FOR)


def _drain(uow: UnitOfWork, now: datetime, deliver: Deliver, report: RunReport, batch: int) -> bool:
    """Lease one batch (any platform), deliver it one by one, settle it; false when none was due."""
    taken = outbox.take(uow, None, now, batch)
    report.dropped += taken.dropped
    report.skipped += taken.skipped
    settled = outbox.settle(uow, now, [(e, outbox.attempt(e, deliver)) for e in taken.entries])
    _count(report, settled)
    return bool(taken.entries or taken.dropped or taken.skipped)


def _count(report: RunReport, settled: Settled) -> None:
    report.sent += settled.sent
    report.retried += settled.retried + settled.released
    report.unreachable += settled.unreachable
    report.dropped += settled.dropped


def run_nudge_pass(
    store: Store,
    now: datetime,
    deliver: Deliver,
    *,
    dry_run: bool = False,
    rules: NudgeRules = RULES,
    chunk: int = CHUNK,
    batch: int = BATCH,
) -> RunReport:
    """Decide, then deliver everything due with ``deliver`` and settle: `runlift nudges` and the tests.

    ``dry_run`` does the same work in one unit of work that is never committed.
    """
    now = now.astimezone(UTC)
    report = RunReport()
    if dry_run:
        with store.unit() as uow:
            run = NudgePass(now, rules, chunk)
            while run.step(uow):
                pass
            while _drain(uow, now, deliver, report, batch):
                pass
        decided = run.report
    else:
        decided = decide(store, now, rules=rules, chunk=chunk)
        more = True
        while more:
            with store.unit() as uow:
                more = _drain(uow, now, deliver, report, batch)
                uow.commit()
        with store.unit() as uow:
            prune(uow, now)
            uow.commit()
    report.candidates, report.queued = decided.candidates, decided.queued
    return report
