"""Personal accountability commands: /streak, /badges, /reward, /pause, /resume, /hide, /show."""

from __future__ import annotations

from datetime import timedelta

from core import texts
from core.arguments import parse_pause, parse_reward
from core.badge_awards import measure
from core.badges import BY_ID, UNITS, Standing, progress_line, within_reach
from core.context import Context, UserError
from core.group_commands import set_group_reward, show_group_reward
from core.messages import Reply
from core.parse_errors import ParseError
from core.rewards import MAX_OPEN_PERSONAL, personal_line, personal_reward
from core.streak_keeper import current_streak, settle, week_progress
from core.streaks import MAX_FREEZES, weeks_to_next_freeze
from core.weeks import is_paused


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def streak(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/streak takes no arguments. e.g. /streak")
    runner, today = ctx.runner, ctx.today
    current, best, state = current_streak(ctx.uow, runner, today)
    done, target = week_progress(ctx.uow, runner, today)
    lines = [f"🔥 Streak: {_plural(current, 'week')} (best {best})"]
    if done >= target:
        lines.append(f"This week: {done}/{target} sessions — target met ✓")
    else:
        left = target - done
        lines.append(f"This week: {done}/{target} sessions — {left} more and the week counts.")
    next_freeze = (
        f" (next after {_plural(weeks_to_next_freeze(state), 'more counted week')})"
        if state.freezes < MAX_FREEZES
        else " (that's the most you can bank)"
    )
    lines.append(f"❄️ Freezes: {state.freezes} banked{next_freeze}")
    if is_paused(runner, today) and runner.paused_until is not None:
        lines.append(f"⏸ Paused until {texts.day_label(runner.paused_until)} — /resume when you're back.")
    return [Reply("\n".join(lines), title="Your streak")]


def badges(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/badges takes no arguments. e.g. /badges")
    earned = ctx.uow.badges(ctx.runner.id)
    lines = []
    for b in earned:
        badge = BY_ID.get(b.badge_id)
        if badge is not None:
            lines.append(f"🏅 {badge.name} — {texts.day_label(b.earned_on)}: {badge.reason}")
    if not lines:
        lines.append("No badges yet — finish a session (/done) for your first.")
    ids = {b.badge_id for b in earned}
    values = measure(ctx.uow, ctx.runner, ctx.today, UNITS)
    reach = within_reach(Standing(values), ids)
    if reach:
        lines.append("\nWithin reach:")
        lines += [f"• {progress_line(badge, value)}" for badge, value in reach]
    known = sum(1 for b in earned if b.badge_id in BY_ID)
    return [Reply("\n".join(lines), title=f"Badges ({known}/{len(BY_ID)})")]


def reward(ctx: Context) -> list[Reply]:
    if ctx.in_group:
        if not ctx.args:
            return show_group_reward(ctx)
        return set_group_reward(ctx)
    runner_id = ctx.runner.id
    done = ctx.uow.count_sessions(runner_id)
    mine = ctx.uow.runner_rewards(runner_id)
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
    ctx.uow.add_reward(personal_reward(spec.text, spec.after, done, ctx.today, runner_id))
    return [
        Reply(
            f"Deal: {spec.text} after {_plural(spec.after, 'more session')}. I'll tell you when it's yours."
        )
    ]


def pause(ctx: Context) -> list[Reply]:
    weeks = parse_pause(ctx.args)
    if isinstance(weeks, ParseError):
        raise UserError(weeks.message)
    runner, today = ctx.runner, ctx.today
    settle(ctx.uow, runner, today)  # weeks before the pause close under the old rules
    until = today + timedelta(weeks=weeks)
    start = runner.paused_from if is_paused(runner, today) and runner.paused_from else today
    ctx.uow.set_pause(runner.id, start, until)
    return [
        Reply(
            f"⏸ Paused for {_plural(weeks, 'week')}, until {texts.day_label(until)}. Your streak waits and "
            "reminders stay quiet. /resume when you're back."
        )
    ]


def resume(ctx: Context) -> list[Reply]:
    if ctx.args:
        raise UserError("/resume takes no arguments. e.g. /resume")
    runner, today = ctx.runner, ctx.today
    if not is_paused(runner, today):
        return [Reply("You're not paused — nothing to resume. /streak shows where you stand.")]
    start = runner.paused_from
    if start is not None and start < today:
        ctx.uow.set_pause(runner.id, start, today)
    else:
        ctx.uow.set_pause(runner.id, None, None)
    return [Reply("▶️ Welcome back! Reminders are on again. /today has your next session.")]


def hide(ctx: Context) -> list[Reply]:
    ctx.uow.set_hidden(ctx.runner.id, True)
    return [Reply("You're off the leaderboards and recaps. /show brings you back.")]


def show(ctx: Context) -> list[Reply]:
    ctx.uow.set_hidden(ctx.runner.id, False)
    return [Reply("You're back on the leaderboards.")]


HANDLERS = {
    "streak": streak,
    "badges": badges,
    "reward": reward,
    "pause": pause,
    "resume": resume,
    "hide": hide,
    "show": show,
}
