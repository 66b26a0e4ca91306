"""A day's session: which five moves, the variant of each, sets × reps (or seconds), loads and minutes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.calendar.taper import taper_of
from core.training.choosing import Latest, current_variant, no_history
from core.training.identity import Variant
from core.training.ladders import SETS, climb_note, rep_target
from core.training.model import LoggedSet, OwnExercise
from core.training.placement import calendar_run, is_lift_day, run_on, slot_index, week_index
from core.training.profile import HARD_RUNS, KNEE_TERRAIN, Profile, RunType, Units
from core.training.progression import LIGHTER_DAY, MAIN_MOVEMENTS, rep_scheme, suggest_load

WARM_UP_S = 180
MAIN_REST_S = 90
ACCESSORY_REST_S = 60
MAX_MINUTES = 35

# Four sessions in a row (two weeks at two a week) cover every catalog group. The main lift
# alternates squat / deadlift; at most one heavy hinge a session, so the deadlift days take the
# single-leg RDL (light, one leg, balance) and the squat days the Romanian deadlift. Trail and
# hilly runners get quad extensions in place of the second clamshell: a sixth move would push
# the session past 35 minutes.
_ROTATION: tuple[tuple[str, str, str], ...] = (
    ("squat", "lunge", "romanian-deadlift"),
    ("hex-bar-deadlift", "clamshell", "single-leg-rdl"),
    ("squat", "side-lunge", "romanian-deadlift"),
    ("hex-bar-deadlift", "clamshell", "single-leg-rdl"),
)
_KNEE_SLOT = 3
_UPPER: tuple[str, ...] = ("pull-up", "push-up", "row")
_HARD_WORDS = {"long": "long run tomorrow", "speed": "speed session tomorrow"}


@dataclass(frozen=True)
class Prescription:
    """One move of a session: the variant to do, ``reps`` a set (seconds for a hold), the load in ``unit``."""

    movement: str
    variant: Variant
    sets: int
    reps: int
    load: float | None
    unit: Units
    note: str
    minutes: float

    @property
    def exercise(self) -> str:
        return self.variant.key


@dataclass(frozen=True)
class Session:
    """``light``: a lighter day (the fourth week, or the day before a hard run: ``lighter`` says why);
    ``catch_up_for``: the missed lift day this session makes up for."""

    day: date
    run: RunType | None
    items: tuple[Prescription, ...]
    minutes: int
    light: bool
    week_index: int
    lighter: str = ""
    catch_up_for: date | None = None
    run_title: str = ""  # the calendar's name for the run ("6x800m intervals"), when it has one


def lighter_reason(profile: Profile, day: date) -> str:
    """Why a lift on ``day`` is kept lighter: a race week (fewer sets, no new loads), or a hard run
    tomorrow (placement avoids that when it can)."""
    if profile.calendar is not None and taper_of(profile.calendar).lighter(day):
        return "race week"
    tomorrow = run_on(profile, day + timedelta(days=1))
    return _HARD_WORDS[tomorrow] if tomorrow in HARD_RUNS else ""


def upper_movements(profile: Profile) -> tuple[str, ...]:
    """The upper-body rotation the kit allows: without a bar, rows take the pull-up's turn."""
    usable = tuple(m for m in _UPPER if current_variant(m, profile) is not None)
    return usable or ("push-up",)


# Weeks after which every session repeats its movements and schemes: the rotation, the upper-body
# turns (at most three moves) and the four-week rep cycle all come round together.
CYCLE_WEEKS = math.lcm(len(_ROTATION), *range(1, len(_UPPER) + 1), 4)


def compose_session(
    profile: Profile, day: date, cycle_start: date, slot_day: date | None = None
) -> list[str]:
    """The movements of the session on ``day`` (or of ``slot_day``'s turn, for a catch-up), main first."""
    slot = slot_index(profile, slot_day or day, cycle_start)
    main, hip, posterior = _ROTATION[slot % len(_ROTATION)]
    if profile.terrain in KNEE_TERRAIN and slot % len(_ROTATION) == _KNEE_SLOT:
        hip = "quad-extension"
    upper = upper_movements(profile)
    return [main, hip, posterior, "calf-raise", upper[slot % len(upper)]]


