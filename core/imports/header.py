"""Which export a file is, told from its header row (never its name): the format, columns and unit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.training.profile import Units

_UNIT = re.compile(r"\s*[(\[]\s*(?P<unit>[^)\]]*)\s*[)\]]\s*$")
_UNITS: dict[str, Units] = {
    "kg": "kg",
    "kgs": "kg",
    "kilograms": "kg",
    "lb": "lb",
    "lbs": "lb",
    "pounds": "lb",
}

# Column → its names in the headers each generation and language wrote.
STRONG: dict[str, tuple[str, ...]] = {
    "date": ("date", "datum", "fecha", "data"),
    "workout": (
        "workout name",
        "nom de l'entrainement",
        "nom de la seance",
        "entrainement",
        "trainingsname",
        "name des trainings",
        "training",
    ),
    "duration": ("duration", "duree", "dauer", "workout duration"),
    "exercise": ("exercise name", "nom de l'exercice", "exercice", "ubungsname", "ubung", "name der ubung"),
    "set_order": ("set order", "ordre des series", "ordre de la serie", "serie", "satzreihenfolge", "satz"),
    "weight": ("weight", "poids", "gewicht"),
    "reps": ("reps", "repetitions", "rep", "wiederholungen", "wdh"),
    "distance": ("distance", "distanz", "entfernung"),
    "seconds": ("seconds", "secondes", "sekunden", "duration seconds"),
    "notes": ("notes", "notizen", "notiz", "note"),
    "workout_notes": ("workout notes", "notes d'entrainement", "notes de la seance", "trainingsnotizen"),
    "rpe": ("rpe",),
}
HEVY: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "start": ("start_time",),
    "end": ("end_time",),
    "exercise": ("exercise_title",),
    "set_index": ("set_index",),
    "set_type": ("set_type",),
    "weight": ("weight_kg", "weight_lbs"),
    "reps": ("reps",),
    "distance": ("distance_km", "distance_miles"),
    "seconds": ("duration_seconds",),
}
FITNOTES: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "exercise": ("exercise",),
    "category": ("category",),
    "weight": ("weight",),
    "weight_unit": ("weight unit",),
    "reps": ("reps",),
    "distance": ("distance",),
    "distance_unit": ("distance unit",),
    "time": ("time",),
}
REQUIRED = {
    "Strong": ("date", "exercise", "set_order", "weight", "reps"),
    "Hevy": ("start", "exercise", "weight", "reps"),
    "FitNotes": ("date", "exercise", "category", "weight", "reps"),
}
SPECS = {"Hevy": HEVY, "FitNotes": FITNOTES, "Strong": STRONG}


@dataclass(frozen=True)
class Header:
    """A recognised header: the format, each known column's index, and the weight unit it names."""

    format: str
    columns: dict[str, int]
    width: int
    unit: Units | None


def plain(cell: str) -> str:
    """A header cell compared: lower case, accents and a BOM dropped, curly quotes straightened."""
    text = cell.replace("\ufeff", "").replace("’", "'").strip().strip('"').strip().lower()
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def split_unit(cell: str) -> tuple[str, Units | None]:
    """``weight (kg)`` → (``weight``, kg); Hevy's ``weight_lbs`` → (``weight_lbs``, lb)."""
    match = _UNIT.search(cell)
    if match is not None:
        return cell[: match.start()].strip(), _UNITS.get(match["unit"].strip())
    if cell.startswith("weight_"):
        return cell, _UNITS.get(cell.removeprefix("weight_"))
    return cell, None


def recognise(cells: list[str]) -> Header | None:
    """The export these header cells start, or ``None`` when it is none of the three."""
    names: list[str] = []
    units: dict[int, Units | None] = {}
    for i, cell in enumerate(cells):
        name, unit = split_unit(plain(cell))
        names.append(name)
        units[i] = unit
    for fmt, spec in SPECS.items():
        columns: dict[str, int] = {}
        for i, name in enumerate(names):
            for column, spellings in spec.items():
                if column not in columns and name in spellings:
                    columns[column] = i
                    break
        if all(c in columns for c in REQUIRED[fmt]):
            return Header(fmt, columns, len(cells), units.get(columns["weight"]))
    return None
