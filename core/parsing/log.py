"""The /log grammar: ``EXERCISE SETSxREPS [@WEIGHT]`` entries, a trailing date, and their canonical text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.parsing.errors import ParseError, quoted
from core.parsing.exercise_names import match_exercise
from core.parsing.numbers import MAX_REPS, MAX_SETS, NUMBER, UNIT, integer, read_weight
from core.training.profile import Units

LOG_FORM = "Form: /log EXERCISE SETSxREPS [@WEIGHT] — e.g. /log squat 3x8 @16kg"
MAX_ENTRIES = 20
MAX_LENGTH = 4000
LATE_DAYS = 7

_ENTRY = re.compile(
    r"(?P<name>.*?)\s*"
    r"(?:(?P<sets>[0-9]+)\s*[x×*]\s*(?P<reps>[0-9]+)|(?P<list>[0-9]+(?:\s*,\s*[0-9]+)+))"
    rf"(?:\s*@\s*(?P<w>{NUMBER})\s*(?P<u>{UNIT})?|\s+(?P<w2>{NUMBER})\s*(?P<u2>{UNIT}))?",
    re.IGNORECASE,
)
_TRAILING_DAY = re.compile(r"(?:^|(?<=[\s;]))(?P<day>yesterday|today|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$", re.I)
_DAYLIKE = re.compile(r"\byesterday\b|\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class LogEntry:
    """One exercise's sets: ``reps`` per set; ``unit`` is ``None`` exactly when ``weight`` is."""

    exercise: str
    reps: tuple[int, ...]
    weight: float | None
    unit: Units | None


@dataclass(frozen=True)
class LogRequest:
    """Everything one /log asked for; ``day`` ``None`` means today."""

    entries: tuple[LogEntry, ...]
    day: date | None


def _split_day(text: str, today: date) -> tuple[str, date | None] | ParseError:
    """Take a trailing ``yesterday`` / ``YYYY-MM-DD`` off the whole text."""
    body = text.rstrip(" \t\r\n;")
    match = _TRAILING_DAY.search(body)
    if not match:
        return text, None
    word = match["day"].lower()
    body = body[: match.start()]
    if word == "today":
        return body, None
    if word == "yesterday":
        return body, today - timedelta(days=1)
    try:
        day = date.fromisoformat("-".join(part.zfill(2) for part in word.split("-")))
    except ValueError:
        return ParseError(f"{quoted(word)} is not a date. Write it as YYYY-MM-DD, e.g. {today.isoformat()}.")
    if day > today:
        return ParseError(
            f"{day.isoformat()} is in the future — log what you have done, e.g. /log squat 3x8."
        )
    if day < today - timedelta(days=LATE_DAYS):
        earliest = (today - timedelta(days=LATE_DAYS)).isoformat()
        return ParseError(
            f"You can log up to {LATE_DAYS} days back (from {earliest}). e.g. /log squat 3x8 yesterday"
        )
    return body, day


def _entry(text: str, units: Units) -> LogEntry | ParseError:
    match = _ENTRY.fullmatch(text)
    if not match:
        if _DAYLIKE.search(text):
            return ParseError("Put the date at the very end — e.g. /log squat 3x8; rdl 3x8 yesterday")
        if not re.search(r"[0-9]", text):
            return ParseError(f"Add sets and reps after {quoted(text)}. {LOG_FORM}")
        return ParseError(f"Can't read {quoted(text)}. {LOG_FORM}")
    name = match["name"].strip()
    if not name:
        return ParseError(f"Start with the exercise name. {LOG_FORM}")
    if match["list"]:
        reps = tuple(integer(r.strip()) for r in match["list"].split(","))
        sets = len(reps)
    else:
        sets, one = integer(match["sets"]), integer(match["reps"])
        reps = (one,) * min(sets, MAX_SETS)
    if not 1 <= sets <= MAX_SETS:
        return ParseError(f"Sets must be 1–{MAX_SETS}. {LOG_FORM}")
    if not all(1 <= r <= MAX_REPS for r in reps):
        return ParseError(f"Reps must be 1–{MAX_REPS}. {LOG_FORM}")
    exercise = match_exercise(name)
    if isinstance(exercise, ParseError):
        return exercise
    raw_weight = match["w"] or match["w2"]
    if raw_weight is None:
        return LogEntry(exercise, reps, None, None)
    weight = read_weight(raw_weight, match["u"] or match["u2"], units, LOG_FORM)
    if isinstance(weight, ParseError):
        return weight
    return LogEntry(exercise, reps, weight[0], weight[1])


def parse_log(text: str, today: date, units: Units = "kg") -> LogRequest | ParseError | None:
    """Parse what follows ``/log``; ``None`` when there is nothing (the caller shows buttons).

    A weight without a unit is in ``units``, the runner's own.
    """
    if not text.strip():
        return None
    if len(text) > MAX_LENGTH:
        return ParseError(f"That is too long to log in one go. {LOG_FORM}")
    split = _split_day(text, today)
    if isinstance(split, ParseError):
        return split
    body, day = split
    parts = [p.strip() for p in re.split(r"[;\n\r]+", body)]
    parts = [p for p in parts if p]
    if not parts:
        return ParseError(f"What did you lift? {LOG_FORM}")
    if len(parts) > MAX_ENTRIES:
        return ParseError(
            f"Up to {MAX_ENTRIES} entries at a time, separated by ; — e.g. /log squat 3x8; rdl 3x8"
        )
    entries: list[LogEntry] = []
    for number, part in enumerate(parts, 1):
        entry = _entry(part, units)
        if isinstance(entry, ParseError):
            if len(parts) == 1:
                return entry
            # One grammar, one rule: a /log is saved whole or not at all, and says which part failed.
            return ParseError(
                f"Nothing saved — entry {number} of {len(parts)}, {quoted(part)}: {entry.message}"
            )
        entries.append(entry)
    return LogRequest(tuple(entries), day)


def weight_text(weight: float) -> str:
    """A weight as typed, exact and without a trailing ``.0``: ``16``, ``16.5``, ``0.00001``."""
    shown = format(Decimal(repr(float(weight))), "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def reps_text(reps: tuple[int, ...] | list[int], times: str = "x") -> str:
    """``3x8`` when every set has the same reps (``3×8`` with ``times="×"``), else ``8,8,6``."""
    if len(set(reps)) == 1:
        return f"{len(reps)}{times}{reps[0]}"
    return ",".join(str(r) for r in reps)


def typed_entry(exercise: str, reps: tuple[int, ...] | list[int], weight: float | None, unit: str) -> str:
    """One entry as the runner would type it: ``squat 3x8 @16kg``, ``push-up 8,8,6``."""
    if weight is None:
        return f"{exercise} {reps_text(reps)}"
    return f"{exercise} {reps_text(reps)} @{weight_text(weight)}{unit}"


def _entry_text(entry: LogEntry) -> str:
    return typed_entry(entry.exercise, entry.reps, entry.weight, entry.unit or "")


def format_log(req: LogRequest) -> str:
    """Canonical /log text: ``squat 3x8 @16kg; push-up 8,8,6 2026-12-01``."""
    text = "; ".join(_entry_text(e) for e in req.entries)
    return f"{text} {req.day.isoformat()}" if req.day else text
