"""/me: your accounts on two platforms as one runner — /me link [CODE], /me unlink."""

from __future__ import annotations

import secrets

from core.commands.context import Context, UserError
from core.ledger import accounts
from core.ledger.linking import CODE_LENGTH, CODE_LETTERS, CODE_LIFE, clean_code
from core.ledger.model import Book, LinkCode
from core.ledger.views import standing_of
from core.messages import Button, Reply
from core.nudges.passes import refresh_next_nudge
from core.training.model import Runner
from core.weeks import local_day

PLATFORMS = {"telegram": "Telegram", "discord": "Discord", "console": "console", "test": "test"}
BAD_CODE = (
    "That code doesn't work: it is mistyped, used already, or older than 10 minutes. "
    "Ask for a new one with /me link in a DM on the other platform. e.g. /me link K7M2QX"
)
USAGE = "Use /me, /me link, /me link CODE or /me unlink. e.g. /me link"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _platform(name: str) -> str:
    return PLATFORMS.get(name, name)


def me(ctx: Context) -> list[Reply]:
    words = ctx.args.split()
    verb = words[0].lower() if words else ""
    if verb == "" and not words:
        return [_status(ctx)]
    if verb == "unlink" and len(words) == 1:
        return [_unlink(ctx)]
    if verb == "link" and len(words) == 1:
        return [_code(ctx)]
    if verb == "link" and len(words) == 2:
        return [_preview(ctx, clean_code(words[1]))]
    if verb == "link" and len(words) == 3 and words[2].lower() == "confirm":
        return [_merge(ctx, clean_code(words[1]))]
    raise UserError(USAGE)


def _status(ctx: Context) -> Reply:
    merge = ctx.uow.merges.of(ctx.runner.id)
    if merge is None:
        return Reply(
            "One account so far. On both Telegram and Discord? /me link here gives a code; send "
            "/me link CODE in a DM with me on the other platform, and your logs and streak become one.",
            personal=True,
        )
    found = ctx.uow.runners.get(merge.other_id)
    other = found[0] if found else None
    until = local_day(merge.undo_until, ctx.runner.profile.tz)
    undo = f" /me unlink undoes it until {until:%a %d %b}." if ctx.now < merge.undo_until else ""
    where = merge.route or ctx.runner.platform
    pair = f"{_platform(ctx.runner.platform)} + {_platform(other.platform) if other else '?'}"
    return Reply(
        f"One runner on {pair}. Nudges go to {_platform(where)} (/remind via=…).{undo}", personal=True
    )


def _code(ctx: Context) -> Reply:
    if ctx.uow.merges.of(ctx.runner.id) is not None:
        raise UserError("Your accounts are linked already — /me shows how.")
    code = LinkCode(
        "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH)),
        accounts.ME_CODE,
        None,
        ctx.now + CODE_LIFE,
        ctx.runner.id,
    )
    ctx.uow.links.add(code)
    return Reply(
        f"🔗 Your code: {code.code}\nIn a DM with me on the other platform, send /me link {code.code} "
        "within 10 minutes; it works once, and I'll show what would be merged before anything changes.",
        personal=True,
    )


def _pair(ctx: Context, code: LinkCode | None) -> tuple[Runner, Book]:
    """The account that made the code (it is kept), checked against this one."""
    found = ctx.uow.runners.get(code.runner_id) if code and code.runner_id is not None else None
    if found is None:
        raise UserError(BAD_CODE)
    keep, book = found
    if keep.id == ctx.runner.id:
        raise UserError("That's this account's own code — send it from your account on the other platform.")
    if keep.platform == ctx.runner.platform:
        raise UserError(
            f"Both accounts are on {_platform(keep.platform)}: I link one account on each platform. "
            "e.g. /me link K7M2QX in a Discord DM for a Telegram code"
        )
    if ctx.uow.merges.of(ctx.runner.id) is not None or ctx.uow.merges.of(keep.id) is not None:
        raise UserError("One of these accounts is linked already — /me unlink it first.")
    return keep, book if book is not None else Book()


