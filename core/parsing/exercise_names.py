"""Exercise names as runners type them: aliases, plurals, typos, "did you mean" and autocomplete."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from core.parsing.errors import ParseError, quoted
from core.training.catalog import EXERCISES, names_and_aliases

_ACCEPT = 0.8  # a typo is fixed silently only when this close ...
_MARGIN = 0.08  # ... and clearly closer than any other exercise
_SUGGEST = 0.5
_FUZZY_MAX_LEN = 40  # beyond this it is not a typo of a catalog name


def normalize(text: str) -> str:
    """Lower case, ``-``/``_`` as spaces, runs of spaces collapsed."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def _compact(text: str) -> str:
    return text.replace(" ", "")


def _singular(text: str) -> str:
    """Drop a plural ``s`` from every word: ``calf raises`` → ``calf raise``."""
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split()
    )


def display(key: str) -> str:
    """A catalog name for use inside a sentence: ``squat``, ``single-leg Romanian deadlift``."""
    name = _BY_KEY_NAME[key]
    return name if name.startswith("Romanian") else name[0].lower() + name[1:]


_BY_KEY_NAME: dict[str, str] = {e.key: e.name for e in EXERCISES}


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """Normalized names → key, and the same names with spaces removed → key."""
    spaced: dict[str, str] = {}
    for name, key in names_and_aliases().items():
        spaced.setdefault(normalize(name), key)
    compact: dict[str, str] = {}
    for name, key in spaced.items():
        compact.setdefault(_compact(name), key)
    return spaced, compact


def _exact(text: str) -> str | None:
    spaced, compact = _tables()
    for candidate in (text, _singular(text)):
        if candidate in spaced:
            return spaced[candidate]
        if _compact(candidate) in compact:
            return compact[_compact(candidate)]
    return None


def _scores(text: str) -> dict[str, float]:
    """Best similarity of ``text`` to any name of each exercise."""
    spaced, _ = _tables()
    best: dict[str, float] = {}
    if not text or len(text) > _FUZZY_MAX_LEN:
        return best
    squeezed = _compact(text)
    for name, key in spaced.items():
        ratio = max(
            SequenceMatcher(None, text, name).ratio(),
            SequenceMatcher(None, squeezed, _compact(name)).ratio(),
        )
        if ratio > best.get(key, 0.0):
            best[key] = ratio
    return best


def _unique_prefix(text: str) -> str | None:
    if len(text) < 4:
        return None
    spaced, _ = _tables()
    keys = {key for name, key in spaced.items() if name.startswith(text)}
    return keys.pop() if len(keys) == 1 else None


def match_exercise(text: str) -> str | ParseError:
    """The catalog key for a typed exercise name, or an error with suggestions."""
    wanted = normalize(text)
    if not wanted:
        return ParseError("Which exercise? e.g. squat, rdl, push-ups — see /help")
    found = _exact(wanted) or _unique_prefix(wanted)
    if found:
        return found
    ranked = sorted(_scores(wanted).items(), key=lambda kv: -kv[1])
    if ranked:
        top_key, top = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if len(wanted) >= 4 and top >= _ACCEPT and top - runner_up >= _MARGIN:
            return top_key
    close = [display(key) for key, score in ranked[:3] if score >= _SUGGEST]
    if close:
        return ParseError(f"Unknown exercise {quoted(text)} — did you mean {_or_list(close)}?")
    some = [display(e.key) for e in EXERCISES[1:6]]
    return ParseError(f"Unknown exercise {quoted(text)} — try {_or_list(some)} (see /help).")


def _or_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def suggest_exercises(prefix: str, limit: int = 25) -> list[tuple[str, str]]:
    """``(display name, key)`` pairs for autocomplete, best first; an empty prefix lists the catalog."""
    wanted = normalize(prefix)
    if limit <= 0:
        return []
    if not wanted:
        return [(e.name, e.key) for e in EXERCISES][:limit]
    spaced, _ = _tables()
    rank: dict[str, float] = {}
    for name, key in spaced.items():
        if name == wanted or _compact(name) == _compact(wanted):
            score = 0.0
        elif name.startswith(wanted) or _compact(name).startswith(_compact(wanted)):
            score = 1.0 if name == normalize(_BY_KEY_NAME[key]) else 2.0
        elif any(word.startswith(wanted) for word in name.split()):
            score = 3.0
        elif wanted in name:
            score = 4.0
        else:
            continue
        rank[key] = min(score, rank.get(key, score))
    if not rank:  # nothing contains the text: fall back to typo matching
        for key, ratio in _scores(wanted).items():
            if ratio >= _SUGGEST:
                rank[key] = 6.0 - ratio
    order = {e.key: i for i, e in enumerate(EXERCISES)}
    keys = sorted(rank, key=lambda k: (rank[k], order[k]))
    return [(_BY_KEY_NAME[k], k) for k in keys][:limit]
