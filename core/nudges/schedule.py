"""What is due when: nudge slots in the runner's local time, and which of them to send now."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.nudges import texts as nudge_texts
from core.nudges.rules import RULES, NudgeRules
from core.training.catch_up import catch_ups
from core.training.model import Runner
from core.training.placement import calendar_run, lift_days, lift_weekdays, week_index, week_target
from core.training.sessions import CYCLE_WEEKS, session_for
from core.weeks import days, local_instant, week_start, zone, zone_names

LIFT = "lift"
STREAK = "streak"
RECAP = "recap"
_KIND_ORDER = {LIFT: 0, STREAK: 1}


def recipient_of(runner_id: int) -> str:
    """How the record of nudges sent names a runner (a group is ``group:ID``)."""
    return f"runner:{runner_id}"


def _created(runner: Runner) -> datetime:
    return runner.created_at or datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NudgeClaim:
    """One nudge as recorded: who, why, and for which local date (unique together)."""

    recipient: str
    kind: str
    local_date: date


@dataclass(frozen=True)
class Slot:
    """A moment a nudge may be due: ``at`` is the UTC instant of a local date and time."""

    kind: str
    local_date: date
    at: datetime


@dataclass(frozen=True)
class Nudge:
    runner_id: int
    kind: str
    local_date: date
    at: datetime
    text: str

    def claim(self) -> NudgeClaim:
        return NudgeClaim(recipient_of(self.runner_id), self.kind, self.local_date)


@dataclass(frozen=True)
class NudgeHistory:
    """What the store knows: nudges already recorded and the days with a completed session."""

    sent: frozenset[tuple[str, date]] = frozenset()
    sent_per_day: Mapping[date, int] = field(default_factory=dict)
    done: frozenset[date] = frozenset()


def slots_on(runner: Runner, day: date, rules: NudgeRules = RULES) -> list[Slot]:
    """The runner's nudge moments on one local date (none while paused or with reminders off)."""
    remind = runner.profile.remind_at
    if remind is None or runner.paused_on(day):
        return []
    at = local_instant(day, remind, runner.profile.tz)
    slots = []
    if day.weekday() in lift_weekdays(runner.profile, day):
        slots.append(Slot(LIFT, day, after_run(runner, day, at, rules)))
    if day.weekday() == rules.streak_weekday:
        slots.append(Slot(STREAK, day, at))
    return slots


AFTER_RUN = timedelta(hours=1)


def after_run(runner: Runner, day: date, remind_at: datetime, rules: NudgeRules = RULES) -> datetime:
    """When a lift-day nudge goes: at the reminder time, or about an hour after the calendar's
    timed run ends when that is later — unless that lands in quiet hours."""
    run = calendar_run(runner.profile, day)
    if run is None or run.ends is None:
        return remind_at
    later = local_instant(day, run.ends, runner.profile.tz) + AFTER_RUN
    if later <= remind_at or later.astimezone(zone(runner.profile.tz)).date() != day:
        return remind_at
    return remind_at if rules.quiet(later.astimezone(zone(runner.profile.tz)).time()) else later


def slots_between(runner: Runner, start: datetime, end: datetime, rules: NudgeRules = RULES) -> list[Slot]:
    """Every slot with ``start <= at <= end``, in order."""
    place = zone(runner.profile.tz)
    first = start.astimezone(place).date() - timedelta(days=1)
    last = end.astimezone(place).date() + timedelta(days=1)
    found = [s for d in days(first, last) for s in slots_on(runner, d, rules) if start <= s.at <= end]
    return sorted(found, key=lambda s: (s.at, _KIND_ORDER.get(s.kind, 9)))


