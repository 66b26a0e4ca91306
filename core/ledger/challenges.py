"""A group challenge's progress: one function, for /challenge and the end announcement alike.

A session counts on the days a member completed one, from the later of the challenge's start and
the day they joined, through its end. Nothing here touches a streak or a week.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from core import texts
from core.ledger.model import Challenge, Member
from core.messages import Reply
from core.ports import UnitOfWork


@dataclass(frozen=True)
class Progress:
    challenge: Challenge
    total: int
    counts: tuple[tuple[Member, int], ...]  # every member, most sessions first
    days_left: int
    by_day: tuple[tuple[date, int], ...] = ()  # the group's sessions so far, day by day (cumulative)

    @property
    def each_done(self) -> int:
        each = self.challenge.each
        return sum(1 for _, n in self.counts if each is not None and n >= each)

    @property
    def met(self) -> bool:
        c = self.challenge
        goal_met = c.goal is None or self.total >= c.goal
        each_met = c.each is None or (bool(self.counts) and self.each_done == len(self.counts))
        return goal_met and each_met

    @property
    def contributors(self) -> list[Member]:
        return [m for m, n in self.counts if n > 0]


def progress(uow: UnitOfWork, challenge: Challenge, members: list[Member], today: date) -> Progress:
    through = min(today, challenge.end_on)
    done = uow.ledger.done_days([m.runner.id for m in members], challenge.start_on, challenge.end_on)
    counts = []
    per_day: Counter[date] = Counter()
    for m in members:
        since = max(challenge.start_on, m.joined_on)
        days = [d for d in done.get(m.runner.id, ()) if since <= d <= through]
        per_day.update(days)
        counts.append((m, len(days)))
    counts.sort(key=lambda mc: (-mc[1], mc[0].seq))
    days_left = max(0, (challenge.end_on - today).days + 1)
    running, by_day = 0, []
    for day in sorted(per_day):
        running += per_day[day]
        by_day.append((day, running))
    return Progress(challenge, sum(n for _, n in counts), tuple(counts), days_left, tuple(by_day))


def bar(done: int, goal: int, width: int = 10) -> str:
    filled = min(width, done * width // goal) if goal else 0
    return "▓" * filled + "░" * (width - filled)


def lines(p: Progress) -> list[str]:
    """The progress in words: totals, the bar, what the per-member goal came to."""
    c = p.challenge
    out = []
    if c.goal is not None:
        pct = min(100, p.total * 100 // c.goal)
        out.append(f"{bar(p.total, c.goal)} {p.total:,}/{c.goal:,} sessions ({pct}%)")
    else:
        out.append(f"{p.total:,} sessions so far")
    if c.each is not None:
        out.append(f"Each member {c.each}: {p.each_done}/{len(p.counts)} there")
    return out


def goal_words(c: Challenge) -> str:
    parts = []
    if c.goal is not None:
        parts.append(f"{c.goal:,} sessions together")
    if c.each is not None:
        parts.append(f"{c.each} sessions each")
    return " and ".join(parts)


def progress_reply(p: Progress) -> Reply:
    c = p.challenge
    shown = [f"• {m.runner.name} — {n}" for m, n in p.counts if not m.runner.hidden]
    body = [*lines(p), f"{p.days_left} day{'s' if p.days_left != 1 else ''} left (until {c.end_on:%a %d %b})"]
    body += texts.listed(shown)
    return Reply("\n".join(body), title=f"{c.name} — {goal_words(c)}")


def end_reply(p: Progress) -> Reply:
    """What every linked chat is told, once, the day after the challenge ends."""
    c = p.challenge
    verdict = "goal met! 🎉" if p.met else "the goal wasn't reached this time — thanks for every session."
    names = [m.runner.name for m in p.contributors if not m.runner.hidden]
    body = [*lines(p), f"🏁 “{c.name}” is over: {verdict}"]
    if names:
        body.append(f"Sessions from {texts.named(names)}.")
    return Reply("\n".join(body), title=f"{c.name} — the end")
