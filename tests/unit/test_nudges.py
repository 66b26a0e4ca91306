"""When nudges are due: local times around the world, DST, quiet hours, late window, pause, caps."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.nudges.rules import NudgeRules
from core.nudges.schedule import (
    LIFT,
    STREAK,
    NudgeHistory,
    due_nudges,
    next_due,
    recap_possible,
    recap_zones,
)
from core.training.model import Pause, Runner
from core.training.profile import DEFAULT_REMIND, Profile
from core.weeks import local_instant

# Tuesday 1 December 2026 is a speed day in the default plan (tue:speed, sun:long).
TUESDAY = date(2026, 12, 1)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def runner(tz: str = "UTC", remind: time | None = time(18, 0), **profile: object) -> Runner:
    at = remind if remind is not None else DEFAULT_REMIND
    return Runner(
        id=1,
        platform="test",
        user_id="ana",
        name="Ana",
        profile=Profile(tz=tz, remind=at, reminders=remind is not None, **profile),  # type: ignore[arg-type]
        created_at=LONG_AGO,
    )


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def kinds(r: Runner, now: datetime, history: NudgeHistory | None = None, **rules: object) -> list[str]:
    found = due_nudges(r, now, history or NudgeHistory(), NudgeRules(**rules))  # type: ignore[arg-type]
    return [n.kind for n in found]


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Pacific/Kiritimati", utc(2026, 12, 1, 4, 0)),  # UTC+14
        ("Asia/Kathmandu", utc(2026, 12, 1, 12, 15)),  # UTC+5:45
        ("Europe/Berlin", utc(2026, 12, 1, 17, 0)),
        ("America/St_Johns", utc(2026, 12, 1, 21, 30)),  # UTC-3:30
        ("Pacific/Pago_Pago", utc(2026, 12, 2, 5, 0)),  # UTC-11
    ],
)
def test_the_lift_day_nudge_is_at_six_in_the_runners_own_time_zone(tz: str, expected: datetime) -> None:
    assert next_due(runner(tz), utc(2026, 11, 30, 12, 0)) == expected
    assert kinds(runner(tz), expected) == [LIFT]
    assert kinds(runner(tz), expected - timedelta(minutes=1)) == []


def test_st_johns_summer_time_moves_the_utc_instant_by_an_hour() -> None:
    # 7 July 2026 is a Tuesday; Newfoundland daylight time is UTC-2:30.
    assert next_due(runner("America/St_Johns"), utc(2026, 7, 6, 0, 0)) == utc(2026, 7, 7, 20, 30)


@pytest.mark.parametrize(
    ("tz", "day", "wall", "expected_utc", "expected_local"),
    [
        # Spring forward: 02:00 → 03:00, so 02:30 does not exist; the first valid minute is 03:00.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 0), time(3, 0)),
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 0), time(3, 0)),
        # Fall back: the hour repeats; a time in it means its first occurrence.
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), time(2, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), time(1, 30)),
        # Lord Howe moves by half an hour.
        ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 30), time(2, 30)),
    ],
)
def test_wall_times_across_daylight_saving_transitions(
    tz: str, day: date, wall: time, expected_utc: datetime, expected_local: time
) -> None:
    instant = local_instant(day, wall, tz)
    assert instant == expected_utc
    assert instant.astimezone(ZoneInfo(tz)).time() == expected_local


def test_six_pm_on_both_dst_sundays_follows_the_new_offset() -> None:
    berlin = runner("Europe/Berlin")  # Sunday is a long-run lift day
    assert next_due(berlin, utc(2026, 3, 28, 18, 0)) == utc(2026, 3, 29, 16, 0)
    assert next_due(berlin, utc(2026, 10, 24, 18, 0)) == utc(2026, 10, 25, 17, 0)
    new_york = runner("America/New_York")
    assert next_due(new_york, utc(2026, 3, 7, 23, 30)) == utc(2026, 3, 8, 22, 0)
    assert next_due(new_york, utc(2026, 10, 31, 23, 30)) == utc(2026, 11, 1, 23, 0)


def test_a_remind_time_in_the_skipped_hour_fires_once_at_the_next_valid_minute() -> None:
    # Quiet hours would hold a 02:30 reminder anyway; relax them to pin the DST rule alone.
    r = runner("Europe/Berlin", remind=time(2, 30))  # 29 March 2026 is a Sunday: long-run lift day
    fired = [
        at
        for at in (utc(2026, 3, 28, 23, 0) + timedelta(minutes=m) for m in range(0, 240))
        if kinds(r, at, quiet_start=None, late_window=timedelta(minutes=1))
    ]
    assert fired == [utc(2026, 3, 29, 1, 0)]


def test_a_remind_time_in_the_repeated_hour_is_due_once() -> None:
    r = runner("America/New_York", remind=time(1, 30))  # 1 November 2026: Sunday, clocks fall back
    sent: set[tuple[str, date]] = set()
    moments = []
    for minute in range(0, 300):
        at = utc(2026, 11, 1, 4, 0) + timedelta(minutes=minute)
        for nudge in due_nudges(r, at, NudgeHistory(sent=frozenset(sent)), NudgeRules(quiet_start=None)):
            sent.add((nudge.kind, nudge.local_date))
            moments.append(at)
    assert moments == [utc(2026, 11, 1, 5, 30)]
    assert next_due(r, utc(2026, 11, 1, 5, 30)) == utc(2026, 11, 3, 6, 30)  # Tuesday, EST


def test_quiet_hours_hold_every_nudge() -> None:
    late = runner("Europe/Berlin", remind=time(21, 30))
    assert kinds(late, utc(2026, 12, 1, 20, 30)) == [LIFT]  # 21:30 Berlin
    assert kinds(late, utc(2026, 12, 1, 21, 5)) == []  # 22:05 Berlin: 35 min late but quiet
    early = runner("Europe/Berlin", remind=time(6, 30))
    assert kinds(early, utc(2026, 12, 1, 5, 30)) == []  # 06:30 Berlin


def test_a_nudge_less_than_two_hours_late_is_sent_and_a_later_one_dropped() -> None:
    r = runner("Europe/Berlin")
    assert kinds(r, utc(2026, 12, 1, 18, 59)) == [LIFT]
    assert kinds(r, utc(2026, 12, 1, 19, 0)) == []


def test_nothing_while_paused_and_the_next_moment_is_after_the_pause() -> None:
    r = runner()
    paused = Runner(**{**r.__dict__, "pause": Pause(date(2026, 11, 30), date(2026, 12, 14))})
    assert kinds(paused, utc(2026, 12, 1, 18, 0)) == []
    assert next_due(paused, utc(2026, 11, 30, 12, 0)) == utc(2026, 12, 15, 18, 0)


def test_nothing_after_remind_off_or_to_an_unreachable_runner() -> None:
    assert kinds(runner(remind=None), utc(2026, 12, 1, 18, 0)) == []
    assert next_due(runner(remind=None), utc(2026, 12, 1, 12, 0)) is None
    gone = Runner(**{**runner().__dict__, "unreachable": True})
    assert kinds(gone, utc(2026, 12, 1, 18, 0)) == []
    assert next_due(gone, utc(2026, 12, 1, 12, 0)) is None


def test_no_lift_nudge_once_the_session_is_done_or_already_sent() -> None:
    at = utc(2026, 12, 1, 18, 30)
    assert kinds(runner(), at, NudgeHistory(done=frozenset({TUESDAY}))) == []
    assert kinds(runner(), at, NudgeHistory(sent=frozenset({(LIFT, TUESDAY)}))) == []


def test_at_most_two_nudges_a_person_a_day() -> None:
    at = utc(2026, 12, 1, 18, 0)
    assert kinds(runner(), at, NudgeHistory(sent_per_day={TUESDAY: 1})) == [LIFT]
    assert kinds(runner(), at, NudgeHistory(sent_per_day={TUESDAY: 2})) == []
    assert kinds(runner(), at, NudgeHistory(sent_per_day={TUESDAY: 1}), daily_cap=1) == []


def test_no_nudge_on_rest_days() -> None:
    for day in range(2, 5):  # Wednesday to Friday
        at = utc(2026, 12, day, 18, 0)
        assert kinds(runner(), at) == []


SATURDAY = date(2026, 12, 5)
SATURDAY_SIX = utc(2026, 12, 5, 18, 0)


def test_the_streak_nudge_comes_saturday_when_one_session_is_still_needed() -> None:
    done_tuesday = NudgeHistory(done=frozenset({TUESDAY}))
    [nudge] = due_nudges(runner(), SATURDAY_SIX, done_tuesday)
    assert nudge.kind == STREAK and nudge.local_date == SATURDAY
    assert "one more session" in nudge.text


def test_no_streak_nudge_when_the_target_is_met_or_out_of_reach_by_the_rules() -> None:
    met = NudgeHistory(done=frozenset({TUESDAY, date(2026, 12, 3)}))
    assert kinds(runner(), SATURDAY_SIX, met) == []
    # Three sessions wanted, none done, two days left: out of reach, so no nagging.
    assert kinds(runner(sessions=3), SATURDAY_SIX) == []
    # Two wanted, none done: Saturday and Sunday would be lifts on back-to-back days, which the
    # placement rules never suggest — no rescue to offer.
    assert kinds(runner(), SATURDAY_SIX) == []


def test_the_weekend_rescue_names_the_day_the_placement_rules_allow() -> None:
    # Tuesday's lift missed, Thursday lifted instead of it: one more on Sunday after the long run.
    one_done = NudgeHistory(done=frozenset({date(2026, 12, 3)}))
    [nudge] = due_nudges(runner(), SATURDAY_SIX, one_done)
    assert nudge.kind == STREAK
    assert "one more session makes 2" in nudge.text
    assert "room for it on Sunday:" in nudge.text
    # Lifts on Tuesday and Thursday; Thursday's was missed: Saturday itself is free to make it up.
    thursday_missed = runner(runs={1: "speed", 3: "long"})
    [nudge] = due_nudges(thursday_missed, SATURDAY_SIX, NudgeHistory(done=frozenset({TUESDAY})))
    assert "room for it today:" in nudge.text


def test_on_a_saturday_lift_day_the_lift_nudge_carries_the_stakes_alone() -> None:
    r = runner(runs={5: "long", 2: "speed"})
    [nudge] = due_nudges(r, SATURDAY_SIX, NudgeHistory(done=frozenset({date(2026, 12, 2)})))
    assert nudge.kind == LIFT
    assert nudge.text.startswith("Long-run day: lift after your run — 5 moves")
    assert "last one you need this week" in nudge.text


def test_the_lift_nudge_names_the_run_size_length_and_playlist() -> None:
    r = runner(playlist="https://example.com/mix")
    [nudge] = due_nudges(r, utc(2026, 12, 1, 18, 0), NudgeHistory())
    first, second = nudge.text.splitlines()
    assert first.startswith("Speed day: lift after your run — 5 moves, ~")
    assert first.endswith(" min. /today")
    assert second == "Your playlist: https://example.com/mix"


def test_a_runner_who_joined_after_the_moment_gets_no_retroactive_nudge() -> None:
    fresh = Runner(**{**runner().__dict__, "created_at": utc(2026, 12, 1, 18, 30)})
    assert kinds(fresh, utc(2026, 12, 1, 18, 31)) == []
    assert next_due(fresh, utc(2026, 12, 1, 18, 31)) == utc(2026, 12, 5, 18, 0)


def test_the_group_recap_is_due_sunday_seven_pm_local_for_two_hours() -> None:
    # 29 March 2026: Berlin springs forward that morning, so 19:00 is 17:00 UTC.
    assert "Europe/Berlin" not in recap_zones(utc(2026, 3, 29, 16, 59))
    assert recap_zones(utc(2026, 3, 29, 17, 0))["Europe/Berlin"] == date(2026, 3, 29)
    assert "Europe/Berlin" in recap_zones(utc(2026, 3, 29, 18, 59))
    assert "Europe/Berlin" not in recap_zones(utc(2026, 3, 29, 19, 0))
    # 1 November 2026: New York falls back, so 19:00 EST is midnight UTC (already Monday in UTC).
    assert "America/New_York" not in recap_zones(utc(2026, 11, 1, 23, 0))
    assert recap_zones(utc(2026, 11, 2, 0, 0))["America/New_York"] == date(2026, 11, 1)
    # Kiritimati's Sunday evening is Sunday morning in UTC.
    assert recap_zones(utc(2026, 11, 29, 5, 0))["Pacific/Kiritimati"] == date(2026, 11, 29)
    assert "Asia/Kathmandu" in recap_zones(utc(2026, 11, 29, 13, 15))


def test_outside_sunday_evening_somewhere_on_earth_no_zone_is_even_looked_at() -> None:
    assert not recap_possible(utc(2026, 12, 2, 18, 0))  # a Wednesday
    assert not recap_possible(utc(2026, 11, 29, 4, 59))
    assert recap_possible(utc(2026, 11, 29, 5, 0))  # 19:00 in Kiritimati (UTC+14)
    assert recap_possible(utc(2026, 11, 30, 8, 59))  # 20:59 at UTC-12
    assert not recap_possible(utc(2026, 11, 30, 9, 0))
    assert recap_zones(utc(2026, 11, 30, 8, 59)) == {"Etc/GMT+12": date(2026, 11, 29)}


def test_recap_zones_only_considers_the_zones_in_use() -> None:
    at = utc(2026, 12, 6, 18, 30)
    assert recap_zones(at, ["Europe/Berlin", "Asia/Tokyo", "Not/AZone"]) == {
        "Europe/Berlin": date(2026, 12, 6)
    }


@given(
    st.sampled_from(["gym", "home", "home+bar", "bodyweight", "bodyweight+bar"]),
    st.sampled_from(["road", "trail", "hilly"]),
    st.integers(2, 4),
    st.integers(0, 400),
    st.integers(-3, 3),
    st.integers(0, 2),
)
def test_lift_texts_with_equal_keys_read_alike(
    equipment: str, terrain: str, sessions: int, weeks: int, cycles: int, needed: int
) -> None:
    """The pass words a nudge once per key: runners whose keys match must get the same words."""
    from core.nudges.schedule import lift_text, lift_text_key
    from core.training.sessions import CYCLE_WEEKS

    profile = Profile(equipment=equipment, terrain=terrain, sessions=sessions)  # type: ignore[arg-type]
    day = TUESDAY + timedelta(weeks=weeks)
    first = Runner(1, "test", "a", "A", profile, created_at=LONG_AGO)
    later = replace(first, created_at=LONG_AGO + timedelta(weeks=cycles * CYCLE_WEEKS))
    assert lift_text_key(first, day, needed) == lift_text_key(later, day, needed)
    assert lift_text(first, day, needed) == lift_text(later, day, needed)


@pytest.mark.parametrize("shard", [(4, 4), (-1, 4), (0, 0), (5, 2)])
def test_a_pass_shard_is_an_index_below_its_count(shard: tuple[int, int]) -> None:
    from core.nudges.passes import NudgePass

    with pytest.raises(ValueError, match="a shard is \\(index, count\\) with 0 <= index < count"):
        NudgePass(utc(2026, 12, 1, 18), shard=shard)
    assert NudgePass(utc(2026, 12, 1, 18), shard=(shard[1] - 1, shard[1]) if shard[1] > 0 else None)
