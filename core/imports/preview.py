"""The preview of an import: what the file holds, how it maps, what is left out, the unit assumed."""

from __future__ import annotations

from core.imports.mapping import NameMap
from core.imports.model import SkipReason
from core.imports.plan import Tally
from core.training.catalog import MOVEMENT

SHOWN_NAMES = 6
_REASONS: dict[SkipReason, str] = {
    "cardio": "cardio row{s} (distance or time, no reps)",
    "rest": "rest timer{s}",
    "unreadable": "unreadable row{s}",
    "fields": "row{s} with too many or too few fields",
}


def plural(n: int, text: str) -> str:
    """``1 rest timer``, ``3 rest timers``: ``{s}`` in ``text`` becomes ``s`` unless ``n`` is one."""
    return f"{n:,} " + text.format(s="" if n == 1 else "s")


def _rows(rows: list[int], total: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return f" (row{'s' if len(rows) > 1 else ''} {shown}{', …' if total > len(rows) else ''})"


def _names(items: list[str]) -> str:
    shown = "; ".join(items[:SHOWN_NAMES])
    return shown + (f"; and {len(items) - SHOWN_NAMES} more" if len(items) > SHOWN_NAMES else "")


def skipped_lines(tally: Tally) -> list[str]:
    parts = [
        plural(n, _REASONS[reason]) + ("" if reason in ("cardio", "rest") else _rows(tally.rows[reason], n))
        for reason, n in tally.skipped.items()
    ]
    return [f"Left out: {'; '.join(parts)}."] if parts else []


def preview_lines(fmt: str, tally: Tally, names: NameMap, unit: str, unit_assumed: bool) -> list[str]:
    span = f"{tally.first.isoformat()} → {tally.last.isoformat()}" if tally.first and tally.last else ""
    warmups = f" ({plural(tally.warmups, 'warm-up{s}')}: kept, never counted for PRs or sessions)"
    counts = f"{plural(tally.workouts, 'workout{s}')}, {plural(tally.sets, 'set{s}')}"
    lines = [f"{fmt} export · {span}", counts + (warmups if tally.warmups else "") + "."]
    by_count = [name for name, _ in tally.exercises.most_common()]
    matched = [f"{n} → {names(n).label}" for n in by_count if names(n).catalog]
    own = []
    for n in by_count:
        mapped = names(n)
        if mapped.catalog:
            continue
        movement = mapped.own.movement if mapped.own is not None else ""
        own.append(f"{n}" + (f" (a {MOVEMENT[movement].name.lower()})" if movement in MOVEMENT else ""))
    if matched:
        lines.append(f"Matched to the catalog: {_names(matched)}.")
    if own:
        lines.append(
            f"Kept as your own exercises: {_names(own)} — /exercises map NAME MOVEMENT moves one later."
        )
    lines += skipped_lines(tally)
    if tally.known or tally.logged:
        lines.append(f"Already in your log, not added again: {plural(tally.known + tally.logged, 'set{s}')}.")
    if unit_assumed:
        lines.append(f"{fmt} writes no unit: weights read as {unit}.")
    else:
        lines.append(f"Weights in {unit}, as the file says.")
    lines.append("Nothing is written until you tap Import (or type /import confirm).")
    return lines
