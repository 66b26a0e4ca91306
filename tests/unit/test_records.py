"""Personal records: strictly heavier for the same rep count, one per entry, replayed in the order lifted."""

from __future__ import annotations

from datetime import date

from core.ledger.model import Best
from core.ledger.records import batch_bests, best_of, records, replay
from core.training.model import LoggedSet

DAY = date(2024, 5, 6)


def s(
    exercise: str, reps: int, weight: float | None, day: date = DAY, set_no: int = 1, entry: int = 1
) -> LoggedSet:
    return LoggedSet(day, exercise, set_no, reps, weight, entry)


def prs(changes: list[Best]) -> list[tuple[str, int, float]]:
    return [(b.exercise, b.reps, b.weight_kg) for b in changes if b.is_pr]


def test_a_heavier_set_at_the_same_rep_count_is_a_record() -> None:
    assert prs(batch_bests({("squat", 5): 60.0}, [s("squat", 5, 62.5)])) == [("squat", 5, 62.5)]


def test_matching_or_falling_short_of_the_best_is_not_a_record() -> None:
    assert batch_bests({("squat", 5): 60.0}, [s("squat", 5, 60.0)]) == []
    assert batch_bests({("squat", 5): 60.0}, [s("squat", 5, 55.0)]) == []


def test_a_first_lift_at_a_rep_count_starts_the_best_without_being_a_record() -> None:
    [first] = batch_bests({}, [s("squat", 5, 60.0)])
    assert (first.weight_kg, first.is_pr) == (60.0, False)


def test_rep_counts_and_exercises_are_independent() -> None:
    best = {("squat", 5): 80.0, ("squat", 8): 60.0, ("row", 5): 20.0}
    batch = [s("squat", 8, 65.0), s("squat", 5, 70.0), s("row", 5, 22.0)]
    assert prs(batch_bests(best, batch)) == [("squat", 8, 65.0), ("row", 5, 22.0)]


def test_bodyweight_sets_are_never_records() -> None:
    assert batch_bests({("push-up", 20): 0.0}, [s("push-up", 20, None)]) == []


def test_several_heavier_sets_in_one_entry_count_once_at_the_heaviest() -> None:
    batch = [s("squat", 5, 62.5, set_no=1), s("squat", 5, 65.0, set_no=2), s("squat", 5, 65.0, set_no=3)]
    assert prs(batch_bests({("squat", 5): 60.0}, batch)) == [("squat", 5, 65.0)]


def test_a_pound_conversion_hair_above_the_best_is_not_a_record() -> None:
    assert batch_bests({("squat", 5): 60.0}, [s("squat", 5, 60.0 + 1e-9)]) == []


def test_replay_follows_the_order_lifted_not_the_order_given() -> None:
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 3), date(2024, 5, 6)
    sets = [
        s("squat", 5, 70.0, d3, entry=4),
        s("squat", 5, 60.0, d1, entry=1),
        s("squat", 5, 65.0, d2, entry=2),
        s("squat", 5, 65.0, d3, entry=3),
    ]
    assert [(b.local_date, b.weight_kg) for b in records(replay({}, sets))] == [(d2, 65.0), (d3, 70.0)]


def test_two_entries_on_one_day_are_two_chances_for_a_record() -> None:
    sets = [s("squat", 5, 60.0, entry=1), s("squat", 5, 65.0, entry=2)]
    assert prs(replay({}, sets)) == [("squat", 5, 65.0)]


def test_a_late_entry_replays_between_the_days_it_sits_among() -> None:
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)
    # logged on d1 and d3 first; the d2 entry comes later (a higher entry id) but sits between them
    sets = [
        s("squat", 5, 60.0, d1, entry=1),
        s("squat", 5, 70.0, d3, entry=2),
        s("squat", 5, 80.0, d2, entry=3),
    ]
    assert [(b.local_date, b.weight_kg) for b in records(replay({}, sets))] == [(d2, 80.0)]


def test_best_of_keeps_the_heaviest_per_rep_count() -> None:
    changes = replay(
        {}, [s("squat", 5, 60.0, entry=1), s("squat", 5, 70.0, entry=2), s("squat", 8, 50.0, entry=3)]
    )
    assert best_of(changes) == {("squat", 5): 70.0, ("squat", 8): 50.0}
