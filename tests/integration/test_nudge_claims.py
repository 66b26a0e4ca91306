"""The claim by the set selects exactly the nudges the one-by-one rule chooses, worded the same.

The one-by-one pass (``by_set=False``: ``due_nudges`` for each runner) is the reference. Random
populations — zones with and without summer time around their changes, reminder times, lift
plans, pauses, unreachable and linked runners, sign-ups just before or after the slot, nudges
already recorded, days already trained, a daily cap of one or two, quiet hours on or off — are
decided both ways in transactions that are rolled back, and must leave the same outbox (what,
for whom, when, until when, and the words a sender gets) and the same next moments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select

from adapters.store.tables import nudge_schedule, outbox, runner_merges, runners, weeks
from adapters.store.unit_of_work import SqlStore
from core.nudges import outbox as delivery
from core.nudges.claims import UNWORDED, shared_plan
from core.nudges.passes import NudgePass, PassReport
from core.nudges.rules import NudgeRules
from core.nudges.schedule import LIFT, STREAK
from core.training.profile import Profile, parse_runs_text
from core.weeks import local_instant, week_start, zone
from tests.conftest import empty_store

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "UTC",
)
REMINDS = ("07:00", "07:30", "12:00", "18:00", "21:45")
PLANS = ("tue:speed,sun:long", "mon:easy,wed:speed,sat:long", "thu:speed,sat:long", "fri:speed,sun:long")
# Around the summer-time changes: Europe and Sydney on 2026-03-29/04-05, Europe and America in the autumn.
STARTS = (
    datetime(2026, 3, 27, tzinfo=UTC),
    datetime(2026, 4, 3, tzinfo=UTC),
    datetime(2026, 10, 23, tzinfo=UTC),
    datetime(2026, 10, 30, tzinfo=UTC),
    datetime(2026, 12, 1, tzinfo=UTC),
)


@dataclass(frozen=True)
class Person:
    tz: str
    remind: str
    reminders: bool
    runs: str
    sessions: int
    created_minutes_ago: int
    paused: int | None  # the pause starts this many days before today (and lasts 3 days)
    unreachable: bool
    linked: bool
    sent: frozenset[tuple[str, int]]  # (kind, day offset from the local today)
    trained: tuple[int, int]  # masks of last week and this week
    next_offset: int  # minutes of the next moment before now (negative: after)


def person(first: Person | None = None) -> st.SearchStrategy[Person]:
    def same_or(values: tuple[str, ...], mine: str) -> st.SearchStrategy[str]:
        return st.sampled_from(values if first is None else (mine, mine, *values))

    return st.builds(
        Person,
        tz=same_or(ZONES, first.tz if first else ""),
        remind=same_or(REMINDS, first.remind if first else ""),
        reminders=st.sampled_from((True, True, True, False)),
        runs=st.sampled_from(PLANS),
        sessions=st.integers(1, 3),
        created_minutes_ago=st.one_of(st.integers(-30, 240), st.integers(1, 800 * 24 * 60)),
        paused=st.one_of(st.none(), st.none(), st.integers(-2, 3)),
        unreachable=st.sampled_from((False, False, False, False, True)),
        linked=st.sampled_from((False, False, False, True)),
        sent=st.frozensets(st.tuples(st.sampled_from((LIFT, STREAK)), st.integers(-1, 0)), max_size=3),
        trained=st.tuples(st.integers(0, 127), st.integers(0, 127)),
        next_offset=st.integers(-60, 180),
    )


@st.composite
def populations(draw: Any) -> tuple[datetime, NudgeRules, list[Person]]:
    first = draw(person())
    people = [first, *draw(st.lists(person(first), min_size=0, max_size=9))]
    start = draw(st.sampled_from(STARTS))
    day = (start + timedelta(days=draw(st.integers(0, 6)))).date()
    slot = local_instant(day, time.fromisoformat(first.remind), first.tz)
    now = slot + timedelta(minutes=draw(st.integers(-20, 150)))
    rules = NudgeRules(
        quiet_start=draw(st.sampled_from((time(22, 0), None))),
        daily_cap=draw(st.sampled_from((1, 2))),
        streak_weekday=draw(st.sampled_from((5, 5, day.weekday()))),
    )
    return now, rules, people


def _seed(store: SqlStore, now: datetime, people: list[Person]) -> None:
    with store.unit() as uow:
        conn = uow.conn  # type: ignore[attr-defined]
        for i, p in enumerate(people, start=1):
            today = now.astimezone(zone(p.tz)).date()
            created = now - timedelta(minutes=p.created_minutes_ago)
            pause = (
                (today - timedelta(days=p.paused), today - timedelta(days=p.paused - 3))
                if p.paused is not None
                else (None, None)
            )
            conn.execute(
                insert(runners).values(
                    id=i,
                    platform="test",
                    user_id=f"u{i}",
                    name=f"R{i}",
                    tz=p.tz,
                    runs=p.runs,
                    equipment="gym",
                    terrain="road",
                    sessions=p.sessions,
                    remind=p.remind,
                    reminders=p.reminders,
                    units="kg",
                    playlist="",
                    configured=True,
                    unreachable=p.unreachable,
                    hidden=False,
                    created_at=created,
                    created_on=created.date(),
                    paused_from=pause[0],
                    paused_until=pause[1],
                    swaps="",
                )
            )
            conn.execute(
                insert(nudge_schedule).values(runner_id=i, next_at=now - timedelta(minutes=p.next_offset))
            )
            for kind, offset in p.sent:
                day = today + timedelta(days=offset)
                at = local_instant(day, time.fromisoformat(p.remind), p.tz)
                conn.execute(
                    insert(outbox).values(
                        recipient=f"runner:{i}",
                        local_date=day,
                        kind=kind,
                        platform="test",
                        chat_id=f"u{i}",
                        is_group=False,
                        runner_id=i,
                        title="",
                        body="earlier",
                        state="sent",
                        due_at=at,
                        expires_at=at + timedelta(hours=2),
                        attempts=1,
                        settled_at=at,
                    )
                )
            this_monday = week_start(today)
            for monday, mask in (
                (this_monday - timedelta(days=7), p.trained[0]),
                (this_monday, p.trained[1]),
            ):
                if mask:
                    conn.execute(
                        insert(weeks).values(
                            runner_id=i,
                            monday=monday,
                            mask=mask,
                            hard_mask=0,
                            target=p.sessions,
                            paused=False,
                            outcome="open",
                            current=0,
                            best=0,
                            freezes=0,
                            toward=0,
                            sessions=bin(mask).count("1"),
                            hard=0,
                        )
                    )
        for i, p in enumerate(people, start=1):
            if p.linked and i < len(people):  # this runner's account also speaks for the next one
                conn.execute(
                    insert(runner_merges).values(
                        runner_id=i,
                        other_id=i + 1,
                        merged_at=now - timedelta(days=1),
                        undo_until=now + timedelta(days=1),
                        entries="",
                        memberships="",
                        via="",
                        last="test",
                    )
                )
                break
        uow.commit()


def _moments(conn: Any) -> list[tuple[Any, ...]]:
    """Every runner's next moment, in runner order."""
    return sorted(
        tuple(r) for r in conn.execute(select(nudge_schedule.c.runner_id, nudge_schedule.c.next_at))
    )


