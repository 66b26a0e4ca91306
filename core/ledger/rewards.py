"""Rewards: personal ones unlocked by a number of completed sessions, the group's by a week everyone hits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from core import texts
from core.ledger.model import FoldState, Reward, WeekRow

MAX_OPEN_PERSONAL = 10


def personal_reward(text: str, after: int, sessions_so_far: int, today: date, runner_id: int) -> Reward:
    """A personal reward unlocked after ``after`` more completed sessions."""
    return Reward(0, text, today, runner_id=runner_id, after=after, unlock_at=sessions_so_far + after)


def group_reward(text: str, today: date, group_id: int) -> Reward:
    return Reward(0, text, today, group_id=group_id)


def unlock_day(unlock_at: int, before: FoldState, rows: Sequence[WeekRow]) -> date | None:
    """The day the session total reached ``unlock_at`` within ``rows`` (folded from ``before``)."""
    state = before
    for row in rows:
        if state.sessions < unlock_at <= row.after.sessions:
            return row.inputs.day(unlock_at - state.sessions)
        state = row.after
    return None


def refolded(
    rewards: Sequence[Reward], since: date, before: FoldState, rows: Sequence[WeekRow]
) -> list[Reward]:
    """Personal rewards with their unlock day redone for the weeks from ``since`` (those unlocked before stay)."""
    out = []
    for reward in rewards:
        if reward.unlock_at is None or (reward.unlocked_on is not None and reward.unlocked_on < since):
            out.append(reward)
            continue
        day = (
            unlock_day(reward.unlock_at, before, rows)
            if before.sessions < reward.unlock_at
            else reward.unlocked_on
        )
        out.append(replace(reward, unlocked_on=day))
    return out


def next_unlock(rewards: Sequence[Reward]) -> int | None:
    """The session total at which the nearest personal reward still locked unlocks."""
    return min(
        (r.unlock_at for r in rewards if r.unlocked_on is None and r.unlock_at is not None), default=None
    )


def personal_line(reward: Reward, sessions_done: int) -> str:
    if reward.unlocked_on is not None:
        return f"✓ {reward.text} — earned {texts.day_label(reward.unlocked_on)}"
    left = max(0, (reward.unlock_at or 0) - sessions_done)
    return f"• {reward.text} — {texts.plural(left, 'more session')} to go"


def unlocked_note(reward: Reward) -> str:
    return f"🎁 Reward unlocked: {reward.text} — you earned it!"


def group_note(reward: Reward) -> str:
    return (
        f"🎁 Group reward unlocked: {reward.text}! Everyone hit their target this week — enjoy it together."
    )


def group_line(reward: Reward | None) -> str:
    if reward is None:
        return "No group reward yet — an admin can set one: /reward pizza night"
    if reward.unlocked_on is not None:
        return f"Group reward: {reward.text} — unlocked {texts.day_label(reward.unlocked_on)} 🎉"
    return f"Group reward: {reward.text} — unlocks the first week everyone hits target."


def current_group_reward(rewards: Sequence[Reward]) -> Reward | None:
    """The open reward if there is one, else the latest unlocked."""
    open_rewards = [r for r in rewards if r.unlocked_on is None]
    if open_rewards:
        return open_rewards[-1]
    return rewards[-1] if rewards else None


def export_rows(personal: Sequence[Reward]) -> list[dict[str, object]]:
    return [
        {
            "text": r.text,
            "kind": "personal",
            "after": r.after,
            "set_on": r.set_on.isoformat(),
            "unlocked_on": r.unlocked_on.isoformat() if r.unlocked_on else None,
        }
        for r in personal
    ]
