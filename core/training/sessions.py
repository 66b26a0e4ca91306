"""Today's session: which five moves, sets × reps, suggested loads and the minutes it takes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from core.training.catalog import BY_KEY
from core.training.model import LoggedSet
from core.training.placement import is_lift_day, slot_index, week_index
from core.training.profile import Profile, RunType
from core.training.progression import MAIN_LIFTS, rep_scheme, suggest_load

WARM_UP_S = 180
MAIN_REST_S = 90
ACCESSORY_REST_S = 60
MAX_MINUTES = 35
KNEE_TERRAIN = frozenset({"trail", "hilly"})

# Four sessions in a row (two weeks at two a week) cover every catalog group:
# main lift alternates squat / hex bar; the hip move rotates; an RDL-family move
# is always there (the hex bar already loads the posterior chain, the RDL keeps
# the hamstrings honest). On the single-leg-RDL day that move covers both the
# single-leg and posterior slots, so trail and hilly runners get quad extensions
# in place of the plain RDL: a sixth move would push the session past 35 minutes.
_ROTATION: tuple[tuple[str, str, str], ...] = (
    ("squat", "lunge", "romanian-deadlift"),
    ("hex-bar-deadlift", "clamshell", "romanian-deadlift"),
    ("squat", "single-leg-rdl", "romanian-deadlift"),
    ("hex-bar-deadlift", "side-lunge", "romanian-deadlift"),
)
_KNEE_SLOT = 2
_UPPER: tuple[str, ...] = ("pull-up", "push-up", "row")


@dataclass(frozen=True)
class Prescription:
    """One move of a session; ``load_kg`` is ``None`` when there is no number to give."""

    exercise: str
    variant: str
    sets: int
    reps: int
    load_kg: float | None
    note: str
    minutes: float


@dataclass(frozen=True)
class Session:
    day: date
    run: RunType | None
    items: tuple[Prescription, ...]
    minutes: int
    light: bool
    week_index: int


def compose_session(profile: Profile, day: date, cycle_start: date) -> list[str]:
    """The exercise keys of the session on ``day``, main lift first."""
    slot = slot_index(profile, day, cycle_start)
    main, hip, posterior = _ROTATION[slot % len(_ROTATION)]
    if profile.terrain in KNEE_TERRAIN and slot % len(_ROTATION) == _KNEE_SLOT:
        posterior = "quad-extension"
    return [main, hip, posterior, "calf-raise", _UPPER[slot % len(_UPPER)]]


def set_seconds(exercise_key: str, reps: int) -> float:
    """One set plus its rest: about 45 s for ten reps, twice the work for one-sided moves."""
    work = 15 + 3 * reps
    if BY_KEY[exercise_key].unilateral:
        work *= 2
    return work + (MAIN_REST_S if exercise_key in MAIN_LIFTS else ACCESSORY_REST_S)


def item_minutes(exercise_key: str, sets: int, reps: int) -> float:
    return round(sets * set_seconds(exercise_key, reps) / 60, 2)


def session_minutes(items: Sequence[Prescription]) -> float:
    return WARM_UP_S / 60 + sum(p.minutes for p in items)


def fit_to_budget(
    items: Sequence[Prescription], max_minutes: float = MAX_MINUTES
) -> tuple[Prescription, ...]:
    """Drop accessory sets (never below three) until the session fits ``max_minutes``."""
    fitted = list(items)
    while session_minutes(fitted) > max_minutes:
        spare = [i for i, p in enumerate(fitted) if p.exercise not in MAIN_LIFTS and p.sets > 3]
        if not spare:
            break
        i = max(spare, key=lambda i: (fitted[i].sets, i))
        p = fitted[i]
        fitted[i] = replace(p, sets=p.sets - 1, minutes=item_minutes(p.exercise, p.sets - 1, p.reps))
    return tuple(fitted)


def _last_day_only(sets: Sequence[LoggedSet]) -> list[LoggedSet]:
    if not sets:
        return []
    last = max(s.local_date for s in sets)
    return sorted((s for s in sets if s.local_date == last), key=lambda s: s.set_no)


def session_for(
    profile: Profile,
    day: date,
    cycle_start: date,
    last_sets: Callable[[str], Sequence[LoggedSet]],
) -> Session | None:
    """The full session for ``day``, or ``None`` on a day without lifting.

    ``last_sets(key)`` gives the sets of the most recent day before ``day`` on which
    that exercise was logged (empty if never).
    """
    if not is_lift_day(profile, day):
        return None
    week = week_index(day, cycle_start)
    items = []
    light_week = False
    for key in compose_session(profile, day, cycle_start):
        sets, reps, light = rep_scheme(week, key)
        light_week = light_week or light
        previous = _last_day_only(last_sets(key))
        then_reps: int | None = None
        then_light = False
        if previous:
            _, then_reps, then_light = rep_scheme(week_index(previous[0].local_date, cycle_start), key)
        load = suggest_load(
            key,
            profile.equipment,
            previous,
            reps,
            last_target_reps=then_reps,
            light=light,
            last_light=then_light,
            units=profile.units,
        )
        variant = BY_KEY[key].variants[profile.equipment]
        minutes = item_minutes(key, sets, reps)
        items.append(Prescription(key, variant, sets, reps, load.load_kg, load.note, minutes))
    fitted = fit_to_budget(items)
    return Session(
        day=day,
        run=profile.runs.get(day.weekday()),
        items=fitted,
        minutes=round(session_minutes(fitted)),
        light=light_week,
        week_index=week,
    )
