"""What kind of session a calendar event is, from its title, description and size."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.calendar.keywords import KEYWORDS, PACE, RACE_DISTANCES, RACE_KM, Kind

LONG_MINUTES = 90
LONG_KM = 18.0
_REPS = re.compile(r"\b\d{1,2}\s*[x×]\s*\d")
_KM = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(km|k|mi|miles?|meilen)\b")
_MINUTES = re.compile(r"(\d{1,3})\s*(?:min|mins|minutes|minuten|minutos)\b")
_HOURS = re.compile(r"\b(\d)\s*(?:h|hr|hrs|hours?|std|stunden?|horas?)\s*(\d{1,2})?\b")
_CLOCK = re.compile(r"\b(\d):([0-5]\d)(?::[0-5]\d)?\b")


@dataclass(frozen=True)
class Classified:
    """An event's kind; ``race_km`` the race distance when it is a race (``None``: not known);
    ``named``: a keyword named it (a ``run?`` that nothing named may not be a run at all)."""

    kind: Kind
    race_km: float | None = None
    named: bool = True


def fold(text: str) -> str:
    """Lower case without accents, ``×`` kept: the form keywords are matched against."""
    decomposed = unicodedata.normalize("NFKD", text.replace("×", " x ").lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("course a pied", "cap").split())


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = (re.escape(w).replace(r"\*", r"[\w-]*") for w in words)
    return re.compile(r"(?<![\w&])(?:" + "|".join(parts) + r")(?![\w&])")


def _words(table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(w for words in table.values() for w in words)


def _has(kind: Kind, text: str) -> bool:
    return bool(_pattern(_words(KEYWORDS[kind])).search(text))  # type: ignore[arg-type]


def _has_any(words: tuple[str, ...], text: str) -> bool:
    return bool(_pattern(words).search(text))


def distance_km(text: str) -> float | None:
    """The distance a title or description names (``12 km``, ``10mi``), in km."""
    found = [
        float(n.replace(",", ".")) * (1.609 if unit.startswith(("mi", "me")) else 1.0)
        for n, unit in _KM.findall(fold(text))
    ]
    return max(found) if found else None


def duration_minutes(text: str) -> int | None:
    """The duration a text names (``75 min``, ``1h30``, ``1:45:00``), in minutes."""
    folded = fold(text)
    found = [int(m) for m in _MINUTES.findall(folded)]
    found += [int(h) * 60 + int(m or 0) for h, m in _HOURS.findall(folded)]
    found += [int(h) * 60 + int(m) for h, m in _CLOCK.findall(folded)]
    return max(found) if found else None


def race_distance(text: str, km: float | None) -> float | None:
    folded = fold(text)
    for word, distance in RACE_KM:
        if _has_any((word,), folded):
            return distance
    return km


def classify(
    title: str, description: str = "", minutes: int | None = None, km: float | None = None
) -> Classified:
    """The kind of session an event is.

    The title decides before the description (a bare "Run" lets the description say more); each
    is read in this order: rest, cross-training
    (unless it names a run), a pace ("marathon pace" is a workout, not a race), race, speed
    (``6x800m`` too), long, easy; then the size (≥ 90 min or ≥ 18 km is long); else ``run?``.
    """
    kinds = [k for text in (fold(title), fold(description)) if (k := _kind_of(text)) is not None]
    # The title decides before the description, unless it only says "run".
    kind: Kind = next((k for k in kinds if k != "run?"), "run?")
    named = bool(kinds)
    both = f"{title} {description}"
    km = km if km is not None else distance_km(both)
    minutes = minutes if minutes is not None else duration_minutes(both)
    if kind == "race":
        return Classified("race", race_distance(both, km))
    if kind == "run?" and _big(minutes, km):
        return Classified("long")
    return Classified(kind, named=named)


def _big(minutes: int | None, km: float | None) -> bool:
    return (minutes is not None and minutes >= LONG_MINUTES) or (km is not None and km >= LONG_KM)


def _kind_of(text: str) -> Kind | None:
    if not text:
        return None
    runs = any(_has(k, text) for k in ("speed", "long", "easy", "race", "run?"))
    if _has("rest", text) and not runs:
        return "rest"
    if _has("strength", text) and not (_has("run?", text) or _has("easy", text) or _has("long", text)):
        return "strength"
    if _has_any(_words(PACE), text):  # type: ignore[arg-type]
        return "speed"
    if _has("race", text):
        return "race"
    if _has("speed", text) or _REPS.search(text):
        return "speed"
    if _has("long", text):
        return "long"
    if _has("easy", text):
        return "easy"
    if _has_any(RACE_DISTANCES, text):
        return "race"
    if _has("run?", text):
        return "run?"
    return None
