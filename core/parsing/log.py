"""The /log grammar: ``EXERCISE SETSxREPS [@WEIGHT]`` entries, a trailing date, and their canonical text.

Forgiving forms of the one grammar: ``3 sets of 8``, sets before the name (``3x8 squat``),
seconds for holds (``3x45s``, ``45s,40s``, ``3x1:30``), ``at 20kg``, trailing emoji and
punctuation. A hold's numbers are seconds even without the ``s``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.parsing.errors import ParseError, quoted
from core.parsing.exercise_names import Resolved, resolve_default
from core.parsing.numbers import MAX_REPS, MAX_SECONDS, MAX_SETS, NUMBER, UNIT, integer, read_weight
from core.training.profile import Units

LOG_FORM = "Form: /log EXERCISE SETSxREPS [@WEIGHT] — e.g. /log squat 3x8 @16kg or /log wall sit 3x30s"


def log_form(units: Units) -> str:
    """The form with its example in the runner's units."""
    return LOG_FORM.replace("@16kg", "@35lb") if units == "lb" else LOG_FORM


MAX_ENTRIES = 20
MAX_LENGTH = 4000
LATE_DAYS = 7

# (name, weighted, timed) → the variant it logs, or why not
Resolve = Callable[[str, bool, bool], Resolved | ParseError]

_TIME = r"(?:s|secs?|seconds?|mins?|minutes?)\b"
_ONE = rf"[0-9]+(?::[0-9]{{2}})?\s*(?:{_TIME})?"
_AMOUNT = (
    r"(?:(?P<sets>[0-9]+)(?:\s*[x×*]\s*|\s*sets?\s*(?:of|x|×)?\s*)"
    rf"(?P<each>[0-9]+(?::[0-9]{{2}})?)\s*(?P<tu>{_TIME})?(?:\s*reps?\b)?"
    rf"|(?P<list>{_ONE}(?:\s*,\s*{_ONE})+)(?:\s*reps?\b)?)"
)
_LOAD = (
    rf"(?:\s*(?:@|\bat\b|\bwith\b)\s*(?P<w>{NUMBER})\s*(?P<u>{UNIT})?|\s+(?P<w2>{NUMBER})\s*(?P<u2>{UNIT}))"
)
_NAME_FIRST = re.compile(rf"(?P<name>.*?)\s*{_AMOUNT}{_LOAD}?", re.IGNORECASE)
_AMOUNT_FIRST = re.compile(rf"{_AMOUNT}\s+(?P<name>.*?){_LOAD}?", re.IGNORECASE)
_TRAILING_DAY = re.compile(r"(?:^|(?<=[\s;]))(?P<day>yesterday|today|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$", re.I)
_DAYLIKE = re.compile(r"\byesterday\b|\b[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\b", re.IGNORECASE)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_SECONDS = re.compile(rf"(?P<n>[0-9]+)(?::(?P<ss>[0-9]{{2}}))?\s*(?P<u>{_TIME})?", re.IGNORECASE)


@dataclass(frozen=True)
class LogEntry:
    """One exercise's sets: ``reps`` per set (seconds a set when ``timed``); ``unit`` is ``None`` exactly
    when ``weight`` is; ``exercise`` is a variant key."""

    exercise: str
    reps: tuple[int, ...]
    weight: float | None
    unit: Units | None
    timed: bool = False


@dataclass(frozen=True)
class LogRequest:
    """Everything one /log asked for; ``day`` ``None`` means today."""

    entries: tuple[LogEntry, ...]
    day: date | None


def tidy(text: str) -> str:
    """Emoji and punctuation off both ends of an entry (``squat 3x8 @20kg 💪!`` → ``squat 3x8 @20kg``)."""
    return _EDGES.sub("", text.strip())


def _split_day(text: str, today: date) -> tuple[str, date | None] | ParseError:
    """Take a trailing ``yesterday`` / ``YYYY-MM-DD`` off the whole text."""
    body = tidy(text.rstrip(" \t\r\n;"))
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


def _seconds(text: str, default_unit: str | None) -> tuple[int, bool]:
    """One amount: its number (minutes and ``m:ss`` made seconds) and whether it carried a time unit."""
    match = _SECONDS.fullmatch(text.strip())
    if match is None:
        return 0, False
    unit = (match["u"] or default_unit or "").lower()
    value = integer(match["n"])
    if match["ss"] is not None:
        return value * 60 + int(match["ss"]), True
    return (value * 60 if unit.startswith("m") else value), bool(unit)