def _summary(ctx: Context, runner: Runner, book: Book) -> str:
    entries = len(ctx.uow.logbook.all_entries(runner.id))
    streak = standing_of(runner, book, ctx.now).current
    return (
        f"{_platform(runner.platform)} ({runner.name}): {_count(entries, 'log entry').replace('entrys', 'entries')}, "
        f"streak {streak} wk, {_count(len(book.badges), 'badge')}"
    )


def _preview(ctx: Context, code_text: str) -> Reply:
    keep, book = _pair(ctx, ctx.uow.links.peek(code_text, accounts.ME_CODE, ctx.now))
    seen = accounts.outlook(ctx.uow, keep, ctx.runner)
    extra = ""
    if seen.shared_sets:
        extra += (
            f"• {_count(seen.shared_sets, 'imported set')} {'is' if seen.shared_sets == 1 else 'are'} in both "
            "logbooks (the same export imported twice): counted once.\n"
        )
    if seen.takes_calendar:
        extra += f"• The calendar feed of your {_platform(ctx.runner.platform)} account comes along.\n"
    return Reply(
        f"Merge into one runner?\n• Kept: {_summary(ctx, keep, book)} — its profile, plan, goals and rewards.\n"
        f"• Joined in: {_summary(ctx, ctx.runner, ctx.book)} — every log entry and group membership.\n"
        f"{extra}"
        "The streak and badges are worked out again from both logbooks. Nothing is posted in any group. "
        f"You can undo it for 7 days with /me unlink. Confirm: /me link {code_text} confirm",
        title="Link your accounts?",
        buttons=((Button("Merge", f"/me link {code_text} confirm"), Button("Not now", "/me")),),
        personal=True,
    )


def _merge(ctx: Context, code_text: str) -> Reply:
    peeked = ctx.uow.links.peek(code_text, accounts.ME_CODE, ctx.now)
    keep, _ = _pair(ctx, peeked)
    ctx.uow.locks.hold(f"runner:{keep.platform}:{keep.user_id}")
    if ctx.uow.links.take(code_text, accounts.ME_CODE, ctx.now) is None:
        raise UserError(BAD_CODE)
    _, book = accounts.merge(ctx.uow, keep, ctx.runner, ctx.now)
    refresh_next_nudge(ctx.uow, keep.id, ctx.now)
    refresh_next_nudge(ctx.uow, ctx.runner.id, ctx.now)
    ctx.forgotten = True  # this account's own schedule is off now; its book is the kept runner's
    streak = standing_of(keep, book, ctx.now).current
    return Reply(
        f"✅ Linked: {_platform(keep.platform)} and {_platform(ctx.runner.platform)} are one runner now — "
        f"one logbook, streak {streak} wk, {_count(len(book.badges), 'badge')}. Nudges go where you wrote last "
        "(/remind via=… to choose). /me unlink undoes it for 7 days.",
        personal=True,
    )


def _unlink(ctx: Context) -> Reply:
    merge = ctx.uow.merges.of(ctx.runner.id)
    if merge is None:
        raise UserError("Your accounts aren't linked — /me link starts a link.")
    if ctx.now >= merge.undo_until:
        raise UserError("This link is older than 7 days and is kept for good: your logbooks are one now.")
    kept, other = ctx.uow.runners.get(merge.runner_id), ctx.uow.runners.get(merge.other_id)
    if kept is None or other is None:
        raise UserError("This link can't be undone any more: one of the accounts is gone.")
    for runner in (kept[0], other[0]):
        ctx.uow.locks.hold(f"runner:{runner.platform}:{runner.user_id}")
    accounts.split(ctx.uow, merge, kept[0], other[0], ctx.now)
    refresh_next_nudge(ctx.uow, kept[0].id, ctx.now)
    refresh_next_nudge(ctx.uow, other[0].id, ctx.now)
    ctx.forgotten = True
    return Reply(
        f"Unlinked: your {_platform(kept[0].platform)} and {_platform(other[0].platform)} accounts are "
        "separate again, each with its own logbook and streak.",
        personal=True,
    )