def next_due(runner: Runner, after: datetime, rules: NudgeRules = RULES) -> datetime | None:
    """The first slot strictly after ``after``; ``None`` when nothing will ever be due."""
    if runner.profile.remind_at is None or runner.unreachable:
        return None
    day = after.astimezone(zone(runner.profile.tz)).date() - timedelta(days=1)
    for _ in range(60):
        if runner.pause is not None and runner.pause.covers(day):
            day = runner.pause.until
            continue
        for slot in slots_on(runner, day, rules):
            if slot.at > after:
                return slot.at
        day += timedelta(days=1)
    return None  # pragma: no cover - a week always has a lift day


def still_needed(runner: Runner, day: date, done: frozenset[date]) -> tuple[int, int]:
    """Sessions still needed for the week's target, and the days left to do them (``day`` on)."""
    monday = week_start(day)
    sunday = monday + timedelta(days=6)
    done_in_week = sum(monday <= d <= sunday for d in done)
    needed = max(0, week_target(runner.profile, day) - done_in_week)
    left = sum(d not in done for d in days(day, sunday))
    return needed, left


def rescue_days(runner: Runner, day: date, done: frozenset[date]) -> list[date]:
    """The days left this week a lift may go on by the placement rules: the planned ones not yet
    done, and the catch-ups the plan bends to (never back to back, the day before a hard run last)."""
    profile = runner.profile
    planned = [d for d in lift_days(profile, day) if d >= day and d not in done]
    extra = [c.day for c in catch_ups(profile, day, done, since=runner.created_on)]
    return sorted(planned + extra)


def at_risk(runner: Runner, day: date, done: frozenset[date]) -> int:
    """Sessions still needed when the week's target is unmet but reachable by the rules; 0 otherwise."""
    needed, _ = still_needed(runner, day, done)
    return needed if 0 < needed <= len(rescue_days(runner, day, done)) else 0


def lift_text(runner: Runner, day: date, streak_needed: int = 0) -> str:
    profile = runner.profile
    cycle = _created(runner).astimezone(zone(runner.profile.tz)).date()
    session = session_for(profile, day, cycle, lambda _key: [])
    if session is None:  # pragma: no cover - slots only fall on lift days
        return nudge_texts.STRENGTH_FALLBACK
    return nudge_texts.lift_day(session, profile.playlist, streak_needed)


def lift_text_key(runner: Runner, day: date, streak_needed: int = 0) -> tuple[int, int, date, int]:
    """What :func:`lift_text` depends on besides the profile (whose identity comes first):
    equal keys for runners holding the same profile object give the same words. A lift-day nudge
    names no history, so weeks a whole number of cycles apart read alike."""
    cycle = _created(runner).astimezone(zone(runner.profile.tz)).date()
    return (id(runner.profile), week_index(day, cycle) % CYCLE_WEEKS, day, streak_needed)


LiftText = Callable[[Runner, date, int], str]


@dataclass(frozen=True)
class Moments:
    """A schedule as of one instant: whether it is quiet there, the slots of the late window, the next slot."""

    quiet: bool
    slots: tuple[Slot, ...]
    next_at: datetime | None


def moments(runner: Runner, now: datetime, rules: NudgeRules = RULES) -> Moments:
    """The runner's :class:`Moments` at ``now`` (the slots before they signed up included)."""
    quiet = rules.quiet(now.astimezone(zone(runner.profile.tz)).time())
    start = now - rules.late_window + timedelta(microseconds=1)
    return Moments(quiet, tuple(slots_between(runner, start, now, rules)), next_due(runner, now, rules))


def shared_schedule(runner: Runner) -> bool:
    """Whether the runner's :class:`Moments` depend only on their profile's zone, reminder time and
    lift days (no pause, reachable, reminders on): such runners can share one computation."""
    return runner.pause is None and not runner.unreachable and runner.profile.remind_at is not None


