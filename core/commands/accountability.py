"""Personal accountability commands: /streak, /badges, /reward, /pause, /resume, /hide, /show."""

from __future__ import annotations

from datetime import timedelta

from core import texts
from core.commands.context import Context, UserError
from core.commands.groups import set_group_reward, show_group_reward
from core.ledger.badges import BY_ID, earned_badges, out_of_reach, progress_line, within_reach
from core.ledger.challenges import held_badges
from core.ledger.rewards import MAX_OPEN_PERSONAL, next_unlock, personal_line, personal_reward
from core.ledger.streaks import MAX_FREEZES, Standing
from core.messages import Reply
from core.parsing.args import parse_pause, parse_reward
from core.parsing.errors import ParseError
from core.training.model import Pause


def badge_values(standing: Standing, trained: int) -> dict[str, int]:
    """Where the runner stands on each counted badge metric (the same numbers /streak shows)."""
    return {
        "sessions": standing.state.sessions,
        "streak": standing.current,
        "groups": trained,
        "hard_days": standing.state.hard,
    }


def streak(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/streak takes no arguments. e.g. /streak")
    mine = ctx.keeper.standing()
    lines = [f"🔥 Streak: {texts.plural(mine.current, 'week')} (best {mine.best})"]
    if mine.sessions >= mine.target:
        lines.append(f"This week: {mine.sessions}/{mine.target} sessions — target met ✓")
    else:
        left = mine.target - mine.sessions
        lines.append(f"This week: {mine.sessions}/{mine.target} sessions — {left} more and the week counts.")
    if mine.freezes < MAX_FREEZES:
        next_freeze = f" (next after {texts.plural(mine.weeks_to_next_freeze(), 'more counted week')})"
    else:
        next_freeze = " (that's the most you can bank)"
    lines.append(f"❄️ Freezes: {mine.freezes} banked{next_freeze}")
    pause = ctx.runner.pause
    if pause is not None and pause.covers(ctx.today):
        lines.append(f"⏸ Paused until {texts.day_label(pause.until)} — /resume when you're back.")
    return [Reply("\n".join(lines), title="Your streak")]


def badges(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/badges takes no arguments. e.g. /badges")
    earned = earned_badges(ctx.book.badges, held_badges(ctx.uow, ctx.runner.id, ctx.book.badges))
    lines = [f"🏅 {b.name} — {texts.day_label(day)}: {b.reason}" for b, day in earned]
    if not lines:
        lines.append("No badges yet — finish a session (/done) for your first.")
    values = badge_values(ctx.keeper.standing(), len(ctx.book.trained))
    reach = within_reach(values, ctx.book.badges, out_of_reach(ctx.runner.profile, ctx.book.trained))
    if reach:
        lines.append("\nWithin reach:")
        lines += [f"• {progress_line(badge, value)}" for badge, value in reach]
    known = sum(1 for b, _ in earned if b.id in BY_ID)  # of the catalog; challenge badges come on top
    return [Reply("\n".join(lines), title=f"Badges ({known}/{len(BY_ID)})")]


def reward(ctx: Context) -> list[Reply]:
    if ctx.in_group:
        if not ctx.args:
            return show_group_reward(ctx)
        return set_group_reward(ctx)
    runner_id = ctx.runner.id
    done = ctx.keeper.standing().state.sessions
    mine = ctx.uow.rewards.of_runner(runner_id)
    if not ctx.args:
        if not mine:
            return [Reply("No rewards yet. Promise yourself one: /reward smoothie after 3")]
        return [Reply("\n".join(personal_line(r, done) for r in mine), title="Your rewards")]
    spec = parse_reward(ctx.args)
    if isinstance(spec, ParseError):
        raise UserError(spec.message)
    if spec.after is None:
        raise UserError(f"After how many sessions? e.g. /reward {spec.text[:40]} after 3")
    if sum(1 for r in mine if r.unlocked_on is None) >= MAX_OPEN_PERSONAL:
        raise UserError(
            f"You have {MAX_OPEN_PERSONAL} rewards waiting already — earn one first. /reward lists them."
        )
    new = personal_reward(spec.text, spec.after, done, ctx.today, runner_id)
    ctx.uow.rewards.add(new)
    ctx.book.next_reward = next_unlock([*mine, new])
    ctx.keeper.save()
    return [
        Reply(
            f"Deal: {spec.text} after {texts.plural(spec.after, 'more session')}. I'll tell you when it's yours."
        )
    ]


def pause(ctx: Context) -> list[Reply]:
    weeks = parse_pause(ctx.args)
    if isinstance(weeks, ParseError):
        raise UserError(weeks.message)
    runner, today = ctx.runner, ctx.today
    until = today + timedelta(weeks=weeks)
    current = runner.pause
    if current is not None and current.covers(today):
        runner.pause = Pause(current.start, until)
    else:
        if current is not None:
            ctx.uow.runners.add_past_pause(runner.id, current)
        runner.pause = Pause(today, until)
    ctx.uow.runners.save(runner)
    last = max(until, current.until if current else until) - timedelta(days=1)
    ctx.keeper.weeks_changed(today, last)
    return [
        Reply(
            f"⏸ Paused for {texts.plural(weeks, 'week')}, until {texts.day_label(until)}. Your streak waits and "
            "reminders stay quiet. /resume when you're back."
        )
    ]


def resume(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/resume takes no arguments. e.g. /resume")
    runner, today = ctx.runner, ctx.today
    current = runner.pause
    if current is None or not current.covers(today):
        return [Reply("You're not paused — nothing to resume. /streak shows where you stand.")]
    runner.pause = Pause(current.start, today) if current.start < today else None
    ctx.uow.runners.save(runner)
    ctx.keeper.weeks_changed(today, current.until - timedelta(days=1))
    return [Reply("▶️ Welcome back! Reminders are on again. /today has your next session.")]


def hide(ctx: Context) -> list[Reply]:
    ctx.runner.hidden = True
    ctx.uow.runners.save(ctx.runner)
    return [Reply("You're off the leaderboards and recaps. /show brings you back.")]


def show(ctx: Context) -> list[Reply]:
    ctx.runner.hidden = False
    ctx.uow.runners.save(ctx.runner)
    return [Reply("You're back on the leaderboards.")]
