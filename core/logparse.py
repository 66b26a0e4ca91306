"""The /log grammar: ``EXERCISE SETSxREPS [@WEIGHT]`` entries, a trailing date, and their canonical text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.exercise_names import match_exercise
from core.parse_errors import ParseError, quoted
from core.profile import LB_PER_KG, Units

__all__ = [
    "LOG_FORM",
    "MAX_KG",
    "MAX_LB",
    "LogEntry",
    "LogRequest",
    "ParseError",
    "format_log",
    "parse_log",
    "parse_weight",
    "weight_text",
]

LOG_FORM = "Form: /log EXERCISE SETSxREPS [@WEIGHT] — e.g. /log squat 3x8 @16kg"
MAX_SETS = 20
MAX_REPS = 100
MAX_KG = 500.0
MAX_LB = round(MAX_KG * LB_PER_KG, 1)  # 1102.3
MAX_ENTRIES = 20
MAX_TEXT = 4000
LATE_DAYS = 7

_NUM = r"-?[0-9]+(?:[.,][0-9]+)?"
_UNIT = r"kgs?|lbs?"
_ENTRY = re.compile(
    r"(?P<name>.*?)\s*"
    r"(?:(?P<sets>[0-9]+)\s*[x×*]\s*(?P<reps>[0-9]+)|(?P<list>[0-9]+(?:\s*,\s*[0-9]+)+))"
    rf"(?:\s*@\s*(?P<w>{_NUM})\s*(?P<u>{_UNIT})?|\s+(?P<w2>{_NUM})\s*(?P<u2>{_UNIT}))?",
    re.IGNORECASE,
)
_WEIGHT = re.compile(rf"@?\s*(?P<w>{_NUM})\s*(?P<u>{_UNIT})?", re.IGNORECASE)
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


def _int(digits: str) -> int:
    """Digits as an int; absurdly long ones become a number past every limit."""
    return int(digits) if len(digits) <= 6 else 10**6


def _float(text: str) -> float:
    if len(text) > 400:
        return float("inf")
    value = float(text.replace(",", "."))
    return 0.0 if value == 0 else value


def _unit(text: str | None, default: Units) -> Units:
    if not text:
        return default
    return "lb" if text.lower().startswith("lb") else "kg"


def _weight_error(weight: float, unit: Units) -> ParseError | None:
    limit = MAX_LB if unit == "lb" else MAX_KG
    if 0 <= weight <= limit:
        return None
    return ParseError(f"Weight must be 0–{MAX_KG:g} kg (0–{MAX_LB:g} lb). {LOG_FORM}")


def parse_weight(text: str, units: Units = "kg") -> tuple[float, Units] | ParseError:
    """A lone weight such as ``16kg``, ``@35 lb`` or ``20`` (in ``units``), within the limits."""
    match = _WEIGHT.fullmatch(text.strip())
    if not match:
        return ParseError(f"Can't read the weight {quoted(text)}. Write it like 16kg or 35lb.")
    weight, unit = _float(match["w"]), _unit(match["u"], units)
    return _weight_error(weight, unit) or (weight, unit)


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
        reps = tuple(_int(r.strip()) for r in match["list"].split(","))
        sets = len(reps)
    else:
        sets, one = _int(match["sets"]), _int(match["reps"])
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
    weight, unit = _float(raw_weight), _unit(match["u"] or match["u2"], units)
    return _weight_error(weight, unit) or LogEntry(exercise, reps, weight, unit)


def parse_log(text: str, today: date, units: Units = "kg") -> LogRequest | ParseError | None:
    """Parse what follows ``/log``; ``None`` when there is nothing (the caller shows buttons).

    A weight without a unit is in ``units``, the runner's own.
    """
    if not text.strip():
        return None
    if len(text) > MAX_TEXT:
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
    for part in parts:
        entry = _entry(part, units)
        if isinstance(entry, ParseError):
            return entry
        entries.append(entry)
    return LogRequest(tuple(entries), day)


def weight_text(weight: float) -> str:
    """A weight as typed, exact and without a trailing ``.0``: ``16``, ``16.5``, ``0.00001``."""
    shown = format(Decimal(repr(float(weight))), "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def _entry_text(entry: LogEntry) -> str:
    reps = entry.reps
    spec = f"{len(reps)}x{reps[0]}" if len(set(reps)) == 1 else ",".join(str(r) for r in reps)
    if entry.weight is None:
        return f"{entry.exercise} {spec}"
    return f"{entry.exercise} {spec} @{weight_text(entry.weight)}{entry.unit or ''}"


def format_log(req: LogRequest) -> str:
    """Canonical /log text: ``squat 3x8 @16kg; push-up 8,8,6 2026-12-01``."""
    text = "; ".join(_entry_text(e) for e in req.entries)
    return f"{text} {req.day.isoformat()}" if req.day else text
