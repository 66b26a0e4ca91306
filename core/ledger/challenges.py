"""A group challenge's progress: one function, for /challenge and the end announcement alike.

A session counts on the days a member completed one, from the later of the challenge's start and
the day they joined, through its end. Nothing here touches a streak or a week.

The badge (named for the challenge) goes, when the challenge ends with its goal met, to each member
who counted for it: with a group goal (``goal=120``) every member with at least one session once the
group's total is reached; with a per-member goal (``each=8``) each member who reached their own eight
— one member's short count never costs another their badge; with both, the total must be reached and
each earner must reach their own number. A challenge stopped early (``/challenge stop``) gives none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core import texts
from core.ledger.badges import CHALLENGE_PREFIX, challenge_badge_id
from core.ledger.model import Challenge, ChallengeBadge, Member
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

    @property
    def earners(self) -> list[Member]:
        """Who earns the challenge's badge at its end (see the module's rule); none if it was stopped."""
        c = self.challenge
        if c.stopped_on is not None or (c.goal is not None and self.total < c.goal):
            return []
        return [m for m, n in self.counts if n > 0 and (c.each is None or n >= c.each)]


def held_badges(
    uow: UnitOfWork, runner_id: int, book_badges: Iterable[str] | None = None
) -> list[ChallengeBadge]:
    """The challenge badges of the runner — a merged runner's include the other account's. With
    ``book_badges``, the store is read only if the book holds any."""
    if book_badges is not None and not any(b.startswith(CHALLENGE_PREFIX) for b in book_badges):
        return []
    merge = uow.merges.of(runner_id)
    accounts = [runner_id] + ([merge.other_id] if merge is not None and merge.runner_id == runner_id else [])
    return uow.challenges.badges(accounts)


def award(uow: UnitOfWork, p: Progress) -> None:
    """The badge for each earner, once: kept as a record, and in their book (where /badges reads it)."""
    earners = p.earners
    uow.challenges.award(p.challenge, [m.runner.id for m in earners], p.challenge.end_on)
    badge_id = challenge_badge_id(p.challenge.id)
    for m in earners:
        if badge_id not in m.book.badges:
            m.book.badges[badge_id] = p.challenge.end_on
            uow.ledger.save_book(m.runner.id, m.book)


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


def _shown(members: list[Member]) -> str:
    """Names of those who haven't hidden; the hidden only counted."""
    names = [m.runner.name for m in members if not m.runner.hidden]
    hidden = len(members) - len(names)
    if not names:
        return f"{hidden:,} member{'s' if hidden != 1 else ''}"
    return texts.named(names) + (f" and {hidden:,} more" if hidden else "")


def end_reply(p: Progress) -> Reply:
    """What every linked chat is told, once, the day after the challenge ends."""
    c = p.challenge
    earners = p.earners
    if p.met:
        verdict = "goal met! 🎉"
    elif earners:
        verdict = f"{len(earners):,} of {len(p.counts):,} members reached their {c.each} 🎉"
    else:
        verdict = "the goal wasn't reached this time — thanks for every session."
    names = [m.runner.name for m in p.contributors if not m.runner.hidden]
    body = [*lines(p), f"🏁 “{c.name}” is over: {verdict}"]
    if names:
        body.append(f"Sessions from {texts.named(names)}.")
    if earners:
        body.append(f"🏅 Badge “{c.name}” for {_shown(earners)} — /badges shows it.")
    return Reply("\n".join(body), title=f"{c.name} — the end")


def stop_reply(p: Progress) -> Reply:
    """What every linked chat is told, once, when an admin stops the challenge early."""
    c = p.challenge
    body = [
        *lines(p),
        f"🛑 “{c.name}” was stopped early by an admin. No badge for a stopped challenge; "
        "streaks are untouched. An admin can start a new one with /challenge start.",
    ]
    return Reply("\n".join(body), title=f"{c.name} — stopped")
