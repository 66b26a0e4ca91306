"""Claims by the set: runners who share a schedule are claimed in the store, a statement per slot.

Most of a busy minute is runners whose moments follow from their profile alone (no pause, no
calendar, reachable, one account): for each such schedule :func:`shared_plan` works out once,
with the same rules as :func:`~core.nudges.schedule.due_nudges`, which slots of the late window
are due and the next moment. What is left to decide per runner is plain data — signed up before
the slot, not trained that day, not nudged that day for this kind or up to the daily cap — and
the store does it for a whole chunk of runners in one ``INSERT … SELECT`` (:class:`ClaimSlot`).
A schedule with anything more (the weekend streak check, whose words depend on the week's
sessions) gets no plan: its runners are decided one by one as before. The words of a claimed
nudge are not stored: the sender words it with :func:`~core.nudges.schedule.lift_text` when it
leases it (``outbox.take``), so the message is the one the pass would have written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.nudges.rules import RULES, NudgeRules
from core.nudges.schedule import LIFT, moments, window_end
from core.training.model import Runner
from core.training.profile import Profile
from core.weeks import week_start

# A claimed nudge is stored without its words; ``outbox.take`` words it for the sender.
UNWORDED = ""


@dataclass(frozen=True)
class ClaimSlot:
    """One due slot of a shared schedule, as the store needs it to claim a chunk of runners."""

    kind: str
    local_date: date
    due_at: datetime
    expires_at: datetime

    @property
    def monday(self) -> date:
        return week_start(self.local_date)

    @property
    def day_bit(self) -> int:
        """The day's bit in a ledger week's mask of trained days."""
        return 1 << self.local_date.weekday()


@dataclass(frozen=True)
class SharedPlan:
    """What a pass does for every runner on one shared schedule: the slots to claim, the next moment."""

    slots: tuple[ClaimSlot, ...]
    next_at: datetime | None


def shared_plan(profile: Profile, now: datetime, rules: NudgeRules = RULES) -> SharedPlan | None:
    """The plan for runners on ``profile``'s schedule at ``now``; ``None`` when their nudges need
    more than the store can check (a weekend streak check, or two slots on one day)."""
    if profile.calendar is not None:
        return None
    at_now = moments(Runner(0, "", "", "", profile), now, rules)
    if profile.remind_at is None or at_now.quiet:
        return SharedPlan((), at_now.next_at)
    slots: list[ClaimSlot] = []
    for slot in at_now.slots:
        if slot.kind != LIFT or slot.local_date.weekday() == rules.streak_weekday:
            return None  # at stake this week: the words and the choice depend on the sessions done
        if any(s.local_date == slot.local_date for s in slots):
            return None  # pragma: no cover - a lift slot a day, and a day is longer than the window
        slots.append(
            ClaimSlot(slot.kind, slot.local_date, slot.at, window_end(slot.at, now, profile.tz, rules))
        )
    return SharedPlan(tuple(slots), at_now.next_at)


def claimable(
    created_at: datetime | None, slot: ClaimSlot, done: set[date], sent: list[str], cap: int
) -> bool:
    """The per-runner part of a claim, as a store without SQL checks it (the SQL store's statement
    says the same): signed up by the slot, not trained that day, the kind free and under the cap."""
    if created_at is not None and created_at > slot.due_at:
        return False
    return slot.local_date not in done and slot.kind not in sent and len(sent) < cap
