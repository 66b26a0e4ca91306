"""The exercise catalog: every move from the advice, with variants by equipment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pattern = Literal["main", "single_leg", "posterior", "calves", "upper", "knee"]


@dataclass(frozen=True)
class Exercise:
    """One catalog exercise.

    ``group`` is one of the eight catalog groups (the ``all-eight`` badge counts
    them); ``patterns`` are the session slots it can fill; ``variants`` name the
    form it takes with each equipment, and ``loaded`` says whether that form
    takes an external weight.
    """

    key: str
    name: str
    group: str
    patterns: tuple[Pattern, ...]
    muscles: str
    why: str
    cue: str
    variants: dict[str, str]
    loaded: dict[str, bool]
    aliases: tuple[str, ...] = ()
    unilateral: bool = False


GROUPS: dict[str, str] = {
    "clamshells": "Clamshells",
    "squats": "Squats",
    "hex-bar-deadlifts": "Hex bar deadlifts",
    "calf-raises": "Calf raises",
    "lunges": "Lunges",
    "rdls": "Romanian deadlifts",
    "quad-extensions": "Quad extensions",
    "upper-body": "Upper body",
}

_ALL = {"gym": True, "home": True, "bodyweight": False}

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        key="clamshell",
        name="Clamshells",
        group="clamshells",
        patterns=("single_leg",),
        muscles="glute medius",
        why="steadies the hips so the knee tracks straight on every stride",
        cue="Heels together, hips stacked; lift the knee without rolling back.",
        variants={"gym": "banded clamshell", "home": "banded clamshell", "bodyweight": "clamshell"},
        loaded={"gym": False, "home": False, "bodyweight": False},
        aliases=("clamshells", "clam", "clams", "clam shell", "clam shells"),
        unilateral=True,
    ),
    Exercise(
        key="squat",
        name="Squat",
        group="squats",
        patterns=("main",),
        muscles="glutes, quads",
        why="wakes the glutes for a more economical stride",
        cue="Brace, sit between the heels, knees follow the toes.",
        variants={"gym": "barbell back squat", "home": "goblet squat", "bodyweight": "bodyweight squat"},
        loaded=_ALL,
        aliases=(
            "squats",
            "goblet squat",
            "goblet squats",
            "goblet",
            "kettlebell squat",
            "kb squat",
            "back squat",
            "barbell squat",
            "front squat",
            "bodyweight squat",
        ),
    ),
    Exercise(
        key="hex-bar-deadlift",
        name="Hex bar deadlift",
        group="hex-bar-deadlifts",
        patterns=("main", "posterior"),
        muscles="glutes, hamstrings, quads, back",
        why="builds speed and power while sparing the lower back",
        cue="Stand in the middle of the bar, push the floor away, finish tall.",
        variants={"gym": "hex bar deadlift", "home": "kettlebell deadlift", "bodyweight": "glute bridge"},
        loaded=_ALL,
        aliases=(
            "hex bar",
            "hexbar",
            "hex",
            "hex deadlift",
            "trap bar",
            "trap bar deadlift",
            "hexbar deadlift",
            "deadlift",
            "deadlifts",
            "kettlebell deadlift",
            "kb deadlift",
        ),
    ),
    Exercise(
        key="calf-raise",
        name="Calf raise",
        group="calf-raises",
        patterns=("calves",),
        muscles="calves, foot and ankle",
        why="guards the foot and ankle against injuries such as plantar fasciitis",
        cue="Full range: pause at the top, lower slowly below the step.",
        variants={
            "gym": "standing calf raise",
            "home": "single-leg calf raise with a dumbbell",
            "bodyweight": "single-leg calf raise",
        },
        loaded=_ALL,
        aliases=("calf raises", "calf", "calves", "calfraise", "heel raise", "heel raises"),
    ),
    Exercise(
        key="lunge",
        name="Lunge",
        group="lunges",
        patterns=("single_leg",),
        muscles="glutes, quads",
        why="switches the glutes on and evens out left-right imbalances",
        cue="Long step, back knee toward the floor, front knee over the foot.",
        variants={
            "gym": "dumbbell reverse lunge",
            "home": "goblet reverse lunge",
            "bodyweight": "reverse lunge",
        },
        loaded=_ALL,
        aliases=(
            "lunges",
            "reverse lunge",
            "reverse lunges",
            "walking lunge",
            "walking lunges",
            "split squat",
        ),
        unilateral=True,
    ),
    Exercise(
        key="side-lunge",
        name="Side lunge",
        group="lunges",
        patterns=("single_leg",),
        muscles="glutes, adductors",
        why="trains the hips sideways, where running never does",
        cue="Step wide, sit into one hip, keep the other leg straight.",
        variants={"gym": "dumbbell side lunge", "home": "goblet side lunge", "bodyweight": "side lunge"},
        loaded=_ALL,
        aliases=("side lunges", "lateral lunge", "lateral lunges", "sidelunge"),
        unilateral=True,
    ),
    Exercise(
        key="romanian-deadlift",
        name="Romanian deadlift",
        group="rdls",
        patterns=("posterior",),
        muscles="hamstrings, glutes",
        why="strengthens the hamstrings that drive every push-off",
        cue="Soft knees, push the hips back, bar close to the legs.",
        variants={
            "gym": "barbell Romanian deadlift",
            "home": "dumbbell Romanian deadlift",
            "bodyweight": "hip hinge with a pause",
        },
        loaded=_ALL,
        aliases=("rdl", "rdls", "romanian deadlifts", "romanian", "stiff leg deadlift"),
    ),
    Exercise(
        key="single-leg-rdl",
        name="Single-leg Romanian deadlift",
        group="rdls",
        patterns=("posterior", "single_leg"),
        muscles="hamstrings, glutes, foot",
        why="builds hamstrings and the balance of standing on one leg",
        cue="Hips square, reach the free leg back, stand tall on the heel.",
        variants={
            "gym": "single-leg RDL with a dumbbell",
            "home": "single-leg RDL with a kettlebell",
            "bodyweight": "single-leg RDL",
        },
        loaded=_ALL,
        aliases=("single leg rdl", "sl rdl", "slrdl", "single-leg rdl", "single leg deadlift", "1 leg rdl"),
        unilateral=True,
    ),
    Exercise(
        key="quad-extension",
        name="Quad extension",
        group="quad-extensions",
        patterns=("knee",),
        muscles="quads",
        why="protects the knees on the descents of trail and hilly runs",
        cue="Slow on the way down; squeeze at the top without locking out hard.",
        variants={
            "gym": "leg extension machine",
            "home": "banded leg extension",
            "bodyweight": "Spanish squat hold",
        },
        loaded={"gym": True, "home": False, "bodyweight": False},
        aliases=("quad extensions", "leg extension", "leg extensions", "knee extension", "quad ext"),
    ),
    Exercise(
        key="pull-up",
        name="Pull-up",
        group="upper-body",
        patterns=("upper",),
        muscles="lats, upper back, arms",
        why="a strong back keeps the posture tall late in a run",
        cue="Start from a dead hang, chest to the bar, lower under control.",
        variants={
            "gym": "pull-up (assisted if needed)",
            "home": "pull-up or band-assisted pull-up",
            "bodyweight": "pull-up or table row",
        },
        loaded={"gym": False, "home": False, "bodyweight": False},
        aliases=("pull-ups", "pullup", "pullups", "pull ups", "chin-up", "chin-ups", "chinup", "chinups"),
    ),
    Exercise(
        key="push-up",
        name="Push-up",
        group="upper-body",
        patterns=("upper",),
        muscles="chest, shoulders, triceps, core",
        why="an arm swing with power behind it and a stiff trunk",
        cue="A straight line from head to heels; elbows about 45 degrees.",
        variants={"gym": "push-up", "home": "push-up", "bodyweight": "push-up"},
        loaded={"gym": False, "home": False, "bodyweight": False},
        aliases=("push-ups", "pushup", "pushups", "push ups", "press-up", "press-ups", "pressups"),
    ),
    Exercise(
        key="row",
        name="Row",
        group="upper-body",
        patterns=("upper",),
        muscles="upper back, rear shoulders",
        why="balances the shoulders and holds good posture when tired",
        cue="Pull the elbow to the hip, pause, no swinging.",
        variants={
            "gym": "cable or dumbbell row",
            "home": "one-arm dumbbell row",
            "bodyweight": "inverted row",
        },
        loaded={"gym": True, "home": True, "bodyweight": False},
        aliases=(
            "rows",
            "dumbbell row",
            "db row",
            "bent over row",
            "inverted row",
            "cable row",
            "one arm row",
        ),
    ),
)

BY_KEY: dict[str, Exercise] = {e.key: e for e in EXERCISES}


def exercise(key: str) -> Exercise:
    return BY_KEY[key]


def names_and_aliases() -> dict[str, str]:
    """Every name a runner may type (lower case) mapped to its exercise key."""
    table: dict[str, str] = {}
    for e in EXERCISES:
        for name in (e.key, e.key.replace("-", " "), e.name.lower(), *e.aliases):
            table[name.lower()] = e.key
        for variant in e.variants.values():
            table.setdefault(variant.lower(), e.key)
    return table
