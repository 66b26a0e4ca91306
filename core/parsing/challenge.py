"""``/challenge start "NAME" until YYYY-MM-DD goal=N [each=N]``, read once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.parsing.errors import ParseError

FORM = '/challenge start "NAME" until YYYY-MM-DD goal=N [each=N]'
EXAMPLE = 'e.g. /challenge start "Winter block" until 2027-02-28 goal=120'
_START = re.compile(
    r'^start\s+["“”]([^"“”]{1,60})["“”]\s+until\s+(\d{4}-\d{2}-\d{2})((?:\s+(?:goal|each)=\S+)*)\s*$',
    re.IGNORECASE,
)
LONGEST = timedelta(days=366)
MOST_GOAL, MOST_EACH = 1_000_000, 1_000


@dataclass(frozen=True)
class ChallengeSpec:
    name: str
    until: date
    goal: int | None
    each: int | None


def parse_challenge(text: str, today: date) -> ChallengeSpec | ParseError:
    found = _START.match(text.strip())
    if found is None:
        return ParseError(f"Use {FORM}. {EXAMPLE}")
    name, until_text, options = found.group(1).strip(), found.group(2), found.group(3).split()
    try:
        until = date.fromisoformat(until_text)
    except ValueError:
        return ParseError(f"{until_text} isn't a date: use YYYY-MM-DD. {EXAMPLE}")
    if until <= today or until - today > LONGEST:
        return ParseError(f"The end day must be after today and within a year. {EXAMPLE}")
    values: dict[str, int] = {}
    for option in options:
        key, _, raw = option.partition("=")
        key = key.lower()
        most = MOST_GOAL if key == "goal" else MOST_EACH
        if key in values or not raw.isdigit() or not 1 <= int(raw) <= most:
            return ParseError(f"{key}= takes a whole number of sessions from 1 to {most:,}, once. {EXAMPLE}")
        values[key] = int(raw)
    if not values or not name:
        return ParseError(f"Give the challenge a goal: goal=N for the group, or each=N per member. {EXAMPLE}")
    return ChallengeSpec(name, until, values.get("goal"), values.get("each"))
