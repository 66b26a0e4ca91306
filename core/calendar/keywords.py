"""The words that name a kind of session, per language: the one table to extend.

A keyword is matched against whole words of the title and description, accents and case
ignored; ``*`` stands for any letters, so ``interval*`` matches "Intervalltraining" and
``*dauerlauf`` matches "Tempodauerlauf". A phrase (several words) matches as written.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["speed", "long", "easy", "race", "rest", "strength", "run?"]
KINDS: tuple[Kind, ...] = ("speed", "long", "easy", "race", "rest", "strength", "run?")
RUN_KINDS: frozenset[str] = frozenset({"speed", "long", "easy", "race", "run?"})

Language = Literal["en", "de", "fr", "es"]

# Phrases that name a pace, not an event: "Marathon pace 3x5 km" is a speed session.
PACE: dict[Language, tuple[str, ...]] = {
    "en": ("* pace", "race pace", "mp", "hmp", "goal pace", "progression*", "cruise*", "strides"),
    "de": ("*tempo", "renntempo", "wettkampftempo", "*renntempo", "steigerung*"),
    "fr": ("allure *", "allure", "progressi*"),
    "es": ("ritmo *", "ritmo", "progresi*"),
}

KEYWORDS: dict[Kind, dict[Language, tuple[str, ...]]] = {
    "rest": {
        "en": ("rest", "rest day", "day off", "off", "off day", "no run"),
        "de": ("ruhetag", "pause", "frei", "ruhe"),
        "fr": ("repos", "jour de repos", "off"),
        "es": ("descanso", "dia de descanso", "libre"),
    },
    "strength": {
        "en": (
            "strength*",
            "gym",
            "weights",
            "lifting",
            "core",
            "s&c",
            "mobility",
            "yoga",
            "pilates",
            "swim*",
            "bike",
            "cycling",
            "ride",
            "cross*",
            "xt",
            "elliptical",
            "rowing",
        ),
        "de": ("kraft*", "stabi*", "athletik*", "rad*", "radfahren", "schwimmen", "fitness*", "mobilit*"),
        "fr": ("musculation", "renforcement*", "velo", "natation", "gainage", "ppg", "cross-training"),
        "es": ("fuerza", "gimnasio", "gym", "natacion", "bici*", "ciclismo", "pesas"),
    },
    "race": {
        "en": (
            "race",
            "racing",
            "marathon",
            "half marathon",
            "ultra*",
            "parkrun",
            "trail race",
            "competition",
            "time trial",
            "tt",
        ),
        "de": ("wettkampf*", "*rennen", "halbmarathon", "*marathon", "*lauf cup", "volkslauf", "stadtlauf"),
        "fr": ("course", "semi-marathon", "semi marathon", "marathon", "competition", "10 km de *"),
        "es": ("carrera", "maraton", "media maraton", "medio maraton", "competicion", "san silvestre"),
    },
    "speed": {
        "en": (
            "interval*",
            "tempo",
            "threshold",
            "fartlek",
            "hill*",
            "track",
            "vo2*",
            "repeats",
            "reps",
            "speed*",
            "sprint*",
            "lactate",
            "anaerobic",
            "workout",
            "quality",
        ),
        "de": ("interval*", "tempo*", "schwelle*", "fahrtspiel", "berg*", "hugel*", "bahn*", "*tempolauf"),
        "fr": ("fractionne", "intervalle*", "seuil", "cotes", "cote", "piste", "vma", "tempo", "fartlek"),
        "es": ("series", "intervalos", "umbral", "cuestas", "pista", "fartlek", "tempo", "velocidad"),
    },
    "long": {
        "en": ("long run", "long", "long jog", "lsd", "long slow*"),
        "de": ("langer lauf", "lange*", "langer dauerlauf", "long jog"),
        "fr": ("sortie longue", "sl", "longue"),
        "es": ("tirada larga", "larga", "fondo", "rodaje largo"),
    },
    "easy": {
        "en": ("easy*", "recovery", "jog*", "shakeout", "shake out", "base", "aerobic", "z2", "zone 2"),
        "de": ("locker*", "*dauerlauf", "ga1", "regeneration*", "ruhiger lauf", "auslaufen"),
        "fr": ("footing", "recuperation", "endurance fondamentale", "ef", "facile", "decrassage"),
        "es": ("suave", "recuperacion", "rodaje", "trote", "regenerativo"),
    },
    "run?": {
        "en": ("run", "running", "runs"),
        "de": ("lauf", "laufen", "*lauf"),
        "fr": ("course a pied", "sortie", "cap"),
        "es": ("correr", "salida"),
    },
}

# Distances that name a race only when nothing else names the session ("5K" alone, not "easy 5k").
RACE_DISTANCES: tuple[str, ...] = ("5k", "10k", "5 k", "10 k", "15k", "25k", "50k", "100k", "10 mile*")

# Race distances by name, in km: a race at or past a marathon tapers four days, shorter ones two.
RACE_KM: tuple[tuple[str, float], ...] = (
    ("ultra*", 50.0),
    ("100k", 100.0),
    ("50k", 50.0),
    ("half marathon", 21.1),
    ("halbmarathon", 21.1),
    ("semi-marathon", 21.1),
    ("semi marathon", 21.1),
    ("media maraton", 21.1),
    ("medio maraton", 21.1),
    ("half", 21.1),
    ("*marathon", 42.2),
    ("maraton", 42.2),
    ("10 mile*", 16.1),
    ("25k", 25.0),
    ("15k", 15.0),
    ("10k", 10.0),
    ("10 k", 10.0),
    ("5k", 5.0),
    ("5 k", 5.0),
    ("parkrun", 5.0),
)
