"""/setup key=value and /remind: each key, the errors, quiet hours and the round trip."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing.errors import ParseError
from core.parsing.setup import SetupChanges, format_setup, in_quiet_hours, parse_remind, parse_setup
from core.training.profile import DAY_NAMES, EQUIPMENT, RUN_TYPES, TERRAIN, UNITS


def changes(text: str) -> SetupChanges:
    result = parse_setup(text)
    assert isinstance(result, SetupChanges), result
    return result


def error(text: str) -> str:
    result = parse_setup(text)
    assert isinstance(result, ParseError), result
    return result.message


def test_runs_map_weekdays_to_run_types() -> None:
    assert changes("runs=tue:speed,thu:easy,sun:long").runs == {1: "speed", 3: "easy", 6: "long"}
    assert changes("runs = Tuesday:SPEED, sun:long").runs == {1: "speed", 6: "long"}


def test_runs_none_or_empty_means_no_runs() -> None:
    assert changes("runs=none").runs == {}
    assert changes("runs=").runs == {}


def test_each_other_key_is_read() -> None:
    got = changes("tz=Europe/Berlin equipment=home terrain=hilly sessions=3 remind=7:30 units=lb")
    assert got == SetupChanges(
        tz="Europe/Berlin", equipment="home", terrain="hilly", sessions=3, remind=time(7, 30), units="lb"
    )


def test_time_zones_are_spelled_properly() -> None:
    assert changes("tz=utc").tz == "UTC"
    assert changes("tz=europe/berlin").tz == "Europe/Berlin"


@pytest.mark.parametrize("text", ["tz=Mars/Olympus", "tz=../../etc/passwd", "tz="])
def test_a_bad_time_zone_is_refused(text: str) -> None:
    assert "IANA" in error(text)


def test_a_bare_city_suggests_the_full_zone() -> None:
    assert "tz=Europe/Berlin" in error("tz=berlin")


def test_an_unknown_key_names_the_valid_ones() -> None:
    message = error("colour=blue")
    assert "'colour'" in message
    assert all(
        key in message for key in ("runs", "tz", "equipment", "terrain", "sessions", "remind", "units")
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("equipment=castle", "gym|home|home+bar|bodyweight|bodyweight+bar"),
        ("terrain=moon", "road|trail|hilly"),
        ("sessions=4", "2|3"),
        ("units=stone", "kg|lb"),
        ("runs=tue:tempo", "speed|long|easy"),
        ("runs=xyz:speed", "mon|tue"),
        ("runs=tue", "speed|long|easy"),
        ("remind=24:00", "HH:MM"),
        ("remind=soon", "HH:MM"),
    ],
)
def test_a_bad_value_names_the_valid_values_with_an_example(text: str, named: str) -> None:
    message = error(text)
    assert named in message and "/setup" in message


def test_a_key_given_twice_is_refused() -> None:
    assert "twice" in error("tz=UTC tz=Europe/Berlin")
    assert "twice" in error("runs=tue:speed,tue:long")


def test_a_token_without_equals_is_refused() -> None:
    assert "key=value" in error("tz")


@pytest.mark.parametrize(
    ("clock", "ok"), [("06:59", False), ("07:00", True), ("21:59", True), ("22:00", False)]
)
def test_reminders_in_quiet_hours_are_refused_with_the_reason(clock: str, ok: bool) -> None:
    result = parse_setup(f"remind={clock}")
    assert isinstance(result, SetupChanges) is ok
    if not ok:
        assert isinstance(result, ParseError) and "quiet hours are 22:00–07:00" in result.message


def test_remind_takes_on_off_and_times() -> None:
    assert parse_remind(" ON ") == "on"
    assert parse_remind("off") == "off"
    assert parse_remind("18:00") == time(18, 0)
    late = parse_remind("23:30")
    assert isinstance(late, ParseError) and "quiet hours" in late.message
    assert isinstance(parse_remind("later"), ParseError)


def test_quiet_hours_run_from_ten_to_seven() -> None:
    assert in_quiet_hours(time(22, 0)) and in_quiet_hours(time(3, 0)) and in_quiet_hours(time(6, 59))
    assert not in_quiet_hours(time(7, 0)) and not in_quiet_hours(time(21, 59))


def test_nothing_given_is_empty() -> None:
    assert changes("").is_empty()
    assert not changes("units=lb").is_empty()


def test_format_setup_writes_canonical_text() -> None:
    text = format_setup(SetupChanges(runs={6: "long", 1: "speed"}, remind=time(7, 5), sessions=3))
    assert text == "runs=tue:speed,sun:long sessions=3 remind=07:05"
    assert format_setup(SetupChanges(runs={})) == "runs=none"


_ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"])
_DAYTIME = st.builds(time, st.integers(7, 21), st.integers(0, 59))


@settings(max_examples=300, deadline=None)
@given(
    st.builds(
        SetupChanges,
        runs=st.none() | st.dictionaries(st.integers(0, 6), st.sampled_from(RUN_TYPES)),
        tz=st.none() | _ZONES,
        equipment=st.none() | st.sampled_from(EQUIPMENT),
        terrain=st.none() | st.sampled_from(TERRAIN),
        sessions=st.none() | st.sampled_from([2, 3]),
        remind=st.none() | _DAYTIME,
        units=st.none() | st.sampled_from(UNITS),
    )
)
def test_format_then_parse_gives_back_the_changes(original: SetupChanges) -> None:
    assert parse_setup(format_setup(original)) == original


_SETUPPY = st.lists(
    st.sampled_from([*DAY_NAMES, *RUN_TYPES, "runs", "tz", "=", ":", ",", " ", "remind", "2", "/", "UTC"])
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text() | _SETUPPY)
def test_no_input_crashes_setup_or_remind(text: str) -> None:
    assert isinstance(parse_setup(text), SetupChanges | ParseError)
    assert parse_remind(text) in ("on", "off") or isinstance(parse_remind(text), time | ParseError)
