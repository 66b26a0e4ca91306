"""Everything derived, from the whole record at once: what the keeper keeps incrementally, rebuilt from scratch.

Used to build the caches of a database that has none (an upgrade) and by the test
that holds the live caches equal to a rebuild after any history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from core.ledger import badges as badge_rules
from core.ledger import groups as group_rules
from core.ledger import rewards as reward_rules
from core.ledger.inputs import Plan, PlanChange, is_done, target_of, week_inputs
from core.ledger.model import Best, Book, ChallengeBadge, FoldState, GroupWeek, Reward, WeekInputs, WeekRow
from core.ledger.records import replay
from core.ledger.streaks import fold, standing, target_on
from core.ledger.views import first_monday, today_of
from core.training.lexicon import Lexicon, trained_groups
from core.training.model import Entry, Goal, LoggedSet, OwnExercise, Pause, Runner
from core.weeks import WEEK, mondays, week_end, week_start


@dataclass(frozen=True)
class RunnerRecord:
    """Everything a runner did: entries, every pause, plan changes, goals, personal rewards, own exercises,
    and the challenge badges given at a challenge's end (a record: the challenge may be long gone)."""

    runner: Runner
    entries: tuple[Entry, ...]
    pauses: tuple[Pause, ...]
    plan_history: tuple[PlanChange, ...]
    goals: tuple[Goal, ...]
    rewards: tuple[Reward, ...]
    own: tuple[OwnExercise, ...] = ()
    challenges: tuple[ChallengeBadge, ...] = ()


@dataclass
class Derived:
    """The runner's caches as a rebuild makes them."""

    book: Book
    closed_rows: list[WeekRow]
    bests: list[Best]
    goals: list[Goal]
    rewards: list[Reward]


def done_days(entries: Iterable[Entry]) -> set[date]:
    """The days that count as a completed session, from the entries."""
    marked: set[date] = set()
    exercises: dict[date, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.kind == "done":
            marked.add(entry.local_date)
        for s in entry.sets:
            if not s.warmup:
                exercises[s.local_date].add(s.exercise)
    days = set(marked) | set(exercises)
    return {d for d in days if is_done(d in marked, len(exercises.get(d, ())))}


def all_sets(entries: Iterable[Entry]) -> list[LoggedSet]:
    return [s for e in entries for s in e.sets]


def derive(
    record: RunnerRecord,
    now: datetime,
    closed_through: date | None,
    buddy_day: date | None = None,
    pending: tuple[str, ...] = (),
) -> Derived:
    """The book, kept weeks, bests, reached goals and unlocked rewards, as of ``now``.

    ``closed_through`` is the last week already kept for good (the runner was told
    about it); ``buddy_day`` comes from the groups (:func:`group_weeks`).
    """
    runner = record.runner
    today = today_of(runner, now)
    first = first_monday(runner, today)
    plan = Plan(runner.profile, runner.plan_since, record.plan_history)
    by_week: dict[date, list[date]] = defaultdict(list)
    for done_day in done_days(record.entries):  # each week reads its own days: years stay linear
        by_week[week_start(done_day)].append(done_day)
    pauses = list(record.pauses)

    def inputs(monday: date) -> WeekInputs:
        return week_inputs(monday, by_week.get(monday, ()), plan, pauses)

    closed_weeks = list(mondays(first, closed_through + WEEK)) if closed_through is not None else []
    closed_rows, _ = fold(FoldState(), [(inputs(m), True) for m in closed_weeks])
    start = closed_through + WEEK if closed_through is not None else first
    last_day = max([today, *(p.until for p in pauses)])
    open_weeks = {m: inputs(m) for m in mondays(start, last_day + WEEK)}
    book = Book(
        closed=closed_rows[-1] if closed_rows else None,
        open={m: w for m, w in open_weeks.items() if not w.empty},
        pending=pending,
    )
    now_standing = standing(book, today, target_of(runner.profile), first)
    rows = [*closed_rows, *now_standing.settled, now_standing.week]
    found = badge_rules.fold_badges(FoldState(), rows)

    sets = all_sets(record.entries)
    bests = replay({}, sets)
    first_pr = badge_rules.first(b.local_date for b in bests if b.is_pr)
    trained = trained_groups(sets, Lexicon(record.own))
    goals = [
        replace(g, reached_on=badge_rules.first(s.local_date for s in sets if g.met_by(s)))
        for g in record.goals
    ]
    rewards = [
        replace(r, unlocked_on=reward_rules.unlock_day(r.unlock_at, FoldState(), rows))
        if r.unlock_at is not None
        else r
        for r in record.rewards
    ]
    for badge_id, day in (
        ("first-pr", first_pr),
        ("all-eight", badge_rules.all_eight_day(trained)),
        ("goal-reached", badge_rules.first(g.reached_on for g in goals)),
        ("buddy-week", buddy_day),
    ):
        badge_rules.set_badge(found, badge_id, day)
    found.update(badge_rules.challenge_badges(record.challenges))
    book.badges = found
    book.trained = trained
    book.goals_open = frozenset(g.exercise for g in goals if g.reached_on is None)
    book.next_reward = reward_rules.next_unlock(rewards)
    return Derived(book, closed_rows, bests, goals, rewards)


def member_weeks(derived: Derived, runner: Runner) -> dict[date, WeekInputs]:
    """A runner's inputs for every week: kept rows, then the weeks after them."""
    weeks = {r.monday: r.inputs for r in derived.closed_rows}
    for monday, inputs in derived.book.open.items():
        weeks[monday] = replace(inputs, target=target_on(target_of(runner.profile), monday))
    return weeks


def group_weeks(
    group_id: int,
    members: Sequence[tuple[Runner, date, dict[date, WeekInputs]]],
    until: date,
) -> list[GroupWeek]:
    """The weeks every member expected hit target, from each member's ``(runner, joined_on, weeks)``."""
    if not members:
        return []
    found = []
    for monday in mondays(min(j for _, j, _ in members), until + WEEK):
        weeks = [
            (
                runner.id,
                weeks.get(monday, WeekInputs(monday, target=target_on(target_of(runner.profile), monday))),
            )
            for runner, joined, weeks in members
            if joined <= week_end(monday)
        ]
        week = group_rules.group_week(group_id, monday, weeks)
        if week is not None:
            found.append(week)
    return found


def group_reward(reward: Reward, weeks: Sequence[GroupWeek]) -> Reward:
    return group_rules.unlock_group_reward(replace(reward, unlocked_on=None, week_start=None), weeks)
