"""Exercise names as runners type them: variants, movements, their own exercises, plurals, typos, autocomplete.

A name is a variant (``goblet squat``, ``glute bridge``) or a movement (``squat``,
``rdl``); which variant a movement means for a runner is :mod:`core.training.choosing`'s rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from core.parsing.errors import ParseError, quoted
from core.training.catalog import MOVEMENT, MOVEMENTS, VARIANT, VARIANTS, names
from core.training.choosing import Latest, logged_variant, no_history
from core.training.model import OwnExercise
from core.training.profile import Profile

_ACCEPT = 0.8  # a typo is fixed silently only when this close ...
_MARGIN = 0.08  # ... and clearly closer than any other exercise
_SUGGEST = 0.5
_FUZZY_MAX_LEN = 40  # beyond this it is not a typo of a catalog name
_NOT_NAME = re.compile(r"[^\w\s-]+")


@dataclass(frozen=True)
class Match:
    """What a typed name is: a variant to log as is, or a movement (the runner's variant of it)."""

    kind: Literal["variant", "movement"]
    key: str


Table = dict[str, Match]


def normalize(text: str) -> str:
    """Lower case, ``-``/``_`` as spaces, emoji and punctuation dropped, runs of spaces collapsed."""
    text = _NOT_NAME.sub(" ", text.lower())
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def _compact(text: str) -> str:
    return text.replace(" ", "")


def _singular(text: str) -> str:
    """Drop a plural ``s`` from every word: ``calf raises`` → ``calf raise``."""
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split()
    )


def label(match: Match, own: Sequence[OwnExercise] = ()) -> str:
    """The display name of a match: ``Goblet squat``, ``Squat``, the runner's own name."""
    if match.kind == "movement":
        return MOVEMENT[match.key].name
    known = VARIANT.get(match.key)
    if known is not None:
        return known.name
    return next((o.name for o in own if o.key == match.key), match.key)


def display(match: Match, own: Sequence[OwnExercise] = ()) -> str:
    """A name for use inside a sentence: ``goblet squat``, ``Romanian deadlift``."""
    name = label(match, own)
    return name if name.split()[0] in ("Romanian", "Spanish", "Cossack") else name[0].lower() + name[1:]


@lru_cache(maxsize=1)
def _catalog() -> tuple[Table, Table]:
    """Normalized names → match, and the same names with spaces removed → match."""
    spaced: Table = {}
    for name, (kind, key) in names().items():
        spaced.setdefault(normalize(name), Match(kind, key))  # type: ignore[arg-type]
    compact: Table = {}
    for name, found in spaced.items():
        compact.setdefault(_compact(name), found)
    return spaced, compact


def _tables(own: Sequence[OwnExercise]) -> tuple[Table, Table]:
    spaced, compact = _catalog()
    if not own:
        return spaced, compact
    spaced, compact = dict(spaced), dict(compact)
    for o in own:
        for name in (o.name, o.key):
            spaced[normalize(name)] = Match("variant", o.key)
            compact[_compact(normalize(name))] = Match("variant", o.key)
    return spaced, compact


def _exact(text: str, tables: tuple[Table, Table]) -> Match | None:
    spaced, compact = tables
    for candidate in (text, _singular(text)):
        if candidate in spaced:
            return spaced[candidate]
        if _compact(candidate) in compact:
            return compact[_compact(candidate)]
    return None


def _scores(text: str, tables: tuple[Table, Table]) -> dict[Match, float]:
    """Best similarity of ``text`` to any name of each variant or movement."""
    best: dict[Match, float] = {}
    if not text or len(text) > _FUZZY_MAX_LEN:
        return best
    squeezed = _compact(text)
    for name, found in tables[0].items():
        ratio = max(
            SequenceMatcher(None, text, name).ratio(),
            SequenceMatcher(None, squeezed, _compact(name)).ratio(),
        )
        if ratio > best.get(found, 0.0):
            best[found] = ratio
    return best


def _unique_prefix(text: str, tables: tuple[Table, Table]) -> Match | None:
    if len(text) < 4:
        return None
    found = {m for name, m in tables[0].items() if name.startswith(text)}
    return found.pop() if len(found) == 1 else None


def exact_name(text: str, own: Sequence[OwnExercise] = ()) -> Match | None:
    """The variant or movement named exactly (up to case, plurals and spaces): no typo is guessed."""
    wanted = normalize(text)
    return _exact(wanted, _tables(own)) if wanted else None


