"""Your data: /export as two files, /forget after a confirmation."""

from __future__ import annotations

from core import texts
from core.context import Context, UserError
from core.export import PROFILE_FILENAME, SETS_FILENAME, export_document, profile_json, sets_csv
from core.messages import Attachment, Button, Reply


def export(ctx: Context) -> list[Reply]:
    if ctx.in_group:
        raise UserError(texts.PERSONAL_IN_GROUP + " e.g. /export")
    uow, runner_id = ctx.uow, ctx.runner.id
    sets = uow.all_sets(runner_id)
    document = export_document(
        ctx.runner,
        streak={"current": 0, "best": 0, "freezes": 0},
        badges=[],
        goals=uow.goals(runner_id),
        rewards=[],
        records=uow.records(runner_id),
    )
    return [
        Reply(
            f"Your data: {len(sets)} sets and your profile.",
            attachments=(
                Attachment(SETS_FILENAME, sets_csv(sets), "file"),
                Attachment(PROFILE_FILENAME, profile_json(document), "file"),
            ),
            personal=True,
        )
    ]


def forget(ctx: Context) -> list[Reply]:
    arg = ctx.args.strip().lower()
    if arg not in ("", "confirm"):
        raise UserError("Use /forget, then /forget confirm to delete everything. e.g. /forget confirm")
    if arg == "":
        return [
            Reply(
                "This deletes everything I keep about you: logs, records, goals, streaks, badges and "
                "group memberships. It can't be undone. Sure? Type /forget confirm.",
                title="Delete all your data?",
                buttons=(
                    (Button("Yes, delete everything", "/forget confirm"), Button("Keep my data", "/help")),
                ),
                personal=True,
            )
        ]
    ctx.uow.delete_runner(ctx.runner.id)
    return [Reply("Done — all your data is deleted. If you write again, I'll start fresh.", personal=True)]


HANDLERS = {"export": export, "forget": forget}
