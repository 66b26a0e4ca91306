"""The values inside exports: numbers with float noise or decimal commas, dates, durations, set kinds."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache

_MONTHS = {
    name: i + 1
    for names in (
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
        ("jan", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"),
    )
    for i, name in enumerate(names)
}
_TEXT_DATE = re.compile(
    r"(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4}),?\s*(?:(?P<h>\d{1,2}):(?P<m>\d{2}))?"
)
_DURATION_PART = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs)\b"
)
_CLOCK = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{2})")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
MAX_WEIGHT_KG = 1000.0
MAX_REPS = 1000


@lru_cache(maxsize=4096)  # exports repeat the same dates and loads row after row
def number(text: str) -> float | None:
    """``82.5``, ``"82,5"``, ``185.00000000000003`` (read as 185); ``None`` for empty or unreadable."""
    cleaned = text.strip().strip('"').strip()
    if not cleaned:
        return None
    if cleaned.isdigit():
        return float(cleaned)
    if _NUMBER.fullmatch(cleaned) is None:
        return None
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        return None
    return round(value, 6)


@lru_cache(maxsize=4096)  # exports repeat the same dates and loads row after row
def count(text: str) -> int | None:
    """A whole count (reps, a set index): ``8``, ``8.0``; ``None`` when empty, fractional or negative."""
    value = number(text)
    if value is None or value < 0 or value != int(value) or value > 10**6:
        return None
    return int(value)


@lru_cache(maxsize=4096)  # exports repeat the same dates and loads row after row
def moment(text: str) -> datetime | None:
    """``2024-03-05 18:02:11``, ``2024-03-05``, ``8 Apr 2026, 16:50``; ``None`` when unreadable."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        found = datetime.fromisoformat(cleaned.replace("/", "-"))
        return found.replace(tzinfo=None)
    except ValueError:
        pass
    match = _TEXT_DATE.fullmatch(cleaned)
    if match is None:
        return None
    month = _MONTHS.get(match["month"].lower()[:4]) or _MONTHS.get(match["month"].lower()[:3])
    if month is None:
        return None
    try:
        return datetime(
            int(match["year"]), month, int(match["day"]), int(match["h"] or 0), int(match["m"] or 0)
        )
    except ValueError:
        return None


def day_of(text: str) -> date | None:
    found = moment(text)
    return found.date() if found is not None else None


@lru_cache(maxsize=4096)  # exports repeat the same dates and loads row after row
def duration(text: str) -> int | None:
    """Seconds in ``2h 38m``, ``38min``, ``45s``, ``1:02:03``, ``90`` (seconds); ``None`` when unreadable."""
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    clock = _CLOCK.fullmatch(cleaned)
    if clock is not None:
        return int(clock["h"] or 0) * 3600 + int(clock["m"]) * 60 + int(clock["s"])
    plain = number(cleaned)
    if plain is not None:
        return int(plain) if plain >= 0 else None
    total, end = 0.0, 0
    for part in _DURATION_PART.finditer(cleaned):
        if cleaned[end : part.start()].strip():
            return None
        n = float(part["n"].replace(",", "."))
        unit = part["unit"][0]
        total += n * (3600 if unit == "h" else 60 if unit == "m" else 1)
        end = part.end()
    if end == 0 or cleaned[end:].strip():
        return None
    return int(total)


SET_KINDS = {
    "": "normal",
    "normal": "normal",
    "n": "normal",
    "warmup": "warmup",
    "warm up": "warmup",
    "warm-up": "warmup",
    "w": "warmup",
    "dropset": "drop",
    "drop": "drop",
    "d": "drop",
    "failure": "failure",
    "f": "failure",
}


def set_kind(text: str) -> str | None:
    """normal, warmup, drop or failure from Hevy's ``set_type`` or Strong's W/D/F; ``None`` if unknown."""
    return SET_KINDS.get(text.strip().lower())
