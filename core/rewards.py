"""Rewards: personal ones unlocked by completed sessions, the group's by a week everyone hits target."""

from __future__ import annotations

from datetime import date

from core import texts
from core.accountability_model import Reward
from core.model import Runner
from core.ports import UnitOfWork

MAX_OPEN_PERSONAL = 10


def personal_reward(text: str, after: int, sessions_so_far: int, today: date, runner_id: int) -> Reward:
    """A personal reward unlocked after ``after`` more completed sessions."""
    return Reward(0, text, today, runner_id=runner_id, after=after, unlock_at=sessions_so_far + after)


def group_reward(text: str, today: date, group_id: int) -> Reward:
    return Reward(0, text, today, group_id=group_id)


def unlock_personal(uow: UnitOfWork, runner: Runner, today: date) -> list[str]:
    """Unlock every personal reward whose session count is reached; one note each."""
    open_rewards = [r for r in uow.runner_rewards(runner.id) if r.unlocked_on is None]
    if not open_rewards:
        return []
    done = uow.count_sessions(runner.id)
    notes = []
    for reward in open_rewards:
        if reward.unlock_at is not None and done >= reward.unlock_at:
            uow.unlock_reward(reward.id, today, None, announced=True)
            notes.append(f"🎁 Reward unlocked: {reward.text} — you earned it!")
    return notes


def personal_line(reward: Reward, sessions_done: int) -> str:
    if reward.unlocked_on is not None:
        return f"✓ {reward.text} — earned {texts.day_label(reward.unlocked_on)}"
    left = max(0, (reward.unlock_at or 0) - sessions_done)
    return f"• {reward.text} — {left} more session{'s' if left != 1 else ''} to go"


def group_line(reward: Reward | None) -> str:
    if reward is None:
        return "No group reward yet — an admin can set one: /reward pizza night"
    if reward.unlocked_on is not None:
        return f"Group reward: {reward.text} — unlocked {texts.day_label(reward.unlocked_on)} 🎉"
    return f"Group reward: {reward.text} — unlocks the first week everyone hits target."


def current_group_reward(rewards: list[Reward]) -> Reward | None:
    """The open reward if there is one, else the latest unlocked."""
    open_rewards = [r for r in rewards if r.unlocked_on is None]
    if open_rewards:
        return open_rewards[-1]
    return rewards[-1] if rewards else None


def export_rows(personal: list[Reward]) -> list[dict[str, object]]:
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
