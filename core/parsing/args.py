"""Arguments of /goal, /reward, /pause and /playlist, each checked against the product's limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from core.parsing.errors import ParseError, quoted
from core.parsing.exercise_names import Resolved, resolve_default
from core.parsing.numbers import MAX_REPS, MAX_TEXT, NUMBER, UNIT, integer, read_weight
from core.training.profile import Units

GOAL_FORM = "Form: /goal EXERCISE WEIGHT x REPS — e.g. /goal hex bar deadlift 100kg x5"
REWARD_FORM = "Form: /reward TEXT [after N] — e.g. /reward smoothie after 3"
PAUSE_FORM = "Form: /pause N (weeks, 1–4) — e.g. /pause 2"
PLAYLIST_FORM = "Form: /playlist URL — e.g. /playlist https://open.spotify.com/playlist/abc"
MAX_AFTER = 50
MAX_PAUSE_WEEKS = 4

_GOAL = re.compile(
    rf"(?P<name>.*?)\s*@?\s*(?P<w>{NUMBER})\s*(?P<u>{UNIT})?"
    r"\s*[x×*]\s*(?P<reps>[0-9]+)(?:\s*reps?)?",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"(?P<text>.*?)\s*\bafter\s+(?P<n>-?[0-9]+)(?:\s*(?:sessions?|workouts?|lifts?))?", re.I | re.S
)
_WEEKS = re.compile(r"(?P<n>-?[0-9]+)\s*(?:w|wk|wks|weeks?)?", re.IGNORECASE)


@dataclass(frozen=True)
class GoalSpec:
    """A strength goal: ``reps`` at ``weight`` in ``unit`` on a catalog exercise."""

    exercise: str
    weight: float
    unit: Units
    reps: int


@dataclass(frozen=True)
class RewardSpec:
    """A reward; ``after`` completed sessions for a personal one, ``None`` for a group's weekly one."""

    text: str
    after: int | None


def parse_goal(
    text: str,
    units: Units = "kg",
    resolve: Callable[[str, bool, bool], Resolved | ParseError] = resolve_default,
) -> GoalSpec | ParseError:
    """``hex bar deadlift 100kg x5``, ``squat 60 x 5`` (a weight without unit is in ``units``).

    ``resolve`` says which variant a name means for the runner (a movement: their loaded variant).
    """
    match = _GOAL.fullmatch(text.strip())
    if not match:
        return ParseError(GOAL_FORM)
    name = match["name"].strip()
    if not name:
        return ParseError(f"Which exercise? {GOAL_FORM}")
    read = read_weight(match["w"], match["u"], units, GOAL_FORM)
    if isinstance(read, ParseError):
        return read
    weight, unit = read
    reps = integer(match["reps"])
    if not 1 <= reps <= MAX_REPS:
        return ParseError(f"Reps must be 1–{MAX_REPS}. {GOAL_FORM}")
    exercise = resolve(name, True, False)
    if isinstance(exercise, ParseError):
        return exercise
    return GoalSpec(exercise.key, weight, unit, reps)


def parse_reward(text: str) -> RewardSpec | ParseError:
    """``smoothie after 3`` (personal, after 3 more sessions) or ``pizza night`` (no count)."""
    body, after = " ".join(text.split()), None
    match = _AFTER.fullmatch(body)
    if match:
        body, count = match["text"].strip(), match["n"]
        after = integer(count.lstrip("-"))
        if count.startswith("-") or not 1 <= after <= MAX_AFTER:
            return ParseError(f"after takes 1–{MAX_AFTER} sessions. {REWARD_FORM}")
    if not body:
        return ParseError(f"What is the reward? {REWARD_FORM}")
    if len(body) > MAX_TEXT:
        return ParseError(f"Keep the reward to {MAX_TEXT} characters. {REWARD_FORM}")
    return RewardSpec(body, after)


def parse_pause(text: str) -> int | ParseError:
    """Weeks to pause: ``2``, ``2 weeks`` or ``2w``; 1–4."""
    match = _WEEKS.fullmatch(text.strip())
    if not match:
        return ParseError(PAUSE_FORM)
    weeks = integer(match["n"].lstrip("-"))
    if "-" in match["n"] or not 1 <= weeks <= MAX_PAUSE_WEEKS:
        return ParseError(f"A pause lasts 1–{MAX_PAUSE_WEEKS} weeks. {PAUSE_FORM}")
    return weeks


def parse_playlist(text: str) -> str | ParseError:
    """An http(s) link with a host, at most 200 characters, no spaces; ``<…>`` wrapping is dropped."""
    url = text.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    if not url:
        return ParseError(PLAYLIST_FORM)
    if len(url) > MAX_TEXT:
        return ParseError(f"That link is over {MAX_TEXT} characters. {PLAYLIST_FORM}")
    if any(c.isspace() or not c.isprintable() for c in url):
        return ParseError(f"A link has no spaces. {PLAYLIST_FORM}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return ParseError(f"That is not a link I can use. {PLAYLIST_FORM}")
    if parts.scheme.lower() not in ("http", "https"):
        return ParseError(f"Only http(s) links. {PLAYLIST_FORM}")
    if not host:
        return ParseError(f"That link has no site in it. {PLAYLIST_FORM}")
    return url


TODAY_FORM = "Form: /today [tomorrow|mon…sun|YYYY-MM-DD] — e.g. /today tomorrow or /today sat"
PLAN_FORM = "Form: /plan [next week] — e.g. /plan next week"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
AHEAD_DAYS = 28


def parse_day(text: str, today: date) -> date | ParseError:
    """The day /today asks about: ``tomorrow``, a weekday (the next one, today included), a date."""
    word = " ".join(text.lower().replace(",", " ").split()).removeprefix("next ").removeprefix("on ")
    if word in ("", "today", "now"):
        return today
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    if len(word) >= 3:
        for number, name in enumerate(_WEEKDAYS):
            if name.startswith(word):
                return today + timedelta(days=(number - today.weekday()) % 7)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        return ParseError(f"Which day is {quoted(text.strip()[:30])}? {TODAY_FORM}")
    if not today - timedelta(days=7) <= day <= today + timedelta(days=AHEAD_DAYS):
        return ParseError(f"/today looks up to {AHEAD_DAYS} days ahead (and a week back). {TODAY_FORM}")
    return day


def parse_week(text: str) -> int | ParseError:
    """Weeks from this one: ``this week`` 0, ``next week`` 1."""
    word = " ".join(text.lower().split())
    if word in ("", "this", "this week", "week", "now"):
        return 0
    if word in ("next", "next week", "week after", "+1"):
        return 1
    return ParseError(f"Which week is {quoted(text.strip()[:30])}? {PLAN_FORM}")
