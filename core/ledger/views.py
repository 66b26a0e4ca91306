"""The facts every screen reads, one function each: a runner's day, standing and week in a group."""

from __future__ import annotations

from datetime import date, datetime

from core.ledger.inputs import target_of
from core.ledger.model import Book, Member, Status, WeekInputs
from core.ledger.streaks import Standing, open_inputs, standing
from core.training.model import Runner
from core.weeks import local_day, week_end, week_start


def today_of(runner: Runner, now: datetime) -> date:
    """The runner's local date: every week of theirs is Monday–Sunday in their own zone."""
    return local_day(now, runner.profile.tz)


def first_monday(runner: Runner, fallback: date) -> date:
    return week_start(runner.created_on or fallback)


def standing_of(runner: Runner, book: Book, now: datetime) -> Standing:
    """The streak, freezes and this week's count that /streak, /leaderboard, /group, the recap and exports show."""
    today = today_of(runner, now)
    return standing(book, today, target_of(runner.profile), first_monday(runner, today))


def week_of(runner: Runner, book: Book, monday: date) -> WeekInputs | None:
    """The runner's inputs for the week of ``monday``; ``None`` when it is older than the book keeps at hand."""
    closed = book.closed
    if closed is not None and monday == closed.monday:
        return closed.inputs
    if closed is not None and monday < closed.monday:
        return None
    return open_inputs(book, monday, target_of(runner.profile))


def member_counts(member: Member, monday: date) -> bool:
    """Whether a member belongs in the group's tally for the week of ``monday`` (joined by its end)."""
    return member.joined_on <= week_end(monday)


def member_status(member: Member, now: datetime) -> tuple[WeekInputs, Status]:
    """A member's own current week (in their own zone) and how it stands: hit, paused or short."""
    week = standing_of(member.runner, member.book, now).week.inputs
    return week, week.status


def tally(statuses: list[Status]) -> tuple[int, int]:
    """Members who hit target, and members expected to (a paused member who fell short is excused)."""
    hit = sum(1 for s in statuses if s == "hit")
    return hit, hit + sum(1 for s in statuses if s == "short")


def progress_line(statuses: list[Status]) -> str:
    hit, total = tally(statuses)
    if total == 0:
        return "Everyone here is paused this week."
    return f"{hit}/{total} have hit this week."
