"""Numbers, weights and units as runners type them, and the product's limits on them."""

from __future__ import annotations

import re

from core.parsing.errors import ParseError
from core.training.profile import Units
from core.training.units import LB_PER_KG

MAX_SETS = 20
MAX_REPS = 100
MAX_SECONDS = 600
MAX_KG = 500.0
MAX_LB = round(MAX_KG * LB_PER_KG, 1)  # 1102.3
MAX_TEXT = 200

NUMBER = r"-?[0-9]+(?:[.,][0-9]+)?"
UNIT = r"kgs?|kilos?|lbs?|pounds?"
WEIGHT = re.compile(rf"@?\s*(?P<w>{NUMBER})\s*(?P<u>{UNIT})?", re.IGNORECASE)


def integer(digits: str) -> int:
    """Digits as an int; absurdly long ones become a number past every limit."""
    return int(digits) if len(digits) <= 6 else 10**6


def decimal(text: str) -> float:
    """``16``, ``16.5`` or ``16,5``; absurdly long numbers become infinity (past every limit)."""
    if len(text) > 400:
        return float("inf")
    value = float(text.replace(",", "."))
    return 0.0 if value == 0 else value


def unit_of(text: str | None, default: Units) -> Units:
    """``kg``/``kgs``/``kilos``/``lb``/``lbs``/``pounds``; no unit means the runner's own."""
    if not text:
        return default
    return "lb" if text.lower().startswith(("lb", "pound")) else "kg"


def weight_error(weight: float, unit: Units, form: str) -> ParseError | None:
    limit = MAX_LB if unit == "lb" else MAX_KG
    if 0 <= weight <= limit:
        return None
    return ParseError(f"Weight must be 0–{MAX_KG:g} kg (0–{MAX_LB:g} lb). {form}")


def read_weight(number: str, unit: str | None, units: Units, form: str) -> tuple[float, Units] | ParseError:
    """A weight already split into its number and unit text, checked against the limits."""
    weight, chosen = decimal(number), unit_of(unit, units)
    return weight_error(weight, chosen, form) or (weight, chosen)


def parse_weight(text: str, units: Units = "kg") -> tuple[float, Units] | ParseError:
    """A lone weight such as ``16kg``, ``@35 lb`` or ``20`` (in ``units``), within the limits."""
    from core.parsing.errors import quoted

    match = WEIGHT.fullmatch(text.strip())
    if not match:
        return ParseError(f"Can't read the weight {quoted(text)}. Write it like 16kg or 35lb.")
    return read_weight(match["w"], match["u"], units, "e.g. 16kg")
