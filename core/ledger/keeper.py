"""Keeping a runner's book: settle finished weeks, refresh what a change touched, say what it made true.

The record (entries, pauses, plan changes, goals, rewards) is the truth; the book,
the week rows, the bests, reached goals and unlocked rewards are derived from it
here, incrementally, with the same pure rules :mod:`core.ledger.rebuild` applies to
the whole record at once (a test holds the two equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from core.ledger import badges as badge_rules
from core.ledger import groups as group_rules
from core.ledger import rewards as reward_rules
from core.ledger.badges import BY_ID, Badge
from core.ledger.inputs import Plan, PlanChange, is_done, target_of, week_inputs
from core.ledger.model import (
    Best,
    Book,
    Event,
    FoldState,
    GroupWeek,
    Member,
    Post,
    Reward,
    WeekInputs,
    WeekRow,
)
from core.ledger.news import event_note, week_change_note
from core.ledger.records import BestKey, batch_bests, best_of, replay
from core.ledger.streaks import Standing, fold, open_inputs, target_on
from core.ledger.views import member_counts, standing_of, today_of, week_of
from core.ports import UnitOfWork
from core.training.lexicon import CATALOG, Lexicon, needs_own, trained_groups
from core.training.model import Entry, Goal, LoggedSet, Pause, Runner
from core.training.profile import Profile
from core.weeks import WEEK, mondays, week_end, week_start

NOTE_SEP = "\x1f"
MAX_PENDING = 8


@dataclass
class Changes:
    """What one change to the record made true (or false again), for the reply to say."""

    lines: list[str] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    withdrawn: list[Badge] = field(default_factory=list)
    prs: list[Best] = field(default_factory=list)
    withdrawn_prs: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    completed: list[date] = field(default_factory=list)
    uncompleted: list[date] = field(default_factory=list)
    group_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Refold:
    """The weeks a change folded again: kept rows before and after, and what they held."""

    since: date
    base: FoldState
    before: list[WeekRow]
    after: list[WeekRow]
    events_before: list[Event]
    events_after: list[Event]


def _day(monday: date, weekday: int) -> date:
    return monday + timedelta(days=weekday)


def first_meeting(goal: Goal, sets: Iterable[LoggedSet]) -> date | None:
    """The first day a set met the goal (on or after the day it was set)."""
    return badge_rules.first(s.local_date for s in sets if goal.met_by(s))


class Keeper:
    """Keeps one runner's book within one unit of work.

    ``here`` is the group whose chat the command came from with its members, loaded
    once by the command (the acting runner's member entry shares this book).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        runner: Runner,
        book: Book,
        now: datetime,
        here: tuple[int, list[Member]] | None = None,
    ) -> None:
        self.uow = uow
        self.runner = runner
        self.book = book
        self.now = now
        self.here = here
        self._plan_history: tuple[PlanChange, ...] | None = None
        self._past_pauses: list[Pause] | None = None
        self._lexicon: Lexicon | None = None
        self._bests_before: dict[BestKey, float] | None = None
        self._badges_kept = set(book.badges)

    # reading

    @property
    def today(self) -> date:
        return today_of(self.runner, self.now)

    def standing(self) -> Standing:
        return standing_of(self.runner, self.book, self.now)

    def plan(self, day: date | None = None) -> Plan:
        """The plan, with its history loaded when ``day`` is before the last change."""
        plan = Plan(self.runner.profile, self.runner.plan_since)
        if day is not None and plan.needs_history(day):
            if self._plan_history is None:
                self._plan_history = tuple(self.uow.runners.plan_history(self.runner.id))
            plan = replace(plan, history=self._plan_history)
        return plan

    def lexicon(self, keys: Sequence[str] = (), full: bool = False) -> Lexicon:
        """The catalog, with the runner's own exercises read once when ``keys`` name one (or ``full``)."""
        if self._lexicon is None and (full or needs_own(keys)):
            self._lexicon = Lexicon(tuple(self.uow.logbook.own_exercises(self.runner.id)))
        return self._lexicon or CATALOG

    def own_changed(self, regroup: bool = False) -> None:
        """The runner's own exercises changed; with ``regroup`` one moved movement, so the groups
        trained (and ``all-eight``) are counted again from every set."""
        self._lexicon = None
        if regroup:
            sets = list(self.uow.logbook.all_sets(self.runner.id))
            self.book.trained = trained_groups(sets, self.lexicon(full=True))
            badge_rules.set_badge(self.book.badges, "all-eight", badge_rules.all_eight_day(self.book.trained))
            self.save()

    def pauses(self) -> list[Pause]:
        if self._past_pauses is None:
            self._past_pauses = self.uow.runners.past_pauses(self.runner.id)
        return [*self._past_pauses, *([self.runner.pause] if self.runner.pause else [])]

    def save(self) -> None:
        """Keep the book; a badge it no longer holds leaves the group recaps it was posted to."""
        gone = self._badges_kept - set(self.book.badges)
        if gone:
            self.uow.groups.drop_posts(self.runner.id, [f"badge:{b}" for b in sorted(gone)])
        self._badges_kept = set(self.book.badges)
        self.uow.ledger.save_book(self.runner.id, self.book)

    # settling

    def settle(self, private: bool) -> list[str]:
        """Keep the weeks that ended since the last command; return the streak news to say now.

        The news (a freeze spent, a streak ended) is personal: outside a direct
        message it is held for the runner's next one.
        """
        current = self.standing()
        changed = False
        if current.settled:
            rows = list(current.settled)
            self.uow.ledger.save_weeks(self.runner.id, rows)
            for row in rows:
                self.book.open.pop(row.monday, None)
            self.book.closed = rows[-1]
            settled = {r.monday for r in rows}
            news = [e for e in current.events if e.kind != "freeze-earned" and e.monday in settled]
            held = [f"{e.key}{NOTE_SEP}{event_note(e)}" for e in news]
            self.book.pending = (*self.book.pending, *held)[-MAX_PENDING:]
            changed = True
        notes: list[str] = []
        if private and self.book.pending:
            notes = [item.split(NOTE_SEP, 1)[-1] for item in self.book.pending]
            self.book.pending = ()
            changed = True
        if changed:
            self.save()
        return notes

    # changes to the record

    def logged(self, entry: Entry, completes: bool, bests: dict[BestKey, float] | None = None) -> Changes:
        """A new entry (sets or ``/done``); ``completes``: its day now counts as a session.

        Adding sets never takes a session away, so a day that does not complete
        is left as it was. ``bests`` are the entry's exercises' bests before it, when the
        caller read them already.
        """
        touched = [entry.local_date] if completes else []
        self._bests_before = bests
        try:
            return self._refresh(touched, {entry.local_date: True}, added=entry if entry.sets else None)
        finally:
            self._bests_before = None

    def removed(self, entry: Entry) -> Changes:
        """An entry was deleted from the record."""
        return self._refresh([entry.local_date], {}, removed=entry.sets)

    def weeks_changed(self, first: date, last: date) -> Changes:
        """Pauses or the plan changed for the days ``first``..``last``: their weeks are read again."""
        self._past_pauses = None
        self._plan_history = None
        return self._refresh(list(mondays(first, last + WEEK)), {})

    def record_plan_change(self, old: Profile, day: date) -> None:
        """The sessions or run days change from ``day`` on: keep the plan that applied until then."""
        runner_id = self.runner.id
        created = self.runner.created_on
        if self.runner.plan_since is None and created is not None and created < day:
            self.uow.runners.add_plan_change(runner_id, PlanChange(created, old.sessions, old.hard_weekdays))
        new = self.runner.profile
        self.uow.runners.add_plan_change(runner_id, PlanChange(day, new.sessions, new.hard_weekdays))
        self.runner.plan_since = day
        self._plan_history = None

    def goal_set(self, goal: Goal) -> Goal:
        """A goal was set: the day logged sets already met it, if they did."""
        sets = self.uow.logbook.exercise_sets(self.runner.id, goal.exercise, goal.set_on)
        reached = first_meeting(goal, sets)
        if reached is not None:
            self.uow.logbook.save_goal_reached(self.runner.id, goal.exercise, reached)
        self._goal_badge(self.uow.logbook.goals(self.runner.id))
        self.save()
        return replace(goal, reached_on=reached)

    # the refresh

    def _refresh(
        self,
        touched_days: Iterable[date],
        known: dict[date, bool],
        added: Entry | None = None,
        removed: Sequence[LoggedSet] = (),
    ) -> Changes:
        changes = Changes()
        before = self.standing()
        before_badges = dict(self.book.badges)
        refold = self._refold(sorted({week_start(d) for d in touched_days}), known)
        after = self.standing()
        self._week_news(changes, refold, before, after)
        pairs = [(o.inputs, n.inputs) for o, n in zip(refold.before, refold.after, strict=True)]
        pairs.append((before.week.inputs, after.week.inputs))
        for old, new in pairs:
            changes.completed += [_day(new.monday, d) for d in range(7) if (new.mask & ~old.mask) >> d & 1]
            changes.uncompleted += [_day(new.monday, d) for d in range(7) if (old.mask & ~new.mask) >> d & 1]
        rows = [*refold.after, *after.settled, after.week]
        self.book.badges = badge_rules.refolded(self.book.badges, refold.since, refold.base, rows)
        self._rewards(changes, refold, rows, before.state, after.state)
        if (added is not None and added.sets) or removed:
            self._exercises(changes, added, removed)
        moved = sorted({new.monday for old, new in pairs if old.status != new.status})
        if moved:
            self._groups(changes, moved)
        changes.badges = [BY_ID[b] for b in self.book.badges if b not in before_badges and b in BY_ID]
        changes.withdrawn = [BY_ID[b] for b in before_badges if b not in self.book.badges and b in BY_ID]
        self.save()
        return changes

    def _stored_inputs(self, monday: date) -> WeekInputs | None:
        closed = self.book.closed
        if closed is not None and monday <= closed.monday:
            return closed.inputs if monday == closed.monday else None
        return open_inputs(self.book, monday, target_of(self.runner.profile))

    def _week_inputs(self, monday: date, known: dict[date, bool]) -> WeekInputs:
        """The week's inputs again: from what the caller knows when it knows the changed day, else the record."""
        old = self._stored_inputs(monday)
        mine = {d: done for d, done in known.items() if week_start(d) == monday}
        plan = self.plan(monday)
        if mine and old is not None:
            mask = old.mask
            for day, done in mine.items():
                mask = mask | 1 << day.weekday() if done else mask & ~(1 << day.weekday())
            hard = 0
            for d in range(7):
                if mask >> d & 1 and d in plan.hard_weekdays(_day(monday, d)):
                    hard |= 1 << d
            return WeekInputs(monday, mask, hard, plan.target(monday), old.paused)
        summaries = self.uow.logbook.days(self.runner.id, monday, week_end(monday))
        done_days = [s.day for s in summaries if is_done(s.marked, s.exercises)]
        return week_inputs(monday, done_days, plan, self.pauses())

    def _refold(self, touched: list[date], known: dict[date, bool]) -> _Refold:
        """Recompute the touched weeks' inputs and fold the kept weeks again from the first of them."""
        fresh = {m: self._week_inputs(m, known) for m in touched}
        closed_through = self.book.closed_through
        for monday, inputs in fresh.items():
            if closed_through is None or monday > closed_through:
                self._store_open(monday, inputs)
        if not touched:
            return _Refold(week_start(self.today), self.standing().before_week, [], [], [], [])
        first = touched[0]
        if closed_through is None or first > closed_through:
            since = max(first, week_start(self.today))
            return _Refold(since, self.standing().before_week, [], [], [], [])
        stored = self.uow.ledger.weeks(self.runner.id, first - WEEK, closed_through)
        start_row = stored.get(first - WEEK)
        base = start_row.after if start_row is not None else FoldState()
        old_rows = [stored[m] for m in mondays(first, closed_through + WEEK) if m in stored]
        _, events_before = fold(base, [(r.inputs, True) for r in old_rows])
        new_rows, events_after = fold(base, [(fresh.get(r.monday, r.inputs), True) for r in old_rows])
        self.uow.ledger.save_weeks(self.runner.id, new_rows)
        if new_rows:
            self.book.closed = new_rows[-1]
        return _Refold(first, base, old_rows, new_rows, events_before, events_after)

    def _store_open(self, monday: date, inputs: WeekInputs) -> None:
        if inputs.empty:
            if self.book.open.pop(monday, None) is not None:
                self.uow.ledger.drop_weeks(self.runner.id, [monday])
            return
        if self.book.open.get(monday) == inputs:
            return
        self.book.open[monday] = inputs
        self.uow.ledger.save_weeks(self.runner.id, [WeekRow(inputs, "open", FoldState())])

    def _week_news(self, changes: Changes, refold: _Refold, before: Standing, after: Standing) -> None:
        for old, new in zip(refold.before, refold.after, strict=True):
            note = week_change_note(old, new, after.current)
            if note:
                changes.lines.append(note)
        earned_before = {e.key for e in [*refold.events_before, *before.events] if e.kind == "freeze-earned"}
        earned_after = [e for e in [*refold.events_after, *after.events] if e.kind == "freeze-earned"]
        changes.lines += [event_note(e) for e in earned_after if e.key not in earned_before]
        if earned_before - {e.key for e in earned_after}:
            changes.lines.append("❄️ The freeze that week earned is withdrawn until it counts again.")
        # News held for a DM about a week that now ended differently no longer holds.
        refolded = {r.monday.isoformat() for r in refold.after}
        still = {e.key for e in refold.events_after}
        self.book.pending = tuple(
            p
            for p in self.book.pending
            if p.split(NOTE_SEP, 1)[0].split(":", 1)[-1] not in refolded or p.split(NOTE_SEP, 1)[0] in still
        )

    def _rewards(
        self, changes: Changes, refold: _Refold, rows: list[WeekRow], was: FoldState, now: FoldState
    ) -> None:
        if now.sessions == was.sessions:
            return
        nearest = self.book.next_reward
        if now.sessions > was.sessions and (nearest is None or now.sessions < nearest):
            return
        rewards = self.uow.rewards.of_runner(self.runner.id)
        updated = reward_rules.refolded(rewards, refold.since, refold.base, rows)
        for old, new in zip(rewards, updated, strict=True):
            if old.unlocked_on != new.unlocked_on:
                self.uow.rewards.save(new)
                if new.unlocked_on is not None:
                    changes.lines.append(reward_rules.unlocked_note(new))
        self.book.next_reward = reward_rules.next_unlock(updated)

    # exercises: bests, catalog groups trained, goals

    def _exercises(self, changes: Changes, added: Entry | None, removed: Sequence[LoggedSet]) -> None:
        ledger, runner_id = self.uow.ledger, self.runner.id
        new_sets = list(added.sets) if added is not None else []
        exercises = sorted({s.exercise for s in [*new_sets, *removed]})
        if added is not None and not removed and added.local_date >= self.today:
            # The newest entry of the day: it is compared with the bests so far, nothing is replayed.
            before = (
                self._bests_before
                if self._bests_before is not None
                else ledger.best_weights(runner_id, exercises)
            )
            fresh = batch_bests(before, new_sets)
            ledger.add_bests(runner_id, fresh)
            changes.prs = [b for b in fresh if b.is_pr]
            if changes.prs and "first-pr" not in self.book.badges:
                self.book.badges["first-pr"] = min(b.local_date for b in changes.prs)
        else:
            gone: list[str] = []
            for exercise in exercises:
                since = min(s.local_date for s in [*new_sets, *removed] if s.exercise == exercise)
                held = ledger.bests(runner_id, [exercise])
                start = best_of(b for b in held if b.local_date < since)
                new = replay(start, self.uow.logbook.exercise_sets(runner_id, exercise, since))
                ledger.replace_bests(runner_id, exercise, since, new)
                old_keys = {b.key for b in held if b.local_date >= since and b.is_pr}
                new_keys = {b.key for b in new if b.is_pr}
                gone += sorted(old_keys - new_keys)
                if added is not None:
                    changes.prs += [
                        b for b in new if b.is_pr and b.entry == added.id and b.key not in old_keys
                    ]
            if gone:
                self.uow.groups.drop_posts(runner_id, gone)
                changes.withdrawn_prs = gone
            first_pr = badge_rules.first(b.local_date for b in ledger.bests(runner_id) if b.is_pr)
            badge_rules.set_badge(self.book.badges, "first-pr", first_pr)
        self._trained(exercises, new_sets, bool(removed))
        self._goals(changes, exercises, new_sets, bool(removed))

    def _trained(self, exercises: list[str], new_sets: list[LoggedSet], removal: bool) -> None:
        lexicon = self.lexicon(exercises)
        if removal:
            for group in {g for e in exercises if (g := lexicon.group(e)) is not None}:
                firsts = self.uow.logbook.first_dates(
                    self.runner.id, self.lexicon(full=True).keys_of_group(group)
                )
                if firsts:
                    self.book.trained[group] = min(firsts.values())
                else:
                    self.book.trained.pop(group, None)
        self.book.trained = trained_groups(new_sets, lexicon, self.book.trained)
        badge_rules.set_badge(self.book.badges, "all-eight", badge_rules.all_eight_day(self.book.trained))

    def _goals(
        self, changes: Changes, exercises: list[str], new_sets: list[LoggedSet], removal: bool
    ) -> None:
        if not removal and not set(exercises) & self.book.goals_open:
            return
        goals = self.uow.logbook.goals(self.runner.id)
        updated = []
        for goal in goals:
            reached = goal.reached_on
            if goal.exercise in exercises:
                if removal:
                    sets = self.uow.logbook.exercise_sets(self.runner.id, goal.exercise, goal.set_on)
                    reached = first_meeting(goal, sets)
                else:
                    reached = badge_rules.first(
                        [reached, *(s.local_date for s in new_sets if goal.met_by(s))]
                    )
                if reached != goal.reached_on:
                    self.uow.logbook.save_goal_reached(self.runner.id, goal.exercise, reached)
                    if goal.reached_on is None:
                        changes.goals.append(replace(goal, reached_on=reached))
            updated.append(replace(goal, reached_on=reached))
        self._goal_badge(updated)

    def _goal_badge(self, goals: Sequence[Goal]) -> None:
        self.book.goals_open = frozenset(g.exercise for g in goals if g.reached_on is None)
        badge_rules.set_badge(
            self.book.badges, "goal-reached", badge_rules.first(g.reached_on for g in goals)
        )

    # groups

    def _groups(self, changes: Changes, moved: list[date]) -> None:
        here_id = self.here[0] if self.here else None
        for group in self.uow.groups.of_runner(self.runner.id):
            members = self.here[1] if self.here is not None and group.id == here_id else None
            keeper = GroupKeeper(self.uow, group.id, self.now, members, acting=(self.runner.id, self.book))
            notes = keeper.weeks_changed(moved, in_chat=group.id == here_id)
            if group.id == here_id:
                changes.group_notes += notes

    def post(self, group_id: int, changes: Changes) -> None:
        """What a log in a group chat announced there, kept for that group's recap."""
        for best in changes.prs:
            self.uow.groups.add_post(group_id, Post(self.runner.id, best.local_date, "pr", best.key))
        for badge in changes.badges:
            day = self.book.badges.get(badge.id, self.today)
            self.uow.groups.add_post(group_id, Post(self.runner.id, day, "badge", f"badge:{badge.id}"))


