"""Exports of Strong, Hevy and FitNotes are read from their headers, row by row, whatever the generation."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.imports.mapping import NameMap
from core.imports.model import FORMS, BadFile, Skip, SourceSet
from core.imports.reader import Export, open_export
from core.imports.values import count, day_of, duration, moment, number, set_kind
from core.training.profile import Profile

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


def read(name: str) -> tuple[Export, list[SourceSet], list[Skip]]:
    export = open_export((FIXTURES / name).read_bytes())
    assert isinstance(export, Export), export
    rows = list(export.rows())
    return export, [r for r in rows if isinstance(r, SourceSet)], [r for r in rows if isinstance(r, Skip)]


# file, format, unit in the file, sets read, skipped (row, reason), first day
FILES = [
    (
        "strong_current.csv",
        "Strong",
        None,
        13,
        [(5, "rest"), (10, "cardio"), (14, "cardio")],
        date(2026, 10, 6),
    ),
    ("strong_old.csv", "Strong", None, 4, [(6, "cardio")], date(2019, 4, 1)),
    ("strong_semicolon.csv", "Strong", "kg", 4, [], date(2020, 2, 3)),
    ("strong_fr.csv", "Strong", None, 3, [], date(2023, 5, 2)),
    ("strong_de.csv", "Strong", None, 2, [], date(2023, 6, 6)),
    ("hevy.csv", "Hevy", "kg", 7, [(7, "cardio")], date(2026, 4, 8)),
    ("hevy_lbs.csv", "Hevy", "lb", 2, [], date(2025, 1, 15)),
    ("fitnotes.csv", "FitNotes", "kg", 5, [(6, "fields"), (7, "cardio")], date(2024, 9, 2)),
    ("fitnotes_new.csv", "FitNotes", None, 2, [(4, "cardio")], date(2025, 1, 6)),
]


@pytest.mark.parametrize(("name", "fmt", "unit", "sets", "skipped", "first"), FILES)
def test_every_generation_is_told_from_its_header(
    name: str, fmt: str, unit: str | None, sets: int, skipped: list[tuple[int, str]], first: date
) -> None:
    export, found, skips = read(name)
    assert (export.format, export.header.unit, len(found)) == (fmt, unit, sets)
    assert [(s.row, s.reason) for s in skips] == skipped
    assert min(s.day for s in found) == first


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_encodings_a_spreadsheet_may_save_in(encoding: str) -> None:
    text = "Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\r\n2024-09-02,Rumänisches Kreuzheben,Legs,100,5,,,\r\n"
    export = open_export(text.encode(encoding))
    assert isinstance(export, Export)
    assert [(s.exercise, s.weight) for s in export.rows() if isinstance(s, SourceSet)] == [
        ("Rumänisches Kreuzheben", 100.0)
    ]


def test_the_file_name_says_nothing() -> None:
    data = (FIXTURES / "hevy.csv").read_bytes()
    assert isinstance(open_export(data), Export)
    assert open_export(data).format == "Hevy"  # type: ignore[union-attr]


def test_strong_set_orders_warmups_drops_failures_and_float_noise() -> None:
    _, found, _ = read("strong_current.csv")
    squat = [(s.kind, s.weight, s.reps, s.nth) for s in found if s.exercise == "Squat (Barbell)"][:4]
    assert squat == [
        ("warmup", 40, 8, 1),
        ("normal", 80, 5, 2),
        ("normal", 82.5, 5, 3),
        ("failure", 82.5, 3, 4),
    ]
    rdl = [(s.kind, s.weight) for s in found if s.exercise.startswith("Romanian")]
    assert rdl == [("normal", 60.0), ("drop", 185.0)]
    assert next(s for s in found if s.exercise == "Pull Up").weight is None  # bodyweight
    assert next(s for s in found if s.exercise == "Bench Press (Barbell)").nth == 1  # Set Order from 0


def test_semicolons_quotes_decimal_commas_and_units_in_the_header() -> None:
    export, found, _ = read("strong_semicolon.csv")
    assert export.header.unit == "kg"
    assert [s.weight for s in found[:2]] == [82.5, 82.5]
    assert found[0].started == datetime(2020, 2, 3, 18, 0)


def test_hevy_dates_set_types_bodyweight_and_multiline_notes() -> None:
    _, found, _ = read("hevy.csv")
    assert found[0].started == datetime(2026, 4, 8, 16, 50)
    assert [s.kind for s in found[:5]] == ["warmup", "normal", "drop", "normal", "failure"]
    assert found[3].weight is None
    assert found[-1].exercise == "Seated Row (Cable)"


def test_fitnotes_names_with_commas_are_recovered_only_when_unambiguous() -> None:
    _, found, skips = read("fitnotes.csv")
    assert "Squat, Pause, Barbell" in {s.exercise for s in found}
    assert (6, "fields") in [(s.row, s.reason) for s in skips]  # "Row, Cable, Close,Grip": no known category


def test_fitnotes_newer_files_carry_a_unit_per_row() -> None:
    _, found, _ = read("fitnotes_new.csv")
    assert [(s.weight, s.unit) for s in found] == [(135.0, "lb"), (100.0, "kg")]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "isn't a CSV"),
        (b"just some words\nnothing here\n", "isn't a CSV export"),
        (b"a,b,c\n1,2,3\n", "don't know that header"),
        (b"x" * (20 * 1024 * 1024 + 1), "over 20 MB"),
    ],
)
def test_a_bad_file_gets_one_short_answer_naming_the_forms(data: bytes, says: str) -> None:
    found = open_export(data)
    assert isinstance(found, BadFile)
    assert says in found.message
    if "MB" not in says:
        assert "Strong" in found.message and "Hevy" in found.message and "FitNotes" in found.message


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2h 38m", 9480),
        ("38min", 2280),
        ("1h", 3600),
        ("45s", 45),
        ("1:02:03", 3723),
        ("0:25:00", 1500),
        ("90", 90),
        ("", None),
        ("soon", None),
        ("2h soon", None),
    ],
)
def test_durations(text: str, seconds: int | None) -> None:
    assert duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("82.5", 82.5),
        ('"82,5"', 82.5),
        ("185.00000000000003", 185.0),
        ("0", 0.0),
        ("", None),
        ("kg", None),
        ("nan", None),
        ("1e400", None),
    ],
)
def test_numbers(text: str, value: float | None) -> None:
    assert number(text) == value


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2024-03-05 18:02:11", datetime(2024, 3, 5, 18, 2, 11)),
        ("2024-03-05", datetime(2024, 3, 5)),
        ("8 Apr 2026, 16:50", datetime(2026, 4, 8, 16, 50)),
        ("15 Jan 2025 18:00", datetime(2025, 1, 15, 18, 0)),
        ("31 Feb 2025, 10:00", None),
        ("yesterday", None),
    ],
)
def test_dates(text: str, when: datetime | None) -> None:
    assert moment(text) == when
    assert day_of(text) == (when.date() if when else None)


def test_counts_and_set_kinds() -> None:
    assert [count(t) for t in ("8", "8.0", "8.5", "-1", "")] == [8, 8, None, None, None]
    assert [set_kind(t) for t in ("W", "d", "failure", "dropset", "normal", "x")] == [
        "warmup",
        "drop",
        "failure",
        "drop",
        "normal",
        None,
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Squat (Barbell)", "barbell-back-squat"),
        ("Barbell Squat", "barbell-back-squat"),
        ("Romanian Deadlift (Dumbbell)", "dumbbell-rdl"),
        ("Pull Up", "pull-up"),
        ("Seated Row (Cable)", "cable-row"),
        ("Trap Bar Deadlift", "hex-bar-deadlift"),
        ("Deadlift (Barbell)", "own-deadlift-barbell"),
        ("Bench Press (Barbell)", "own-bench-press-barbell"),
        ("Kniebeuge (Langhantel)", "barbell-back-squat"),
        ("Rumänisches Kreuzheben (Kurzhantel)", "dumbbell-rdl"),
        ("Klimmzug", "pull-up"),
        ("Fentes (Haltère)", "dumbbell-reverse-lunge"),
        ("Squat (Barre)", "barbell-back-squat"),
        ("Pompes", "push-up"),
    ],
)
def test_names_map_onto_catalog_variants_or_become_the_runners_own(name: str, key: str) -> None:
    names = NameMap(Profile(), ())
    assert names(name).key == key
    if key.startswith("own-"):
        own = names.new[key]
        assert own.name == name
    # a movement named with kit the catalog lacks keeps its movement
    assert names("Deadlift (Barbell)").own is not None
    assert names.new["own-deadlift-barbell"].movement == "hex-bar-deadlift"


HEADERS = [
    b"Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n",
    b"title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,"
    b"weight_kg,reps,distance_km,duration_seconds,rpe\n",
    b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time\n",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(HEADERS), st.binary(max_size=400))
def test_garbage_rows_never_crash_and_are_said_by_row(header: bytes, body: bytes) -> None:
    found = open_export(header + body)
    if isinstance(found, BadFile):
        assert found.message
        return
    for row in found.rows():
        assert isinstance(row, SourceSet | Skip)
        if isinstance(row, SourceSet):
            assert row.reps > 0 and (row.weight is None or row.weight > 0)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_an_export_or_one_answer(data: bytes) -> None:
    found = open_export(data)
    assert isinstance(found, Export | BadFile)
    if isinstance(found, BadFile):
        assert FORMS in found.message or "MB" in found.message
