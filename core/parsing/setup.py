"""/setup ``key=value`` settings and /remind arguments: parsing, checking and canonical text.

``runs=none`` (or an empty ``runs=``) means no runs at all: every day is rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import time
from typing import Literal
from urllib.parse import urlsplit

from core.nudges.rules import QUIET_REASON, in_quiet_hours
from core.parsing.errors import ParseError, quoted
from core.training.profile import (
    DAY_NAMES,
    EQUIPMENT,
    RUN_TYPES,
    SESSIONS,
    TERRAIN,
    UNITS,
    Equipment,
    RunType,
    Terrain,
    Units,
    format_runs,
)
from core.weeks import zone_names


@dataclass(frozen=True)
class SetupKey:
    """One /setup key: what it sets, an example, and its fixed values when it has them."""

    name: str
    description: str
    example: str
    choices: tuple[str, ...] = ()
    group: bool = False  # settable in a group chat (for the group)


SETUP_KEYS: tuple[SetupKey, ...] = (
    SetupKey("runs", "Run days, e.g. tue:speed,thu:easy,sun:long", "runs=tue:speed,thu:easy,sun:long"),
    SetupKey("tz", "IANA time zone, e.g. Europe/Berlin", "tz=Europe/Berlin", group=True),
    SetupKey("equipment", "What you lift with", "equipment=home", EQUIPMENT),
    SetupKey("terrain", "Where you run", "terrain=trail", TERRAIN),
    SetupKey("sessions", "Strength sessions a week", "sessions=3", tuple(str(s) for s in SESSIONS)),
    SetupKey("remind", "Reminder time HH:MM, e.g. 18:00", "remind=18:00"),
    SetupKey("units", "Weight units", "units=kg", UNITS),
    SetupKey(
        "calendar",
        "Your run plan's calendar feed (https or webcal URL; DM only), or off",
        "calendar=https://calendar.example.com/feed/plan.ics",
    ),
)
KEYS: tuple[str, ...] = tuple(k.name for k in SETUP_KEYS)
EXAMPLES: dict[str, str] = {k.name: k.example for k in SETUP_KEYS}
GROUP_KEYS: frozenset[str] = frozenset(k.name for k in SETUP_KEYS if k.group)
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


URL_LIMIT = 500
FEED_SCHEMES = ("https://", "http://", "webcal://")


@dataclass(frozen=True)
class CalendarChoice:
    """``calendar=``: ``off``, a feed ``url`` (webcal already made https), or a ``path`` to an
    ``.ics`` file (the console only: elsewhere a file is sent, not named); ``upload``: the
    file sent with this message."""

    kind: Literal["off", "url", "path", "upload"]
    value: str = ""


@dataclass(frozen=True)
class SetupChanges:
    """The settings one /setup asked to change; ``None`` leaves a setting as it is."""

    runs: dict[int, RunType] | None = None
    tz: str | None = None
    equipment: Equipment | None = None
    terrain: Terrain | None = None
    sessions: int | None = None
    remind: time | None = None
    units: Units | None = None
    calendar: CalendarChoice | None = None

    def is_empty(self) -> bool:
        return not self.given()

    def given(self) -> dict[str, object]:
        """The settings this /setup changes, by key."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def _bad(key: str, valid: str) -> ParseError:
    return ParseError(f"{key} must be {valid} — e.g. /setup {EXAMPLES[key]}")


def _day(text: str) -> int | None:
    if len(text) >= 3:
        for number, full in enumerate(_FULL_DAYS):
            if full.startswith(text):
                return number
    return None


def _runs(value: str) -> dict[int, RunType] | ParseError:
    if value in ("", "none", "rest"):
        return {}
    runs: dict[int, RunType] = {}
    for part in filter(None, value.split(",")):
        day_text, _, kind = part.partition(":")
        day = _day(day_text)
        if day is None:
            return _bad("runs", f"day:type pairs with days {'|'.join(DAY_NAMES)}")
        if kind not in RUN_TYPES:
            return _bad("runs", f"day:type pairs with types {'|'.join(RUN_TYPES)}")
        if day in runs:
            return ParseError(
                f"{DAY_NAMES[day]} is in runs twice — one run a day, e.g. /setup {EXAMPLES['runs']}"
            )
        runs[day] = kind  # type: ignore[assignment]
    return runs


def _clock(value: str) -> time | None:
    match = _CLOCK.fullmatch(value)
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _remind(value: str) -> time | ParseError:
    if value in ("on", "off"):
        return ParseError(f"Use /remind {value} for that; remind= takes a time — e.g. /setup remind=18:00")
    clock = _clock(value)
    if clock is None:
        return _bad("remind", "a time HH:MM (00:00–23:59)")
    if in_quiet_hours(clock):
        return ParseError(f"{QUIET_REASON}. e.g. /setup remind=18:00")
    return clock