def match_name(text: str, own: Sequence[OwnExercise] = ()) -> Match | ParseError:
    """The variant or movement a typed name means, or an error with suggestions."""
    wanted = normalize(text)
    if not wanted:
        return ParseError("Which exercise? e.g. squat, rdl, push-ups — /exercises lists them all")
    tables = _tables(own)
    found = _exact(wanted, tables) or _unique_prefix(wanted, tables)
    if found:
        return found
    # Best first; on a tie a variant beats the movement of the same name, as an exact name does.
    ranked = sorted(_scores(wanted, tables).items(), key=lambda kv: (-kv[1], kv[0].kind != "variant"))
    if ranked:
        top, score = ranked[0]
        # A movement named like the variant on top ("clamshell") is not a rival to it.
        rivals = [r for m, r in ranked[1:] if normalize(label(m, own)) != normalize(label(top, own))]
        runner_up = rivals[0] if rivals else 0.0
        if len(wanted) >= 4 and score >= _ACCEPT and score - runner_up >= _MARGIN:
            return top
    shown = text.strip()[:40]
    close = list(dict.fromkeys(display(m, own) for m, score in ranked[:3] if score >= _SUGGEST))
    if close:
        return ParseError(f"Unknown exercise {quoted(shown)} — did you mean {_or_list(close)}?")
    some = [display(Match("movement", m.key)) for m in MOVEMENTS[1:4]]
    return ParseError(
        f"Unknown exercise {quoted(shown)} — try {_or_list(some)} (/exercises lists all), "
        f"or add it: /exercises add {normalize(shown)[:30] or 'NAME'} movement=M"
    )


@dataclass(frozen=True)
class Resolved:
    """The variant a typed name logs; ``hold``: it is held, so its numbers are seconds."""

    key: str
    hold: bool = False


def resolve_name(
    text: str,
    profile: Profile,
    weighted: bool,
    timed: bool,
    own: Sequence[OwnExercise] = (),
    latest: Latest = no_history,
) -> Resolved | ParseError:
    """The variant a typed name logs for this runner: a variant as named, a movement as chosen today."""
    found = match_name(text, own)
    if isinstance(found, ParseError):
        return found
    key = found.key
    if found.kind == "movement":
        key = logged_variant(found.key, profile, weighted, timed, latest, own)
    known = VARIANT.get(key)
    return Resolved(key, known is not None and known.timed)


def resolve_default(text: str, weighted: bool, timed: bool) -> Resolved | ParseError:
    """A name resolved for a runner on the defaults (a gym, nothing logged yet)."""
    return resolve_name(text, _DEFAULT, weighted, timed)


_DEFAULT = Profile()


def match_movement(text: str) -> str | ParseError:
    """A movement by any of its names or its variants' names (``/swap``, ``/exercises add``)."""
    found = match_name(text)
    if isinstance(found, ParseError):
        return found
    return found.key if found.kind == "movement" else VARIANT[found.key].movement


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def suggest_exercises(prefix: str, limit: int = 25) -> list[tuple[str, str]]:
    """``(display name, key)`` pairs for autocomplete, best first; an empty prefix lists the movements."""
    wanted = normalize(prefix)
    if limit <= 0:
        return []
    order = {Match("movement", m.key): i for i, m in enumerate(MOVEMENTS)}
    order |= {Match("variant", v.key): len(MOVEMENTS) + i for i, v in enumerate(VARIANTS)}
    if not wanted:
        return [(m.name, m.key) for m in MOVEMENTS][:limit]
    spaced, _ = _catalog()
    rank: dict[Match, float] = {}
    for name, found in spaced.items():
        own_name = normalize(label(found))
        if name == wanted or _compact(name) == _compact(wanted):
            score = 0.0
        elif name.startswith(wanted) or _compact(name).startswith(_compact(wanted)):
            score = 1.0 if name == own_name else 2.0
        elif any(word.startswith(wanted) for word in name.split()):
            score = 3.0
        elif wanted in name:
            score = 4.0
        else:
            continue
        rank[found] = min(score, rank.get(found, score))
    if not rank:  # nothing contains the text: fall back to typo matching
        for found, ratio in _scores(wanted, _catalog()).items():
            if ratio >= _SUGGEST:
                rank[found] = 6.0 - ratio
    ranked = sorted(rank, key=lambda m: (rank[m], order[m]))
    return [(label(m), m.key) for m in ranked][:limit]
