"""Exercise identity: a movement (what the session needs) and its variants (what the runner does), and kit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.training.profile import BaseEquipment

Pattern = Literal["main", "single_leg", "posterior", "calves", "upper", "knee"]
# What a variant needs beyond the floor, a wall, a step and a sturdy chair (everyone has those).
Tool = Literal["barbell", "hexbar", "dumbbell", "kettlebell", "machine", "band", "bar"]
# How a variant is prescribed: sets × reps with a load; sets × reps of bodyweight; held for seconds;
# a light activation drill for high reps.
Kind = Literal["loaded", "reps", "hold", "activation"]
# Which real-world loads it takes (see core.training.loads): plates on a bar, dumbbells, bells, a stack.
Load = Literal["plates", "dumbbell", "kettlebell", "machine"]

KITS: dict[BaseEquipment, frozenset[Tool]] = {
    "gym": frozenset({"barbell", "hexbar", "dumbbell", "kettlebell", "machine", "band", "bar"}),
    "home": frozenset({"dumbbell", "kettlebell", "band"}),
    "bodyweight": frozenset(),
}


def kit_of(equipment: str) -> frozenset[Tool]:
    """What the runner has: ``home`` is dumbbells, kettlebells and a band; ``+bar`` adds a pull-up bar."""
    base, _, extra = equipment.partition("+")
    tools = KITS.get(base, frozenset())  # type: ignore[call-overload]
    return tools | {"bar"} if extra == "bar" else tools


@dataclass(frozen=True)
class Variant:
    """One way to do a movement, and the identity a logged set carries.

    ``needs`` is every tool it takes; ``load`` the kind of weight it is done with
    (``None``: no load to prescribe); ``reps`` the range a bodyweight, hold (seconds)
    or activation variant progresses through before the next rung; ``plausible_kg`` the
    heaviest load anyone sensible logs for it (beyond: asked before it counts).
    """

    key: str
    name: str
    movement: str
    cue: str
    kind: Kind = "loaded"
    needs: frozenset[Tool] = frozenset()
    load: Load | None = None
    reps: tuple[int, int] = (8, 15)
    aliases: tuple[str, ...] = ()
    unilateral: bool = False
    heavy_hinge: bool = False
    plausible_kg: float = 500.0

    def fits(self, kit: frozenset[Tool]) -> bool:
        return self.needs <= kit

    @property
    def loaded(self) -> bool:
        return self.kind == "loaded"

    @property
    def timed(self) -> bool:
        return self.kind == "hold"


@dataclass(frozen=True)
class Movement:
    """A movement of the catalog: one of the advice's eight groups, the slots it fills, its variants.

    ``defaults`` names the variant each equipment setting starts with; ``ladder`` orders the
    unloaded variants from easiest to hardest (a bodyweight runner climbs it).
    """

    key: str
    name: str
    group: str
    patterns: tuple[Pattern, ...]
    muscles: str
    why: str
    defaults: dict[BaseEquipment, str]
    ladder: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