def _zone(value: str) -> str | ParseError:
    zones = zone_names()
    if value in zones:
        return zones[value]
    city = value.replace(" ", "_")
    near = sorted(name for low, name in zones.items() if "/" not in city and low.endswith("/" + city))
    if near:
        return ParseError(f"tz must be a full IANA name — e.g. /setup tz={near[0]}")
    return _bad("tz", "an IANA time zone such as Europe/Berlin, America/New_York or UTC")


def _choice(key: str, value: str, choices: tuple[str, ...]) -> str | ParseError:
    return value if value in choices else _bad(key, "|".join(choices))


def _calendar(raw: str) -> CalendarChoice | ParseError:
    lower = raw.lower()
    if lower in ("off", "upload"):
        return CalendarChoice(lower)  # type: ignore[arg-type]
    if lower.startswith(FEED_SCHEMES):
        url = "https://" + raw[len("webcal://") :] if lower.startswith("webcal://") else raw
        try:
            host = urlsplit(url).hostname if len(url) <= URL_LIMIT else None
        except ValueError:  # a malformed address such as http://[
            host = None
        if host and all(c.isprintable() and not c.isspace() for c in url):
            return CalendarChoice("url", url)
        return _bad("calendar", f"a feed URL of at most {URL_LIMIT} characters with a host")
    if lower.endswith(".ics") and "://" not in lower and len(raw) <= URL_LIMIT:
        return CalendarChoice("path", raw)
    return _bad("calendar", "an https:// or webcal:// feed URL, or off")


def _value(key: str, raw: str) -> object:
    if key == "calendar":
        return _calendar(raw)
    value = raw.lower()
    if key == "runs":
        return _runs(value)
    if key == "tz":
        return _zone(value)
    if key == "equipment":
        return _choice(key, value, EQUIPMENT)
    if key == "terrain":
        return _choice(key, value, TERRAIN)
    if key == "sessions":
        choice = _choice(key, value, tuple(str(s) for s in SESSIONS))
        return choice if isinstance(choice, ParseError) else int(choice)
    if key == "remind":
        return _remind(value)
    return _choice(key, value, UNITS)


def parse_setup(text: str) -> SetupChanges | ParseError:
    """``runs=tue:speed,sun:long tz=Europe/Berlin …`` → the changes; nothing given → empty changes."""
    squeezed = re.sub(r"\s*([=,])\s*", r"\1", text.strip())
    squeezed = re.sub(r"(\w)\s*:\s*(?!//)", r"\1:", squeezed)
    changes: dict[str, object] = {}
    for token in squeezed.split():
        key, sep, raw = token.partition("=")
        key = key.lower()
        if not sep:
            return ParseError(
                f"Write settings as key=value — e.g. /setup {EXAMPLES['tz']} {EXAMPLES['sessions']}"
            )
        if key not in KEYS:
            return ParseError(
                f"Unknown setting {quoted(key)}. Keys: {', '.join(KEYS)} — e.g. /setup {EXAMPLES['tz']}"
            )
        if key in changes:
            return ParseError(f"{key} is given twice — say it once, e.g. /setup {EXAMPLES[key]}")
        value = _value(key, raw)
        if isinstance(value, ParseError):
            return value
        changes[key] = value
    return SetupChanges(**changes)  # type: ignore[arg-type]


def format_setup(changes: SetupChanges) -> str:
    """Canonical /setup text, keys in a fixed order: ``runs=tue:speed,sun:long tz=UTC``."""
    parts: list[str] = []
    for key in KEYS:
        value = getattr(changes, key)
        if value is None:
            continue
        if key == "runs":
            parts.append(f"runs={format_runs(value) or 'none'}")
        elif key == "calendar":
            parts.append(f"calendar={value.value or value.kind}")
        elif key == "remind":
            parts.append(f"remind={value.strftime('%H:%M')}")
        else:
            parts.append(f"{key}={value}")
    return " ".join(parts)


def parse_remind(text: str) -> time | Literal["on", "off"] | ParseError:
    """``/remind on|off|HH:MM``; a time in quiet hours is refused with the reason."""
    value = text.strip().lower()
    if value in ("on", "off"):
        return "on" if value == "on" else "off"
    clock = _clock(value)
    if clock is None:
        return ParseError("Form: /remind on|off|HH:MM — e.g. /remind 18:00")
    if in_quiet_hours(clock):
        return ParseError(f"{QUIET_REASON}. e.g. /remind 18:00")
    return clock
