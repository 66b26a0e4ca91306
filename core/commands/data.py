"""Your data: /export as two files, /forget after a confirmation."""

from __future__ import annotations

from core.calendar.link import masked
from core.commands.context import Context, UserError
from core.commands.groups import regroup
from core.ledger.badges import ordered
from core.ledger.rewards import export_rows as reward_rows
from core.messages import Attachment, Button, Reply
from core.progress.export import PROFILE_FILENAME, SETS_FILENAME, export_document, profile_json, sets_csv


def export(ctx: Context) -> list[Reply]:
    uow, runner_id = ctx.uow, ctx.runner.id
    sets = list(uow.logbook.all_sets(runner_id))
    mine = ctx.keeper.standing()
    pause = ctx.runner.pause
    paused = pause.until if pause is not None and pause.covers(ctx.today) else None
    document = export_document(
        ctx.runner,
        streak={
            "current": mine.current,
            "best": mine.best,
            "freezes": mine.freezes,
            "paused_until": paused.isoformat() if paused else None,
        },
        badges=ordered(ctx.book.badges),
        goals=uow.logbook.goals(runner_id),
        rewards=reward_rows(uow.rewards.of_runner(runner_id)),
        records=[b for b in uow.ledger.bests(runner_id) if b.is_pr],
    )
    link = uow.calendars.get(runner_id)
    if link is not None:
        # The feed's link is a secret: in full only when asked for (/export calendar).
        asked = ctx.args.strip().lower() == "calendar"
        document["profile"]["calendar"] = link.source if asked else masked(link.source)
    return [
        Reply(
            f"Your data: {len(sets)} sets and your profile.",
            attachments=(
                Attachment(SETS_FILENAME, sets_csv(sets, ctx.lexicon(s.exercise for s in sets)), "file"),
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
    groups = ctx.uow.groups.of_runner(ctx.runner.id)
    ctx.uow.runners.delete(ctx.runner.id)
    for group in groups:
        regroup(ctx, group.id)
    ctx.forgotten = True
    return [Reply("Done — all your data is deleted. If you write again, I'll start fresh.", personal=True)]
