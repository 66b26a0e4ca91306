"""The store sums a runner's sets up per exercise and day exactly as ``core.progress.series.day_bests``
does with the sets themselves (random sets: weights and bodyweight, holds, ties at the top weight,
warm-ups, several exercises and days, another runner's sets alongside)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert

from adapters.store.tables import entries, runners, set_logs
from core.progress.series import day_bests, progress_series, series_of_days
from tests.conftest import empty_store

DAY = date(2026, 11, 2)
AT = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
EXERCISES = ("barbell-back-squat", "push-up", "side-plank")


@st.composite
def a_set(draw: st.DrawFn) -> dict[str, object]:
    hold = draw(st.booleans())
    return {
        "exercise": draw(st.sampled_from(EXERCISES)),
        "day": draw(st.integers(0, 3)),
        "reps": 1 if hold else draw(st.integers(1, 12)),
        "weight_kg": draw(st.one_of(st.none(), st.sampled_from((20.0, 42.5, 60.0, 60.0)))),
        "seconds": draw(st.integers(10, 90)) if hold else None,
        "warmup": draw(st.booleans()),
        "runner": draw(st.sampled_from((1, 1, 1, 2))),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sets=st.lists(a_set(), max_size=25), asked=st.sets(st.sampled_from(EXERCISES)))
def test_the_store_sums_up_days_as_the_core_does(
    engine: Engine, sets: list[dict[str, object]], asked: set[str]
) -> None:
    store = empty_store(engine)
    with store.unit() as uow:
        conn = uow.conn  # type: ignore[attr-defined]
        for rid in (1, 2):
            conn.execute(
                insert(runners).values(
                    id=rid, platform="test", user_id=str(rid), name="R", tz="UTC", runs="", equipment="gym",
                    terrain="road", sessions=2, remind="18:00", reminders=True, units="kg", playlist="",
                    configured=True, unreachable=False, hidden=False, created_at=AT, created_on=DAY, swaps="",
                )
            )  # fmt: skip
            conn.execute(
                insert(entries).values(id=rid, runner_id=rid, kind="log", local_date=DAY, logged_at=AT)
            )
        for n, s in enumerate(sets, start=1):
            conn.execute(
                insert(set_logs).values(
                    entry_id=s["runner"], runner_id=s["runner"], local_date=DAY + timedelta(days=int(s["day"])),  # type: ignore[call-overload]
                    exercise=s["exercise"], set_no=n, reps=s["reps"], weight_kg=s["weight_kg"], unit="kg",
                    seconds=s["seconds"], warmup=s["warmup"],
                )
            )  # fmt: skip
        stored = uow.logbook.day_bests(1, sorted(asked))
        mine = [x for k in sorted(asked) for x in uow.logbook.exercise_sets(1, k)]
        assert stored == day_bests(mine)
        for exercise in asked:
            sets_of = [x for x in mine if x.exercise == exercise]
            days_of = [d for d in stored if d.exercise == exercise]
            assert series_of_days(days_of) == progress_series(sets_of)
