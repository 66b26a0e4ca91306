"""Calendar events → run kinds: the keyword table in four languages, paces, reps, races and sizes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar.classify import classify, distance_km, duration_minutes
from core.calendar.keywords import KEYWORDS, KINDS, PACE, RACE_DISTANCES, RACE_KM


@pytest.mark.parametrize(
    ("title", "description", "kind"),
    [
        # English (TrainingPeaks, Runna, plain calendars)
        ("Intervals 6x800m", "", "speed"),
        ("6×800 m", "", "speed"),
        ("Run: Threshold 3x10min", "", "speed"),
        ("Tempo Run · 8km", "", "speed"),
        ("Hill Repeats", "", "speed"),
        ("Track session", "", "speed"),
        ("VO2max 5x3'", "", "speed"),
        ("Fartlek", "", "speed"),
        ("Marathon pace 3x5 km", "", "speed"),
        ("Half marathon pace 10 km", "", "speed"),
        ("Long Run · 20km", "", "long"),
        ("LSD", "", "long"),
        ("Easy Run · 6km", "", "easy"),
        ("Recovery jog", "", "easy"),
        ("Shakeout", "", "easy"),
        ("Easy 5k", "", "easy"),
        ("Race Day: Half Marathon", "", "race"),
        ("Berlin Marathon", "", "race"),
        ("parkrun", "", "race"),
        ("10K", "", "race"),
        ("Rest day", "", "rest"),
        ("Day Off", "", "rest"),
        ("Strength: Core & Stability", "", "strength"),
        ("Yoga", "", "strength"),
        ("Bike intervals", "", "strength"),
        ("Easy run + core", "", "easy"),
        ("Run", "", "run?"),
        ("Dentist", "", "run?"),
        # German
        ("Intervalltraining 10x400m", "", "speed"),
        ("Tempodauerlauf", "", "speed"),
        ("Bergläufe", "", "speed"),
        ("Langer Lauf 25 km", "", "long"),
        ("Lockerer Dauerlauf", "", "easy"),
        ("Halbmarathon Frankfurt", "", "race"),
        ("Ruhetag", "", "rest"),
        ("Krafttraining", "", "strength"),
        # French
        ("Fractionné 10x400m", "", "speed"),
        ("Séance au seuil", "", "speed"),
        ("Sortie longue 1h45", "", "long"),
        ("Footing récupération", "", "easy"),
        ("Semi-marathon de Paris", "", "race"),
        ("Repos", "", "rest"),
        ("Renforcement musculaire", "", "strength"),
        # Spanish
        ("Series 8x1000m", "", "speed"),
        ("Cuestas", "", "speed"),
        ("Tirada larga 28 km", "", "long"),
        ("Rodaje suave 40 min", "", "easy"),
        ("Maratón de Valencia", "", "race"),
        ("Descanso", "", "rest"),
        ("Fuerza", "", "strength"),
        # The title decides before the description; the description helps a bare title
        ("Run", "6 x 1 km at threshold", "speed"),
        ("Workout", "", "speed"),
        ("Session", "Long run, steady", "long"),
    ],
)
def test_each_kind_of_session_is_named_in_each_language(title: str, description: str, kind: str) -> None:
    assert classify(title, description).kind == kind


@pytest.mark.parametrize(
    ("title", "description", "minutes", "kind"),
    [
        ("Run", "Planned Time: 1:50:00", None, "long"),
        ("Run", "Planned Distance: 21 km", None, "long"),
        ("Run 12 mi", "", None, "long"),
        ("Run", "", 95, "long"),
        ("Run", "", 60, "run?"),
        ("Run 10 km", "", None, "run?"),
        ("Easy run", "", 100, "easy"),  # a named easy run stays easy however long
    ],
)
def test_a_long_run_is_at_least_ninety_minutes_or_eighteen_km(
    title: str, description: str, minutes: int | None, kind: str
) -> None:
    assert classify(title, description, minutes).kind == kind


@pytest.mark.parametrize(
    ("title", "km"),
    [
        ("Berlin Marathon", 42.2),
        ("Race Day: Half Marathon", 21.1),
        ("Halbmarathon", 21.1),
        ("Semi-marathon de Paris", 21.1),
        ("Media Maratón de Valencia", 21.1),
        ("Maratón de Sevilla", 42.2),
        ("UTMB ultra trail race", 50.0),
        ("parkrun", 5.0),
        ("10K", 10.0),
        ("Race: 15 km Lauf", 15.0),
        ("Club race", None),
    ],
)
def test_a_race_knows_its_distance_when_it_is_named(title: str, km: float | None) -> None:
    found = classify(title)
    assert found.kind == "race" and found.race_km == km


@pytest.mark.parametrize(
    ("text", "km", "minutes"),
    [
        ("12 km", 12.0, None),
        ("10mi", pytest.approx(16.09), None),
        ("Planned Time: 1:05:00", None, 65),
        ("75 min", None, 75),
        ("1h30", None, 90),
        ("2 hours", None, 120),
        ("6x800m", None, None),
    ],
)
def test_sizes_are_read_from_the_text(text: str, km: float | None, minutes: int | None) -> None:
    assert distance_km(text) == km and duration_minutes(text) == minutes


def test_the_keyword_table_has_every_kind_in_four_languages() -> None:
    for kind in KINDS:
        assert set(KEYWORDS[kind]) == {"en", "de", "fr", "es"}, kind
        assert all(KEYWORDS[kind].values())
    assert set(PACE) == {"en", "de", "fr", "es"} and RACE_DISTANCES and RACE_KM


def test_a_keyword_names_its_own_kind_when_it_stands_alone() -> None:
    for kind, languages in KEYWORDS.items():
        for words in languages.values():
            for word in words:
                if "*" in word or word in ("half",):
                    continue
                found = classify(word)
                # A word may be read as a more specific kind (an ambiguous one), never as nothing.
                assert found.named, (kind, word)


@given(st.text(max_size=120), st.text(max_size=200), st.one_of(st.none(), st.integers(0, 600)))
def test_any_text_gets_a_kind(title: str, description: str, minutes: int | None) -> None:
    assert classify(title, description, minutes).kind in KINDS
