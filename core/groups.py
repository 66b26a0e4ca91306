"""Buddy groups: the group's week, who has hit target, admins, and the group reward and buddy-week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.accountability_model import Group, Member
from core.badges import BY_ID
from core.model import Runner
from core.ports import UnitOfWork
from core.weeks import is_paused, local_day, week_start

MIN_BUDDY_WEEK = 2


@dataclass(frozen=True)
class MemberWeek:
    """One member's count in the group's week."""

    member: Member
    sessions: int
    target: int
    paused: bool

    @property
    def runner(self) -> Runner:
        return self.member.runner

    @property
    def hit(self) -> bool:
        return self.sessions >= self.target


def group_monday(group: Group, now: datetime) -> date:
    """The Monday of the group's current week, in the group's time zone."""
    return week_start(local_day(now, group.tz))


def member_weeks(uow: UnitOfWork, members: list[Member], monday: date) -> list[MemberWeek]:
    rows = uow.week_counts([m.runner.id for m in members], monday)
    out = []
    for m in members:
        row = rows.get(m.runner.id)
        target = row.target if row is not None and row.state != "open" else m.runner.profile.sessions
        out.append(MemberWeek(m, row.sessions if row else 0, target, is_paused(m.runner, monday)))
    return out


def tally(weeks: list[MemberWeek]) -> tuple[int, int]:
    """Members who hit target and members expected to (paused members are left out of both)."""
    active = [w for w in weeks if not w.paused]
    return sum(1 for w in active if w.hit), len(active)


def progress_line(weeks: list[MemberWeek]) -> str:
    hit, total = tally(weeks)
    if total == 0:
        return "Everyone here is paused this week."
    return f"{hit}/{total} have hit this week."


def is_admin(incoming_admin: bool | None, runner: Runner, members: list[Member]) -> bool:
    """The platform's word when it has one; otherwise the first member who joined (the console rule)."""
    if incoming_admin is not None:
        return incoming_admin
    return bool(members) and members[0].runner.id == runner.id


def admin_name(members: list[Member]) -> str:
    return members[0].runner.name if members else "the first member to /join"


def reward_note(text: str) -> str:
    return f"🎁 Group reward unlocked: {text}! Everyone hit their target this week — enjoy it together."


def check_group_week(uow: UnitOfWork, group: Group, monday: date, today: date) -> tuple[str, set[int]]:
    """When every active member has hit target in the week of ``monday``: unlock the open group
    reward (announced in the group chat by :func:`unannounced_rewards`) and award buddy-week.

    Returns a note for the group when buddy-week was newly earned, and who earned it.
    """
    members = uow.members(group.id)
    weeks = member_weeks(uow, members, monday)
    hit, total = tally(weeks)
    if total == 0 or hit < total:
        return "", set()
    for reward in uow.group_rewards(group.id):
        if reward.unlocked_on is None:
            uow.unlock_reward(reward.id, today, monday, announced=False)
    earned: set[int] = set()
    if total >= MIN_BUDDY_WEEK:
        for w in weeks:
            if not w.paused and uow.award_badge(w.runner.id, "buddy-week", today):
                earned.add(w.runner.id)
    if not earned:
        return "", earned
    return f"🏅 {BY_ID['buddy-week'].name} for the whole group — {total}/{total} hit target!", earned


def unannounced_rewards(uow: UnitOfWork, group: Group) -> list[str]:
    """Group rewards unlocked while nobody was in the group chat; marked announced once read."""
    notes = []
    for reward in uow.group_rewards(group.id):
        if reward.unlocked_on is not None and not reward.announced:
            uow.mark_reward_announced(reward.id)
            notes.append(reward_note(reward.text))
    return notes


def member_left(uow: UnitOfWork, platform: str, chat_id: str, user_id: str) -> bool:
    """A member left the group chat: they leave the buddy group too."""
    group, runner = uow.group(platform, chat_id), uow.get_runner(platform, user_id)
    if group is None or runner is None:
        return False
    return uow.remove_member(group.id, runner.id)


def chat_closed(uow: UnitOfWork, platform: str, chat_id: str) -> bool:
    """The bot was removed from the chat: the group, its reward and its feed go."""
    group = uow.group(platform, chat_id)
    if group is None:
        return False
    uow.delete_group(group.id)
    return True
