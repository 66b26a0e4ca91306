"""Exercise names from another logger onto the catalog's variants, or kept as the runner's own.

Only exact names count (``Squat (Barbell)`` is a barbell back squat, ``Pull Up`` a
pull-up); no typo is guessed on a file nobody is watching. A movement named with an
equipment the catalog has no variant for (``Deadlift (Barbell)``) becomes the runner's
own exercise of that movement, so it counts for the right group and nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from core.parsing.exercise_names import exact_name, normalize
from core.training.catalog import MOVEMENT, VARIANT, variants_of
from core.training.choosing import logged_variant
from core.training.lexicon import OTHER, OWN_PREFIX
from core.training.model import OwnExercise
from core.training.profile import Profile

MAX_OWN_NAME = 40
_KIT = re.compile(r"^(?P<base>.*?)\s*\((?P<kit>[^()]*)\)\s*$")
_KIT_WORDS = {
    "trap bar": "hex bar",
    "db": "dumbbell",
    "kb": "kettlebell",
    "bw": "bodyweight",
    "band": "banded",
    # the equipment in French and German exports (accents dropped, as ``_plain`` reads them)
    "barre": "barbell",
    "haltere": "dumbbell",
    "halteres": "dumbbell",
    "poids du corps": "bodyweight",
    "poulie": "cable",
    "langhantel": "barbell",
    "kurzhantel": "dumbbell",
    "kurzhanteln": "dumbbell",
    "korpergewicht": "bodyweight",
    "maschine": "machine",
    "kabel": "cable",
    "kabelzug": "cable",
}
# Movement names of French and German exports, in the catalog's English.
_WORDS = {
    "kniebeuge": "squat",
    "kniebeugen": "squat",
    "kreuzheben": "deadlift",
    "rumanisches kreuzheben": "romanian deadlift",
    "klimmzug": "pull-up",
    "klimmzuge": "pull-up",
    "liegestutz": "push-up",
    "liegestutze": "push-up",
    "ausfallschritt": "lunge",
    "ausfallschritte": "lunge",
    "wadenheben": "calf raise",
    "rudern": "row",
    "beinstrecker": "leg extension",
    "souleve de terre": "deadlift",
    "souleve de terre roumain": "romanian deadlift",
    "traction": "pull-up",
    "tractions": "pull-up",
    "pompe": "push-up",
    "pompes": "push-up",
    "fente": "lunge",
    "fentes": "lunge",
    "mollets": "calf raise",
    "extension des mollets": "calf raise",
    "rowing": "row",
    "extension des jambes": "leg extension",
}


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def _english(text: str) -> str:
    """A French or German movement name in the catalog's words; any other name as it is."""
    return _WORDS.get(_plain(text), text)


@dataclass(frozen=True)
class Mapped:
    """Where an imported name goes: a catalog variant, or one of the runner's own (``own`` when new)."""

    key: str
    label: str
    catalog: bool
    own: OwnExercise | None = None


def _slug(name: str) -> str:
    return "-".join(normalize(name).split())


def _with_kit(movement: str, kit: str) -> str | None:
    """The movement's variant named for this equipment (``barbell`` → barbell back squat)."""
    wanted = set(normalize(_KIT_WORDS.get(kit, kit)).split())
    for v in variants_of(movement):
        if wanted and wanted <= set(normalize(v.name).split()) | set(v.key.split("-")):
            return v.key
    return None


class NameMap:
    """Maps each distinct imported name once; new own exercises are collected for the write."""

    def __init__(self, profile: Profile, own: Sequence[OwnExercise]) -> None:
        self.profile = profile
        self.own = tuple(own)
        self.new: dict[str, OwnExercise] = {}
        self._cache: dict[str, Mapped] = {}

    def __call__(self, name: str) -> Mapped:
        folded = name.casefold()
        found = self._cache.get(folded)
        if found is None:
            found = self._cache[folded] = self._map(name)
        return found

    def _catalog(self, name: str) -> tuple[str | None, str | None]:
        """(variant key, movement key) the name means in the catalog or the runner's own exercises."""
        kit_match = _KIT.fullmatch(name)
        base, kit = (kit_match["base"], _plain(kit_match["kit"])) if kit_match else (name, "")
        base = _english(base)
        tries = [f"{_KIT_WORDS.get(kit, kit)} {base}", f"{base} {kit}"] if kit else []
        for text in [*tries, base, name]:
            found = exact_name(text, self.own)
            if found is not None and found.kind == "variant":
                return found.key, None
        found = exact_name(base, self.own)
        if found is None:
            return None, None
        if found.kind == "variant":
            known = VARIANT.get(found.key)
            if not kit or known is None:
                return found.key, None
            return _with_kit(known.movement, kit), known.movement
        if kit:
            return _with_kit(found.key, kit), found.key
        return logged_variant(found.key, self.profile, weighted=True, timed=False, own=self.own), found.key

    def _map(self, name: str) -> Mapped:
        key, movement = self._catalog(name)
        if key is not None:
            mine = next((o for o in self.own if o.key == key), None)
            label = mine.name if mine is not None else VARIANT[key].name
            return Mapped(key, label, catalog=mine is None)
        label = name[:MAX_OWN_NAME]
        key = OWN_PREFIX + _slug(label)[: 40 - len(OWN_PREFIX)]
        taken = {o.key for o in self.own} | set(self.new)
        if key in taken:
            mine = next((o for o in [*self.own, *self.new.values()] if o.key == key), None)
            if mine is not None and normalize(mine.name) == normalize(label):
                return Mapped(key, mine.name, catalog=False)
            stem, n = key[:36], 2
            while f"{stem}-{n}" in taken:
                n += 1
            key = f"{stem}-{n}"
        own = OwnExercise(key, label, movement if movement in MOVEMENT else OTHER)
        self.new[key] = own
        return Mapped(key, label, catalog=False, own=own)
