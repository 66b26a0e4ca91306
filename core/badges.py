"""The badges: stable ids, names, one-line reasons, and which are due or within reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Metric = Literal["sessions", "streak", "prs", "groups", "hard_days", "buddy_weeks", "goals"]


@dataclass(frozen=True)
class Badge:
    id: str
    name: str
    reason: str
    metric: Metric
    goal: int


BADGES: tuple[Badge, ...] = (
    Badge("first-session", "First session", "You finished your first strength session.", "sessions", 1),
    Badge(
        "sessions-10", "Ten sessions", "Ten sessions done: lifting is part of your week now.", "sessions", 10
    ),
    Badge("sessions-50", "Fifty sessions", "Fifty sessions: strong legs for the long haul.", "sessions", 50),
    Badge("streak-4", "Four weeks strong", "Four weeks in a row on target.", "streak", 4),
    Badge("streak-12", "Twelve-week streak", "Twelve straight weeks on target.", "streak", 12),
    Badge("streak-26", "Half a year", "Twenty-six weeks on target without a break.", "streak", 26),
    Badge("first-pr", "First PR", "You lifted heavier than ever before on a move.", "prs", 1),
    Badge("all-eight", "All eight", "You've trained every exercise group in the catalog.", "groups", 8),
    Badge("hard-day-pair-10", "Hard-day pairing", "Ten lifts stacked on hard run days.", "hard_days", 10),
    Badge("buddy-week", "Buddy week", "Your whole group hit its targets in the same week.", "buddy_weeks", 1),
    Badge("goal-reached", "Goal reached", "You hit a strength goal you set yourself.", "goals", 1),
)
BY_ID: dict[str, Badge] = {b.id: b for b in BADGES}
UNITS: dict[str, str] = {
    "sessions": "sessions",
    "streak": "weeks in a row",
    "groups": "exercise groups",
    "hard_days": "lifts on hard run days",
}


@dataclass(frozen=True)
class Standing:
    """Where a runner stands on each badge metric (only the metrics that were measured)."""

    values: dict[str, int] = field(default_factory=dict)

    def get(self, metric: str) -> int | None:
        return self.values.get(metric)


def due(standing: Standing, earned: set[str]) -> list[Badge]:
    """Badges whose goal the standing meets and that are not earned yet, in catalog order."""
    out = []
    for badge in BADGES:
        value = standing.get(badge.metric)
        if badge.id not in earned and value is not None and value >= badge.goal:
            out.append(badge)
    return out


def within_reach(standing: Standing, earned: set[str], limit: int = 3) -> list[tuple[Badge, int]]:
    """The unearned counted badges closest to done, with the current value; one per metric."""
    candidates: list[tuple[float, int, Badge, int]] = []
    seen: set[str] = set()
    for i, badge in enumerate(BADGES):
        value = standing.get(badge.metric)
        if badge.id in earned or badge.metric not in UNITS or value is None or badge.metric in seen:
            continue
        seen.add(badge.metric)
        candidates.append((-(value / badge.goal), i, badge, value))
    candidates.sort(key=lambda c: (c[0], c[1]))
    return [(badge, value) for _, _, badge, value in candidates[:limit]]


def announce(badge: Badge) -> str:
    return f"🏅 Badge: {badge.name} — {badge.reason}"


def progress_line(badge: Badge, value: int) -> str:
    return f"{badge.name}: {min(value, badge.goal)}/{badge.goal} {UNITS[badge.metric]}"