def _decided(store: SqlStore, now: datetime, rules: NudgeRules, by_set: bool) -> tuple[Any, ...]:
    """What a pass leaves, in a transaction that is rolled back."""
    with store.unit() as uow:
        conn = uow.conn  # type: ignore[attr-defined]
        run = NudgePass(now, rules, chunk=3, by_set=by_set)  # small chunks: pages and cursors matter
        while run.step(uow):
            pass
        columns = (
            outbox.c.recipient,
            outbox.c.kind,
            outbox.c.local_date,
            outbox.c.due_at,
            outbox.c.expires_at,
            outbox.c.chat_id,
            outbox.c.state,
        )
        claimed = sorted(tuple(r) for r in conn.execute(select(*columns).where(outbox.c.state == "queued")))
        bodies = {
            r.recipient: r.body
            for r in conn.execute(select(outbox.c.recipient, outbox.c.body).where(outbox.c.state == "queued"))
        }
        moments = _moments(conn)
        batch = delivery.take(uow, None, now, 1000)
        words = sorted(
            (e.claim.recipient, e.claim.kind, e.outgoing().reply.full_text()) for e in batch.entries
        )
        report: PassReport = run.report
    return claimed, moments, words, batch.skipped, report.candidates, report.queued, bodies


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(populations())
def test_the_claim_by_the_set_chooses_what_the_rule_for_each_runner_chooses(
    engine: Engine, population: tuple[datetime, NudgeRules, list[Person]]
) -> None:
    now, rules, people = population
    store = empty_store(engine)
    _seed(store, now, people)
    one_by_one = _decided(store, now, rules, by_set=False)
    by_set = _decided(store, now, rules, by_set=True)
    assert by_set[:6] == one_by_one[:6]
    assert all(body != UNWORDED for body in one_by_one[6].values())


