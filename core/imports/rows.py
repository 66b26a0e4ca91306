"""One data row of each format → a set in the source's words, or the reason it is left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from core.imports.header import Header
from core.imports.model import SetKind, Skip, SourceSet
from core.imports.values import MAX_REPS, MAX_WEIGHT_KG, count, duration, moment, number, set_kind
from core.training.profile import Units
from core.training.units import to_kg

MAX_NAME = 60
# FitNotes' own categories: a name's unquoted commas can be told from them.
FITNOTES_CATEGORIES = frozenset(
    {
        "shoulders",
        "triceps",
        "biceps",
        "chest",
        "back",
        "legs",
        "abs",
        "cardio",
        "core",
        "arms",
        "glutes",
        "calves",
    }
)
_UNITS: dict[str, Units] = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]

    def get(self, header: Header, column: str) -> str:
        i = header.columns.get(column)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""


def _name(text: str) -> str | None:
    name = " ".join(text.replace("\\n", " ").split())
    return name[:MAX_NAME] if name else None


def _set(
    row: Row,
    started: datetime | None,
    workout: str,
    exercise: str,
    kind: SetKind,
    reps_text: str,
    weight_text: str,
    unit: Units | None,
    cardio: Callable[[], bool],
) -> SourceSet | Skip:
    """The checks every format shares: a name, a date, reps (else cardio or unreadable), a sane weight."""
    name = _name(exercise)
    if name is None or started is None:
        return Skip(row.line, "unreadable")
    reps = count(reps_text) if reps_text else 0
    if reps is None or reps > MAX_REPS:
        return Skip(row.line, "unreadable")
    if reps == 0:
        return Skip(row.line, "cardio" if cardio() else "unreadable")
    weight = number(weight_text) if weight_text else 0.0
    if weight is None or weight < 0 or to_kg(weight, unit or "kg") > MAX_WEIGHT_KG:
        return Skip(row.line, "unreadable")
    return SourceSet(row.line, started.date(), started, workout, name, kind, reps, weight or None, unit)


def _positive(text: str) -> bool:
    value = number(text) if text else None
    return value is not None and value > 0


def strong(row: Row, header: Header) -> SourceSet | Skip:
    if len(row.cells) != header.width:
        return Skip(row.line, "fields")
    order = row.get(header, "set_order")
    if order.lower().replace(" ", "") in ("resttimer", "rest", "note", "notes"):
        return Skip(row.line, "rest")
    kind: SetKind | None = "normal" if count(order) is not None else cast("SetKind | None", set_kind(order))
    if kind is None:
        return Skip(row.line, "unreadable")
    date_text = row.get(header, "date")

    def cardio() -> bool:
        return _positive(row.get(header, "distance")) or (duration(row.get(header, "seconds")) or 0) > 0

    workout = f"{date_text}|{row.get(header, 'workout')}"
    return _set(
        row,
        moment(date_text),
        workout,
        row.get(header, "exercise"),
        kind,
        row.get(header, "reps"),
        row.get(header, "weight"),
        header.unit,
        cardio,
    )


def hevy(row: Row, header: Header) -> SourceSet | Skip:
    if len(row.cells) != header.width:
        return Skip(row.line, "fields")
    kind = cast("SetKind | None", set_kind(row.get(header, "set_type")))
    if kind is None:
        return Skip(row.line, "unreadable")
    start = row.get(header, "start")

    def cardio() -> bool:
        return _positive(row.get(header, "distance")) or _positive(row.get(header, "seconds"))

    return _set(
        row,
        moment(start),
        f"{start}|{row.get(header, 'title')}",
        row.get(header, "exercise"),
        kind,
        row.get(header, "reps"),
        row.get(header, "weight"),
        header.unit or "kg",
        cardio,
    )


def _fitnotes_cells(row: Row, header: Header) -> list[str] | None:
    """The row's cells, with a name's unquoted commas joined back when only the name can hold them."""
    cells, extra = row.cells, len(row.cells) - header.width
    if extra == 0:
        return cells
    name_at, category_at = header.columns["exercise"], header.columns["category"]
    if extra < 0 or category_at != name_at + 1:
        return None
    category = cells[category_at + extra].strip().lower()
    if category not in FITNOTES_CATEGORIES:
        return None
    joined = ",".join(cells[name_at : name_at + extra + 1])
    return [*cells[:name_at], joined, *cells[name_at + extra + 1 :]]


def fitnotes(row: Row, header: Header) -> SourceSet | Skip:
    cells = _fitnotes_cells(row, header)
    if cells is None:
        return Skip(row.line, "fields")
    row = Row(row.line, cells)
    unit = header.unit
    if unit is None:
        unit = _UNITS.get(row.get(header, "weight_unit").lower())
        if unit is None and row.get(header, "weight"):
            return Skip(row.line, "unreadable")
    date_text = row.get(header, "date")

    def cardio() -> bool:
        return _positive(row.get(header, "distance")) or (duration(row.get(header, "time")) or 0) > 0

    return _set(
        row,
        moment(date_text),
        date_text,
        row.get(header, "exercise"),
        "normal",
        row.get(header, "reps"),
        row.get(header, "weight"),
        unit or "kg",
        cardio,
    )


ROW_READERS: dict[str, Callable[[Row, Header], SourceSet | Skip]] = {
    "Strong": strong,
    "Hevy": hevy,
    "FitNotes": fitnotes,
}
