"""Weights in the runner's units: kg stored, kg or lb shown."""

from __future__ import annotations

from core.training.profile import Units

LB_PER_KG = 2.2046226218


def to_kg(weight: float, unit: Units) -> float:
    return weight / LB_PER_KG if unit == "lb" else weight


def from_kg(weight_kg: float, unit: Units) -> float:
    return weight_kg * LB_PER_KG if unit == "lb" else weight_kg


def number(value: float, decimals: int = 1) -> str:
    """``16``, ``16.5``: ``decimals`` at most (one by default), no trailing ``.0``."""
    shown = round(value, decimals)
    return str(int(shown)) if shown == int(shown) else f"{shown:g}"


def show_weight(weight_kg: float | None, unit: Units) -> str:
    """A weight for people: ``16 kg``, ``35.5 lb``; ``bodyweight`` when there is none."""
    if weight_kg is None:
        return "bodyweight"
    return f"{number(from_kg(weight_kg, unit))} {unit}"


def show_logged(weight_kg: float | None, logged_in: Units | None, unit: Units) -> str:
    """A logged weight in the runner's units: exactly as typed when typed in them (``16.25 kg``)."""
    if weight_kg is None:
        return "bodyweight"
    decimals = 2 if logged_in == unit else 1
    return f"{number(from_kg(weight_kg, unit), decimals)} {unit}"
