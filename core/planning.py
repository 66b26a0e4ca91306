"""Training planning in one import: week placement, sessions and progression."""

from __future__ import annotations

from core.placement import (
    PlannedDay,
    is_lift_day,
    lift_days,
    lift_weekdays,
    next_lift_day,
    plan_week,
    slot_index,
    week_index,
    week_start,
)
from core.progression import LoadSuggestion, epley, rep_scheme, suggest_load
from core.sessions import Prescription, Session, compose_session, fit_to_budget, session_for

__all__ = [
    "LoadSuggestion",
    "PlannedDay",
    "Prescription",
    "Session",
    "compose_session",
    "epley",
    "fit_to_budget",
    "is_lift_day",
    "lift_days",
    "lift_weekdays",
    "next_lift_day",
    "plan_week",
    "rep_scheme",
    "session_for",
    "slot_index",
    "suggest_load",
    "week_index",
    "week_start",
]
