"""Which variant a movement means for a runner today: their /swap, the rung they climbed to, or their kit's.

One rule for /today, /plan, the nudges and /log: typing a movement name (``squat``) logs
the variant today's session names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from core.training.catalog import MOVEMENT, VARIANT, default_variant, loaded_fallback, variants_of
from core.training.identity import Variant, kit_of
from core.training.ladders import next_rung, topped
from core.training.model import LoggedSet, OwnExercise
from core.training.profile import Profile

# The sets of the most recent day any of these variants was logged (of the one logged last).
Latest = Callable[[Sequence[str]], Sequence[LoggedSet]]


def no_history(_keys: Sequence[str]) -> Sequence[LoggedSet]:
    return ()


def latest_of(days: Mapping[str, Sequence[LoggedSet]], keys: Sequence[str]) -> Sequence[LoggedSet]:
    """Of ``keys``, the last day's sets of the one logged last (``days``: each exercise's last day)."""
    found = [days[k] for k in keys if days.get(k)]
    return max(found, key=lambda sets: (sets[0].local_date, max(s.entry for s in sets)), default=())


def own_variant(own: OwnExercise, last_sets: Sequence[LoggedSet] = ()) -> Variant:
    """A runner's own exercise as a variant: loaded, held or reps after what was logged last."""
    timed = any(s.seconds is not None for s in last_sets)
    weighted = any(s.weight_kg is not None for s in last_sets)
    kind = "hold" if timed else "loaded" if weighted else "reps"
    reps = (20, 60) if timed else (8, 15)
    return Variant(own.key, own.name, own.movement, "", kind=kind, reps=reps)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Choice:
    """The variant chosen for a movement; ``climbed_from`` the rung it replaces, if it just moved up."""

    variant: Variant
    climbed_from: Variant | None = None
    pinned: bool = False


def _pinned(
    movement_key: str, profile: Profile, own: Sequence[OwnExercise], latest: Latest
) -> Variant | None:
    key = profile.swaps.get(movement_key)
    if key is None:
        return None
    known = VARIANT.get(key)
    if known is not None:
        return known if known.fits(kit_of(profile.equipment)) else None
    mine = next((o for o in own if o.key == key), None)
    return own_variant(mine, latest([key])) if mine is not None else None


def current_variant(
    movement_key: str, profile: Profile, latest: Latest = no_history, own: Sequence[OwnExercise] = ()
) -> Choice | None:
    """The variant of ``movement_key`` for this runner; ``None`` when their kit has none (no bar)."""
    pinned = _pinned(movement_key, profile, own, latest)
    if pinned is not None:
        return Choice(pinned, pinned=True)
    start = default_variant(movement_key, profile.equipment)
    if start is None:
        return None
    kit = kit_of(profile.equipment)
    rungs = [k for k in MOVEMENT[movement_key].ladder if VARIANT[k].fits(kit)]
    if start.loaded or not rungs:
        return Choice(start)
    last = latest(rungs)
    rung = VARIANT[last[0].exercise] if last else start
    higher = next_rung(rung, kit)
    if higher is not None and topped(rung, last if last and last[0].exercise == rung.key else ()):
        return Choice(higher, climbed_from=rung)
    return Choice(rung)


def logged_variant(
    movement_key: str,
    profile: Profile,
    weighted: bool,
    timed: bool,
    latest: Latest = no_history,
    own: Sequence[OwnExercise] = (),
) -> str:
    """The variant key a typed movement name logs: today's choice, unless the sets say otherwise.

    A weight on an unloaded choice means a loaded variant; no weight on a loaded choice
    means the movement done without one; seconds mean the movement's hold, if it has one.
    """
    chosen = current_variant(movement_key, profile, latest, own)
    variant = chosen.variant if chosen is not None else None
    kit = kit_of(profile.equipment)
    if timed and (variant is None or not variant.timed):
        holds = [v for v in variants_of(movement_key) if v.timed]
        fits = [v for v in holds if v.fits(kit)] or holds
        if fits:
            return fits[0].key
    if weighted and (variant is None or not variant.loaded):
        loaded = loaded_fallback(movement_key, profile.equipment)
        if loaded is not None:
            return loaded.key
    if not weighted and not timed and (variant is None or variant.loaded):
        plain = profile.with_changes(equipment="bodyweight+bar" if "bar" in kit else "bodyweight")
        bodyweight = current_variant(movement_key, plain, latest, own)
        if bodyweight is not None and not bodyweight.pinned:
            return bodyweight.variant.key
    if variant is not None:
        return variant.key
    return variants_of(movement_key)[0].key
