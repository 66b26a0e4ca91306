"""The /export files: every set as CSV and the rest of a runner's data as JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from core.ledger.model import Best
from core.training.catalog import MOVEMENT
from core.training.lexicon import CATALOG, Lexicon
from core.training.model import Goal, LoggedSet, Runner
from core.training.profile import format_runs
from core.training.units import from_kg

SETS_FILENAME = "runlift-sets.csv"
PROFILE_FILENAME = "runlift-profile.json"
# The first five columns are the contract; the ones after add the unit as typed, holds and the movement.
CSV_HEADER = ("date", "exercise", "set", "reps", "weight_kg", "weight", "unit", "seconds", "movement")
EXPORT_VERSION = 1


def exercise_label(key: str, lexicon: Lexicon = CATALOG) -> str:
    """The variant's display name (``Goblet squat``), the runner's own name, or a readable key."""
    return lexicon.label(key)


def kg_text(weight_kg: float | None) -> str:
    """``16``, ``16.5``, ``7.26``: kg to two decimals, no trailing zeros; empty for bodyweight."""
    if weight_kg is None:
        return ""
    return f"{weight_kg:.2f}".rstrip("0").rstrip(".")


def typed_weight(s: LoggedSet) -> str:
    """The weight in the unit it was typed in (``145`` for 145 lb), empty for bodyweight."""
    if s.weight_kg is None:
        return ""
    return kg_text(from_kg(s.weight_kg, s.unit or "kg"))


def sets_csv(sets: Iterable[LoggedSet], lexicon: Lexicon = CATALOG) -> bytes:
    """One row per set, by date then entry order; ``exercise`` is the variant's display name.

    The display name reads well in a spreadsheet; the JSON file keeps the stable keys.
    ``weight_kg`` stays the contract's column; ``weight`` and ``unit`` are as the runner typed them.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for s in sorted(sets, key=lambda s: s.local_date):  # stable: entry order kept within a day
        movement = lexicon.movement(s.exercise)
        writer.writerow(
            (
                s.local_date.isoformat(),
                exercise_label(s.exercise, lexicon),
                s.set_no,
                s.reps,
                kg_text(s.weight_kg),
                typed_weight(s),
                s.unit or "" if s.weight_kg is not None else "",
                "" if s.seconds is None else s.seconds,
                MOVEMENT[movement].name if movement else "",
            )
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
            "swaps": dict(sorted(p.swaps.items())),
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