def test_a_shared_schedule_is_claimed_unworded_and_worded_as_the_rule_words_it(engine: Engine) -> None:
    now = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # Tuesday 18:00 in Berlin
    people = [
        Person(
            "Europe/Berlin",
            "18:00",
            True,
            "tue:speed,sun:long",
            2,
            90 * 24 * 60,
            None,
            False,
            False,
            frozenset(),
            (0, 0),
            0,
        )
        for _ in range(4)
    ]
    store = empty_store(engine)
    _seed(store, now, people)
    one_by_one = _decided(store, now, NudgeRules(), by_set=False)
    by_set = _decided(store, now, NudgeRules(), by_set=True)
    assert set(by_set[6].values()) == {UNWORDED}  # nothing decided one by one
    assert len(by_set[0]) == 4 and by_set[:6] == one_by_one[:6]
    assert by_set[2][0][2].startswith("Speed day: lift after your run — ")


def test_a_weekend_streak_check_is_left_to_the_rule_for_each_runner() -> None:
    profile = Profile(tz="Europe/Berlin", runs=parse_runs_text("tue:speed,sat:long"), remind=time(18, 0))
    saturday = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert shared_plan(profile, saturday) is None
    plan = shared_plan(profile, saturday - timedelta(days=4))
    assert plan is not None and [s.local_date for s in plan.slots] == [date(2026, 12, 1)]


def _committed(store: SqlStore, now: datetime, rules: NudgeRules, workers: int) -> tuple[Any, ...]:
    """What a committed pass leaves when ``workers`` units of work claim the shared pages at once."""
    run = NudgePass(now, rules, chunk=3)  # small pages: several are read while others are claimed
    run.claim_shared(store, workers)
    more = True
    while more:
        with store.unit() as uow:
            more = run.step(uow)
            uow.commit()
    with store.unit() as uow:
        conn = uow.conn  # type: ignore[attr-defined]
        queued = sorted(
            tuple(r)
            for r in conn.execute(
                select(outbox.c.recipient, outbox.c.kind, outbox.c.local_date, outbox.c.due_at).where(
                    outbox.c.state == "queued"
                )
            )
        )
        moments = _moments(conn)
    return queued, moments, run.report.candidates, run.report.queued, dict(run.report.kinds)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(populations())
def test_claiming_pages_on_two_workers_leaves_what_one_at_a_time_leaves(
    engine: Engine, population: tuple[datetime, NudgeRules, list[Person]]
) -> None:
    now, rules, people = population
    store = empty_store(engine)
    _seed(store, now, people)
    alone = _committed(store, now, rules, workers=1)
    store = empty_store(engine)
    _seed(store, now, people)
    assert _committed(store, now, rules, workers=2) == alone
