"""The catalog: movements and their variants, looked up by key, by name and by what a runner has."""

from __future__ import annotations

from collections.abc import Iterable

from core.training.identity import Movement, Tool, Variant, kit_of
from core.training.movements import GROUPS, MOVEMENTS
from core.training.variants import VARIANTS

__all__ = ["GROUPS", "MOVEMENTS", "VARIANTS", "Movement", "Variant"]

MOVEMENT: dict[str, Movement] = {m.key: m for m in MOVEMENTS}
VARIANT: dict[str, Variant] = {v.key: v for v in VARIANTS}
_OF_MOVEMENT: dict[str, tuple[Variant, ...]] = {
    m.key: tuple(v for v in VARIANTS if v.movement == m.key) for m in MOVEMENTS
}


def variants_of(movement_key: str) -> tuple[Variant, ...]:
    return _OF_MOVEMENT.get(movement_key, ())


def movement_of(variant_key: str) -> Movement | None:
    """The movement of a catalog variant (``None`` for a key the catalog does not know)."""
    known = VARIANT.get(variant_key)
    return MOVEMENT.get(known.movement) if known is not None else None


def group_of(variant_key: str) -> str | None:
    found = movement_of(variant_key)
    return found.group if found is not None else None


def group_variants(group: str) -> list[str]:
    """Every catalog variant key of one of the eight groups."""
    return [v.key for v in VARIANTS if MOVEMENT[v.movement].group == group]


def fitting(movement_key: str, kit: frozenset[Tool]) -> list[Variant]:
    return [v for v in variants_of(movement_key) if v.fits(kit)]


def default_variant(movement_key: str, equipment: str) -> Variant | None:
    """The variant an equipment setting starts a movement with; ``None`` when nothing fits the kit."""
    movement = MOVEMENT[movement_key]
    kit = kit_of(equipment)
    base = equipment.split("+", 1)[0]
    named = VARIANT.get(movement.defaults.get(base, ""))  # type: ignore[call-overload]
    if named is not None and named.fits(kit):
        return named
    usable = fitting(movement_key, kit)
    return usable[0] if usable else None


def loaded_fallback(movement_key: str, equipment: str) -> Variant | None:
    """A loaded variant of the movement: one the kit has, else the home one (a weight was used after all)."""
    movement = MOVEMENT[movement_key]
    kit = kit_of(equipment)
    loaded = [v for v in variants_of(movement_key) if v.loaded]
    home = [v for v in loaded if v.key == movement.defaults["home"]]
    base = movement.defaults.get(equipment.split("+", 1)[0], "")  # type: ignore[call-overload]
    fits = sorted((v for v in loaded if v.fits(kit)), key=lambda v: v.key != base)
    ranked = fits or home
    chosen = ranked or loaded
    return chosen[0] if chosen else None


def unloaded_fallback(movement_key: str) -> Variant | None:
    """The movement's variant without load: the bodyweight setting's one."""
    found = VARIANT.get(MOVEMENT[movement_key].defaults["bodyweight"])
    if found is not None and not found.loaded:
        return found
    return next((v for v in variants_of(movement_key) if not v.loaded), None)


def names() -> dict[str, tuple[str, str]]:
    """Every name a runner may type (lower case) → ``("variant" | "movement", key)``.

    A variant's own name or alias wins over a movement's: ``push-up`` is the push-up itself.
    """
    table: dict[str, tuple[str, str]] = {}
    for v in VARIANTS:
        for name in (v.key, v.key.replace("-", " "), v.name, *v.aliases):
            table.setdefault(name.lower(), ("variant", v.key))
    for m in MOVEMENTS:
        for name in (m.key, m.key.replace("-", " "), m.name, *m.aliases):
            table.setdefault(name.lower(), ("movement", m.key))
    return table


def by_movement(keys: Iterable[str]) -> dict[str, list[str]]:
    """Variant keys grouped by their movement (unknown keys left out)."""
    out: dict[str, list[str]] = {}
    for key in keys:
        found = VARIANT.get(key)
        if found is not None:
            out.setdefault(found.movement, []).append(key)
    return out
