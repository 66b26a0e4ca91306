"""Checks shared by the ledger property tests: live caches equal a rebuild, and every screen agrees."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from core.ledger import groups as group_rules
from core.ledger.rebuild import derive, group_reward, group_weeks, member_weeks
from core.ledger.restore import record_of
from core.ledger.views import standing_of, today_of
from core.ports import Store
from tests.fakes import Conversation

STREAK = re.compile(r"Streak: (\d+) weeks? \(best (\d+)\)\nThis week: (\d+)/(\d+).*\n❄️ Freezes: (\d+) banked")
BOARD = re.compile(r"^\d+\. (\S+) — (\d+) this week · 🔥 (\d+) wk", re.M)
GROUP_LINE = re.compile(r"^• (\S+) — (?:paused \()?(\d+)/(\d+)", re.M)


def _book_view(book: Any, sessions: int) -> dict[str, Any]:
    return {
        "closed": book.closed,
        "open": {m: replace(w, target=sessions) for m, w in book.open.items()},
        "badges": dict(book.badges),
        "trained": dict(book.trained),
        "goals_open": book.goals_open,
        "next_reward": book.next_reward,
    }


def check_caches(store: Store, now: datetime) -> None:
    """Every runner's caches, and every group's, equal what a rebuild from the record makes."""
    with store.unit() as uow:
        derived = {}
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            assert found is not None and found[1] is not None
            runner, book = found
            derived[runner_id] = (runner, book, derive(record_of(uow, runner), now, book.closed_through))
        rebuilt_weeks = {}
        for group in uow.groups.all():
            members = uow.groups.members(group.id)
            inputs = [
                (m.runner, m.joined_on, member_weeks(derived[m.runner.id][2], m.runner)) for m in members
            ]
            until = max([today_of(m.runner, now) for m in members], default=now.date())
            rebuilt = group_weeks(group.id, inputs, until)
            live = uow.groups.weeks([group.id])
            assert live == rebuilt, f"group weeks of {group.title}"
            rebuilt_weeks[group.id] = rebuilt
            for reward in uow.rewards.of_group(group.id):
                expected = group_reward(reward, rebuilt)
                assert (reward.unlocked_on, reward.week_start) == (expected.unlocked_on, expected.week_start)
        for runner_id, (runner, book, d) in derived.items():
            weeks = [w for g in uow.groups.of_runner(runner_id) for w in rebuilt_weeks.get(g.id, [])]
            buddy = group_rules.buddy_day(runner_id, weeks)
            if buddy is not None:
                d.book.badges["buddy-week"] = buddy
            sessions = runner.profile.sessions
            assert _book_view(book, sessions) == _book_view(d.book, sessions), f"book of {runner.name}"
            if book.closed_through is not None:
                kept = uow.ledger.weeks(runner_id, d.closed_rows[0].monday, book.closed_through)
                assert [kept[r.monday] for r in d.closed_rows] == d.closed_rows, f"weeks of {runner.name}"
            live_bests = sorted(
                uow.ledger.bests(runner_id), key=lambda b: (b.local_date, b.entry, b.exercise, b.reps)
            )
            want = sorted(d.bests, key=lambda b: (b.local_date, b.entry, b.exercise, b.reps))
            assert live_bests == want, f"bests of {runner.name}"
            assert {g.exercise: g.reached_on for g in uow.logbook.goals(runner_id)} == {
                g.exercise: g.reached_on for g in d.goals
            }
            assert [r.unlocked_on for r in uow.rewards.of_runner(runner_id)] == [
                r.unlocked_on for r in d.rewards
            ]
            posts = [p for g in uow.groups.all() for p in uow.groups.posts(g.id, date.min, date.max)]
            pr_keys = {b.key for b in d.bests if b.is_pr}
            for post in posts:
                if post.runner_id == runner_id:
                    fact = post.key in pr_keys if post.kind == "pr" else post.key[6:] in d.book.badges
                    assert fact, f"{runner.name}'s post {post.key} no longer holds"


def standing_numbers(store: Store, now: datetime) -> dict[str, tuple[int, int, int, int, int]]:
    """Each runner's (current, best, this week, target, freezes) straight from the ledger."""
    out = {}
    with store.unit() as uow:
        for runner_id in uow.runners.ids():
            found = uow.runners.get(runner_id)
            assert found is not None and found[1] is not None
            runner, book = found
            s = standing_of(runner, book, now)
            out[runner.user_id] = (s.current, s.best, s.sessions, s.target, s.freezes)
    return out


def check_screens(chat: Conversation, users: list[str], group_chat: str | None) -> None:
    """/streak, /leaderboard, /group and /export show the same numbers for every runner."""
    now = chat.clock.now()
    truth = standing_numbers(chat.core.store, now)
    for user in users:
        if user not in truth:
            continue
        match = STREAK.search(chat.say("/streak", user=user))
        assert match, f"/streak of {user}"
        current, best, week, target, freezes = (int(x) for x in match.groups())
        assert (current, best, week, target, freezes) == truth[user], f"/streak of {user}"
        files = {a.filename: a.data for a in chat.replies("/export", user=user)[0].attachments}
        doc = json.loads(files["runlift-profile.json"])
        assert (doc["streak"]["current"], doc["streak"]["best"], doc["streak"]["freezes"]) == (
            current,
            best,
            freezes,
        ), f"/export of {user}"
    if group_chat is None:
        return
    viewer = next((u for u in users if u in truth), None)
    if viewer is None:
        return
    board = chat.say("/leaderboard", user=viewer, chat=group_chat)
    for name, week, current in BOARD.findall(board):
        user = name.lower()
        assert (int(week), int(current)) == (truth[user][2], truth[user][0]), f"/leaderboard row of {user}"
    listing = chat.say("/group", user=viewer, chat=group_chat)
    for name, week, target in GROUP_LINE.findall(listing):
        user = name.lower()
        assert (int(week), int(target)) == (truth[user][2], truth[user][3]), f"/group row of {user}"
