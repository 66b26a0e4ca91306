"""The planning API end to end: a runner's week, today's session and loads from the logbook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.training.model import LoggedSet
from core.training.placement import next_lift_day, plan_week
from core.training.profile import Profile
from core.training.sessions import Prescription, Session, session_for

CYCLE = date(2024, 1, 1)  # Monday of week 0; the default profile lifts Tuesday and Sunday


class FakeLogbook:
    """Logged sets kept in a list; answers with the last day of the last-logged of some variants."""

    def __init__(self, *entries: LoggedSet) -> None:
        self.entries = list(entries)

    def last_sets(self, keys: Sequence[str]) -> Sequence[LoggedSet]:
        mine = [s for s in self.entries if s.exercise in keys]
        if not mine:
            return []
        last = max(mine, key=lambda s: s.local_date)
        return [s for s in mine if (s.local_date, s.exercise) == (last.local_date, last.exercise)]


def logged(day: date, key: str, *reps: int, kg: float | None) -> list[LoggedSet]:
    return [
        LoggedSet(day, key, i + 1, r, kg, unit="kg" if kg is not None else None) for i, r in enumerate(reps)
    ]


def item(session: Session | None, movement: str) -> Prescription:
    assert session is not None
    return next(p for p in session.items if p.movement == movement)


def test_a_rest_day_has_no_session_and_points_to_the_next_lift_day() -> None:
    monday = date(2024, 1, 8)
    assert session_for(Profile(), monday, CYCLE, FakeLogbook().last_sets) is None
    assert next_lift_day(Profile(), monday) == date(2024, 1, 9)


def test_a_session_pairs_with_the_run_of_its_day() -> None:
    session = session_for(Profile(), date(2024, 1, 7), CYCLE, FakeLogbook().last_sets)
    assert session is not None
    assert (session.run, session.week_index, session.light) == ("long", 0, False)
    assert [p.day for p in plan_week(Profile(), CYCLE) if p.lift] == [date(2024, 1, 2), date(2024, 1, 7)]


def test_the_first_session_gives_no_numbers_yet() -> None:
    session = session_for(Profile(), date(2024, 1, 2), CYCLE, FakeLogbook().last_sets)
    assert session is not None
    assert all(p.load is None for p in session.items)
    assert item(session, "squat").note.startswith("first time")


def test_a_completed_squat_session_moves_the_load_up_for_the_new_rep_target() -> None:
    # Week 0 was 3x10 at 40 kg, all done; week 1 asks 4x8.
    book = FakeLogbook(*logged(date(2024, 1, 2), "barbell-back-squat", 10, 10, 10, kg=40))
    squat = item(session_for(Profile(), date(2024, 1, 9), CYCLE, book.last_sets), "squat")
    assert (squat.sets, squat.reps) == (4, 8)
    assert squat.load == 45
    assert "all 30 reps done" in squat.note


def test_the_rep_target_of_the_logged_day_is_recomputed_from_its_date() -> None:
    # 8,8,8 in a 3x10 week is a miss, even though every set matches the first one.
    book = FakeLogbook(*logged(date(2024, 1, 2), "barbell-back-squat", 8, 8, 8, kg=40))
    squat = item(session_for(Profile(), date(2024, 1, 30), CYCLE, book.last_sets), "squat")
    assert (squat.sets, squat.reps) == (3, 10)
    assert squat.load == 40
    assert "missed reps" in squat.note


def test_only_the_most_recent_logged_day_counts() -> None:
    book = FakeLogbook(
        *logged(date(2024, 1, 2), "barbell-back-squat", 10, 10, 10, kg=60),
        *logged(date(2024, 1, 16), "barbell-back-squat", 5, 5, 5, 5, 5, kg=50),
    )
    # Week 2's 5x5 at 50 kg was all done; week 4 is 3x10 again → converted from 52.5 kg x5.
    squat = item(session_for(Profile(), date(2024, 1, 30), CYCLE, book.last_sets), "squat")
    assert squat.load == 45


def test_the_light_week_lightens_the_suggested_load() -> None:
    book = FakeLogbook(*logged(date(2024, 1, 16), "barbell-back-squat", 5, 5, 5, 5, 5, kg=100))
    session = session_for(Profile(), date(2024, 1, 23), CYCLE, book.last_sets)
    assert session is not None and session.light
    squat = item(session, "squat")
    # 102.5 kg x5 ≈ 94.9 kg x8; about 90% of that
    assert squat.load == 85
    assert "lighter" in squat.note


def test_after_the_light_week_the_load_returns_to_where_it_was() -> None:
    book = FakeLogbook(*logged(date(2024, 1, 23), "barbell-back-squat", 8, 8, 8, kg=85))
    squat = item(session_for(Profile(), date(2024, 1, 30), CYCLE, book.last_sets), "squat")
    assert squat.load is not None and squat.load > 85
    assert "back from the lighter week" in squat.note


def test_bodyweight_runners_get_rep_targets_instead_of_loads() -> None:
    profile = Profile(equipment="bodyweight")
    book = FakeLogbook(*logged(date(2024, 1, 2), "bodyweight-squat", 14, 14, 14, kg=None))
    session = session_for(profile, date(2024, 1, 30), CYCLE, book.last_sets)
    assert session is not None
    assert all(p.load is None for p in session.items)
    squat = item(session, "squat")
    assert (squat.exercise, squat.sets, squat.reps) == ("bodyweight-squat", 3, 16)
    assert "all sets at 14 last time: 16 a set" in squat.note


def test_the_issues_bodyweight_5x5_contradiction_is_gone() -> None:
    # 5x5 of bodyweight squats was prescribed with "add a rep or two": now the range decides, then the rung.
    profile = Profile(equipment="bodyweight")
    book = FakeLogbook(*logged(date(2024, 1, 2), "bodyweight-squat", 20, 20, 20, kg=None))
    squat = item(session_for(profile, date(2024, 1, 16), CYCLE, book.last_sets), "squat")
    assert (squat.exercise, squat.sets, squat.reps) == ("split-squat", 3, 8)
    assert "on to the split squat" in squat.note


def test_a_variant_progresses_on_its_own_history_not_the_movements() -> None:
    # The issue: a 40 lb goblet squat after a 95 lb barbell squat made the barbell prescription 44.1 lb.
    book = FakeLogbook(
        *logged(date(2024, 1, 2), "barbell-back-squat", 10, 10, 10, kg=95 / 2.2046226218),
        *logged(date(2024, 1, 4), "goblet-squat", 10, 10, 10, kg=40 / 2.2046226218),
    )
    squat = item(session_for(Profile(units="lb"), date(2024, 1, 16), CYCLE, book.last_sets), "squat")
    assert squat.exercise == "barbell-back-squat" and squat.unit == "lb"
    assert squat.load is not None and squat.load >= 95 and squat.load % 5 == 0
