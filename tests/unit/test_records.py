"""Personal records: strictly heavier for the same rep count, announced once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from core.model import LoggedSet, Record
from core.records import best_by_reps, new_records, record_history

DAY = date(2024, 5, 6)


def s(exercise: str, reps: int, weight: float | None, day: date = DAY, set_no: int = 1) -> LoggedSet:
    return LoggedSet(day, exercise, set_no, reps, weight)


def lookup(table: dict[tuple[str, int], float]) -> Callable[[str, int], float | None]:
    return lambda exercise, reps: table.get((exercise, reps))


def test_a_heavier_set_at_the_same_rep_count_is_a_record() -> None:
    records = new_records([s("squat", 5, 62.5)], lookup({("squat", 5): 60.0}))
    assert records == [Record("squat", 5, 62.5, DAY)]


def test_matching_the_previous_best_is_not_a_record() -> None:
    assert new_records([s("squat", 5, 60.0)], lookup({("squat", 5): 60.0})) == []


def test_a_lighter_set_is_not_a_record() -> None:
    assert new_records([s("squat", 5, 55.0)], lookup({("squat", 5): 60.0})) == []


def test_a_first_lift_at_a_rep_count_is_not_a_record() -> None:
    assert new_records([s("squat", 5, 60.0)], lookup({})) == []


def test_rep_counts_are_independent() -> None:
    best = {("squat", 5): 80.0, ("squat", 8): 60.0}
    records = new_records([s("squat", 8, 65.0), s("squat", 5, 70.0)], lookup(best))
    assert records == [Record("squat", 8, 65.0, DAY)]


def test_exercises_are_independent() -> None:
    best = {("squat", 5): 80.0, ("row", 5): 20.0}
    records = new_records([s("squat", 5, 70.0), s("row", 5, 22.0)], lookup(best))
    assert records == [Record("row", 5, 22.0, DAY)]


def test_bodyweight_sets_are_never_records() -> None:
    assert new_records([s("push-up", 20, None)], lookup({("push-up", 20): 0.0})) == []


def test_several_heavier_sets_in_one_batch_count_once_at_the_heaviest() -> None:
    batch = [s("squat", 5, 62.5, set_no=1), s("squat", 5, 65.0, set_no=2), s("squat", 5, 65.0, set_no=3)]
    records = new_records(batch, lookup({("squat", 5): 60.0}))
    assert records == [Record("squat", 5, 65.0, DAY)]


def test_a_pound_conversion_hair_above_the_best_is_not_a_record() -> None:
    assert new_records([s("squat", 5, 60.0 + 1e-9)], lookup({("squat", 5): 60.0})) == []


def test_best_by_reps_keeps_the_heaviest_weighted_set() -> None:
    sets = [s("squat", 5, 60.0), s("squat", 5, 70.0), s("squat", 8, 50.0), s("push-up", 10, None)]
    assert best_by_reps(sets) == {("squat", 5): 70.0, ("squat", 8): 50.0}


def test_record_history_replays_day_by_day() -> None:
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 3), date(2024, 5, 6)
    sets = [
        s("squat", 5, 70.0, d3),
        s("squat", 5, 60.0, d1),
        s("squat", 5, 65.0, d2),
        s("squat", 5, 65.0, d3),
    ]
    assert record_history(sets) == [Record("squat", 5, 65.0, d2), Record("squat", 5, 70.0, d3)]
