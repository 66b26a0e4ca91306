"""The plan follows the calendar: lifts after its speed and long runs, moved when the runs move, none
in a race taper or on the coach's strength day, lighter race weeks, and runs= where it is silent."""

from __future__ import annotations

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.calendar.keywords import KINDS
from core.calendar.plan import CalendarPlan, PlannedRun, decode, encode
from core.calendar.taper import taper_of
from core.nudges.schedule import slots_on
from core.nudges.texts import lift_day
from core.training.model import Runner
from core.training.placement import lift_days, plan_week, run_on, week_target
from core.training.profile import Profile
from core.training.sessions import session_for
from core.weeks import week_start, zone

MONDAY = date(2026, 11, 30)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def calendar(*runs: PlannedRun, weeks: int = 4) -> CalendarPlan:
    return CalendarPlan(tuple(runs), frozenset(MONDAY + timedelta(weeks=w) for w in range(weeks)))


def profile(plan: CalendarPlan | None, sessions: int = 2, **kw: object) -> Profile:
    return Profile(runs={1: "speed", 6: "long"}, sessions=sessions, calendar=plan, **kw)  # type: ignore[arg-type]


WEEK = (
    PlannedRun(day(1), "speed", "Intervals · 6 x 800m", time(8, 0)),
    PlannedRun(day(3), "easy", "Easy Run · 6km", time(7, 45)),
    PlannedRun(day(6), "long", "Long Run · 20km", time(11, 0)),
)


def test_lifts_go_after_the_calendars_speed_and_long_runs() -> None:
    p = profile(calendar(*WEEK))
    assert lift_days(p, MONDAY) == [day(1), day(6)]
    assert [(d.day, d.run, d.lift) for d in plan_week(p, MONDAY) if d.run] == [
        (day(1), "speed", True),
        (day(3), "easy", False),
        (day(6), "long", True),
    ]


def test_when_the_coach_moves_the_long_run_the_lift_moves_with_it() -> None:
    moved = (*WEEK[:2], PlannedRun(day(5), "long", "Long Run · 20km", time(10, 30)))
    assert lift_days(profile(calendar(*moved)), MONDAY) == [day(1), day(5)]


def test_a_week_the_calendar_does_not_cover_follows_runs() -> None:
    p = profile(calendar(*WEEK, weeks=1))
    next_monday = MONDAY + timedelta(weeks=1)
    assert lift_days(p, next_monday) == [next_monday + timedelta(days=1), next_monday + timedelta(days=6)]
    assert run_on(p, next_monday + timedelta(days=3)) is None  # runs= has no Thursday run


def test_a_covered_week_without_sessions_is_rest_and_still_has_its_lifts() -> None:
    p = profile(calendar(*WEEK))
    assert len(lift_days(p, MONDAY + timedelta(weeks=2))) == 2


def test_the_coachs_own_strength_day_gets_no_second_session() -> None:
    plan = calendar(
        PlannedRun(day(1), "speed", "Threshold"),
        PlannedRun(day(1), "strength", "Strength: Core"),
        PlannedRun(day(6), "long", "Long"),
    )
    assert day(1) not in lift_days(profile(plan), MONDAY)
    assert len(lift_days(profile(plan), MONDAY)) == 2


def test_an_unclassified_event_counts_as_an_easy_run() -> None:
    plan = calendar(PlannedRun(day(2), "run?", "Zahnarzt"), *WEEK)
    assert run_on(profile(plan), day(2)) == "easy"


def test_a_half_marathon_taper_two_days_before_none_on_race_day_mobility_after() -> None:
    race = PlannedRun(day(13), "race", "Race Day: Half Marathon", time(11, 0), 21.1)
    taper = taper_of(calendar(race))
    assert taper.no_lift == {day(11), day(12), day(13)}
    assert taper.mobility == {day(14), day(15)}
    assert taper.race_weeks == {MONDAY + timedelta(weeks=1)}


def test_a_marathon_tapers_four_days() -> None:
    race = PlannedRun(day(13), "race", "Maratón de Valencia", None, 42.2)
    assert taper_of(calendar(race)).no_lift == {day(9), day(10), day(11), day(12), day(13)}


def test_a_race_week_lifts_only_outside_the_taper_and_its_target_is_what_the_taper_leaves() -> None:
    # Marathon on Thursday: Sunday before to Thursday free of lifts, Friday and Saturday mobility.
    plan = calendar(
        PlannedRun(day(8), "speed", "Intervals"),
        PlannedRun(day(10), "race", "Marathon", None, 42.2),
        PlannedRun(day(13), "easy", "Easy run"),
    )
    p = profile(plan, sessions=3)
    next_monday = MONDAY + timedelta(weeks=1)
    assert lift_days(p, next_monday) == [day(13)]
    assert week_target(p, next_monday) == 1
    assert day(6) not in lift_days(p, MONDAY)  # the Sunday before is in the taper too
    assert week_target(profile(calendar(*WEEK)), MONDAY) == 2


def test_race_week_sessions_are_lighter_and_name_why() -> None:
    plan = calendar(
        PlannedRun(day(8), "speed", "Intervals · 5 x 1km"), PlannedRun(day(13), "race", "Half", None, 21.1)
    )
    session = session_for(profile(plan), day(8), MONDAY)
    assert session is not None and session.light and session.lighter == "race week"
    assert session.run_title == "Intervals · 5 x 1km"
    normal = session_for(profile(calendar(*WEEK)), day(1), MONDAY)
    assert normal is not None and normal.lighter == ""


def test_the_lift_day_nudge_names_the_workout() -> None:
    session = session_for(profile(calendar(*WEEK)), day(1), MONDAY)
    assert session is not None
    assert lift_day(session, "").startswith("Intervals · 6 x 800m today: lift after your session")
    plain = session_for(profile(None), day(1), MONDAY)
    assert plain is not None and lift_day(plain, "").startswith("Speed day: lift after your run")


def test_the_nudge_comes_an_hour_after_a_timed_run_or_at_the_reminder_whichever_is_later() -> None:
    plan = calendar(
        PlannedRun(day(1), "speed", "Intervals", time(18, 30)),  # ends after the 18:00 reminder
        PlannedRun(day(6), "long", "Long", time(11, 0)),  # ends long before it
        PlannedRun(day(8), "speed", "Late track", time(21, 30)),  # an hour later is quiet hours
    )
    runner = Runner(1, "test", "ana", "Ana", profile(plan, tz="Europe/Berlin"))
    at = {d: [s.at for s in slots_on(runner, d) if s.kind == "lift"] for d in (day(1), day(6), day(8))}
    assert at[day(1)][0].astimezone(zone("Europe/Berlin")).time() == time(19, 30)
    assert at[day(6)][0].astimezone(zone("Europe/Berlin")).time() == time(18, 0)
    assert at[day(8)][0].astimezone(zone("Europe/Berlin")).time() == time(18, 0)


runs = st.builds(
    PlannedRun,
    st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    st.sampled_from(KINDS),
    st.text(min_size=1, max_size=60),
    st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    st.one_of(st.none(), st.sampled_from([5.0, 10.0, 21.1, 42.2])),
)


@given(st.lists(runs, max_size=20))
def test_a_plan_survives_its_stored_text(found: list[PlannedRun]) -> None:
    plan = CalendarPlan(tuple(found), frozenset(week_start(r.day) for r in found))
    assert decode(encode(plan)) == plan
