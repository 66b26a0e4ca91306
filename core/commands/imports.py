"""/import: another logger's export previewed, then written through the ledger on confirm; undo takes it back."""

from __future__ import annotations

from collections import Counter
from datetime import date

from core.commands.context import Context, UserError
from core.imports.mapping import NameMap
from core.imports.model import FORMS, PENDING_FOR, BadFile, ImportRecord, PendingImport
from core.imports.plan import SameSet, Tally, Workout, same_set, workouts
from core.imports.preview import plural, preview_lines, skipped_lines
from core.imports.reader import Export, open_export
from core.ledger.inputs import SESSION_EXERCISES
from core.ledger.restore import restore
from core.messages import Button, Reply
from core.training.profile import Units

BATCH = 500
USAGE = (
    "Send me your Strong, Hevy or FitNotes CSV export with /import as its caption (or reply /import to it); "
    "then /import confirm writes it, /import cancel drops it, /import undo takes back the last import."
)
IN_GROUP = "Imports are personal — send the file to me in a direct message, with /import as its caption."
_OTHER: dict[str, Units] = {"kg": "lb", "lb": "kg"}


def _export(data: bytes) -> Export:
    found = open_export(data)
    if isinstance(found, BadFile):
        raise UserError(found.message)
    return found


def _logged(ctx: Context) -> Counter[SameSet]:
    """The sets already in the log, so an export of the same workouts adds them once."""
    return Counter(same_set(s) for s in ctx.uow.logbook.all_sets(ctx.runner.id) if not s.warmup)


def _pass(ctx: Context, export: Export, unit: Units) -> tuple[NameMap, Tally, list[Workout]]:
    """The preview's pass: the same one the write runs, its workouts dropped as they go by."""
    names = NameMap(ctx.runner.profile, ctx.uow.logbook.own_exercises(ctx.runner.id))
    tally = Tally()
    known = ctx.uow.imports.keys(ctx.runner.id)
    for _ in workouts(export, unit, names, known, _logged(ctx), tally):
        pass
    return names, tally, []


def _nothing(tally: Tally) -> str:
    if tally.known or tally.logged:
        return f"Nothing new in that file: its {plural(tally.known + tally.logged, 'set{s}')} are in your log already."
    if tally.skipped and set(tally.skipped) <= {"cardio", "rest"}:
        return "That file holds only cardio (distance or time, no reps) — nothing to import."
    detail = " ".join(skipped_lines(tally))
    return f"None of that file's rows could be read. {detail} I read {FORMS}.".replace("  ", " ")


def _preview(ctx: Context, filename: str, data: bytes, unit: Units | None = None) -> list[Reply]:
    export = _export(data)
    chosen: Units = export.header.unit or unit or ctx.runner.profile.units
    names, tally, _ = _pass(ctx, export, chosen)
    if not tally.sets:
        ctx.uow.imports.drop_pending(ctx.runner.id)
        raise UserError(_nothing(tally))
    ctx.uow.imports.save_pending(ctx.runner.id, PendingImport(filename, data, export.format, chosen, ctx.now))
    assumed = export.header.unit is None and export.format == "Strong"
    buttons: list[tuple[Button, ...]] = [
        (Button("Import", "/import confirm"), Button("Cancel", "/import cancel"))
    ]
    if assumed:
        other = _OTHER[chosen]
        buttons.append((Button(f"Weights are {other}", f"/import unit={other}"),))
    lines = preview_lines(export.format, tally, names, chosen, assumed)
    return [Reply("\n".join(lines), title="Import preview", buttons=tuple(buttons), personal=True)]


def _switch_unit(ctx: Context, wanted: str) -> list[Reply]:
    pending = ctx.uow.imports.pending(ctx.runner.id)
    if pending is None:
        raise UserError(f"No import is waiting. {USAGE}")
    if wanted not in _OTHER:
        raise UserError("Form: /import unit=kg or /import unit=lb")
    return _preview(ctx, pending.filename, pending.data, wanted)  # type: ignore[arg-type]


