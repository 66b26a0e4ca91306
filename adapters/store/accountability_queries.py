"""Store queries for streaks, badges, rewards and buddy groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.store.memo import Memo
from adapters.store.tables import (
    badges,
    group_feed,
    group_members,
    rewards,
    runners,
    sessions_done,
    streaks,
    weeks,
)
from core.accountability_model import EarnedBadge, Reward, StreakState, WeekRow

T = TypeVar("T")

# Statements read on every /log are built once (see adapters/store/unit_of_work.py).
_STREAK = select(streaks).where(streaks.c.runner_id == bindparam("runner_id"))
_WEEK_ROWS = select(weeks).where(
    weeks.c.runner_id == bindparam("runner_id"),
    weeks.c.week_start >= bindparam("start"),
    weeks.c.week_start <= bindparam("end"),
)
_WEEK_COUNTS = select(weeks).where(
    weeks.c.runner_id.in_(bindparam("runner_ids", expanding=True)), weeks.c.week_start == bindparam("monday")
)
_BADGES = (
    select(badges.c.badge_id, badges.c.earned_on)
    .where(badges.c.runner_id == bindparam("runner_id"))
    .order_by(badges.c.earned_on, badges.c.id)
)
_GROUP_REWARDS = select(rewards).where(rewards.c.group_id == bindparam("group_id")).order_by(rewards.c.id)

_NOTE_SEP = "\x1e"


def state_from_row(r: object, prefix: str = "") -> StreakState:
    m = r._mapping  # type: ignore[attr-defined]
    return StreakState(
        m[prefix + "current"], m[prefix + "best"], m[prefix + "freezes"], m[prefix + "toward_freeze"]
    )


def _week(r: object) -> WeekRow:
    m = r._mapping  # type: ignore[attr-defined]
    after = None
    if m["after_current"] is not None:
        after = StreakState(m["after_current"], m["after_best"], m["after_freezes"], m["after_toward"])
    return WeekRow(m["week_start"], m["sessions"], m["target"], m["state"], after)


def _reward(r: object) -> Reward:
    m = r._mapping  # type: ignore[attr-defined]
    return Reward(
        id=m["id"],
        text=m["text"],
        set_on=m["set_on"],
        runner_id=m["runner_id"],
        group_id=m["group_id"],
        after=m["after_sessions"],
        unlock_at=m["unlock_at"],
        unlocked_on=m["unlocked_on"],
        week_start=m["week_start"],
        announced=bool(m["announced"]),
    )


class AccountabilityQueries(Memo):
    """Store methods for streaks, weekly aggregates, badges and rewards."""

    # streaks and weekly aggregates
    def streak_state(self, runner_id: int) -> StreakState | None:
        return self._remember(("streaks", "state", runner_id), lambda: self._load_streak_state(runner_id))

    def _load_streak_state(self, runner_id: int) -> StreakState | None:
        row = self.conn.execute(_STREAK, {"runner_id": runner_id}).first()
        if row is None:
            return None
        state = state_from_row(row)
        return StreakState(state.current, state.best, state.freezes, state.toward_freeze, row.settled_until)

    def save_streak_state(self, runner_id: int, state: StreakState) -> None:
        values = {
            "current": state.current,
            "best": state.best,
            "freezes": state.freezes,
            "toward_freeze": state.toward_freeze,
            "settled_until": state.settled_until,
        }
        self._forget("streaks")
        done = self.conn.execute(update(streaks).where(streaks.c.runner_id == runner_id).values(**values))
        if done.rowcount == 0:
            self.conn.execute(insert(streaks).values(runner_id=runner_id, pending="", **values))

    def pending_notes(self, runner_id: int) -> list[str]:
        text = self._remember(
            ("streaks", "pending", runner_id),
            lambda: self.conn.execute(
                select(streaks.c.pending).where(streaks.c.runner_id == runner_id)
            ).scalar(),
        )
        return [n for n in (text or "").split(_NOTE_SEP) if n]

    def set_pending_notes(self, runner_id: int, notes: Sequence[str]) -> None:
        text = _NOTE_SEP.join(notes)[-1000:]
        self._forget("streaks")
        self.conn.execute(update(streaks).where(streaks.c.runner_id == runner_id).values(pending=text))

    def week_rows(self, runner_id: int, start: date, end: date) -> dict[date, WeekRow]:
        def load() -> dict[date, WeekRow]:
            rows = self.conn.execute(_WEEK_ROWS, {"runner_id": runner_id, "start": start, "end": end})
            return {r.week_start: _week(r) for r in rows}

        return dict(self._remember(("weeks", runner_id, start, end), load))

    def last_week_row_before(self, runner_id: int, monday: date) -> WeekRow | None:
        row = self.conn.execute(
            select(weeks)
            .where(weeks.c.runner_id == runner_id, weeks.c.week_start < monday)
            .order_by(weeks.c.week_start.desc())
            .limit(1)
        ).first()
        return _week(row) if row else None

    def save_week(self, runner_id: int, row: WeekRow) -> None:
        self._forget("weeks")
        after = row.after
        values = {
            "sessions": row.sessions,
            "target": row.target,
            "state": row.state,
            "after_current": after.current if after else None,
            "after_best": after.best if after else None,
            "after_freezes": after.freezes if after else None,
            "after_toward": after.toward_freeze if after else None,
        }
        key = and_(weeks.c.runner_id == runner_id, weeks.c.week_start == row.week_start)
        if self.conn.execute(update(weeks).where(key).values(**values)).rowcount == 0:
            self.conn.execute(insert(weeks).values(runner_id=runner_id, week_start=row.week_start, **values))

    def week_counts(self, runner_ids: Sequence[int], monday: date) -> dict[int, WeekRow]:
        if not runner_ids:
            return {}
        rows = self.conn.execute(_WEEK_COUNTS, {"runner_ids": list(runner_ids), "monday": monday})
        return {r.runner_id: _week(r) for r in rows}

    def count_sessions(self, runner_id: int) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(sessions_done).where(sessions_done.c.runner_id == runner_id)
            ).scalar_one()
        )

    # runner flags
    def set_pause(self, runner_id: int, start: date | None, until: date | None) -> None:
        self.conn.execute(
            update(runners).where(runners.c.id == runner_id).values(paused_from=start, paused_until=until)
        )

    def set_hidden(self, runner_id: int, hidden: bool) -> None:
        self.conn.execute(update(runners).where(runners.c.id == runner_id).values(hidden=hidden))

    # badges
    def badges(self, runner_id: int) -> list[EarnedBadge]:
        rows = self.conn.execute(_BADGES, {"runner_id": runner_id})
        return [EarnedBadge(b, d) for b, d in rows]

    def award_badge(self, runner_id: int, badge_id: str, day: date) -> bool:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(badges).values(runner_id=runner_id, badge_id=badge_id, earned_on=day)
                )
        except IntegrityError:
            return False
        return True

    def badges_between(self, runner_ids: Sequence[int], start: date, end: date) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        if runner_ids:
            rows = self.conn.execute(
                select(badges.c.runner_id, badges.c.badge_id)
                .where(
                    badges.c.runner_id.in_(list(runner_ids)),
                    badges.c.earned_on >= start,
                    badges.c.earned_on <= end,
                )
                .order_by(badges.c.id)
            )
            for runner_id, badge_id in rows:
                out[runner_id].append(badge_id)
        return dict(out)

    # rewards
    def add_reward(self, reward: Reward) -> int:
        self._forget("rewards")
        return int(
            self.conn.execute(
                insert(rewards)
                .values(
                    runner_id=reward.runner_id,
                    group_id=reward.group_id,
                    text=reward.text,
                    after_sessions=reward.after,
                    unlock_at=reward.unlock_at,
                    set_on=reward.set_on,
                    unlocked_on=reward.unlocked_on,
                    week_start=reward.week_start,
                    announced=reward.announced,
                )
                .returning(rewards.c.id)
            ).scalar_one()
        )

    def runner_rewards(self, runner_id: int) -> list[Reward]:
        rows = self.conn.execute(
            select(rewards).where(rewards.c.runner_id == runner_id).order_by(rewards.c.id)
        )
        return [_reward(r) for r in rows]

    def group_rewards(self, group_id: int) -> list[Reward]:
        def load() -> list[Reward]:
            return [_reward(r) for r in self.conn.execute(_GROUP_REWARDS, {"group_id": group_id})]

        return list(self._remember(("rewards", "group", group_id), load))

    def unlock_reward(self, reward_id: int, day: date, week: date | None, announced: bool) -> None:
        self._forget("rewards")
        self.conn.execute(
            update(rewards)
            .where(rewards.c.id == reward_id, rewards.c.unlocked_on.is_(None))
            .values(unlocked_on=day, week_start=week, announced=announced)
        )

    def mark_reward_announced(self, reward_id: int) -> None:
        self._forget("rewards")
        self.conn.execute(update(rewards).where(rewards.c.id == reward_id).values(announced=True))

    def drop_open_group_rewards(self, group_id: int) -> None:
        self._forget("rewards")
        self.conn.execute(
            delete(rewards).where(rewards.c.group_id == group_id, rewards.c.unlocked_on.is_(None))
        )

    def delete_accountability(self, runner_id: int) -> None:
        self._memo.clear()
        """Everything issue 3 keeps about a runner (called by ``delete_runner``)."""
        for table in (group_feed, group_members, rewards, badges, weeks, streaks):
            self.conn.execute(delete(table).where(table.c.runner_id == runner_id))
