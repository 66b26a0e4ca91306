"""The repositories' contract, held by the SQL store (SQLite or PostgreSQL) and the dict-backed fake alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from core.imports.model import ImportRecord
from core.ledger.inputs import PlanChange
from core.ledger.model import (
    Best,
    Book,
    FoldState,
    Group,
    GroupChat,
    GroupWeek,
    LinkCode,
    Membership,
    Merge,
    Post,
    Reward,
    WeekInputs,
    WeekRow,
)
from core.messages import ChatAddress
from core.nudges.outbox import OutboxEntry
from core.nudges.schedule import NudgeClaim
from core.training.choosing import latest_of
from core.training.model import Goal, LoggedSet, OwnExercise, Pause, PendingLog, Runner
from core.training.profile import Profile
from tests.conftest import empty_store
from tests.memory_store import MemoryStore

AT = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
DAY = AT.date()
MONDAY = date(2026, 11, 30)


@pytest.fixture(params=["sql", "memory"])
def any_store(request: pytest.FixtureRequest, engine: Engine) -> Any:
    return empty_store(engine) if request.param == "sql" else MemoryStore()


def new_runner(uow: Any, user: str = "ana", tz: str = "UTC") -> Runner:
    return uow.runners.add(
        Runner(0, "test", user, user.capitalize(), Profile(tz=tz), created_at=AT, created_on=DAY)
    )


def test_nothing_is_kept_without_commit_and_commit_keeps_what_came_before(any_store: Any) -> None:
    with any_store.unit() as uow:
        new_runner(uow, "ana")
    with any_store.unit() as uow:
        assert uow.runners.find("test", "ana") is None
        new_runner(uow, "ben")
        uow.commit()
        new_runner(uow, "cy")  # after the commit, not committed itself
    with any_store.unit() as uow:
        assert uow.runners.find("test", "ben") is not None
        assert uow.runners.find("test", "cy") is None


def test_a_runner_round_trips_with_profile_pause_and_an_empty_book(any_store: Any) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow, tz="Asia/Tokyo")
        runner.profile = runner.profile.with_changes(sessions=3, reminders=False, units="lb")
        runner.pause = Pause(DAY, DAY + timedelta(days=14))
        runner.plan_since = DAY
        uow.runners.save(runner)
        uow.commit()
    with any_store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is not None
        stored, book = found
        assert (stored.profile.tz, stored.profile.sessions, stored.profile.reminders) == (
            "Asia/Tokyo",
            3,
            False,
        )
        assert stored.pause == Pause(DAY, DAY + timedelta(days=14)) and stored.plan_since == DAY
        assert book == Book()
        assert uow.runners.get(stored.id) == found


def test_a_book_keeps_its_last_kept_week_and_the_open_weeks_after_it(any_store: Any) -> None:
    closed = WeekRow(
        WeekInputs(MONDAY - timedelta(days=7), 0b11, 0b1, 2), "counted", FoldState(1, 1, 0, 1, 2, 1)
    )
    older = WeekRow(WeekInputs(MONDAY - timedelta(days=14)), "missed", FoldState())
    future = WeekInputs(MONDAY + timedelta(days=7), 0, 0, 2, True)
    book = Book(
        closed=closed,
        open={MONDAY: WeekInputs(MONDAY, 0b10, 0, 2), future.monday: future},
        badges={"first-session": DAY},
        trained={"squats": DAY},
        goals_open=frozenset({"squat"}),
        next_reward=5,
        pending=("freeze-spent:2026-11-23\x1fA note.",),
    )
    with any_store.unit() as uow:
        runner = new_runner(uow)
        uow.ledger.save_weeks(runner.id, [older, closed])
        uow.ledger.save_weeks(runner.id, [WeekRow(w, "open", FoldState()) for w in book.open.values()])
        uow.ledger.save_book(runner.id, book)
        uow.commit()
    with any_store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is not None and found[1] == book
        assert uow.ledger.weeks(runner.id, older.monday, closed.monday) == {
            older.monday: older,
            closed.monday: closed,
        }
        assert uow.ledger.done_days([runner.id], MONDAY - timedelta(days=7), DAY) == {
            runner.id: {MONDAY - timedelta(days=7), MONDAY - timedelta(days=6), DAY}
        }
        uow.ledger.drop_weeks(runner.id, [future.monday])
        assert uow.ledger.week_of([runner.id], future.monday) == {}


def test_entries_are_numbered_in_the_order_logged_and_deleted_whole(any_store: Any) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow)
        sets = [LoggedSet(DAY, "squat", i, 8, 20.0) for i in (1, 2)] + [LoggedSet(DAY, "rdl", 1, 8, None)]
        first = uow.logbook.add_entry(runner.id, "sets", DAY, None, AT, sets)
        late = uow.logbook.add_entry(
            runner.id,
            "sets",
            DAY - timedelta(days=1),
            7,
            AT,
            [LoggedSet(DAY - timedelta(days=1), "row", 1, 10, 15.0)],
        )
        done = uow.logbook.add_entry(runner.id, "done", DAY, None, AT, [])
        uow.commit()
    assert first.id < late.id < done.id
    assert all(s.entry == first.id for s in first.sets)
    with any_store.unit() as uow:
        assert uow.logbook.last_entry(runner.id) == done
        assert uow.logbook.sets_per_exercise_on(runner.id, DAY) == {"squat": 2, "rdl": 1}
        summaries = uow.logbook.days(runner.id, DAY - timedelta(days=1), DAY)
        assert [(s.day, s.marked, s.exercises) for s in summaries] == [
            (DAY - timedelta(days=1), False, 1),
            (DAY, True, 2),
        ]
        assert [s.exercise for s in uow.logbook.all_sets(runner.id)] == ["row", "squat", "squat", "rdl"]
        assert uow.logbook.last_sets(runner.id, "squat", DAY + timedelta(days=1)) == list(first.sets[:2])
        assert uow.logbook.first_dates(runner.id, ["row", "squat", "lunge"]) == {
            "row": DAY - timedelta(days=1),
            "squat": DAY,
        }
        assert uow.logbook.exercise_counts(runner.id)["squat"] == (2, DAY)
        uow.logbook.delete_entry(runner.id, first.id)
        assert uow.logbook.sets_on(runner.id, DAY) == []
        assert [e.id for e in uow.logbook.recent_entries(runner.id, 5)] == [done.id, late.id]
        assert uow.logbook.all_entries(runner.id)[0] == late


def test_bests_are_replaced_from_a_day_on(any_store: Any) -> None:
    old = Best("squat", 5, 60.0, DAY - timedelta(days=3), 1, False)
    new = Best("squat", 5, 65.0, DAY, 2, True)
    with any_store.unit() as uow:
        runner = new_runner(uow)
        uow.ledger.add_bests(runner.id, [old, new, Best("row", 5, 20.0, DAY, 2, False)])
        uow.ledger.replace_bests(runner.id, "squat", DAY, [Best("squat", 5, 62.5, DAY, 3, True)])
        assert [b.weight_kg for b in uow.ledger.bests(runner.id, ["squat"])] == [60.0, 62.5]
        assert len(uow.ledger.bests(runner.id)) == 3


def test_best_weights_are_the_heaviest_per_exercise_and_rep_count(any_store: Any) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow)
        other = new_runner(uow, "other")
        changes = [
            Best("squat", 5, 40.0 + i * 2.5, DAY - timedelta(days=30 - i), i, i > 0) for i in range(20)
        ]
        uow.ledger.add_bests(runner.id, changes)
        uow.ledger.add_bests(
            runner.id, [Best("squat", 8, 50.0, DAY, 30, False), Best("row", 5, 30.0, DAY, 31, False)]
        )
        uow.ledger.add_bests(other.id, [Best("squat", 5, 200.0, DAY, 1, False)])
        assert uow.ledger.best_weights(runner.id, ["squat", "lunge"]) == {
            ("squat", 5): 87.5,
            ("squat", 8): 50.0,
        }
        assert uow.ledger.best_weights(runner.id, ["row"]) == {("row", 5): 30.0}
        assert uow.ledger.best_weights(runner.id, []) == {}


@pytest.mark.parametrize(
    "exercises",
    [["squat", "row"], ["squat"], ["lunge"], [], ["row", "squat", "lunge", "it's 100% \\ odd"]],
)
def test_a_days_entries_and_best_weights_read_together_are_those_read_apart(
    any_store: Any, exercises: list[str]
) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow)
        other = new_runner(uow, "other")
        uow.ledger.add_bests(
            runner.id,
            [Best("squat", 5, 40.0 + i * 2.5, DAY - timedelta(days=9 - i), i, i > 0) for i in range(10)]
            + [Best("row", 8, 30.0, DAY, 11, False), Best("it's 100% \\ odd", 3, 12.5, DAY, 12, False)],
        )
        uow.ledger.add_bests(other.id, [Best("squat", 5, 200.0, DAY, 1, False)])
        for at, sets in [
            (AT, [LoggedSet(DAY, "squat", 1, 5, 60.0), LoggedSet(DAY, "squat", 2, 5, 60.0)]),
            (AT + timedelta(minutes=5), []),  # an entry without sets
            (AT + timedelta(minutes=9), [LoggedSet(DAY, "wall-sit", 1, 1, None, seconds=40)]),
        ]:
            uow.logbook.add_entry(runner.id, "sets", DAY, None, at, sets)
        uow.logbook.add_entry(
            runner.id,
            "sets",
            DAY - timedelta(days=1),
            None,
            AT,
            [LoggedSet(DAY - timedelta(days=1), "row", 1, 8, 1.0)],
        )
        uow.logbook.add_entry(other.id, "sets", DAY, None, AT, [LoggedSet(DAY, "squat", 1, 5, 1.0)])
        for day in (DAY, DAY - timedelta(days=1), DAY + timedelta(days=1)):
            together = uow.logbook.day_and_best_weights(runner.id, day, exercises)
            apart = (uow.logbook.entries_on(runner.id, day), uow.ledger.best_weights(runner.id, exercises))
            assert together == apart
        entries, _ = uow.logbook.day_and_best_weights(runner.id, DAY, exercises)
        assert [len(e.sets) for e in entries] == [2, 0, 1]


def test_goals_plans_and_pauses_of_the_past(any_store: Any) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow)
        uow.logbook.set_goal(runner.id, Goal("squat", 60.0, 5, DAY))
        uow.logbook.set_goal(runner.id, Goal("squat", 70.0, 5, DAY))  # replaces
        uow.logbook.save_goal_reached(runner.id, "squat", DAY)
        assert uow.logbook.goals(runner.id) == [Goal("squat", 70.0, 5, DAY, DAY)]
        uow.runners.add_plan_change(runner.id, PlanChange(DAY, 2, frozenset({1, 6})))
        uow.runners.add_plan_change(runner.id, PlanChange(DAY, 3, frozenset()))  # the same day: replaced
        assert uow.runners.plan_history(runner.id) == [PlanChange(DAY, 3, frozenset())]
        uow.runners.add_past_pause(runner.id, Pause(DAY - timedelta(days=20), DAY - timedelta(days=10)))
        assert uow.runners.past_pauses(runner.id) == [
            Pause(DAY - timedelta(days=20), DAY - timedelta(days=10))
        ]


def test_groups_members_weeks_posts_and_rewards(any_store: Any) -> None:
    with any_store.unit() as uow:
        ana, ben = new_runner(uow, "ana"), new_runner(uow, "ben")
        group = uow.groups.add("test", "club", "Club", "Europe/Berlin", AT)
        assert uow.groups.add_member(group.id, ana.id, DAY, AT)
        assert not uow.groups.add_member(group.id, ana.id, DAY, AT)
        assert uow.groups.add_member(group.id, ben.id, DAY + timedelta(days=1), AT)
        week = GroupWeek(group.id, MONDAY, (ana.id, ben.id), DAY)
        uow.groups.save_week(group.id, MONDAY, week)
        uow.groups.add_post(group.id, Post(ana.id, DAY, "pr", "pr:squat:5:60.000:2026-12-01"))
        reward_id = uow.rewards.add(Reward(0, "pizza", DAY, group_id=group.id))
        uow.rewards.save(
            Reward(reward_id, "pizza", DAY, group_id=group.id, unlocked_on=DAY, week_start=MONDAY)
        )
        uow.commit()
    with any_store.unit() as uow:
        loaded = uow.groups.load("test", "club")
        assert loaded is not None
        found, members, news = loaded
        assert found == group and news
        assert [(m.runner.user_id, m.joined_on) for m in members] == [
            ("ana", DAY),
            ("ben", DAY + timedelta(days=1)),
        ]
        assert uow.groups.members(group.id)[0].runner == members[0].runner
        assert uow.groups.weeks([group.id]) == [week]
        assert [g.id for g in uow.groups.of_runner(ben.id)] == [group.id]
        assert uow.groups.in_zones(["Europe/Berlin"]) == [group] and uow.groups.zones() == ["Europe/Berlin"]
        assert len(uow.groups.posts(group.id, MONDAY, DAY)) == 1
        uow.groups.drop_posts(ana.id, ["pr:squat:5:60.000:2026-12-01"])
        assert uow.groups.posts(group.id, MONDAY, DAY) == []
        assert uow.rewards.of_group(group.id)[0].unlocked_on == DAY
        assert uow.groups.remove_member(group.id, ben.id) and not uow.groups.remove_member(group.id, ben.id)
        uow.groups.delete(group.id)
        assert uow.groups.load("test", "club") is None and uow.rewards.of_group(group.id) == []


def test_the_asker_and_the_chats_group_read_together_are_those_read_apart(any_store: Any) -> None:
    with any_store.unit() as uow:
        ana, ben, cy = new_runner(uow, "ana"), new_runner(uow, "ben"), new_runner(uow, "cy")
        new_runner(uow, "dee")  # in no group
        group = uow.groups.add("test", "club", "Club", "Europe/Berlin", AT)
        ref = uow.groups.add_chat(group.id, "test", "linked", "Linked", AT)
        uow.groups.add_member(group.id, ana.id, DAY, AT)
        uow.groups.add_member(group.id, cy.id, DAY + timedelta(days=2), AT, chat_ref=ref)
        uow.groups.add_member(group.id, ben.id, DAY + timedelta(days=1), AT)
        for runner in (ana, cy):  # ben has no book: the outer joins give NULLs
            mondays = [MONDAY - timedelta(days=7 * k) for k in range(3)]
            uow.ledger.save_weeks(
                runner.id, [WeekRow(WeekInputs(m, 0b101, 0, 2), "open", FoldState()) for m in mondays]
            )
            uow.ledger.save_book(runner.id, Book(badges={"first-session": DAY}, next_reward=2))
        uow.groups.add("test", "empty", "Nobody yet", "UTC", AT)
        uow.rewards.add(Reward(0, "pizza", DAY, group_id=group.id))
        uow.commit()
    with any_store.unit() as uow:
        for user in ("ana", "ben", "cy", "dee", "nobody"):
            for chat in ("club", "linked", "empty", "no group here"):
                together = uow.groups.asker_and_group("test", user, chat)
                apart = (uow.runners.find("test", user), uow.groups.load("test", chat))
                assert together == apart, (user, chat)
        _, loaded = uow.groups.asker_and_group("test", "dee", "linked")
        assert loaded is not None and [m.runner.user_id for m in loaded[1]] == [
            "ana",
            "cy",
            "ben",
        ]  # in the order they joined


def test_forgetting_a_runner_leaves_nothing_of_theirs(any_store: Any) -> None:
    with any_store.unit() as uow:
        ana, ben = new_runner(uow, "ana"), new_runner(uow, "ben")
        uow.logbook.add_entry(ana.id, "sets", DAY, None, AT, [LoggedSet(DAY, "squat", 1, 8, 20.0)])
        uow.logbook.add_entry(ben.id, "done", DAY, None, AT, [])
        group = uow.groups.add("test", "club", "Club", "UTC", AT)
        uow.groups.add_member(group.id, ana.id, DAY, AT)
        uow.rewards.add(Reward(0, "smoothie", DAY, runner_id=ana.id, after=3, unlock_at=3))
        uow.runners.delete(ana.id)
        uow.commit()
    with any_store.unit() as uow:
        assert uow.runners.find("test", "ana") is None
        assert uow.logbook.all_entries(ana.id) == [] and uow.rewards.of_runner(ana.id) == []
        assert uow.groups.members(group.id) == []
        assert len(uow.logbook.all_entries(ben.id)) == 1


def test_events_are_claimed_once_and_forgotten_after_a_while(any_store: Any) -> None:
    with any_store.unit() as uow:
        assert uow.events.claim("tg:1:update:1", AT - timedelta(days=4))
        assert not uow.events.claim("tg:1:update:1", AT)
        assert uow.events.claim("tg:1:update:2", AT)
        assert uow.events.prune(AT - timedelta(days=3)) == 1
        assert uow.events.claim("tg:1:update:1", AT)


def test_the_schedule_pages_due_runners_in_moment_then_id_order(any_store: Any) -> None:
    with any_store.unit() as uow:
        ids = [new_runner(uow, f"r{i}").id for i in range(5)]
        moments = [AT, AT - timedelta(minutes=1), AT, AT + timedelta(minutes=1), None]
        uow.nudges.set_next(dict(zip(ids, moments, strict=True)))
        first = uow.nudges.due(AT, None, 2)
        assert [(at, r.id) for at, r in first] == [(AT - timedelta(minutes=1), ids[1]), (AT, ids[0])]
        rest = uow.nudges.due(AT, (first[-1][0], first[-1][1].id), 2)
        assert [(at, r.id) for at, r in rest] == [(AT, ids[2])]
        assert rest[0][1].user_id == "r2" and rest[0][1].pause is None
        uow.nudges.mark_unreachable([ids[0], ids[2]])
        assert [r.id for _, r in uow.nudges.due(AT, None, 10)] == [ids[1]]
        assert uow.nudges.runners([ids[0]])[0].unreachable


def test_shards_of_the_schedule_split_the_due_runners_by_id_with_none_left_out_or_shared(
    any_store: Any,
) -> None:
    with any_store.unit() as uow:
        ids = [new_runner(uow, f"s{i}").id for i in range(9)]
        uow.nudges.set_next({rid: AT - timedelta(minutes=rid % 3) for rid in ids})
        whole = [r.id for _, r in uow.nudges.due(AT, None, 100)]
        for count in (1, 2, 4):
            parts = [[r.id for _, r in uow.nudges.due(AT, None, 100, (k, count))] for k in range(count)]
            assert sorted(rid for part in parts for rid in part) == sorted(whole)
            assert all(rid % count == k for k, part in enumerate(parts) for rid in part)
            assert all(part == [rid for rid in whole if rid % count == k] for k, part in enumerate(parts))
        first = uow.nudges.due(AT, None, 2, (1, 2))
        rest = uow.nudges.due(AT, (first[-1][0], first[-1][1].id), 100, (1, 2))
        assert [r.id for _, r in first + rest] == [rid for rid in whole if rid % 2 == 1]


def _entry(recipient: str, kind: str = "lift", due: datetime = AT, platform: str = "test") -> OutboxEntry:
    return OutboxEntry(
        NudgeClaim(recipient, kind, DAY),
        ChatAddress(platform, recipient, False),
        "Title",
        f"{kind} for {recipient}",
        None,
        due,
        due + timedelta(hours=2),
    )


def test_the_outbox_takes_each_key_once_and_leases_what_is_due(any_store: Any) -> None:
    with any_store.unit() as uow:
        assert uow.outbox.enqueue([_entry("a"), _entry("b"), _entry("c", due=AT + timedelta(minutes=5))]) == 3
        assert uow.outbox.enqueue([_entry("a"), _entry("d", platform="other")]) == 1
        assert sorted(c.recipient for c in uow.outbox.taken(["a", "b", "z"], DAY, DAY)) == ["a", "b"]
        assert uow.outbox.taken(["a"], DAY + timedelta(days=1), DAY + timedelta(days=2)) == []
        assert uow.outbox.backlog() == {"test": 3, "other": 1}
        leased, dropped = uow.outbox.lease("test", AT, 10, AT + timedelta(minutes=2))
        assert ([e.claim.recipient for e in leased], dropped) == (["a", "b"], [])
        assert (leased[0].title, leased[0].text, leased[0].address) == (
            "Title",
            "lift for a",
            ChatAddress("test", "a", False),
        )
        assert uow.outbox.lease("test", AT + timedelta(minutes=1), 10, AT)[0] == []  # held
        uow.outbox.release([leased[1].id])
        assert [
            e.claim.recipient for e in uow.outbox.lease("test", AT, 10, AT + timedelta(minutes=2))[0]
        ] == ["b"]
        again = uow.outbox.lease("test", AT + timedelta(minutes=2), 10, AT + timedelta(minutes=4))[0]
        assert [e.claim.recipient for e in again] == ["a", "b"]  # the leases ran out


def test_the_outbox_settles_retries_and_drops_what_is_too_late(any_store: Any) -> None:
    with any_store.unit() as uow:
        uow.outbox.enqueue([_entry("a"), _entry("b"), _entry("c")])
        leased, _ = uow.outbox.lease(None, AT, 10, AT + timedelta(minutes=2))
        a, b, c = leased
        uow.outbox.finish([a.id], "sent", AT)
        uow.outbox.retry({b.id: AT + timedelta(minutes=5)})
        uow.outbox.release([c.id])
        assert [
            e.claim.recipient
            for e in uow.outbox.lease(None, AT + timedelta(minutes=1), 10, AT + timedelta(minutes=10))[0]
        ] == ["c"]
        [retried] = uow.outbox.lease(None, AT + timedelta(minutes=5), 10, AT + timedelta(minutes=7))[0]
        assert (retried.claim.recipient, retried.attempts, retried.due_at) == (
            "b",
            1,
            AT + timedelta(minutes=5),
        )
        late, dropped = uow.outbox.lease(None, AT + timedelta(hours=2), 10, AT + timedelta(hours=3))
        assert late == [] and sorted(e.claim.recipient for e in dropped) == ["b", "c"]
        assert uow.outbox.backlog() == {}
        assert len(uow.outbox.taken(["a", "b", "c"], DAY, DAY)) == 3  # settled entries stay the record
        assert uow.outbox.prune(DAY) == 0
        assert uow.outbox.prune(DAY + timedelta(days=1)) == 3


def test_a_set_keeps_its_unit_seconds_and_full_precision_and_an_entry_when_it_was_logged(
    any_store: Any,
) -> None:
    pounds = 145 / 2.2046226218
    with any_store.unit() as uow:
        runner = new_runner(uow)
        sets = [
            LoggedSet(DAY, "hex-bar-deadlift", 1, 8, pounds, unit="lb"),
            LoggedSet(DAY, "wall-sit", 1, 1, None, seconds=45),
        ]
        entry = uow.logbook.add_entry(runner.id, "sets", DAY, None, AT, sets)
        uow.commit()
    with any_store.unit() as uow:
        [stored] = uow.logbook.entries_on(runner.id, DAY)
        assert stored == entry and stored.logged_at == AT
        assert stored.sets[0].weight_kg == pounds and stored.sets[0].unit == "lb"
        assert (stored.sets[1].seconds, stored.sets[1].amount, stored.sets[1].unit) == (45, 45, None)
        assert uow.logbook.all_entries(runner.id)[0].logged_at == AT
        assert uow.logbook.entries_on(runner.id, DAY + timedelta(days=1)) == []


def test_each_exercises_last_day_and_the_one_logged_last_among_some(any_store: Any) -> None:
    earlier, later = DAY - timedelta(days=3), DAY - timedelta(days=1)
    with any_store.unit() as uow:
        runner = new_runner(uow)
        uow.logbook.add_entry(
            runner.id, "sets", earlier, None, AT, [LoggedSet(earlier, "split-squat", 1, 8, None)]
        )
        uow.logbook.add_entry(
            runner.id,
            "sets",
            later,
            None,
            AT,
            [LoggedSet(later, "bodyweight-squat", i, 15, None) for i in (1, 2)],
        )
        uow.logbook.add_entry(runner.id, "done", DAY, None, AT, [])
        uow.commit()
    with any_store.unit() as uow:
        days = uow.logbook.last_days(runner.id, DAY)
        assert sorted(days) == ["bodyweight-squat", "split-squat"]
        assert [s.set_no for s in days["bodyweight-squat"]] == [1, 2] and days["split-squat"][
            0
        ].local_date == earlier
        both = ["bodyweight-squat", "split-squat"]
        assert [s.exercise for s in latest_of(days, both)] == ["bodyweight-squat"] * 2
        assert [s.local_date for s in latest_of(uow.logbook.last_days(runner.id, later), both)] == [earlier]
        assert list(latest_of(days, ["goblet-squat"])) == [] and list(latest_of(days, [])) == []
        assert uow.logbook.last_sets(runner.id, "split-squat", DAY)[0].reps == 8


def test_own_exercises_swaps_and_a_pending_log_round_trip(any_store: Any) -> None:
    with any_store.unit() as uow:
        runner = new_runner(uow)
        own = OwnExercise("own-nordic-curl", "Nordic curl", "romanian-deadlift")
        uow.logbook.add_own_exercise(runner.id, own)
        runner.profile = runner.profile.with_changes(swaps={"squat": "goblet-squat", "lunge": own.key})
        runner.pending = PendingLog("cable-row 3x8 @300kg 2026-12-01", AT)
        uow.runners.save(runner)
        uow.commit()
    with any_store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is not None
        stored = found[0]
        assert stored.profile.swaps == {"squat": "goblet-squat", "lunge": "own-nordic-curl"}
        assert stored.pending == PendingLog("cable-row 3x8 @300kg 2026-12-01", AT)
        assert uow.logbook.own_exercises(runner.id) == [own]
        uow.logbook.set_own_movement(runner.id, own.key, "other")
        assert uow.logbook.own_exercises(runner.id)[0].movement == "other"
        stored.pending = None
        uow.runners.save(stored)
        uow.runners.delete(runner.id)
        assert uow.logbook.own_exercises(runner.id) == []


def test_imports_keep_a_pending_file_write_keyed_workouts_and_undo_whole(any_store: Any) -> None:
    from core.imports.model import ImportRecord, PendingImport

    data = b"Date,Exercise,Category,Weight (kgs),Reps\n" * 1000
    squat = LoggedSet(date(2024, 9, 2), "barbell-back-squat", 1, 5, 100.0, unit="kg")
    warmup = LoggedSet(date(2024, 9, 2), "barbell-back-squat", 2, 8, 40.0, unit="kg", warmup=True)
    with any_store.unit() as uow:
        runner = new_runner(uow)
        other = new_runner(uow, "ben")
        uow.imports.save_pending(runner.id, PendingImport("fitnotes.csv", data, "FitNotes", "kg", AT))
        uow.imports.save_pending(runner.id, PendingImport("again.csv", data, "FitNotes", "lb", AT))
        uow.commit()
    with any_store.unit() as uow:
        pending = uow.imports.pending(runner.id)
        assert pending == PendingImport("again.csv", data, "FitNotes", "lb", AT)
        assert uow.imports.pending(other.id) is None
        import_id = uow.imports.add(runner.id, ImportRecord(0, "again.csv", "FitNotes", AT, 0, 0, None, None))
        written = uow.imports.add_workouts(
            runner.id, import_id, AT, [(squat.local_date, [(squat, "k1"), (warmup, "k2")])]
        )
        uow.imports.add_workouts(runner.id, import_id, AT, [(squat.local_date, [(squat, "k1")])])  # a repeat
        uow.imports.finish(
            runner.id,
            ImportRecord(import_id, "again.csv", "FitNotes", AT, 1, 2, squat.local_date, squat.local_date),
        )
        uow.imports.drop_pending(runner.id)
        uow.commit()
    assert written == 2
    with any_store.unit() as uow:
        assert uow.imports.pending(runner.id) is None
        assert uow.imports.keys(runner.id) == {"k1", "k2"} and uow.imports.keys(other.id) == set()
        last = uow.imports.last(runner.id)
        assert last is not None and (last.id, last.sets, last.first) == (import_id, 2, squat.local_date)
        sets = list(uow.logbook.all_sets(runner.id))
        assert [(s.reps, s.warmup) for s in sets] == [(5, False), (8, True)]
        assert uow.logbook.days(runner.id, squat.local_date, squat.local_date)[0].exercises == 1
        assert [s.reps for s in uow.logbook.last_days(runner.id, DAY)["barbell-back-squat"]] == [5]
        uow.imports.delete(runner.id, import_id)
        uow.commit()
    with any_store.unit() as uow:
        uow.imports.save_pending(runner.id, PendingImport("late.csv", data, "FitNotes", "kg", AT))
        uow.imports.save_pending(
            other.id, PendingImport("new.csv", data, "FitNotes", "kg", AT + timedelta(hours=2))
        )
        assert uow.imports.prune_pending(AT + timedelta(hours=1)) == 1
        assert uow.imports.pending(runner.id) is None and uow.imports.pending(other.id) is not None
        assert uow.imports.last(runner.id) is None and uow.imports.keys(runner.id) == set()
        assert list(uow.logbook.all_sets(runner.id)) == [] and uow.logbook.all_entries(runner.id) == []


def test_a_calendar_link_and_the_plan_it_gave_round_trip_and_go_with_the_runner(any_store: Any) -> None:
    from dataclasses import replace

    from core.calendar.link import CalendarLink
    from core.calendar.plan import CalendarPlan, PlannedRun

    plan = CalendarPlan(
        (
            PlannedRun(DAY, "speed", "Intervals · 6 x 800m", time(8, 0)),
            PlannedRun(DAY + timedelta(days=5), "race", "Race Day: Half Marathon", None, 21.1),
        ),
        frozenset({MONDAY}),
    )
    link = CalendarLink(0, "https://example.com/ical/secret.ics", '"e1"', "Tue, 01 Dec 2026 06:00:00 GMT")
    with any_store.unit() as uow:
        ana, ben = new_runner(uow, "ana"), new_runner(uow, "ben")
        ana.profile = ana.profile.with_changes(calendar=plan)
        uow.runners.save(ana)
        uow.calendars.save(replace(link, runner_id=ana.id).succeeded(AT, '"e1"', ""))
        uow.calendars.save(
            CalendarLink(ben.id, "https://example.com/b.ics", next_check_at=AT - timedelta(hours=2))
        )
        uow.commit()
    with any_store.unit() as uow:
        found = uow.runners.find("test", "ana")
        assert found is not None and found[0].profile.calendar == plan
        stored = uow.calendars.get(ana.id)
        assert stored is not None and stored.source == link.source and stored.etag == '"e1"'
        assert stored.next_check_at == AT + timedelta(hours=1)
        assert [c.runner_id for c in uow.calendars.due(AT + timedelta(hours=1), 10)] == [ben.id, ana.id]
        assert [c.runner_id for c in uow.calendars.due(AT, 10)] == [ben.id]
        failed = stored.failed(AT, "the calendar server answered 500")
        uow.calendars.save(failed)
        assert uow.calendars.get(ana.id) == failed
        assert [r.profile.calendar for r in uow.nudges.runners([ana.id])] == [plan]
        uow.runners.delete(ana.id)
        uow.calendars.delete(ben.id)
        uow.commit()
    with any_store.unit() as uow:
        assert uow.calendars.get(ana.id) is None and uow.calendars.get(ben.id) is None
        assert uow.calendars.due(AT + timedelta(days=1), 10) == []


def test_a_new_leader_ends_every_lease_of_its_platform_and_only_of_queued_entries(any_store: Any) -> None:
    with any_store.unit() as uow:
        uow.outbox.enqueue([_entry("a"), _entry("b"), _entry("c"), _entry("d", platform="other")])
        leased, _ = uow.outbox.lease(None, AT, 10, AT + timedelta(minutes=2))
        uow.outbox.finish([e.id for e in leased if e.claim.recipient == "a"], "sent", AT)
        assert uow.outbox.lease("test", AT, 10, AT + timedelta(minutes=2))[0] == []  # all held
        assert uow.outbox.release_all("test") == 2  # b and c: a is sent, d is another platform's
        again = uow.outbox.lease(None, AT + timedelta(seconds=1), 10, AT + timedelta(minutes=2))[0]
        assert sorted(e.claim.recipient for e in again) == ["b", "c"]
        assert uow.outbox.release_all("nowhere") == 0


def test_a_group_spans_linked_chats_and_a_code_is_taken_once(any_store: Any) -> None:
    with any_store.unit() as uow:
        ana, ben = new_runner(uow, "ana"), new_runner(uow, "ben")
        group = uow.groups.add("telegram", "-1", "Track", "UTC", AT)
        ref = uow.groups.add_chat(group.id, "discord", "42", "track-chat", AT)
        assert uow.groups.add_member(group.id, ana.id, DAY, AT)
        assert uow.groups.add_member(group.id, ben.id, DAY, AT, chat_ref=ref)
        uow.links.add(LinkCode("K7M2QX", "group", group.id, AT + timedelta(minutes=10)))
        uow.commit()
    with any_store.unit() as uow:
        assert uow.groups.find("discord", "42") == group
        loaded = uow.groups.load("discord", "42")
        assert loaded is not None and [m.runner.id for m in loaded[1]] == [ana.id, ben.id]
        assert uow.groups.chats([group.id]) == [
            GroupChat(group.id, None, "telegram", "-1", "Track"),
            GroupChat(group.id, ref, "discord", "42", "track-chat"),
        ]
        assert uow.groups.member_chats(group.id) == {ana.id: None, ben.id: ref}
        assert uow.links.take("K7M2QX", "me", AT) is None
        assert uow.links.take("K7M2QX", "group", AT + timedelta(minutes=10)) is None
        taken = uow.links.take("K7M2QX", "group", AT + timedelta(minutes=9))
        assert taken is not None and taken.group_id == group.id
        assert uow.links.take("K7M2QX", "group", AT + timedelta(minutes=9)) is None
        uow.groups.move(group.id, "42", "43")
        assert uow.groups.find("discord", "42") is None and uow.groups.find("discord", "43") == group
        uow.groups.set_member_chat(group.id, ana.id, ref)
        uow.groups.drop_chat(ref)
        assert uow.groups.member_chats(group.id) == {ana.id: None, ben.id: None}
        uow.groups.rehome(group.id, "discord", "43", "track-chat")
        assert uow.groups.find("discord", "43") == Group(group.id, "discord", "43", "track-chat", "UTC")
        assert uow.groups.find("telegram", "-1") is None


def test_a_merge_round_trips_and_entries_move_between_runners_with_their_sets(any_store: Any) -> None:
    sets = [LoggedSet(DAY, "squat", 1, 5, 40.0)]
    with any_store.unit() as uow:
        ana, dana = new_runner(uow, "ana"), new_runner(uow, "dana")
        first = uow.logbook.add_entry(dana.id, "log", DAY, None, AT, sets)
        second = uow.logbook.add_entry(dana.id, "done", DAY, None, AT, [])
        assert uow.logbook.move_entries(dana.id, ana.id) == [first.id, second.id]
        assert [s.reps for s in uow.logbook.sets_on(ana.id, DAY)] == [5] and uow.logbook.sets_on(
            dana.id, DAY
        ) == []
        assert uow.logbook.move_entries(ana.id, dana.id, [second.id]) == [second.id]
        assert [e.id for e in uow.logbook.all_entries(dana.id)] == [second.id]
        made = Merge(
            0,
            ana.id,
            dana.id,
            AT,
            AT + timedelta(days=7),
            (first.id,),
            (Membership(3, DAY, True),),
            last="test",
            aside=((9, 4), (12, 5)),
            calendar=True,
        )
        merge_id = uow.merges.add(made)
        uow.commit()
    with any_store.unit() as uow:
        stored = uow.merges.of(dana.id)
        assert stored == replace(made, id=merge_id) == uow.merges.of(ana.id)
        assert uow.merges.of_runners([ana.id, dana.id]) == {ana.id: stored}
        uow.merges.set_route(merge_id, via="discord")
        uow.merges.set_route(merge_id, last="telegram")
        found = uow.merges.of(ana.id)
        assert found is not None and (found.via, found.last, found.route) == (
            "discord",
            "telegram",
            "discord",
        )
        uow.merges.delete(merge_id)
        assert uow.merges.of(ana.id) is None


def test_imported_sets_the_other_runner_holds_are_set_aside_put_back_and_imports_follow(
    any_store: Any,
) -> None:
    def imported(n: int) -> tuple[LoggedSet, str]:
        return LoggedSet(DAY, "squat", n, 5, 40.0 + n), f"key{n}"

    with any_store.unit() as uow:
        ana, dana = new_runner(uow, "ana"), new_runner(uow, "dana")
        record = ImportRecord(0, "strong.csv", "Strong", AT, 0, 0, None, None)
        kept_import = uow.imports.add(ana.id, record)
        uow.imports.add_workouts(ana.id, kept_import, AT, [(DAY, [imported(1), imported(2), imported(4)])])
        other_import = uow.imports.add(dana.id, record)
        uow.imports.add_workouts(
            dana.id, other_import, AT, [(DAY, [imported(1), imported(2), imported(3)]), (DAY, [imported(4)])]
        )
        uow.imports.mark_done(dana.id, other_import, AT, [DAY])
        split, whole, done = [e.id for e in uow.logbook.all_entries(dana.id)]
        before = uow.logbook.all_entries(dana.id)
        pairs = uow.imports.set_aside(dana.id, ana.id)
        held = next(h for h, o in pairs if o == split)
        assert sorted(pairs) == sorted(
            [(held, split), (whole, whole)]
        )  # the day mark goes with the split one
        assert [s.set_no for s in uow.logbook.entry(dana.id, split).sets] == [3]  # type: ignore[union-attr]
        assert [s.set_no for s in uow.logbook.entry(dana.id, held).sets] == [1, 2]  # type: ignore[union-attr]
        uow.logbook.move_entries(dana.id, ana.id, [split, done])
        assert uow.imports.follow(dana.id, ana.id) == [other_import]
        assert uow.imports.keys(ana.id) == {"key1", "key2", "key3", "key4"}
        assert uow.imports.last(ana.id).id == other_import  # type: ignore[union-attr]
        uow.logbook.move_entries(ana.id, dana.id, [split, done])
        uow.imports.put_back([(held, split)])
        assert uow.imports.follow(ana.id, dana.id) == [other_import]
        assert uow.logbook.all_entries(dana.id) == before
        assert uow.imports.last(ana.id).id == kept_import  # type: ignore[union-attr]
