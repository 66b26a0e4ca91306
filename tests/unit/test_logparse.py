"""The /log grammar: every accepted form, the limits, late dates, and the round trip."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parsing.errors import ParseError
from core.parsing.log import LogEntry, LogRequest, format_log, parse_log
from core.parsing.numbers import MAX_LB
from core.training.catalog import VARIANTS
from core.training.profile import Units

TODAY = date(2026, 12, 5)


def one(text: str, units: str = "kg") -> LogEntry:
    req = parse_log(text, TODAY, units)  # type: ignore[arg-type]
    assert isinstance(req, LogRequest), req
    assert len(req.entries) == 1
    return req.entries[0]


def error(text: str, units: str = "kg") -> str:
    req = parse_log(text, TODAY, units)  # type: ignore[arg-type]
    assert isinstance(req, ParseError), req
    return req.message


BB = "barbell-back-squat"  # "squat" with a weight, for a runner on the defaults (a gym)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("squat 3x8 @16kg", LogEntry(BB, (8, 8, 8), 16.0, "kg")),
        ("squat 3x8@16", LogEntry(BB, (8, 8, 8), 16.0, "kg")),
        ("squat 3 x 8", LogEntry("bodyweight-squat", (8, 8, 8), None, None)),
        ("squat 3X8 @ 16 kg", LogEntry(BB, (8, 8, 8), 16.0, "kg")),
        ("squat 3×8 @16.5kg", LogEntry(BB, (8, 8, 8), 16.5, "kg")),
        ("row 3x8 @35lb", LogEntry("cable-row", (8, 8, 8), 35.0, "lb")),
        ("rdl 8,8,6 @20kg", LogEntry("barbell-rdl", (8, 8, 6), 20.0, "kg")),
        ("rdl 8, 8, 6", LogEntry("good-morning", (8, 8, 6), None, None)),
        ("hexbar 5x5 @100kg", LogEntry("hex-bar-deadlift", (5, 5, 5, 5, 5), 100.0, "kg")),
        ("pushups 3x10", LogEntry("push-up", (10, 10, 10), None, None)),
        ("goblet squat 3x8 @16kg", LogEntry("goblet-squat", (8, 8, 8), 16.0, "kg")),
        ("glute bridge 3x12", LogEntry("glute-bridge", (12, 12, 12), None, None)),
        ("calf raises 3x15", LogEntry("single-leg-calf-raise", (15, 15, 15), None, None)),
        ("single leg rdl 3x8 @10", LogEntry("dumbbell-single-leg-rdl", (8, 8, 8), 10.0, "kg")),
        # the forgiving forms
        ("squats 3 sets of 8 @20kg", LogEntry(BB, (8, 8, 8), 20.0, "kg")),
        ("squat 3 sets x 8 reps @20kg", LogEntry(BB, (8, 8, 8), 20.0, "kg")),
        ("3x8 squat @20kg", LogEntry(BB, (8, 8, 8), 20.0, "kg")),
        ("3 x 8 goblet squat", LogEntry("goblet-squat", (8, 8, 8), None, None)),
        ("squat 3x8 at 20 kilos", LogEntry(BB, (8, 8, 8), 20.0, "kg")),
        ("squat 3x8 @45 pounds", LogEntry(BB, (8, 8, 8), 45.0, "lb")),
        ("squat 3x8 @20kg 💪!", LogEntry(BB, (8, 8, 8), 20.0, "kg")),
        ("💪 goblet squat 3x8 @16kg.", LogEntry("goblet-squat", (8, 8, 8), 16.0, "kg")),
        # holds in seconds
        ("wall sit 3x30s", LogEntry("wall-sit", (30, 30, 30), None, None, True)),
        ("wall sit 3x30", LogEntry("wall-sit", (30, 30, 30), None, None, True)),
        ("spanish squat hold 3x30s", LogEntry("spanish-squat-hold", (30, 30, 30), None, None, True)),
        ("wall sit 3 x 45 seconds", LogEntry("wall-sit", (45, 45, 45), None, None, True)),
        ("wall sit 45s, 40s, 30s", LogEntry("wall-sit", (45, 40, 30), None, None, True)),
        ("wall sit 2x1:30", LogEntry("wall-sit", (90, 90), None, None, True)),
        ("wall sit 2x1min", LogEntry("wall-sit", (60, 60), None, None, True)),
        ("quad extension 3x30s", LogEntry("spanish-squat-hold", (30, 30, 30), None, None, True)),
    ],
)
def test_each_documented_form_is_read(text: str, expected: LogEntry) -> None:
    assert one(text) == expected


def test_a_weight_without_unit_is_in_the_runners_units() -> None:
    assert one("squat 3x8 @35", units="lb") == LogEntry(BB, (8, 8, 8), 35.0, "lb")
    assert one("squat 3x8 @35kg", units="lb").unit == "kg"


def test_a_typo_in_the_exercise_name_is_accepted() -> None:
    assert one("sqaut 3x8 @16kg").exercise == BB


def test_an_unknown_exercise_gets_did_you_mean() -> None:
    message = error("sqzzt 3x8")
    assert "Unknown exercise 'sqzzt'" in message
    assert "did you mean" in message and "squat" in message


def test_empty_text_means_show_buttons() -> None:
    assert parse_log("", TODAY) is None
    assert parse_log("   \n ", TODAY) is None


def test_entries_split_on_semicolons_and_newlines() -> None:
    req = parse_log("squat 3x8 @16kg; rdl 3x8 @20kg\npushups 8,8,6", TODAY)
    assert isinstance(req, LogRequest)
    assert [e.exercise for e in req.entries] == [BB, "barbell-rdl", "push-up"]
    assert req.day is None


def test_trailing_yesterday_sets_the_day_for_every_entry() -> None:
    req = parse_log("squat 3x8; rdl 3x8 yesterday", TODAY)
    assert isinstance(req, LogRequest)
    assert req.day == TODAY - timedelta(days=1)
    assert len(req.entries) == 2


def test_trailing_date_within_a_week_is_accepted() -> None:
    req = parse_log("squat 3x8 @16kg\n2026-11-28", TODAY)
    assert isinstance(req, LogRequest)
    assert req.day == date(2026, 11, 28)


def test_a_date_eight_days_back_is_refused() -> None:
    assert "7 days" in error("squat 3x8 2026-11-27")


def test_a_future_date_is_refused() -> None:
    assert "future" in error("squat 3x8 2026-12-06")


def test_an_impossible_date_is_refused() -> None:
    assert "not a date" in error("squat 3x8 2026-02-30")


def test_a_date_between_entries_asks_for_it_at_the_end() -> None:
    assert "very end" in error("squat 3x8 yesterday; rdl 3x8")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("squat 1x8", True),
        ("squat 20x8", True),
        ("squat 0x8", False),
        ("squat 21x8", False),
        ("squat 3x1", True),
        ("squat 3x100", True),
        ("squat 3x0", False),
        ("squat 3x101", False),
        ("squat 8,101", False),
        ("squat " + ",".join(["5"] * 20), True),
        ("squat " + ",".join(["5"] * 21), False),
        ("squat 3x8 @0kg", True),
        ("squat 3x8 @500kg", True),
        ("squat 3x8 @500.1kg", False),
        ("squat 3x8 @-1kg", False),
        (f"squat 3x8 @{MAX_LB}lb", True),
        ("squat 3x8 @1102.4lb", False),
        ("wall sit 3x1s", True),
        ("wall sit 3x600s", True),
        ("wall sit 3x601s", False),
        ("wall sit 3x0s", False),
        ("wall sit 3x11min", False),
        ("plank 3x45s", False),
    ],
)
def test_limit_boundaries(text: str, ok: bool) -> None:
    assert isinstance(parse_log(text, TODAY), LogRequest) is ok


def test_errors_name_the_form_and_an_example() -> None:
    for text in ("squat", "squat 3x101", "squat three by eight", "3x8", "wall sit 3x700s", "💪"):
        message = error(text)
        assert "/log" in message and "\n" not in message


def test_huge_numbers_are_limit_errors() -> None:
    assert "Sets" in error("squat " + "9" * 3000 + "x8")
    assert "Weight" in error("squat 3x8 @" + "9" * 3000)


def test_format_log_writes_canonical_text() -> None:
    req = LogRequest(
        (
            LogEntry("goblet-squat", (8, 8, 8), 16.0, "kg"),
            LogEntry("push-up", (8, 8, 6), None, None),
            LogEntry("wall-sit", (30, 30, 25), None, None, True),
        ),
        date(2026, 12, 1),
    )
    assert format_log(req) == "goblet-squat 3x8 @16kg; push-up 8,8,6; wall-sit 30s,30s,25s 2026-12-01"


_LOGGY = st.text(
    alphabet=st.sampled_from(list("squat rdl hexbar 0123456789x×X@.,;:-\nkglbyesterday2026"))
    | st.characters()
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _LOGGY), st.sampled_from(["kg", "lb"]))
def test_parse_log_never_raises(text: str, units: str) -> None:
    result = parse_log(text, TODAY, units)  # type: ignore[arg-type]
    assert result is None or isinstance(result, LogRequest | ParseError)


@st.composite
def _entries(draw: st.DrawFn) -> LogEntry:
    variant = draw(st.sampled_from(VARIANTS))
    timed = variant.timed
    sets = draw(st.integers(1, 20))
    most = 600 if timed else 100
    if draw(st.booleans()):
        reps = (draw(st.integers(1, most)),) * sets
    else:
        reps = tuple(draw(st.lists(st.integers(1, most), min_size=sets, max_size=sets)))
    unit: Units | None = draw(st.sampled_from([None, "kg", "lb"]))
    if unit is None:
        return LogEntry(variant.key, reps, None, None, timed)
    top = 500.0 if unit == "kg" else MAX_LB
    weight = draw(st.floats(0, top, allow_nan=False) | st.integers(0, int(top)).map(float))
    return LogEntry(variant.key, reps, weight + 0.0, unit, timed)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_entries(), min_size=1, max_size=6),
    st.none() | st.integers(0, 7).map(lambda d: TODAY - timedelta(days=d)),
    st.sampled_from(["kg", "lb"]),
)
def test_format_then_parse_gives_back_the_request(
    entries: list[LogEntry], day: date | None, units: str
) -> None:
    req = LogRequest(tuple(entries), day)
    assert parse_log(format_log(req), TODAY, units) == req  # type: ignore[arg-type]


def test_overlong_text_is_refused_without_work() -> None:
    assert "too long" in error("squat 3x8; " * 500)
