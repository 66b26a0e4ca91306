"""The weekly group recap: who hit target, streaks, new badges and PRs, the group reward."""

from __future__ import annotations

from datetime import date, timedelta

from core import texts
from core.badges import BY_ID
from core.groups import member_weeks, tally
from core.messages import Reply
from core.ports import UnitOfWork
from core.rewards import current_group_reward, group_line
from core.streak_keeper import streak_after_week
from core.weeks import week_start


def render_group_recap(uow: UnitOfWork, group_id: int, week_start_: date) -> Reply:
    """The recap of the closed week starting ``week_start_`` (a Monday) for one group.

    Hidden members are counted but not named; PRs and badges appear only when
    the member posted them in this group chat (buddy-week is the group's own).
    """
    monday = week_start(week_start_)
    sunday = monday + timedelta(days=6)
    group = uow.group_by_id(group_id)
    if group is None:
        return Reply("")
    members = uow.members(group_id)
    title = f"Week of {texts.day_label(monday)} — {group.title}"
    if not members:
        return Reply("Nobody in the group that week.", title=title)
    weeks = member_weeks(uow, members, monday)
    hit, total = tally(weeks)
    shown = [w for w in weeks if not w.runner.hidden]
    lines = [f"{hit}/{total} hit target." if total else "Everyone was paused."]
    winners = [f"{w.runner.name} ({w.sessions}/{w.target})" for w in shown if w.hit]
    if winners:
        lines.append("On target: " + ", ".join(winners))
    paused = [w.runner.name for w in shown if w.paused and not w.hit]
    if paused:
        lines.append("Paused: " + ", ".join(paused))
    streaks = []
    for w in shown:
        current = streak_after_week(uow, w.runner, w.member.streak, monday)
        if current:
            streaks.append((current, w.runner.name))
    if streaks:
        streaks.sort(key=lambda s: (-s[0], s[1].lower()))
        lines.append("Streaks: " + ", ".join(f"{name} 🔥{n}" for n, name in streaks))
    names = {w.runner.id: w.runner.name for w in shown}
    news = [
        f"{names[item.runner_id]}: {'🏆 PR ' if item.kind == 'pr' else '🏅 '}{item.text}"
        for item in uow.feed(group_id, monday, sunday)
        if item.runner_id in names
    ]
    buddy = uow.badges_between(list(names), monday, sunday)
    if any("buddy-week" in ids for ids in buddy.values()):
        news.append(f"🏅 {BY_ID['buddy-week'].name} for the whole group!")
    if news:
        lines.append("New this week:")
        lines += [f"• {n}" for n in news]
    lines.append(group_line(current_group_reward(uow.group_rewards(group_id))))
    return Reply("\n".join(lines), title=title)