class GroupKeeper:
    """Keeps a group's derived weeks (every active member hit), its reward and the buddy-week badges.

    ``acting`` is the runner whose command this is, with the book their keeper holds
    (saved by that keeper), so both see the same, newest numbers.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        group_id: int,
        now: datetime,
        members: list[Member] | None = None,
        acting: tuple[int, Book] | None = None,
    ) -> None:
        self.uow = uow
        self.group_id = group_id
        self.now = now
        self._members = members
        self.acting = acting

    @property
    def members(self) -> list[Member]:
        if self._members is None:
            self._members = self.uow.groups.members(self.group_id)
        if self.acting is not None:
            for m in self._members:
                if m.runner.id == self.acting[0]:
                    m.book = self.acting[1]
        return self._members

    def _weeks_of(self, monday: date) -> list[tuple[int, WeekInputs]]:
        """Every member who belongs in the week of ``monday``, with their own week of that Monday."""
        out: list[tuple[int, WeekInputs]] = []
        missing: list[Member] = []
        for m in self.members:
            if not member_counts(m, monday):
                continue
            week = week_of(m.runner, m.book, monday)
            if week is None:
                missing.append(m)
            else:
                out.append((m.runner.id, week))
        if missing:
            rows = self.uow.ledger.week_of([m.runner.id for m in missing], monday)
            for m in missing:
                row = rows.get(m.runner.id)
                week = (
                    row.inputs
                    if row is not None
                    else WeekInputs(monday, target=target_on(target_of(m.runner.profile), monday))
                )
                out.append((m.runner.id, week))
        return out

    def weeks_changed(self, changed: Sequence[date], in_chat: bool = False) -> list[str]:
        """Evaluate these weeks again; returns what to say in the group chat (a buddy week, a reward).

        ``in_chat``: the command came from this group's chat, so a reward it unlocks is
        announced now; otherwise at the next message there.
        """
        self.uow.locks.hold(f"group:{self.group_id}")
        stored = {w.monday: w for w in self.uow.groups.weeks([self.group_id])}
        notes: list[str] = []
        touched: set[int] = set()
        for monday in changed:
            new = group_rules.group_week(self.group_id, monday, self._weeks_of(monday))
            old = stored.get(monday)
            if new == old:
                continue
            self.uow.groups.save_week(self.group_id, monday, new)
            touched |= set(old.hitters if old else ()) | set(new.hitters if new else ())
            if new is None:
                stored.pop(monday)
                continue
            stored[monday] = new
            if old is None and len(new.hitters) >= group_rules.MIN_BUDDY_WEEK:
                count = len(new.hitters)
                notes.append(
                    f"🏅 {BY_ID['buddy-week'].name} for the whole group — {count}/{count} hit target!"
                )
        if touched:
            unlocked = self.refresh_rewards(sorted(stored.values(), key=lambda w: w.monday), announce=in_chat)
            notes += [reward_rules.group_note(r) for r in unlocked]
            self._buddy_badges(touched)
        return notes

    def rebuild(self, until: date) -> None:
        """Every week of the group again, up to ``until`` (after a member joined, left or was deleted)."""
        self.uow.locks.hold(f"group:{self.group_id}")
        old = self.uow.groups.weeks([self.group_id])
        weeks: list[GroupWeek] = []
        if self.members:
            for monday in mondays(min(m.joined_on for m in self.members), until + WEEK):
                found = group_rules.group_week(self.group_id, monday, self._weeks_of(monday))
                if found is not None:
                    weeks.append(found)
        self.uow.groups.replace_weeks(self.group_id, weeks)
        self.refresh_rewards(weeks)
        self._buddy_badges({r for w in [*old, *weeks] for r in w.hitters})

    def refresh_rewards(self, weeks: list[GroupWeek], announce: bool = False) -> list[Reward]:
        """The group rewards' unlock weeks again; returns those newly unlocked (marked told when ``announce``)."""
        unlocked = []
        for reward in self.uow.rewards.of_group(self.group_id):
            updated = group_rules.unlock_group_reward(reward, weeks)
            if updated.unlocked_on is not None and reward.unlocked_on is None and announce:
                updated = replace(updated, announced=True)
                unlocked.append(updated)
            if updated != reward:
                self.uow.rewards.save(updated)
        return unlocked

    def _buddy_badges(self, runner_ids: set[int]) -> None:
        """The buddy-week badge of each runner again, from the weeks of every group they are in."""
        for member in self.members:
            runner_id = member.runner.id
            if runner_id not in runner_ids:
                continue
            groups = [g.id for g in self.uow.groups.of_runner(runner_id)]
            day = group_rules.buddy_day(runner_id, self.uow.groups.weeks(groups))
            if member.book.badges.get("buddy-week") == day:
                continue
            acting = self.acting is not None and runner_id == self.acting[0]
            if not acting:
                # Another runner's book: take their lock and read it fresh, so no change of theirs is lost.
                self.uow.locks.hold(f"runner:{member.runner.platform}:{member.runner.user_id}")
                fresh = self.uow.runners.get(runner_id)
                if fresh is None or fresh[1] is None:
                    continue
                member.book = fresh[1]
            badge_rules.set_badge(member.book.badges, "buddy-week", day)
            if day is None:
                self.uow.groups.drop_posts(runner_id, ["badge:buddy-week"])
            if not acting:
                self.uow.ledger.save_book(runner_id, member.book)
