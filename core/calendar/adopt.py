"""What a read of a runner's feed does to their plan: the new plan, or why the last good one stays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.calendar.classify import classify
from core.calendar.keywords import RUN_KINDS
from core.calendar.plan import CalendarPlan, build_plan
from core.calendar.reading import FeedRead

EMPTY = "the calendar has no events in the weeks around now"
NO_RUNS = "no runs in it — only other events"


@dataclass(frozen=True)
class Adopted:
    """``plan`` is the plan to keep (``None``: keep the one there is); ``problem`` why not."""

    plan: CalendarPlan | None
    problem: str = ""


def names_runs(plan_events: FeedRead) -> bool:
    """Whether any event is named as a run: a feed of dentist visits and meetings is not a plan."""
    for e in plan_events.events:
        sort = classify(e.title, e.description)
        if sort.kind in RUN_KINDS and sort.named:
            return True
    return False


def adopt(read: FeedRead, tz: str, today: date) -> Adopted:
    """The plan a read gives a runner in zone ``tz`` on ``today`` (``unchanged``: nothing to do)."""
    if read.status == "failed":
        return Adopted(None, read.problem)
    if read.status == "unchanged":
        return Adopted(None)
    plan = build_plan(read.events, tz, today)
    if not plan.runs:
        return Adopted(None, EMPTY)
    if not plan.has_runs() or not names_runs(read):
        return Adopted(None, NO_RUNS)
    return Adopted(plan)
