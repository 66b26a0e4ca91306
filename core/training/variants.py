"""Every variant of the catalog: the name a runner logs, what it needs, how it is loaded, its own form cue."""

from __future__ import annotations

from core.training.identity import Tool, Variant


def _kit(*tools: Tool) -> frozenset[Tool]:
    return frozenset(tools)


_BARBELL = _kit("barbell")
_HEXBAR = _kit("hexbar")
_MACHINE = _kit("machine")
_DB = _kit("dumbbell")
_KB = _kit("kettlebell")
_BAND = _kit("band")
_BAR = _kit("bar")

# One row per variant, kept compact so the whole table reads at a glance.
# fmt: off
VARIANTS: tuple[Variant, ...] = (
    # clamshells: an activation drill, high reps
    Variant(
        "side-lying-clamshell", "Side-lying clamshell", "clamshell",
        "Lie on your side, heels together, hips stacked; open the top knee without rolling back.",
        kind="activation", reps=(12, 15), unilateral=True, aliases=("bodyweight clamshell", "floor clamshell"),
    ),
    Variant(
        "banded-clamshell", "Banded clamshell", "clamshell",
        "Band just above the knees, hips stacked; open against the band and close slowly.",
        kind="activation", needs=_BAND, reps=(12, 15), unilateral=True,
        aliases=("banded clamshells", "band clamshell"),
    ),
    Variant(
        "side-plank-clamshell", "Side-plank clamshell", "clamshell",
        "From a side plank on the forearm and knees, lift the hips and open the top knee.",
        kind="activation", reps=(8, 12), unilateral=True,
    ),
    # squats
    Variant(
        "barbell-back-squat", "Barbell back squat", "squat",
        "Bar across the upper back, brace, sit down between the heels, knees follow the toes.",
        needs=_BARBELL, load="plates", plausible_kg=300,
        aliases=("back squat", "back squats", "barbell squat", "barbell squats"),
    ),
    Variant(
        "front-squat", "Front squat", "squat",
        "Bar on the front of the shoulders, elbows high, torso tall all the way down.",
        needs=_BARBELL, load="plates", plausible_kg=250, aliases=("front squats",),
    ),
    Variant(
        "goblet-squat", "Goblet squat", "squat",
        "Hold the weight at your chest, elbows inside the knees at the bottom, chest up.",
        needs=_DB, load="dumbbell", plausible_kg=70,
        aliases=("goblet squats", "goblet", "kettlebell squat", "kb squat", "dumbbell squat", "db squat"),
    ),
    Variant(
        "bodyweight-squat", "Bodyweight squat", "squat",
        "Arms forward, sit back and down to a comfortable depth, stand up by pushing the floor away.",
        kind="reps", reps=(12, 20), aliases=("air squat", "air squats", "bodyweight squats"),
    ),
    Variant(
        "split-squat", "Split squat", "squat",
        "Feet a long stride apart, drop the back knee straight down, front heel stays heavy.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("split squats",),
    ),
    Variant(
        "single-leg-box-squat", "Single-leg box squat", "squat",
        "Stand on one leg in front of a chair, sit down to it under control, stand without a push.",
        kind="reps", reps=(5, 10), unilateral=True, aliases=("box pistol", "pistol to box"),
    ),
    # the deadlift movement: one heavy hinge
    Variant(
        "hex-bar-deadlift", "Hex bar deadlift", "hex-bar-deadlift",
        "Stand in the middle of the bar, push the floor away, finish tall without leaning back.",
        needs=_HEXBAR, load="plates", heavy_hinge=True, plausible_kg=350,
        aliases=(
            "hex bar", "hexbar", "hex", "hex deadlift", "hexbar deadlift", "trap bar", "trap bar deadlift",
            "hex bar deadlifts",
        ),
    ),
    Variant(
        "kettlebell-deadlift", "Kettlebell deadlift", "hex-bar-deadlift",
        "Bell between the feet, hips back, flat back; stand up by driving the hips forward.",
        needs=_KB, load="kettlebell", heavy_hinge=True, plausible_kg=100,
        aliases=("kb deadlift", "kettlebell deadlifts", "kettlebell dl"),
    ),
    Variant(
        "glute-bridge", "Glute bridge", "hex-bar-deadlift",
        "On your back, feet flat, drive through the heels until hips and knees line up; squeeze, lower.",
        kind="reps", reps=(12, 20), aliases=("glute bridges", "bridge", "bridges", "hip bridge"),
    ),
    Variant(
        "single-leg-glute-bridge", "Single-leg glute bridge", "hex-bar-deadlift",
        "One foot down, the other knee pulled in; lift the hips level, no twisting.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("single leg bridge", "sl glute bridge"),
    ),
    Variant(
        "single-leg-hip-thrust", "Single-leg hip thrust", "hex-bar-deadlift",
        "Shoulders on a sofa edge, one foot planted; drive the hips up to a straight line.",
        kind="reps", reps=(8, 12), unilateral=True, aliases=("single leg hip thrust", "hip thrust"),
    ),
    # calf raises
    Variant(
        "standing-calf-raise", "Standing calf raise", "calf-raise",
        "Balls of the feet on the edge, pause at the top, lower slowly below the step.",
        needs=_MACHINE, load="machine", plausible_kg=300,
        aliases=("calf raise machine", "machine calf raise"),
    ),
    Variant(
        "dumbbell-calf-raise", "Single-leg calf raise with a dumbbell", "calf-raise",
        "Dumbbell on the working side, one foot on a step, full range with a pause at the top.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=60,
        aliases=("dumbbell calf raise", "db calf raise", "weighted calf raise"),
    ),
    Variant(
        "double-leg-calf-raise", "Double-leg calf raise", "calf-raise",
        "Both feet on a step, rise as high as you can, lower the heels below the step.",
        kind="reps", reps=(15, 25), aliases=("bodyweight calf raise", "double leg calf raise"),
    ),
    Variant(
        "single-leg-calf-raise", "Single-leg calf raise", "calf-raise",
        "One foot on a step, a hand on the wall; all the way up, three seconds down.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("single leg calf raise", "sl calf raise"),
    ),
    # lunges
    Variant(
        "dumbbell-reverse-lunge", "Dumbbell reverse lunge", "lunge",
        "A dumbbell in each hand, step back long, back knee toward the floor, front knee over the foot.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=60,
        aliases=("dumbbell lunge", "db reverse lunge", "dumbbell lunges"),
    ),
    Variant(
        "goblet-reverse-lunge", "Goblet reverse lunge", "lunge",
        "Weight held at the chest, step back long, torso tall, push back up through the front heel.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=60, aliases=("goblet lunge",),
    ),
    Variant(
        "reverse-lunge", "Reverse lunge", "lunge",
        "Step back long, lower the back knee toward the floor, return through the front heel.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("reverse lunges", "bodyweight lunge"),
    ),
    Variant(
        "walking-lunge", "Walking lunge", "lunge",
        "Long steps forward, back knee to just above the floor, stay tall between steps.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("walking lunges",),
    ),
    Variant(
        "deficit-reverse-lunge", "Deficit reverse lunge", "lunge",
        "Stand on a low step and lunge back off it: a longer range, same upright torso.",
        kind="reps", reps=(6, 12), unilateral=True, aliases=("deficit lunge",),
    ),
    Variant(
        "dumbbell-side-lunge", "Dumbbell side lunge", "side-lunge",
        "Dumbbells hanging, step wide, sit into one hip, the other leg straight, push back.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=50, aliases=("db side lunge",),
    ),
    Variant(
        "goblet-side-lunge", "Goblet side lunge", "side-lunge",
        "Weight at the chest, step wide, sit back into one hip, keep the chest proud.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=50, aliases=("goblet lateral lunge",),
    ),
    Variant(
        "bodyweight-side-lunge", "Bodyweight side lunge", "side-lunge",
        "Step wide, sit into one hip with the foot flat, the other leg long; push back to the middle.",
        kind="reps", reps=(8, 15), unilateral=True, aliases=("bodyweight lateral lunge",),
    ),
    Variant(
        "cossack-squat", "Cossack squat", "side-lunge",
        "Wide stance, sink deep over one heel, the other leg straight with toes up; shift across.",
        kind="reps", reps=(6, 12), unilateral=True, aliases=("cossack squats",),
    ),
    # Romanian deadlifts
    Variant(
        "barbell-rdl", "Barbell Romanian deadlift", "romanian-deadlift",
        "Soft knees, push the hips back, bar brushing the thighs, stop when the hamstrings pull.",
        needs=_BARBELL, load="plates", heavy_hinge=True, plausible_kg=250,
        aliases=("barbell rdl", "barbell romanian deadlift"),
    ),
    Variant(
        "dumbbell-rdl", "Dumbbell Romanian deadlift", "romanian-deadlift",
        "Dumbbells close to the legs, hips back, flat back, stand up by squeezing the glutes.",
        needs=_DB, load="dumbbell", heavy_hinge=True, plausible_kg=60,
        aliases=("dumbbell rdl", "db rdl", "dumbbell romanian deadlift"),
    ),
    Variant(
        "good-morning", "Good morning", "romanian-deadlift",
        "Hands behind the head, soft knees, hinge until the back is near level, stand tall again.",
        kind="reps", reps=(12, 20), aliases=("good mornings", "bodyweight good morning"),
    ),
    Variant(
        "sliding-leg-curl", "Sliding leg curl", "romanian-deadlift",
        "Heels on a towel on a smooth floor, hips up, slide the heels in and out under control.",
        kind="reps", reps=(6, 12), aliases=("sliding leg curls", "towel leg curl"),
    ),
    Variant(
        "dumbbell-single-leg-rdl", "Dumbbell single-leg RDL", "single-leg-rdl",
        "Dumbbell in the opposite hand, hips square, reach the free leg back, stand tall on the heel.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=50,
        aliases=("dumbbell single leg rdl", "single leg rdl with a dumbbell", "db sl rdl"),
    ),
    Variant(
        "kettlebell-single-leg-rdl", "Kettlebell single-leg RDL", "single-leg-rdl",
        "Bell in the opposite hand, hinge on one leg with square hips, the bell close to the shin.",
        needs=_KB, load="kettlebell", unilateral=True, plausible_kg=48,
        aliases=("kettlebell single leg rdl", "kb sl rdl", "kb single leg rdl"),
    ),
    Variant(
        "bodyweight-single-leg-rdl", "Bodyweight single-leg RDL", "single-leg-rdl",
        "Arms forward, hips square, reach the free leg back until you form a T, return slowly.",
        kind="reps", reps=(6, 12), unilateral=True, aliases=("bodyweight single leg rdl",),
    ),
    # quad extensions, for trail and hilly runners
    Variant(
        "leg-extension", "Leg extension machine", "quad-extension",
        "Slow on the way down; squeeze at the top without slamming into lockout.",
        needs=_MACHINE, load="machine", plausible_kg=200,
        aliases=("leg extension", "leg extensions", "machine leg extension"),
    ),
    Variant(
        "banded-leg-extension", "Banded leg extension", "quad-extension",
        "Band from a table leg to the ankle, seated, straighten the knee slowly and hold a beat.",
        kind="reps", needs=_BAND, reps=(12, 20), aliases=("band leg extension",),
    ),
    Variant(
        "spanish-squat-hold", "Spanish squat hold", "quad-extension",
        "Band behind both knees anchored in front, sit back with shins upright, hold steady.",
        kind="hold", needs=_BAND, reps=(30, 60), aliases=("spanish squat", "spanish squats"),
    ),
    Variant(
        "wall-sit", "Wall sit", "quad-extension",
        "Back flat on the wall, knees over the ankles at about a right angle, breathe and hold.",
        kind="hold", reps=(30, 60), aliases=("wall sits", "wall squat"),
    ),
    # upper body
    Variant(
        "band-assisted-pull-up", "Band-assisted pull-up", "pull-up",
        "Knee in a band looped on the bar, from a dead hang pull the chest up, lower in control.",
        kind="reps", needs=_kit("bar", "band"), reps=(5, 12),
        aliases=("assisted pull-up", "assisted pull-ups", "band assisted pull-up", "assisted pullup"),
    ),
    Variant(
        "pull-up", "Pull-up", "pull-up",
        "Start from a dead hang, pull the chest to the bar, lower all the way under control.",
        kind="reps", needs=_BAR, reps=(3, 10),
        aliases=("pull-ups", "pullup", "pullups", "pull ups", "chin-up", "chin-ups", "chinup", "chinups"),
    ),
    Variant(
        "incline-push-up", "Incline push-up", "push-up",
        "Hands on a table or bench, one straight line from head to heels, chest to the edge.",
        kind="reps", reps=(8, 15), aliases=("incline push-ups", "incline pushups"),
    ),
    Variant(
        "push-up", "Push-up", "push-up",
        "A straight line from head to heels; elbows about 45 degrees; chest to a fist off the floor.",
        kind="reps", reps=(6, 15),
        aliases=("push-ups", "pushup", "pushups", "push ups", "press-up", "press-ups", "pressups"),
    ),
    Variant(
        "decline-push-up", "Decline push-up", "push-up",
        "Feet on a chair, hands under the shoulders, keep the hips in line as you lower.",
        kind="reps", reps=(6, 12), aliases=("decline push-ups", "decline pushups", "feet elevated push-up"),
    ),
    Variant(
        "cable-row", "Seated cable row", "row",
        "Sit tall, pull the handle to the lower ribs, squeeze the shoulder blades, no swinging.",
        needs=_MACHINE, load="machine", plausible_kg=150,
        aliases=("cable row", "cable rows", "seated row", "seated cable row"),
    ),
    Variant(
        "dumbbell-row", "One-arm dumbbell row", "row",
        "Hand and knee on a bench, pull the elbow toward the hip, pause, lower all the way.",
        needs=_DB, load="dumbbell", unilateral=True, plausible_kg=80,
        aliases=("dumbbell row", "dumbbell rows", "db row", "one arm row", "one-arm row"),
    ),
    Variant(
        "table-row", "Table row", "row",
        "Lie under a sturdy table, grip the edge, pull the chest up to it with a straight body.",
        kind="reps", reps=(6, 15), aliases=("table rows", "bodyweight row"),
    ),
    Variant(
        "inverted-row", "Inverted row", "row",
        "Under a bar at hip height, body straight, pull the chest to the bar and lower slowly.",
        kind="reps", needs=_BAR, reps=(6, 15), aliases=("inverted rows", "ring row"),
    ),
)
# fmt: on
