"""A runner's exercises by key: the catalog's variants and their own, with names, movements and groups.

Every screen that names a logged exercise, and the ledger when it counts the catalog
groups trained, reads them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.training.catalog import MOVEMENT, VARIANT, VARIANTS
from core.training.choosing import own_variant
from core.training.identity import Variant
from core.training.model import LoggedSet, OwnExercise

OWN_PREFIX = "own-"
OTHER = "other"  # an own exercise outside the eight groups (a plank)


def is_own(key: str) -> bool:
    return key.startswith(OWN_PREFIX)


def needs_own(keys: Iterable[str]) -> bool:
    """Whether naming these keys needs the runner's own exercises loaded."""
    return any(is_own(k) for k in keys)


def fallback_label(key: str) -> str:
    text = key.removeprefix(OWN_PREFIX).replace("-", " ")
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Lexicon:
    """The catalog plus one runner's own exercises."""

    own: tuple[OwnExercise, ...] = ()

    def _own(self, key: str) -> OwnExercise | None:
        return next((o for o in self.own if o.key == key), None)

    def variant(self, key: str, last_sets: Sequence[LoggedSet] = ()) -> Variant | None:
        known = VARIANT.get(key)
        if known is not None:
            return known
        mine = self._own(key)
        return own_variant(mine, last_sets) if mine is not None else None

    def label(self, key: str) -> str:
        """``Goblet squat``, the runner's own name, or a readable form of an unknown key."""
        known = VARIANT.get(key)
        if known is not None:
            return known.name
        mine = self._own(key)
        return mine.name if mine is not None else fallback_label(key)

    def movement(self, key: str) -> str | None:
        known = VARIANT.get(key)
        if known is not None:
            return known.movement
        mine = self._own(key)
        return mine.movement if mine is not None and mine.movement in MOVEMENT else None

    def group(self, key: str) -> str | None:
        """The catalog group a logged exercise counts toward (``None``: none of the eight)."""
        movement = self.movement(key)
        return MOVEMENT[movement].group if movement is not None else None

    def keys_of_group(self, group: str) -> list[str]:
        mine = [o.key for o in self.own if self.group(o.key) == group]
        return [v.key for v in VARIANTS if MOVEMENT[v.movement].group == group] + mine

    def keys_of_movement(self, movement: str) -> list[str]:
        mine = [o.key for o in self.own if o.movement == movement]
        return [v.key for v in VARIANTS if v.movement == movement] + mine


CATALOG = Lexicon()


def trained_groups(
    sets: Iterable[LoggedSet], lexicon: Lexicon, trained: dict[str, date] | None = None
) -> dict[str, date]:
    """Catalog group → the first day a set of it was logged (what ``all-eight`` counts), from ``trained`` on."""
    out = dict(trained or {})
    for s in sets:
        group = lexicon.group(s.exercise)
        if group is not None:
            held = out.get(group)
            out[group] = min(held, s.local_date) if held else s.local_date
    return out
