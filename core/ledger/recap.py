"""The weekly group recap: who hit target, streaks, the PRs and badges posted there, the group reward."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from core import texts
from core.ledger.badges import BY_ID
from core.ledger.groups import MIN_BUDDY_WEEK
from core.ledger.inputs import target_of
from core.ledger.model import Group, Member, Post, Reward, Status, WeekInputs, WeekRow
from core.ledger.rewards import current_group_reward, group_line
from core.ledger.streaks import state_after
from core.ledger.views import first_monday, member_counts, standing_of, tally, today_of, week_of
from core.messages import Reply
from core.ports import UnitOfWork
from core.training.lexicon import CATALOG, Lexicon
from core.training.units import show_weight
from core.weeks import week_end, week_start


@dataclass(frozen=True)
class RecapMember:
    """One member's week of the recap: their own week of that Monday and their streak once it ended."""

    name: str
    hidden: bool
    week: WeekInputs
    streak: int

    @property
    def status(self) -> Status:
        return self.week.status


def streak_after(member: Member, monday: date, now: datetime, kept: WeekRow | None = None) -> int:
    """The member's streak once their week of ``monday`` ended (this week's standing while it runs)."""
    runner, book = member.runner, member.book
    today = today_of(runner, now)
    if monday >= week_start(today):
        return standing_of(runner, book, now).current
    row = book.closed if book.closed is not None and book.closed.monday == monday else kept
    return state_after(book, monday, target_of(runner.profile), first_monday(runner, today), row).current


def pr_text(key: str, units: str, lexicon: Lexicon = CATALOG) -> str:
    """``Goblet squat 25 kg × 8`` from a PR's key (see :attr:`Best.key`)."""
    exercise, reps, weight, _ = key.split(":", 1)[1].split(":")
    return f"{lexicon.label(exercise)} {show_weight(float(weight), units)} × {reps}"  # type: ignore[arg-type]


def news_line(post: Post, name: str, units: str) -> str | None:
    """``Ana: 🏆 PR Squat 25 kg × 8`` or ``Ana: 🏅 First PR`` from a post's key."""
    kind, _, rest = post.key.partition(":")
    if kind == "badge":
        badge = BY_ID.get(rest)
        return f"{name}: 🏅 {badge.name}" if badge else None
    return f"{name}: 🏆 PR {pr_text(post.key, units)}"


def render_recap(
    group: Group,
    monday: date,
    members: Sequence[RecapMember],
    news: Sequence[str],
    buddy: bool,
    reward: Reward | None,
) -> Reply:
    """The recap text of the week of ``monday``. Hidden members are counted but not named."""
    title = f"Week of {texts.day_label(monday)} — {group.title}"
    if not members:
        return Reply("Nobody in the group that week.", title=title)
    hit, total = tally([m.status for m in members])
    shown = [m for m in members if not m.hidden]
    lines = [f"{hit}/{total} hit target." if total else "Everyone was paused."]
    winners = [f"{m.name} ({m.week.sessions}/{m.week.target})" for m in shown if m.status == "hit"]
    if winners:
        lines.append("On target: " + texts.named(winners))
    paused = [m.name for m in shown if m.status == "paused"]
    if paused:
        lines.append("Paused: " + texts.named(paused))
    streaks = sorted(((m.streak, m.name) for m in shown if m.streak), key=lambda s: (-s[0], s[1].lower()))
    if streaks:
        lines.append("Streaks: " + texts.named([f"{name} 🔥{n}" for n, name in streaks]))
    items = texts.listed(list(news), "more PRs and badges")
    if buddy:
        items.append(f"🏅 {BY_ID['buddy-week'].name} for the whole group!")
    if items:
        lines.append("New this week:")
        lines += [f"• {n}" for n in items]
    lines.append(group_line(reward))
    return Reply("\n".join(lines), title=title)


def group_recap(
    uow: UnitOfWork, group: Group, monday: date, now: datetime, members: Sequence[Member] | None = None
) -> Reply:
    """The recap of the week of ``monday`` for one group, read from the store (``members``: the
    group's members with their books when the caller has them loaded already).

    PRs and badges appear only when the member announced them in this group's
    chat; each member's week is their own week of that Monday.
    """
    loaded = uow.groups.members(group.id) if members is None else members
    counted = [m for m in loaded if member_counts(m, monday)]
    weeks = [week_of(m.runner, m.book, monday) for m in counted]
    missing = [m.runner.id for m, week in zip(counted, weeks, strict=True) if week is None]
    rows = uow.ledger.week_of(missing, monday) if missing else {}
    recap_members = []
    for m, held in zip(counted, weeks, strict=True):
        row = rows.get(m.runner.id)
        week = held or (row.inputs if row else WeekInputs(monday))
        recap_members.append(
            RecapMember(m.runner.name, m.runner.hidden, week, streak_after(m, monday, now, row))
        )
    shown = {m.runner.id: m.runner for m in counted if not m.runner.hidden}
    news = []
    for post in uow.groups.posts(group.id, monday, week_end(monday)):
        runner = shown.get(post.runner_id)
        line = news_line(post, runner.name, runner.profile.units) if runner else None
        if line:
            news.append(line)
    buddy = any(w.monday == monday and len(w.hitters) >= MIN_BUDDY_WEEK for w in uow.groups.weeks([group.id]))
    reward = current_group_reward(uow.rewards.of_group(group.id))
    return render_recap(group, monday, recap_members, news, buddy, reward)
