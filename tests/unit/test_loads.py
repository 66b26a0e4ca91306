"""Real-world loads: every rack, in kg and in lb, as a table of cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.training.loads import GRIDS, grid


@pytest.mark.parametrize(
    ("load", "units", "value", "snapped", "above"),
    [
        ("plates", "kg", 41.0, 40.0, 42.5),
        ("plates", "kg", 41.3, 42.5, 42.5),
        ("plates", "kg", 10.0, 20.0, 20.0),  # nothing lighter than the empty bar
        ("plates", "lb", 143.3, 145.0, 145.0),
        ("plates", "lb", 145.0, 145.0, 150.0),
        ("plates", "lb", 30.0, 45.0, 45.0),
        ("dumbbell", "kg", 17.0, 16.0, 18.0),  # a tie goes to the lighter dumbbell
        ("dumbbell", "kg", 16.0, 16.0, 18.0),
        ("dumbbell", "lb", 44.1, 45.0, 45.0),
        ("dumbbell", "lb", 27.6, 30.0, 30.0),
        ("kettlebell", "kg", 16.0, 16.0, 20.0),
        ("kettlebell", "kg", 18.0, 16.0, 20.0),
        ("kettlebell", "lb", 53.0, 55.0, 55.0),
        ("kettlebell", "lb", 60.0, 60.0, 70.0),
        ("machine", "kg", 22.0, 20.0, 25.0),
        ("machine", "lb", 44.0, 40.0, 50.0),
    ],
)
def test_snap_and_next_step_per_rack(
    load: str, units: str, value: float, snapped: float, above: float
) -> None:
    rack = grid(load, units)  # type: ignore[arg-type]
    assert rack.snap(value) == snapped
    assert rack.above(value) == above


def test_the_heaviest_there_is_stays_put() -> None:
    bells = grid("kettlebell", "kg")
    assert bells.above(48.0) == 48.0 and bells.snap(60.0) == 48.0


@given(st.sampled_from(sorted(GRIDS)), st.floats(0, 1200, allow_nan=False))
def test_snapped_and_stepped_loads_are_always_on_the_rack(key: tuple[str, str], value: float) -> None:
    rack = GRIDS[key]  # type: ignore[index]
    assert rack.on_grid(rack.snap(value))
    assert rack.on_grid(rack.above(value)) and rack.above(value) >= min(rack.snap(value), rack.above(value))
    assert rack.on_grid(rack.below(value))