def _amounts(match: re.Match[str]) -> tuple[tuple[int, ...], int, bool] | ParseError:
    """The amounts a set, the number of sets, and whether they were given as time."""
    if match["list"]:
        parts = [_seconds(p, None) for p in match["list"].split(",")]
        timed = any(t for _, t in parts)
        values = tuple(v for v, _ in parts)
        return values, len(values), timed
    sets = integer(match["sets"])
    value, timed = _seconds(match["each"], match["tu"])
    return (value,) * min(sets, MAX_SETS), sets, timed


def _entry(text: str, units: Units, resolve: Resolve) -> LogEntry | ParseError:
    form = log_form(units)
    text = tidy(text)
    match = _NAME_FIRST.fullmatch(text) or _AMOUNT_FIRST.fullmatch(text)
    if not match:
        if _DAYLIKE.search(text):
            return ParseError("Put the date at the very end — e.g. /log squat 3x8; rdl 3x8 yesterday")
        if not re.search(r"[0-9]", text):
            return ParseError(f"Add sets and reps after {quoted(text)}. {form}")
        return ParseError(f"Can't read {quoted(text)}. {form}")
    name = match["name"].strip()
    if not name:
        return ParseError(f"Start with the exercise name. {form}")
    counted = _amounts(match)
    if isinstance(counted, ParseError):
        return counted
    values, sets, timed = counted
    if not 1 <= sets <= MAX_SETS:
        return ParseError(f"Sets must be 1–{MAX_SETS}. {form}")
    raw_weight = match["w"] or match["w2"]
    resolved = resolve(name, raw_weight is not None, timed)
    if isinstance(resolved, ParseError):
        return resolved
    timed = timed or resolved.hold
    if timed and not all(1 <= v <= MAX_SECONDS for v in values):
        return ParseError(f"A hold lasts 1–{MAX_SECONDS} seconds. {form}")
    if not timed and not all(1 <= r <= MAX_REPS for r in values):
        return ParseError(f"Reps must be 1–{MAX_REPS}. {form}")
    if raw_weight is None:
        return LogEntry(resolved.key, values, None, None, timed)
    weight = read_weight(raw_weight, match["u"] or match["u2"], units, form)
    if isinstance(weight, ParseError):
        return weight
    return LogEntry(resolved.key, values, weight[0], weight[1], timed)


def parse_log(
    text: str, today: date, units: Units = "kg", resolve: Resolve = resolve_default
) -> LogRequest | ParseError | None:
    """Parse what follows ``/log``; ``None`` when there is nothing (the caller shows buttons).

    A weight without a unit is in ``units``, the runner's own; ``resolve`` says which variant
    a name logs for this runner (the catalog's defaults when not given).
    """
    if not text.strip():
        return None
    if len(text) > MAX_LENGTH:
        return ParseError(f"That is too long to log in one go. {log_form(units)}")
    split = _split_day(text, today)
    if isinstance(split, ParseError):
        return split
    body, day = split
    parts = [tidy(p) for p in re.split(r"[;\n\r]+", body)]
    parts = [p for p in parts if p]
    if not parts:
        return ParseError(f"What did you lift? {log_form(units)}")
    if len(parts) > MAX_ENTRIES:
        return ParseError(
            f"Up to {MAX_ENTRIES} entries at a time, separated by ; — e.g. /log squat 3x8; rdl 3x8"
        )
    entries: list[LogEntry] = []
    for number, part in enumerate(parts, 1):
        entry = _entry(part, units, resolve)
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


def reps_text(reps: tuple[int, ...] | list[int], times: str = "x", timed: bool = False) -> str:
    """``3x8`` when every set has the same reps (``3×8`` with ``times="×"``), else ``8,8,6``; ``3x30s``
    (``3×30 s``) or ``45s,40s`` for holds."""
    mark = ("s" if times == "x" else " s") if timed else ""
    if len(set(reps)) == 1:
        return f"{len(reps)}{times}{reps[0]}{mark}"
    if timed:
        return ",".join(f"{r}s" for r in reps)
    return ",".join(str(r) for r in reps)


def typed_entry(
    exercise: str, reps: tuple[int, ...] | list[int], weight: float | None, unit: str, timed: bool = False
) -> str:
    """One entry as the runner would type it: ``squat 3x8 @16kg``, ``push-up 8,8,6``, ``wall-sit 3x30s``."""
    amounts = reps_text(reps, timed=timed)
    if weight is None:
        return f"{exercise} {amounts}"
    return f"{exercise} {amounts} @{weight_text(weight)}{unit}"


def _entry_text(entry: LogEntry) -> str:
    return typed_entry(entry.exercise, entry.reps, entry.weight, entry.unit or "", entry.timed)


def format_log(req: LogRequest) -> str:
    """Canonical /log text: ``squat 3x8 @16kg; push-up 8,8,6 2026-12-01``."""
    text = "; ".join(_entry_text(e) for e in req.entries)
    return f"{text} {req.day.isoformat()}" if req.day else text
