"""The /export files: every set as CSV and the rest of a runner's data as JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from core.ledger.model import Best
from core.training.catalog import BY_KEY
from core.training.model import Goal, LoggedSet, Runner
from core.training.profile import format_runs

SETS_FILENAME = "runlift-sets.csv"
PROFILE_FILENAME = "runlift-profile.json"
CSV_HEADER = ("date", "exercise", "set", "reps", "weight_kg")
EXPORT_VERSION = 1


def exercise_label(key: str) -> str:
    """The catalog's display name (``Hex bar deadlift``); an unknown key with spaces for dashes."""
    known = BY_KEY.get(key)
    return known.name if known else key.replace("-", " ")


def kg_text(weight_kg: float | None) -> str:
    """``16``, ``16.5``, ``7.26``: kg to two decimals, no trailing zeros; empty for bodyweight."""
    if weight_kg is None:
        return ""
    return f"{weight_kg:.2f}".rstrip("0").rstrip(".")


def sets_csv(sets: Iterable[LoggedSet]) -> bytes:
    """One row per set, by date then entry order; ``exercise`` is the catalog display name.

    The display name reads well in a spreadsheet; the JSON file keeps the stable keys.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for s in sorted(sets, key=lambda s: s.local_date):  # stable: entry order kept within a day
        writer.writerow(
            (s.local_date.isoformat(), exercise_label(s.exercise), s.set_no, s.reps, kg_text(s.weight_kg))
        )
    return out.getvalue().encode("utf-8")


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"cannot export {type(value).__name__}")


def profile_json(data: Mapping[str, object]) -> bytes:
    """``data`` as indented UTF-8 JSON; dates and times become ISO strings."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)
    return (text + "\n").encode("utf-8")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _kg(weight_kg: float) -> float:
    return round(weight_kg, 2)


def export_document(
    runner: Runner,
    streak: Mapping[str, Any],
    badges: Sequence[tuple[str, date]],
    goals: Sequence[Goal],
    rewards: Sequence[Mapping[str, Any]],
    records: Sequence[Best],
) -> dict[str, Any]:
    """Everything about a runner but the sets, shaped for ``runlift-profile.json``.

    Exercises appear as catalog keys (``hex-bar-deadlift``), weights in kg,
    dates as ISO strings. ``streak`` keeps any extra keys it is given.
    """
    p = runner.profile
    streak_doc: dict[str, Any] = {k: v for k, v in streak.items()}
    for key in ("current", "best", "freezes"):
        streak_doc[key] = int(streak.get(key, 0) or 0)
    return {
        "version": EXPORT_VERSION,
        "profile": {
            "name": runner.name,
            "platform": runner.platform,
            "tz": p.tz,
            "runs": format_runs(p.runs),
            "equipment": p.equipment,
            "terrain": p.terrain,
            "sessions": p.sessions,
            "remind": p.remind.strftime("%H:%M"),
            "reminders": p.reminders,
            "units": p.units,
            "playlist": p.playlist,
        },
        "streak": streak_doc,
        "badges": [{"id": badge_id, "earned_on": earned.isoformat()} for badge_id, earned in badges],
        "goals": [
            {
                "exercise": g.exercise,
                "weight_kg": _kg(g.weight_kg),
                "reps": g.reps,
                "set_on": g.set_on.isoformat(),
                "reached_on": _iso(g.reached_on),
            }
            for g in goals
        ],
        "rewards": [dict(r) for r in rewards],
        "records": [
            {
                "exercise": r.exercise,
                "reps": r.reps,
                "weight_kg": _kg(r.weight_kg),
                "date": r.local_date.isoformat(),
            }
            for r in records
        ],
    }
