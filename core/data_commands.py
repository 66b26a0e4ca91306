"""Your data: /export as two files, /forget after a confirmation."""

from __future__ import annotations

from core import texts
from core.context import Context, UserError
from core.export import PROFILE_FILENAME, SETS_FILENAME, export_document, profile_json, sets_csv
from core.messages import Attachment, Button, Reply
from core.rewards import export_rows as reward_rows
from core.streak_keeper import current_streak
from core.weeks import is_paused


def export(ctx: Context) -> list[Reply]:
    if not ctx.answers_privately:
        raise UserError(texts.PERSONAL_IN_GROUP + " e.g. /export")
    uow, runner_id = ctx.uow, ctx.runner.id
    sets = uow.all_sets(runner_id)
    current, best, state = current_streak(uow, ctx.runner, ctx.today)
    paused = ctx.runner.paused_until if is_paused(ctx.runner, ctx.today) else None
    document = export_document(
        ctx.runner,
        streak={
            "current": current,
            "best": best,
            "freezes": state.freezes,
            "paused_until": paused.isoformat() if paused else None,
        },
        badges=[(b.badge_id, b.earned_on) for b in uow.badges(runner_id)],
        goals=uow.goals(runner_id),
        rewards=reward_rows(uow.runner_rewards(runner_id)),
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