def set_seconds(variant: Variant, movement: str, amount: int) -> float:
    """One set plus its rest: 15 s to set up, about 3 s a rep (or the hold itself), then the rest.

    A one-sided move works each side in turn; each side rests while the other works,
    so its rest after the pair is halved.
    """
    per_rep = 2 if variant.kind == "activation" else 3
    work = amount if variant.timed else per_rep * amount
    rest = MAIN_REST_S if movement in MAIN_MOVEMENTS else ACCESSORY_REST_S
    if variant.unilateral:
        return 15 + 2 * work + rest / 2
    return 15 + work + rest


def item_minutes(variant: Variant, movement: str, sets: int, amount: int) -> float:
    return round(sets * set_seconds(variant, movement, amount) / 60, 2)


def session_minutes(items: Sequence[Prescription]) -> float:
    return WARM_UP_S / 60 + sum(p.minutes for p in items)


def fit_to_budget(
    items: Sequence[Prescription], max_minutes: float = MAX_MINUTES
) -> tuple[Prescription, ...]:
    """Drop accessory sets (never below three) until the session fits ``max_minutes``."""
    fitted = list(items)
    while session_minutes(fitted) > max_minutes:
        spare = [i for i, p in enumerate(fitted) if p.movement not in MAIN_MOVEMENTS and p.sets > 3]
        if not spare:
            break
        i = max(spare, key=lambda i: (fitted[i].sets, i))
        p = fitted[i]
        minutes = item_minutes(p.variant, p.movement, p.sets - 1, p.reps)
        fitted[i] = replace(p, sets=p.sets - 1, minutes=minutes)
    return tuple(fitted)


def day_scheme(profile: Profile, day: date, cycle_start: date, movement: str) -> tuple[int, int, bool]:
    """``(sets, reps, light)`` of a loaded move on ``day``: the week's, or a lighter day's."""
    scheme = rep_scheme(week_index(day, cycle_start), movement)
    return LIGHTER_DAY if lighter_reason(profile, day) and not scheme[2] else scheme


def _prescribe(
    profile: Profile, day: date, cycle_start: date, movement: str, latest: Latest, own: Sequence[OwnExercise]
) -> Prescription | None:
    choice = current_variant(movement, profile, latest, own)
    if choice is None:
        return None
    variant = choice.variant
    previous: Sequence[LoggedSet] = latest([variant.key])
    sets, reps, light = day_scheme(profile, day, cycle_start, movement)
    if variant.loaded:
        then: tuple[int, int] | None = None
        then_light = False
        if previous:
            then_sets, then_reps, then_light = day_scheme(
                profile, previous[0].local_date, cycle_start, movement
            )
            then = (then_sets, then_reps)
        load = suggest_load(variant, previous, reps, then, light, then_light, profile.units)
        amount, weight, note = reps, load.load, load.note
    else:
        target = rep_target(variant, previous, light)
        sets, amount, weight, note = SETS, target.amount, None, target.note
        if choice.climbed_from is not None:
            note = climb_note(choice.climbed_from, variant)
    minutes = item_minutes(variant, movement, sets, amount)
    return Prescription(movement, variant, sets, amount, weight, profile.units, note, minutes)


def session_for(
    profile: Profile,
    day: date,
    cycle_start: date,
    latest: Latest = no_history,
    own: Sequence[OwnExercise] = (),
    catch_up_for: date | None = None,
) -> Session | None:
    """The full session for ``day``, or ``None`` on a day without lifting.

    ``latest(keys)`` gives the sets of the most recent day before ``day`` on which any of
    those variants was logged; ``catch_up_for`` makes ``day`` a catch-up with that day's moves.
    """
    if catch_up_for is None and not is_lift_day(profile, day):
        return None
    items = [
        p
        for movement in compose_session(profile, day, cycle_start, catch_up_for)
        if (p := _prescribe(profile, day, cycle_start, movement, latest, own)) is not None
    ]
    fitted = fit_to_budget(items)
    reason = lighter_reason(profile, day)
    scheme_light = rep_scheme(week_index(day, cycle_start), "main")[2]
    return Session(
        day=day,
        run=run_on(profile, day),
        items=fitted,
        minutes=round(session_minutes(fitted)),
        light=scheme_light or bool(reason),
        week_index=week_index(day, cycle_start),
        lighter="" if scheme_light else reason,
        catch_up_for=catch_up_for,
        run_title=paired.title if (paired := calendar_run(profile, day)) is not None else "",
    )
