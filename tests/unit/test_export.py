"""/export: the sets CSV and the profile JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, time

from core.ledger.model import Best
from core.progress.export import (
    PROFILE_FILENAME,
    SETS_FILENAME,
    export_document,
    kg_text,
    profile_json,
    sets_csv,
)
from core.training.lexicon import Lexicon
from core.training.model import Goal, LoggedSet, OwnExercise, Runner
from core.training.profile import Profile
from core.training.units import to_kg

D1, D2 = date(2024, 5, 6), date(2024, 5, 8)


def test_the_filenames_are_the_documented_ones() -> None:
    assert (SETS_FILENAME, PROFILE_FILENAME) == ("runlift-sets.csv", "runlift-profile.json")


def test_the_csv_has_the_exact_header_and_one_row_per_set_by_date_then_entry() -> None:
    sets = [
        LoggedSet(D2, "push-up", 1, 12, None),
        LoggedSet(D1, "hex-bar-deadlift", 1, 5, 60.0, unit="kg"),
        LoggedSet(D1, "hex-bar-deadlift", 2, 5, 62.5, unit="kg"),
        LoggedSet(D2, "dumbbell-calf-raise", 1, 10, to_kg(16, "lb"), unit="lb"),
        LoggedSet(D1, "own-nordic-curl", 1, 8, 10.10, unit="kg"),
        LoggedSet(D2, "wall-sit", 1, 1, None, seconds=45),
    ]
    own = Lexicon((OwnExercise("own-nordic-curl", "Nordic curl", "romanian-deadlift"),))
    text = sets_csv(sets, own).decode("utf-8")
    assert text.splitlines() == [
        "date,exercise,set,reps,weight_kg,weight,unit,seconds,movement",
        "2024-05-06,Hex bar deadlift,1,5,60,60,kg,,Deadlift",
        "2024-05-06,Hex bar deadlift,2,5,62.5,62.5,kg,,Deadlift",
        "2024-05-06,Nordic curl,1,8,10.1,10.1,kg,,Romanian deadlift",
        "2024-05-08,Push-up,1,12,,,,,Push-up",
        "2024-05-08,Single-leg calf raise with a dumbbell,1,10,7.26,16,lb,,Calf raise",
        "2024-05-08,Wall sit,1,1,,,,45,Quad extension",
    ]


def test_the_csv_of_no_sets_is_just_the_header() -> None:
    assert sets_csv([]) == b"date,exercise,set,reps,weight_kg,weight,unit,seconds,movement\n"


def test_the_csv_keeps_the_contracts_first_five_columns_and_reads_back() -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(sets_csv([LoggedSet(D1, "goblet-squat", 3, 8, 100.0, unit="kg")]).decode())
        )
    )
    assert list(rows[0])[:5] == ["date", "exercise", "set", "reps", "weight_kg"]
    assert rows == [
        {
            "date": "2024-05-06",
            "exercise": "Goblet squat",
            "set": "3",
            "reps": "8",
            "weight_kg": "100",
            "weight": "100",
            "unit": "kg",
            "seconds": "",
            "movement": "Squat",
        }
    ]


def test_kg_text_drops_trailing_zeros() -> None:
    assert [kg_text(w) for w in (None, 0.0, 16.0, 16.5, 100.0, 7.257)] == [
        "",
        "0",
        "16",
        "16.5",
        "100",
        "7.26",
    ]


def runner() -> Runner:
    profile = Profile(
        tz="Europe/Berlin",
        runs={1: "speed", 3: "easy", 6: "long"},
        equipment="home",
        terrain="trail",
        sessions=3,
        remind=time(7, 30),
        units="lb",
        playlist="https://example.com/lift",
    )
    return Runner(id=1, platform="console", user_id="ana", name="Ana", profile=profile, configured=True)


def document() -> dict[str, object]:
    return export_document(
        runner(),
        {"current": 3, "best": 5, "freezes": 1},
        [("first-session", D1), ("first-pr", D2)],
        [Goal("hex-bar-deadlift", 100.0, 5, D1), Goal("squat", 80.0, 8, D1, reached_on=D2)],
        [{"text": "smoothie", "after": 3, "unlocked_on": D2}],
        [Best("hex-bar-deadlift", 5, 62.5, D2, 1, True)],
    )


def test_the_json_round_trips_with_the_documented_keys_and_types() -> None:
    loaded = json.loads(profile_json(document()).decode("utf-8"))
    assert {"profile", "streak", "badges", "goals", "rewards", "records"} <= loaded.keys()
    assert loaded["profile"] == {
        "name": "Ana",
        "platform": "console",
        "tz": "Europe/Berlin",
        "runs": "tue:speed,thu:easy,sun:long",
        "equipment": "home",
        "terrain": "trail",
        "sessions": 3,
        "remind": "07:30",
        "reminders": True,
        "units": "lb",
        "playlist": "https://example.com/lift",
        "swaps": {},
    }
    assert loaded["streak"] == {"current": 3, "best": 5, "freezes": 1}
    assert loaded["badges"] == [
        {"id": "first-session", "earned_on": "2024-05-06"},
        {"id": "first-pr", "earned_on": "2024-05-08"},
    ]
    assert loaded["goals"][0] == {
        "exercise": "hex-bar-deadlift",
        "weight_kg": 100.0,
        "reps": 5,
        "set_on": "2024-05-06",
        "reached_on": None,
    }
    assert loaded["goals"][1]["reached_on"] == "2024-05-08"
    assert loaded["rewards"] == [{"text": "smoothie", "after": 3, "unlocked_on": "2024-05-08"}]
    assert loaded["records"] == [
        {"exercise": "hex-bar-deadlift", "reps": 5, "weight_kg": 62.5, "date": "2024-05-08"}
    ]


def test_reminders_off_keep_their_time_and_a_missing_streak_exports_as_zeros() -> None:
    quiet = runner()
    quiet.profile = quiet.profile.with_changes(reminders=False)
    doc = export_document(quiet, {}, [], [], [], [])
    loaded = json.loads(profile_json(doc))
    assert (loaded["profile"]["remind"], loaded["profile"]["reminders"]) == ("07:30", False)
    assert loaded["streak"] == {"current": 0, "best": 0, "freezes": 0}
    assert loaded["badges"] == loaded["goals"] == loaded["rewards"] == loaded["records"] == []


def test_the_json_is_indented_utf8_with_iso_dates() -> None:
    data = profile_json({"name": "Zoë", "on": D1})
    assert data.decode("utf-8") == '{\n  "name": "Zoë",\n  "on": "2024-05-06"\n}\n'
