"""The badges: one row each (id, name, reason, the metric it counts and its goal), and when each was earned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.ledger.model import ChallengeBadge, FoldState, WeekRow
from core.training.profile import KNEE_TERRAIN, Profile

Metric = Literal["sessions", "streak", "prs", "groups", "hard_days", "buddy_weeks", "goals", "challenge"]
# Metrics the weekly fold counts; the others come from records, the catalog groups, groups and goals.
FOLD_METRICS: frozenset[str] = frozenset({"sessions", "streak", "hard_days"})


@dataclass(frozen=True)
class Badge:
    id: str
    name: str
    reason: str
    metric: Metric
    goal: int
    unit: str = ""  # how progress toward it reads ("sessions"); empty: not shown as "within reach"


BADGES: tuple[Badge, ...] = (
    Badge(
        "first-session",
        "First session",
        "You finished your first strength session.",
        "sessions",
        1,
        "sessions",
    ),
    Badge(
        "sessions-10",
        "Ten sessions",
        "Ten sessions done: lifting is part of your week now.",
        "sessions",
        10,
        "sessions",
    ),
    Badge(
        "sessions-50",
        "Fifty sessions",
        "Fifty sessions: strong legs for the long haul.",
        "sessions",
        50,
        "sessions",
    ),
    Badge("streak-4", "Four weeks strong", "Four weeks in a row on target.", "streak", 4, "weeks in a row"),
    Badge(
        "streak-12", "Twelve-week streak", "Twelve straight weeks on target.", "streak", 12, "weeks in a row"
    ),
    Badge(
        "streak-26",
        "Half a year",
        "Twenty-six weeks on target without a break.",
        "streak",
        26,
        "weeks in a row",
    ),
    Badge("first-pr", "First PR", "You lifted heavier than ever before on a move.", "prs", 1),
    Badge(
        "all-eight",
        "All eight",
        "You've trained every exercise group in the catalog.",
        "groups",
        8,
        "exercise groups",
    ),
    Badge(
        "hard-day-pair-10",
        "Hard-day pairing",
        "Ten lifts stacked on hard run days.",
        "hard_days",
        10,
        "lifts on hard run days",
    ),
    Badge("buddy-week", "Buddy week", "Your whole group hit its targets in the same week.", "buddy_weeks", 1),
    Badge("goal-reached", "Goal reached", "You hit a strength goal you set yourself.", "goals", 1),
)
BY_ID: dict[str, Badge] = {b.id: b for b in BADGES}
# A challenge's badge is not in the catalog: it is named for the challenge (``challenge-12``: "Winter
# block"), earned on its last day by each member who counted for it, and kept as a record of its own
# (the challenge_badges table), so a rebuild from the logs finds it again — see :func:`challenge_badges`.
CHALLENGE_PREFIX = "challenge-"


def challenge_badge_id(challenge_id: int) -> str:
    return f"{CHALLENGE_PREFIX}{challenge_id}"


def challenge_badge(earned: ChallengeBadge) -> Badge:
    return Badge(
        challenge_badge_id(earned.challenge_id),
        earned.name,
        f"Your group met the “{earned.name}” challenge, with your sessions in it.",
        "challenge",
        1,
    )


def challenge_badges(earned: Iterable[ChallengeBadge]) -> dict[str, date]:
    """The book's entries for the challenge badges held: the one place they enter a book."""
    return {challenge_badge_id(b.challenge_id): b.earned_on for b in earned}


def earned_badges(
    badges: Mapping[str, date], challenges: Iterable[ChallengeBadge]
) -> list[tuple[Badge, date]]:
    """Every badge of the book — catalog and challenge — as shown, by the day earned."""
    named = {challenge_badge_id(b.challenge_id): challenge_badge(b) for b in challenges}
    found = []
    for badge_id, day in ordered(badges):
        badge = BY_ID.get(badge_id) or named.get(badge_id)
        if badge is not None:
            found.append((badge, day))
    return found


def _fold_value(state: FoldState, metric: str) -> int:
    return {"sessions": state.sessions, "streak": state.best, "hard_days": state.hard}[metric]


