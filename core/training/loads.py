"""Real-world loads: what a bar with plates, a dumbbell rack, a set of bells or a stack can be, in kg or lb.

Rounding rules (each in the runner's own units):

- barbell and hex bar: 2.5 kg / 5 lb steps from the empty bar (20 kg / 45 lb);
- dumbbells: 2 kg / 5 lb steps, from 2 kg / 5 lb;
- kettlebells: 4 kg steps from 4 kg, or the common pound bells (5-lb steps to 60 lb, then 10 lb);
- machines and cable stacks: 5 kg / 10 lb plates on the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.training.identity import Load
from core.training.profile import Units

EPSILON = 0.01  # a hundredth of a kilo or pound is the same weight


@dataclass(frozen=True)
class Grid:
    """The loads one kind of equipment comes in: ``sizes`` when listed, else ``minimum`` + n × ``step``."""

    step: float
    minimum: float
    maximum: float
    sizes: tuple[float, ...] = ()

    def _values(self) -> tuple[float, ...]:
        if self.sizes:
            return self.sizes
        count = round((self.maximum - self.minimum) / self.step)
        return tuple(round(self.minimum + i * self.step, 4) for i in range(count + 1))

    def on_grid(self, value: float) -> bool:
        return any(abs(v - value) < EPSILON for v in self._values())

    def snap(self, value: float) -> float:
        """The nearest load there is (the lighter one on a tie)."""
        return min(self._values(), key=lambda v: (abs(v - value), v))

    def above(self, value: float) -> float:
        """The next load up from ``value`` (the heaviest there is stays where it is)."""
        values = self._values()
        return next((v for v in values if v > value + EPSILON), values[-1])

    def below(self, value: float) -> float:
        values = self._values()
        return next((v for v in reversed(values) if v < value - EPSILON), values[0])


_POUND_BELLS = (5.0, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100)

GRIDS: dict[tuple[Load, Units], Grid] = {
    ("plates", "kg"): Grid(2.5, 20.0, 500.0),
    ("plates", "lb"): Grid(5.0, 45.0, 1100.0),
    ("dumbbell", "kg"): Grid(2.0, 2.0, 80.0),
    ("dumbbell", "lb"): Grid(5.0, 5.0, 175.0),
    ("kettlebell", "kg"): Grid(4.0, 4.0, 48.0),
    ("kettlebell", "lb"): Grid(5.0, 5.0, 100.0, sizes=tuple(float(v) for v in _POUND_BELLS)),
    ("machine", "kg"): Grid(5.0, 5.0, 300.0),
    ("machine", "lb"): Grid(10.0, 10.0, 660.0),
}


def grid(load: Load | None, units: Units) -> Grid:
    """The grid of a kind of load; a runner's own exercise with a weight rounds like plates."""
    return GRIDS[(load or "plates", units)]


def exact(value: float) -> float:
    """A weight as a runner wrote it: floating-point noise of a unit conversion taken off."""
    return round(value, 2)