def confirm(ctx: Context) -> list[Reply]:
    pending = ctx.uow.imports.pending(ctx.runner.id)
    if pending is None:
        raise UserError(f"No import is waiting for a confirm. {USAGE}")
    if ctx.now - pending.asked_at > PENDING_FOR:
        ctx.uow.imports.drop_pending(ctx.runner.id)
        raise UserError("That preview is over an hour old — send the file again with /import.")
    export = _export(pending.data)
    runner = ctx.runner
    names = NameMap(runner.profile, ctx.uow.logbook.own_exercises(runner.id))
    tally = Tally()
    import_id = ctx.uow.imports.add(
        runner.id, ImportRecord(0, pending.filename, export.format, ctx.now, 0, 0, None, None)
    )
    batch: list[Workout] = []
    known = ctx.uow.imports.keys(runner.id)
    short: set[date] = set()  # days whose workouts are too short to count as a session by their sets
    for workout in workouts(export, pending.unit, names, known, _logged(ctx), tally):
        if 0 < len({s.exercise for s, _ in workout.sets if not s.warmup}) < SESSION_EXERCISES:
            short.add(workout.day)
        batch.append(workout)
        if len(batch) >= BATCH:
            ctx.uow.imports.add_workouts(runner.id, import_id, ctx.now, [(w.day, w.sets) for w in batch])
            batch = []
    ctx.uow.imports.add_workouts(runner.id, import_id, ctx.now, [(w.day, w.sets) for w in batch])
    # Every imported workout counts as a session on its day, as a /done would make it.
    ctx.uow.imports.mark_done(runner.id, import_id, ctx.now, sorted(short))
    ctx.uow.imports.drop_pending(runner.id)
    if not tally.sets:
        ctx.uow.imports.delete(runner.id, import_id)
        return [Reply(_nothing(tally), personal=True)]
    record = ImportRecord(
        import_id,
        pending.filename,
        export.format,
        ctx.now,
        tally.workouts,
        tally.sets,
        tally.first,
        tally.last,
    )
    ctx.uow.imports.finish(runner.id, record)
    for own in names.new.values():
        ctx.uow.logbook.add_own_exercise(runner.id, own)
    if tally.first is not None and runner.created_on is not None and tally.first < runner.created_on:
        runner.created_on = tally.first  # the runner's first week is the week of their first logged day
        ctx.uow.runners.save(runner)
    _rebuild(ctx)
    text = (
        f"Imported {plural(tally.sets, 'set{s}')} from {plural(tally.workouts, 'workout{s}')} "
        f"({tally.first} → {tally.last}). /progress, /history and /export include them; "
        "/today suggests loads from them. /import undo takes the whole import back."
    )
    return [Reply(text, title="Imported", personal=True)]


def _rebuild(ctx: Context) -> None:
    """Everything derived follows the record, quietly: badges keep their real dates, nothing is announced."""
    ctx.keeper.own_changed()
    book = restore(ctx.uow, ctx.runner, ctx.now)
    ctx.book = ctx.keeper.book = book


def cancel(ctx: Context) -> list[Reply]:
    if ctx.uow.imports.pending(ctx.runner.id) is None:
        return [Reply("No import is waiting — nothing to cancel.", personal=True)]
    ctx.uow.imports.drop_pending(ctx.runner.id)
    return [Reply("Import cancelled: nothing was written.", personal=True)]


def undo(ctx: Context) -> list[Reply]:
    last = ctx.uow.imports.last(ctx.runner.id)
    if last is None:
        raise UserError("There's no import to undo. " + USAGE)
    ctx.uow.imports.delete(ctx.runner.id, last.id)
    _rebuild(ctx)
    return [
        Reply(
            f"Removed the import of {last.filename}: {plural(last.sets, 'set{s}')} from "
            f"{plural(last.workouts, 'workout{s}')}. "
            "Streaks, PRs, badges and charts follow.",
            personal=True,
        )
    ]


def import_(ctx: Context) -> list[Reply]:
    if not ctx.answers_privately:
        raise UserError(IN_GROUP)
    args = ctx.args.strip()
    word = args.lower()
    if word in ("confirm", "yes", "import"):
        return confirm(ctx)
    if word == "cancel":
        return cancel(ctx)
    if word == "undo":
        return undo(ctx)
    if word.replace(" ", "").startswith("unit="):
        return _switch_unit(ctx, word.replace(" ", "").removeprefix("unit="))
    upload = ctx.incoming.upload
    if upload is None:
        raise UserError(USAGE)
    if upload.error:
        raise UserError(upload.error)
    return _preview(ctx, upload.filename, upload.data)