def _crossing_day(row: WeekRow, before: FoldState, badge: Badge) -> date:
    week = row.inputs
    if badge.metric == "sessions":
        return week.day(badge.goal - before.sessions)
    if badge.metric == "hard_days":
        return week.day(badge.goal - before.hard, week.hard_mask)
    return week.hit_day or week.monday


def fold_badges(before: FoldState, rows: Sequence[WeekRow]) -> dict[str, date]:
    """Badges of the fold metrics whose goal was reached within ``rows`` (starting from ``before``), with the day."""
    earned: dict[str, date] = {}
    state = before
    for row in rows:
        for badge in BADGES:
            if badge.metric not in FOLD_METRICS or badge.id in earned:
                continue
            if _fold_value(state, badge.metric) < badge.goal <= _fold_value(row.after, badge.metric):
                earned[badge.id] = _crossing_day(row, state, badge)
        state = row.after
    return earned


def refolded(
    badges: Mapping[str, date], since: date, before: FoldState, rows: Sequence[WeekRow]
) -> dict[str, date]:
    """The badges after re-folding the weeks from ``since`` on: fold badges earned before stay, the rest are redone."""
    kept = {
        badge_id: day
        for badge_id, day in badges.items()
        if badge_id not in BY_ID or BY_ID[badge_id].metric not in FOLD_METRICS or day < since
    }
    for badge_id, day in fold_badges(before, rows).items():
        kept.setdefault(badge_id, day)
    return kept


def set_badge(badges: dict[str, date], badge_id: str, day: date | None) -> None:
    """Earned on ``day``, or not earned (``None``)."""
    if day is None:
        badges.pop(badge_id, None)
    else:
        badges[badge_id] = day


def all_eight_day(trained: Mapping[str, date], groups: int = 8) -> date | None:
    """The day the last catalog group was first trained, once all of them have been."""
    return max(trained.values()) if len(trained) >= groups else None


def first(days: Iterable[date | None]) -> date | None:
    return min((d for d in days if d is not None), default=None)


def ordered(badges: Mapping[str, date]) -> list[tuple[str, date]]:
    """Badges by the day earned, then in catalog order."""
    order = {b.id: i for i, b in enumerate(BADGES)}
    return sorted(badges.items(), key=lambda item: (item[1], order.get(item[0], 99)))


def within_reach(
    values: Mapping[str, int], earned: Iterable[str], out_of_reach: Iterable[str] = (), limit: int = 3
) -> list[tuple[Badge, int]]:
    """Unearned badges with a progress unit, closest to done first, one per metric.

    ``out_of_reach`` lists metrics the runner's plan can never complete (left out).
    """
    held = set(earned)
    blocked = set(out_of_reach)
    candidates: list[tuple[float, int, Badge, int]] = []
    seen: set[str] = set()
    for i, badge in enumerate(BADGES):
        value = values.get(badge.metric)
        if badge.id in held or not badge.unit or value is None or badge.metric in seen | blocked:
            continue
        seen.add(badge.metric)
        candidates.append((-(value / badge.goal), i, badge, value))
    candidates.sort(key=lambda c: (c[0], c[1]))
    return [(badge, value) for _, _, badge, value in candidates[:limit]]


def out_of_reach(profile: Profile, trained: Mapping[str, date]) -> frozenset[str]:
    """Metrics the runner's plan can never complete, so no badge of theirs reads as "within reach".

    Quad extensions are prescribed to trail and hilly runners only: a road runner who never
    logged one would wait for ``all-eight`` forever. Without a hard run day, no lift pairs with one.
    """
    blocked = set()
    if profile.terrain not in KNEE_TERRAIN and "quad-extensions" not in trained:
        blocked.add("groups")
    if not profile.hard_weekdays:
        blocked.add("hard_days")
    return frozenset(blocked)


def announce(badge: Badge) -> str:
    return f"🏅 Badge: {badge.name} — {badge.reason}"


def progress_line(badge: Badge, value: int) -> str:
    return f"{badge.name}: {min(value, badge.goal)}/{badge.goal} {badge.unit}"