def due_nudges(
    runner: Runner,
    now: datetime,
    history: NudgeHistory,
    rules: NudgeRules = RULES,
    texts: LiftText = lift_text,
    at_now: Moments | None = None,
) -> list[Nudge]:
    """The nudges to send to ``runner`` at ``now``, given what was already recorded.

    ``texts`` words the lift-day nudge and ``at_now`` gives the runner's :func:`moments`
    (a pass passes cached ones)."""
    if runner.unreachable or runner.profile.remind_at is None:
        return []
    at_now = at_now or moments(runner, now, rules)
    if at_now.quiet:
        return []
    floor = max(now - rules.late_window + timedelta(microseconds=1), _created(runner))
    chosen: list[Nudge] = []
    for slot in at_now.slots:
        if slot.at < floor:
            continue
        key = (slot.kind, slot.local_date)
        if key in history.sent or runner.paused_on(slot.local_date):
            continue
        today = sum(n.local_date == slot.local_date for n in chosen)
        if history.sent_per_day.get(slot.local_date, 0) + today >= rules.daily_cap:
            continue
        if slot.kind == LIFT:
            if slot.local_date in history.done:
                continue
            on_streak_day = slot.local_date.weekday() == rules.streak_weekday
            needed = at_risk(runner, slot.local_date, history.done) if on_streak_day else 0
            text = texts(runner, slot.local_date, needed)
        else:
            lift_today = (LIFT, slot.local_date)
            if lift_today in history.sent or any(n.kind == LIFT for n in chosen):
                continue  # the lift-day nudge already said what is at stake
            needed = at_risk(runner, slot.local_date, history.done)
            if not needed:
                continue
            suggested = rescue_days(runner, slot.local_date, history.done)[:needed]
            target = week_target(runner.profile, slot.local_date)
            text = nudge_texts.streak_at_risk(needed, target, suggested, slot.local_date)
        chosen.append(Nudge(runner.id, slot.kind, slot.local_date, slot.at, text))
    return chosen


def window_end(slot_at: datetime, now: datetime, tz: str, rules: NudgeRules = RULES) -> datetime:
    """Until when a nudge due at ``slot_at`` and decided at ``now`` may still go out: the end of
    its late window, or the next start of quiet hours in ``tz`` if that comes first."""
    end = slot_at + rules.late_window
    if rules.quiet_start is None:
        return end
    local = now.astimezone(zone(tz))
    for day in (local.date(), local.date() + timedelta(days=1)):
        quiet = local_instant(day, rules.quiet_start, tz)
        if quiet > now:
            return min(end, quiet)
    return end  # pragma: no cover - a quiet start always comes within a day


# Every zone's offset lies within these bounds (UTC-12 to UTC+14).
_OFFSETS = [timedelta(minutes=m) for m in range(-12 * 60, 14 * 60 + 1, 15)]


def recap_possible(now: datetime, rules: NudgeRules = RULES) -> bool:
    """Cheap test: could any zone on Earth be inside its recap window at ``now``?"""
    naive = now.astimezone(UTC).replace(tzinfo=None)
    for offset in _OFFSETS:
        local = naive + offset
        start = datetime.combine(local.date(), rules.recap_time)
        for moment in (start, start - timedelta(days=1)):
            if moment.weekday() == rules.recap_weekday and moment <= local < moment + rules.late_window:
                return True
    return False


def recap_zones(
    now: datetime, zones: Iterable[str] | None = None, rules: NudgeRules = RULES
) -> dict[str, date]:
    """Zones (of ``zones``, default all) whose weekly recap moment passed less than the late window ago.

    Each maps to the local date of that Sunday.
    """
    due: dict[str, date] = {}
    if not recap_possible(now, rules):
        return due
    for name in sorted(zone_names().values()) if zones is None else zones:
        try:
            place = zone(name)
        except (ValueError, KeyError):
            continue
        local = now.astimezone(place)
        for day in (local.date(), local.date() - timedelta(days=1)):
            if day.weekday() != rules.recap_weekday:
                continue
            at = local_instant(day, rules.recap_time, name)
            if at <= now and now - at < rules.late_window:
                due[name] = day
    return due
